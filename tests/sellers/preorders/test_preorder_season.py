"""A pre-order season from offer to settlement: the buyer pays the estimate,
each parcel is settled by its real weight, the household is credited what was
settled and never the estimate."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from oscar.core.loading import get_model

from sellers.models import LedgerEntry, SmsMessage
from sellers.preorders.selectors import preorder_pending_by_household
from sellers.preorders.services import parcel_settle_weights
from storefront.checkout.models import StripePayment
from storefront.checkout.stripe_api import stripe_client
from tests.sellers import helpers
from tests.sellers.preorders.helpers import fish_offer, parcel_of, weights

StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.usefixtures("stripe_settings", "clean_stripe")


def refunds_at_stripe(order):
    intent = StripePayment.objects.get(order_number=order.number).payment_intent_id
    refunds = stripe_client().v1.refunds.list(params={"payment_intent": intent})
    return sorted((r.metadata["reference"], r.amount) for r in refunds.data)


def ledger(household):
    return [
        (e.kind, e.amount, e.balance)
        for e in LedgerEntry.objects.filter(household=household).order_by("seq")
    ]


def reconciles() -> str:
    out = StringIO()
    call_command("reconcile_ledger", stdout=out)
    return out.getvalue()


def test_offering_sets_the_capacity_and_the_estimated_price_of_a_piece(db):
    # when
    offer, product, _worker = fish_offer(capacity=2000)

    # then
    record = StockRecord.objects.get(product=product)
    assert (record.num_in_stock, record.price) == (2000, Decimal("36.00"))
    assert offer.piece_price == Decimal("36.00")


def test_a_season_settles_under_and_over_weight_parcels_by_their_real_weight(
    db, django_capture_on_commit_callbacks
):
    # given: two buyers pay the estimate for 2 fish each (¥72 + ¥10 delivery)
    offer, product, worker = fish_offer()
    light = helpers.paid_order((product, 2), email="light@example.com")
    heavy = helpers.paid_order((product, 2), email="heavy@example.com")
    household = offer.household
    assert light.total_incl_tax == Decimal("82.00")
    assert ledger(household) == []  # paid, not yet credited: no estimate held
    assert preorder_pending_by_household(
        household_ids=[household.pk],
        start=light.date_placed,
        end=heavy.date_placed + datetime.timedelta(seconds=1),
    ) == {household.pk: Decimal("164.00")}
    mail.outbox.clear()

    # when: the light pair weighs 5.4 jin (¥64.80), the heavy one 7 jin (¥84)
    with django_capture_on_commit_callbacks(execute=True):
        for order, jin in ((light, "5.40"), (heavy, "7.00")):
            parcel = parcel_of(order)
            parcel_settle_weights(
                parcel=parcel, weights=weights(parcel, jin), acting_user=worker
            )

    # then: ¥7.20 back to the light buyer, nothing more from the heavy one
    light_parcel, heavy_parcel = parcel_of(light), parcel_of(heavy)
    assert refunds_at_stripe(light) == [(f"parcel-{light_parcel.pk}-harvest", 720)]
    assert refunds_at_stripe(heavy) == []
    assert (light_parcel.refunded, heavy_parcel.refunded) == (
        Decimal("7.20"),
        Decimal("0.00"),
    )
    assert ledger(household) == [
        ("sale", Decimal("74.80"), Decimal("74.80")),
        ("sale", Decimal("82.00"), Decimal("156.80")),
    ]
    assert (
        preorder_pending_by_household(
            household_ids=[household.pk], start=light.date_placed, end=heavy.date_placed
        )
        == {}
    )
    assert [m.subject for m in mail.outbox] == [
        f"您的预售商品已称重：¥64.80（订单 {light.number}）",
        f"您的预售商品已称重：¥72.00（订单 {heavy.number}）",
    ]
    assert "¥7.20" in mail.outbox[0].body
    assert "5.40" in mail.outbox[0].body
    assert "The ledger reconciles" in reconciles()


def test_a_parcel_is_settled_once(db):
    # given
    offer, product, worker = fish_offer()
    order = helpers.paid_order((product, 1))
    parcel = parcel_of(order)
    parcel_settle_weights(
        parcel=parcel, weights=weights(parcel, "2.50"), acting_user=worker
    )

    # when: a second click with another weight
    with pytest.raises(ValidationError) as error:
        parcel_settle_weights(
            parcel=parcel, weights=weights(parcel, "1.00"), acting_user=worker
        )

    # then
    assert error.value.messages == ["这个包裹已经结算过，未做任何更改。"]
    assert refunds_at_stripe(order) == [(f"parcel-{parcel.pk}-harvest", 600)]
    assert ledger(offer.household) == [("sale", Decimal("40.00"), Decimal("40.00"))]


def test_a_weight_left_out_changes_nothing(db):
    # given
    offer, product, worker = fish_offer()
    order = helpers.paid_order((product, 1))
    parcel = parcel_of(order)

    # when
    with pytest.raises(ValidationError) as error:
        parcel_settle_weights(parcel=parcel, weights={}, acting_user=worker)

    # then
    assert error.value.messages == ["请填写每一行预售商品的实际重量。"]
    assert refunds_at_stripe(order) == []
    assert ledger(offer.household) == []
    assert SmsMessage.objects.filter(event="preorder_settled").count() == 0


def test_pending_pre_orders_are_counted_by_the_day_they_were_placed(db):
    # given: a paid pre-order of 2 fish (¥72 + ¥10), placed today
    offer, product, _worker = fish_offer()
    order = helpers.paid_order((product, 2))
    today = timezone.localdate(order.date_placed)
    household = offer.household

    # when
    today_only = preorder_pending_by_household(
        household_ids=[household.pk],
        start=today,
        end=today + datetime.timedelta(days=1),
    )
    before = preorder_pending_by_household(
        household_ids=[household.pk],
        start=today - datetime.timedelta(days=7),
        end=today,
    )

    # then
    assert today_only == {household.pk: Decimal("82.00")}
    assert before == {}
