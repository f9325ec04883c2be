"""A harvest that falls short cancels the last pre-orders received, a delay
lets buyers withdraw, and a settlement cut off after its refund is finished
once: every refund in full or not twice, with exact figures."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from oscar.core.loading import get_model

from sellers import clock
from sellers.models import HarvestSettlement, LedgerEntry, SmsMessage
from sellers.preorders import settlement
from sellers.preorders.services import (
    harvest_delay,
    harvest_record_catch,
    parcel_settle_weights,
    preorder_buyer_cancel,
    settlement_finish_stale,
)
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


def reconciles() -> str:
    out = StringIO()
    call_command("reconcile_ledger", stdout=out)
    return out.getvalue()


def test_a_short_harvest_cancels_the_last_pre_orders_received_in_full(
    db, django_capture_on_commit_callbacks
):
    # given: three buyers pre-order 2, 1 and 2 fish, in that order; 3 are caught
    offer, product, worker = fish_offer()
    first = helpers.paid_order((product, 2), email="first@example.com")
    second = helpers.paid_order((product, 1), email="second@example.com")
    third = helpers.paid_order((product, 2), email="third@example.com")
    mail.outbox.clear()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = harvest_record_catch(offer=offer, pieces=3, acting_user=worker)

    # then: the third (¥72 + ¥10) is refunded in full; the first two stand
    assert cancelled == [parcel_of(third)]
    assert [parcel_of(o).status for o in (first, second, third)] == [
        "to_pack",
        "to_pack",
        "cancelled",
    ]
    parcel = parcel_of(third)
    assert parcel.refunded == Decimal("82.00")
    assert parcel.cancel_reason == "减产：仅捕获 3 件"
    assert refunds_at_stripe(third) == [(f"parcel-{parcel.pk}", 8200)]
    assert refunds_at_stripe(first) == refunds_at_stripe(second) == []
    assert [m.to for m in mail.outbox] == [["third@example.com"]]
    record = StockRecord.objects.get(product=product)
    assert (record.num_in_stock, record.num_allocated) == (3, 3)
    assert LedgerEntry.objects.count() == 0
    assert "The ledger reconciles" in reconciles()


def test_a_catch_of_none_cancels_every_pre_order(db):
    # given
    offer, product, worker = fish_offer()
    orders = [helpers.paid_order((product, 1)) for _ in range(2)]

    # when
    cancelled = harvest_record_catch(offer=offer, pieces=0, acting_user=worker)

    # then
    assert [p.order for p in cancelled] == orders
    assert [parcel_of(o).refunded for o in orders] == [Decimal("46.00")] * 2


def test_a_catch_is_not_recorded_while_a_pre_order_is_being_paid(db):
    # given
    offer, product, worker = fish_offer()
    helpers.paid_order((product, 1))
    unpaid = helpers.place_order((product, 1))

    # when
    with pytest.raises(ValidationError) as error:
        harvest_record_catch(offer=offer, pieces=0, acting_user=worker)

    # then
    assert error.value.messages == [
        "还有预售订单正在付款中；请 15 分钟后再登记捕获数量"
        "（届时未付款的订单会被释放）。"
    ]
    assert parcel_of(unpaid).status == "to_pack"
    offer.refresh_from_db()
    assert offer.caught_pieces is None


def test_a_delay_moves_the_window_tells_the_buyers_and_lets_them_cancel(
    db, django_capture_on_commit_callbacks
):
    # given
    offer, product, worker = fish_offer()
    order = helpers.paid_order((product, 2), email="wait@example.com")
    mail.outbox.clear()

    # when: the harvest moves a fortnight later, and the buyer withdraws
    with django_capture_on_commit_callbacks(execute=True):
        harvest_delay(
            offer=offer,
            window_start=datetime.date(2027, 1, 3),
            window_end=datetime.date(2027, 1, 10),
            acting_user=worker,
        )
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = preorder_buyer_cancel(order=order)

    # then
    offer.refresh_from_db()
    assert (offer.window_start, offer.window_end) == (
        datetime.date(2027, 1, 3),
        datetime.date(2027, 1, 10),
    )
    assert [m.subject for m in mail.outbox] == [
        f"您的预售商品采收延期（订单 {order.number}）",
        f"罗大哥的包裹已取消并退款（订单 {order.number}）",
    ]
    assert "2027-01-03" in mail.outbox[0].body
    parcel = parcel_of(order)
    assert cancelled == [parcel]
    assert (parcel.status, parcel.refunded) == ("cancelled", Decimal("82.00"))
    assert refunds_at_stripe(order) == [(f"parcel-{parcel.pk}", 8200)]
    assert StockRecord.objects.get(product=product).num_allocated == 0
    assert "The ledger reconciles" in reconciles()


def test_without_a_delay_the_buyer_cannot_withdraw_a_pre_order(db):
    # given
    _offer, product, _worker = fish_offer()
    order = helpers.paid_order((product, 1))

    # when
    with pytest.raises(ValidationError) as error:
        preorder_buyer_cancel(order=order)

    # then
    assert error.value.messages == ["这个订单目前没有可以取消的内容。"]
    assert refunds_at_stripe(order) == []


def test_a_settlement_cut_off_after_its_refund_is_finished_once(db, monkeypatch):
    # given: the process dies after Stripe refunded ¥6.00 and before the ledger
    offer, product, worker = fish_offer()
    order = helpers.paid_order((product, 1))
    parcel = parcel_of(order)

    def dies(**kwargs):
        raise SystemExit("killed")

    monkeypatch.setattr(settlement, "ledger_append", dies)
    with pytest.raises(SystemExit):
        parcel_settle_weights(
            parcel=parcel, weights=weights(parcel, "2.50"), acting_user=worker
        )
    monkeypatch.undo()
    assert refunds_at_stripe(order) == [(f"parcel-{parcel.pk}-harvest", 600)]
    refund_id = HarvestSettlement.objects.get(parcel=parcel).refund_id
    assert _problems() == (
        f"refund parcel-{parcel.pk} at the provider has no refunded paid parcel\n"
        f"parcel {parcel.pk}: its settlement by weight (refund {refund_id}) is not "
        "finished; the payments heal finishes it\n"
    )

    # when: a retry at once is refused; the heal finishes it once it is stale
    with pytest.raises(ValidationError) as error:
        parcel_settle_weights(
            parcel=parcel, weights=weights(parcel, "1.00"), acting_user=worker
        )
    later = clock.now() + datetime.timedelta(minutes=11)
    finished = [settlement_finish_stale(now=later), settlement_finish_stale(now=later)]

    # then: one refund, the household credited ¥30 + ¥10 − ¥6 once
    assert error.value.messages == ["这个包裹正在结算中，未做任何更改。"]
    assert finished == [1, 0]
    assert refunds_at_stripe(order) == [(f"parcel-{parcel.pk}-harvest", 600)]
    assert [(e.kind, e.amount) for e in LedgerEntry.objects.filter(parcel=parcel)] == [
        ("sale", Decimal("40.00"))
    ]
    assert HarvestSettlement.objects.get(parcel=parcel).settled_goods == Decimal(
        "30.00"
    )
    assert "The ledger reconciles" in reconciles()
    assert SmsMessage.objects.filter(event="preorder_settled").count() == 0


def _problems() -> str:
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("reconcile_ledger", stdout=out)
    return out.getvalue()


def test_a_settlement_stripe_cannot_refund_changes_nothing_and_can_be_redone(
    db, settings
):
    # given: Stripe is unreachable when the social worker enters 2.5 jin
    offer, product, worker = fish_offer()
    order = helpers.paid_order((product, 1))
    parcel = parcel_of(order)
    base = settings.STRIPE_API_BASE
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(ValidationError) as error:
        parcel_settle_weights(
            parcel=parcel, weights=weights(parcel, "2.50"), acting_user=worker
        )
    assert error.value.messages == ["退款暂时无法完成，什么都没有改变。请稍后再试。"]
    assert HarvestSettlement.objects.count() == 0
    settings.STRIPE_API_BASE = base

    # when: he enters it again once Stripe answers
    parcel_settle_weights(
        parcel=parcel, weights=weights(parcel, "2.50"), acting_user=worker
    )

    # then
    assert refunds_at_stripe(order) == [(f"parcel-{parcel.pk}-harvest", 600)]
    assert [(e.kind, e.amount) for e in LedgerEntry.objects.all()] == [
        ("sale", Decimal("40.00"))
    ]
