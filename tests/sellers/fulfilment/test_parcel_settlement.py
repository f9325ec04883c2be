"""A parcel that has left the household: refunded only with a reason and a
settlement (came back, part refunded, agency bears it), in its history."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from sellers.fulfilment.services import (
    parcel_cancel,
    parcel_mark_delivered,
    parcel_mark_shipped,
)
from sellers.models import IncomeDay, LedgerEntry, Parcel, ParcelEvent
from storefront.checkout.models import StripePayment
from storefront.checkout.stripe_api import stripe_client
from tests.sellers import helpers

pytestmark = pytest.mark.usefixtures("stripe_settings", "clean_stripe")


@pytest.fixture
def shipped(db):
    """罗大哥's parcel of 2 fish (¥30 + ¥10 delivery) on its way."""
    (fish, _eggs, _bacon), _households, (worker, _b) = helpers.two_caseloads()
    order = helpers.paid_order((fish, 2))
    parcel = Parcel.objects.get(order=order)
    parcel_mark_shipped(
        parcel=parcel, carrier="顺丰", tracking_number="SF1", acting_user=worker
    )
    mail.outbox.clear()
    return parcel, worker


def refunds_at_stripe(parcel):
    intent = StripePayment.objects.get(order_number=parcel.order.number)
    refunds = stripe_client().v1.refunds.list(
        params={"payment_intent": intent.payment_intent_id}
    )
    return sorted((r.metadata["reference"], r.amount) for r in refunds.data)


def ledger(parcel):
    return [
        (e.kind, e.amount, e.balance)
        for e in LedgerEntry.objects.filter(household=parcel.household)
    ]


def reconciles():
    out = StringIO()
    call_command("reconcile_ledger", stdout=out)
    return out.getvalue()


def test_a_parcel_on_its_way_is_not_refunded_without_a_settlement(shipped):
    parcel, worker = shipped

    with pytest.raises(ValidationError) as error:
        parcel_cancel(parcel=parcel, reason="买家不要了", acting_user=worker)

    assert error.value.messages == ["包裹已离开农户：请选择退款如何结算。"]
    parcel.refresh_from_db()
    assert (parcel.status, parcel.refunded) == ("shipped", Decimal("0.00"))
    assert refunds_at_stripe(parcel) == []
    assert ledger(parcel) == [("sale", Decimal("40.00"), Decimal("40.00"))]


def test_a_parcel_that_came_back_is_refunded_in_full_off_the_household(shipped):
    parcel, worker = shipped

    parcel_cancel(
        parcel=parcel, reason="快递退回", settlement="returned", acting_user=worker
    )

    parcel.refresh_from_db()
    assert (parcel.status, parcel.refunded) == ("cancelled", Decimal("40.00"))
    assert refunds_at_stripe(parcel) == [(f"parcel-{parcel.pk}", 4000)]
    assert ledger(parcel) == [
        ("sale", Decimal("40.00"), Decimal("40.00")),
        ("refund", Decimal("-40.00"), Decimal("0.00")),
    ]
    event = ParcelEvent.objects.filter(parcel=parcel).last()
    assert (event.status, event.settlement, event.refunded, event.actor) == (
        "cancelled",
        "returned",
        Decimal("40.00"),
        worker,
    )
    assert event.note == "快递退回"
    assert "The ledger reconciles" in reconciles()


def test_a_part_refunded_leaves_the_parcel_with_the_buyer(
    shipped, django_capture_on_commit_callbacks
):
    parcel, worker = shipped

    with django_capture_on_commit_callbacks(execute=True):
        parcel_cancel(
            parcel=parcel,
            reason="两条鱼有一条坏了",
            settlement="partial",
            amount=Decimal("15.00"),
            acting_user=worker,
        )

    parcel.refresh_from_db()
    assert (parcel.status, parcel.refunded) == ("shipped", Decimal("15.00"))
    assert refunds_at_stripe(parcel) == [(f"parcel-{parcel.pk}-part-1", 1500)]
    assert ledger(parcel) == [
        ("sale", Decimal("40.00"), Decimal("40.00")),
        ("correction", Decimal("-15.00"), Decimal("25.00")),
    ]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            ["buyer@example.com"],
            f"罗大哥的包裹已退款 ¥15.00（订单 {parcel.order.number}）",
        )
    ]
    # Still one parcel and two fish sold; ¥25 of income.
    month = IncomeDay.objects.get(household=parcel.household, span="m")
    assert (month.sales, month.corrections, month.parcels, month.units) == (
        Decimal("40.00"),
        Decimal("-15.00"),
        1,
        2,
    )
    assert "The ledger reconciles" in reconciles()


def test_a_part_and_then_the_rest_once_it_came_back(shipped):
    parcel, worker = shipped
    parcel_cancel(
        parcel=parcel,
        reason="坏了一条",
        settlement="partial",
        amount=Decimal("15.00"),
        acting_user=worker,
    )

    parcel_cancel(
        parcel=parcel, reason="整箱退回", settlement="returned", acting_user=worker
    )

    parcel.refresh_from_db()
    assert (parcel.status, parcel.refunded) == ("cancelled", Decimal("40.00"))
    assert refunds_at_stripe(parcel) == [
        (f"parcel-{parcel.pk}", 2500),
        (f"parcel-{parcel.pk}-part-1", 1500),
    ]
    assert ledger(parcel) == [
        ("sale", Decimal("40.00"), Decimal("40.00")),
        ("correction", Decimal("-15.00"), Decimal("25.00")),
        ("refund", Decimal("-40.00"), Decimal("-15.00")),
        ("correction", Decimal("15.00"), Decimal("0.00")),
    ]
    month = IncomeDay.objects.get(household=parcel.household, span="m")
    assert (month.parcels, month.units) == (0, 0)
    assert "The ledger reconciles" in reconciles()


@pytest.mark.parametrize("amount", [None, "0", "40.00", "41.00"])
def test_a_part_must_be_less_than_the_parcel(shipped, amount):
    parcel, worker = shipped

    with pytest.raises(ValidationError) as error:
        parcel_cancel(
            parcel=parcel,
            reason="坏了",
            settlement="partial",
            amount=Decimal(amount) if amount else None,
            acting_user=worker,
        )

    assert error.value.messages == [
        "请输入要退的部分：大于 ¥0.00 且小于 ¥40.00（全部退款请选择其他方式）。"
    ]
    assert refunds_at_stripe(parcel) == []
    assert len(ledger(parcel)) == 1


def test_a_delivered_parcel_whose_loss_the_agency_bears(shipped):
    parcel, worker = shipped
    parcel_mark_delivered(parcel=parcel, acting_user=worker)

    parcel_cancel(
        parcel=parcel,
        reason="鱼到了已经不新鲜",
        settlement="absorbed",
        acting_user=worker,
    )

    parcel.refresh_from_db()
    assert (parcel.status, parcel.refunded) == ("cancelled", Decimal("40.00"))
    assert refunds_at_stripe(parcel) == [(f"parcel-{parcel.pk}", 4000)]
    # The household keeps what it earned.
    assert ledger(parcel) == [("sale", Decimal("40.00"), Decimal("40.00"))]
    assert ParcelEvent.objects.filter(parcel=parcel).last().settlement == "absorbed"
    assert "The ledger reconciles" in reconciles()


def test_the_workspace_asks_how_a_shipped_parcel_is_settled(client, shipped):
    parcel, worker = shipped
    client.force_login(worker)
    url = f"/workspace/parcels/{parcel.pk}/cancel/"

    refused = client.post(url, {"reason": "坏了", "settlement": "partial"}, follow=True)
    done = client.post(
        url,
        {"reason": "坏了一条", "settlement": "partial", "amount": "12.50"},
        follow=True,
    )

    assert [str(m) for m in refused.context["messages"]] == ["请输入要退的部分。"]
    assert [str(m) for m in done.context["messages"]] == ["已退款 ¥12.50 给买家。"]
    page = done.content.decode()
    assert "坏了一条" in page
    assert "买家保留包裹：部分退款，从农户的份额中扣除 · 已退款 ¥12.50" in page
    parcel.refresh_from_db()
    assert (parcel.status, parcel.refunded) == ("shipped", Decimal("12.50"))
