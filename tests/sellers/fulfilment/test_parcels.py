"""Parcels from paid orders: notices, shipping, delivery, cancellation with refund."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from sellers.fulfilment.services import (
    parcel_cancel,
    parcel_mark_delivered,
    parcel_mark_shipped,
)
from sellers.models import EntryKind, LedgerEntry, Parcel, ParcelEvent, ParcelStatus
from storefront.checkout.models import StripePayment
from storefront.checkout.payments import order_mark_paid
from storefront.checkout.stripe_api import stripe_client
from tests.sellers import helpers

pytestmark = pytest.mark.usefixtures("stripe_settings")


@pytest.fixture
def shop(db):
    products, households, workers = helpers.two_caseloads()
    return {"products": products, "households": households, "workers": workers}


def parcels_of(order):
    return {p.household.slug: p for p in Parcel.objects.filter(order=order)}


def test_a_paid_order_of_three_households_is_three_parcels_with_their_lines(shop):
    # given
    fish, eggs, bacon = shop["products"]

    # when: 2 fish (¥30 + ¥10 delivery), 1 eggs (¥45 + ¥10), 1 bacon (¥120, free)
    order = helpers.paid_order((fish, 2), (eggs, 1), (bacon, 1))

    # then
    parcels = parcels_of(order)
    assert {
        slug: (p.goods_total, p.delivery_charge, p.status)
        for slug, p in parcels.items()
    } == {
        "luo": (Decimal("30.00"), Decimal("10.00"), ParcelStatus.TO_PACK),
        "wang": (Decimal("45.00"), Decimal("10.00"), ParcelStatus.TO_PACK),
        "chen": (Decimal("120.00"), Decimal("0.00"), ParcelStatus.TO_PACK),
    }
    assert list(parcels["luo"].lines.values_list("title", "quantity")) == [("草鱼", 2)]
    assert list(parcels["chen"].lines.values_list("title", "quantity")) == [("腊肉", 1)]
    assert order.total_incl_tax == Decimal("215.00")


def test_capture_credits_each_household_its_share_and_tells_its_social_worker(
    shop, django_capture_on_commit_callbacks
):
    # given: 陈叔 does not post parcels himself: the agency keeps his delivery fee
    fish, eggs, bacon = shop["products"]
    luo, wang, chen = shop["households"]
    chen.ships_itself = False
    chen.save()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        order = helpers.paid_order((fish, 1), (eggs, 1), (bacon, 1))

    # then
    credits = {
        e.household.slug: (e.seq, e.kind, e.amount, e.balance)
        for e in LedgerEntry.objects.filter(parcel__order=order)
    }
    assert credits == {
        "luo": (1, EntryKind.SALE, Decimal("25.00"), Decimal("25.00")),
        "wang": (1, EntryKind.SALE, Decimal("55.00"), Decimal("55.00")),
        "chen": (1, EntryKind.SALE, Decimal("120.00"), Decimal("120.00")),
    }
    notices = sorted(
        (m.to[0], m.subject) for m in mail.outbox if m.to[0].endswith("agency.example")
    )
    assert notices == sorted(
        [
            ("a@agency.example", f"新包裹待打包：订单 {order.number}，罗大哥 · luo"),
            ("a@agency.example", f"新包裹待打包：订单 {order.number}，王阿姨 · wang"),
            ("b@agency.example", f"新包裹待打包：订单 {order.number}，陈叔 · chen"),
        ]
    )
    body = next(m.body for m in mail.outbox if "陈叔" in m.subject)
    assert "腊肉 × 1" in body
    assert "王阿姨" not in body and "buyer@example.com" not in body


def test_an_unpaid_order_credits_nobody_and_notifies_nobody(
    shop, django_capture_on_commit_callbacks
):
    # given / when: placed, not paid
    fish, eggs, _bacon = shop["products"]
    with django_capture_on_commit_callbacks(execute=True):
        order = helpers.place_order((fish, 1), (eggs, 1))

    # then
    assert LedgerEntry.objects.count() == 0
    assert mail.outbox == []
    assert Parcel.objects.filter(order=order).count() == 2


def test_crediting_again_after_the_webhook_changes_nothing(
    shop, django_capture_on_commit_callbacks
):
    # given
    fish, eggs, _bacon = shop["products"]
    with django_capture_on_commit_callbacks(execute=True):
        order = helpers.paid_order((fish, 1), (eggs, 1))
    sent = len(mail.outbox)

    # when: the webhook's payment_intent.succeeded arrives after the capture
    with django_capture_on_commit_callbacks(execute=True):
        order_mark_paid(order_number=order.number)
        order_mark_paid(order_number=order.number)

    # then
    assert LedgerEntry.objects.filter(parcel__order=order).count() == 2
    assert len(mail.outbox) == sent


def test_shipping_and_delivery_are_recorded_with_who_and_the_buyer_is_told(
    shop, django_capture_on_commit_callbacks
):
    # given
    fish, _eggs, _bacon = shop["products"]
    worker_a, _ = shop["workers"]
    order = helpers.paid_order((fish, 1))
    parcel = parcels_of(order)["luo"]
    mail.outbox.clear()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        parcel_mark_shipped(
            parcel=parcel,
            carrier="顺丰",
            tracking_number="SF1234567890",
            acting_user=worker_a,
        )
        parcel_mark_delivered(parcel=parcel, acting_user=worker_a)

    # then
    parcel.refresh_from_db()
    assert (parcel.status, parcel.carrier, parcel.tracking_number) == (
        "delivered",
        "顺丰",
        "SF1234567890",
    )
    events = list(
        ParcelEvent.objects.filter(parcel=parcel).values_list("status", "actor", "note")
    )
    assert events == [
        ("to_pack", None, ""),
        ("shipped", worker_a.pk, "顺丰 SF1234567890"),
        ("delivered", worker_a.pk, ""),
    ]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["buyer@example.com"], f"罗大哥的包裹已发出（订单 {order.number}）"),
        (["buyer@example.com"], f"罗大哥的包裹已送达（订单 {order.number}）"),
    ]
    assert "SF1234567890" in mail.outbox[0].body
    assert f"/shop/accounts/order-status/{order.number}/" in mail.outbox[0].body


@pytest.mark.parametrize(
    "status,action",
    [
        ("to_pack", "deliver"),
        ("shipped", "ship"),
        ("delivered", "ship"),
        ("delivered", "cancel"),
        ("cancelled", "ship"),
        ("cancelled", "cancel"),
    ],
)
def test_a_parcel_moves_only_forward(shop, status, action):
    # given
    fish, _eggs, _bacon = shop["products"]
    worker_a, _ = shop["workers"]
    parcel = parcels_of(helpers.paid_order((fish, 1)))["luo"]
    steps = {
        "ship": lambda: parcel_mark_shipped(
            parcel=parcel, carrier="EMS", tracking_number="E1", acting_user=worker_a
        ),
        "deliver": lambda: parcel_mark_delivered(parcel=parcel, acting_user=worker_a),
        "cancel": lambda: parcel_cancel(
            parcel=parcel, reason="鱼塘缺氧", acting_user=worker_a
        ),
    }
    path = {"to_pack": [], "shipped": ["ship"], "delivered": ["ship", "deliver"]}
    for step in path.get(status, ["cancel"]):
        steps[step]()
    events, entries = ParcelEvent.objects.count(), LedgerEntry.objects.count()

    # when / then
    with pytest.raises(ValidationError):
        steps[action]()
    parcel.refresh_from_db()
    assert parcel.status == status
    assert (ParcelEvent.objects.count(), LedgerEntry.objects.count()) == (
        events,
        entries,
    )


def test_cancelling_a_parcel_refunds_its_share_in_stripe_and_debits_the_ledger(
    shop, django_capture_on_commit_callbacks
):
    # given: fish ¥30 + ¥10 delivery, eggs ¥45 + ¥10 delivery
    fish, eggs, _bacon = shop["products"]
    worker_a, _ = shop["workers"]
    order = helpers.paid_order((fish, 2), (eggs, 1))
    parcel = parcels_of(order)["luo"]
    mail.outbox.clear()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        parcel_cancel(parcel=parcel, reason="鱼塘缺氧，鱼死了", acting_user=worker_a)

    # then: ¥40 back on the card, the household's ¥40 credit reversed
    parcel.refresh_from_db()
    intent_id = StripePayment.objects.get(order_number=order.number).payment_intent_id
    refunds = stripe_client().v1.refunds.list(params={"payment_intent": intent_id})
    assert [(r.amount, r.metadata["reference"]) for r in refunds.data] == [
        (4000, f"parcel-{parcel.pk}")
    ]
    assert (parcel.status, parcel.refunded, parcel.refund_id) == (
        "cancelled",
        Decimal("40.00"),
        refunds.data[0].id,
    )
    luo_ledger = [
        (e.seq, e.kind, e.amount, e.balance)
        for e in LedgerEntry.objects.filter(household=parcel.household)
    ]
    assert luo_ledger == [
        (1, "sale", Decimal("40.00"), Decimal("40.00")),
        (2, "refund", Decimal("-40.00"), Decimal("0.00")),
    ]
    assert parcels_of(order)["wang"].status == "to_pack"
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["buyer@example.com"], f"罗大哥的包裹已取消并退款（订单 {order.number}）"),
    ]
    assert "¥40.00" in mail.outbox[0].body


def test_a_refund_that_fails_leaves_the_parcel_and_the_ledger_as_they_were(
    shop, settings, django_capture_on_commit_callbacks
):
    # given: Stripe cannot be reached
    fish, _eggs, _bacon = shop["products"]
    worker_a, _ = shop["workers"]
    parcel = parcels_of(helpers.paid_order((fish, 1)))["luo"]
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    mail.outbox.clear()

    # when
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as error,
    ):
        parcel_cancel(parcel=parcel, reason="路断了", acting_user=worker_a)

    # then
    assert error.value.messages == ["退款暂时无法完成，什么都没有改变。请稍后再试。"]
    parcel.refresh_from_db()
    assert (parcel.status, parcel.refunded) == ("to_pack", Decimal("0.00"))
    assert LedgerEntry.objects.filter(kind="refund").count() == 0
    assert ParcelEvent.objects.filter(parcel=parcel).count() == 1
    assert mail.outbox == []


def test_an_unpaid_parcel_cannot_be_cancelled(shop):
    fish, _eggs, _bacon = shop["products"]
    worker_a, _ = shop["workers"]
    parcel = parcels_of(helpers.place_order((fish, 1)))["luo"]

    with pytest.raises(ValidationError):
        parcel_cancel(parcel=parcel, reason="不卖了", acting_user=worker_a)

    parcel.refresh_from_db()
    assert parcel.status == "to_pack"


def test_a_failing_mail_server_does_not_undo_a_shipment(
    shop, settings, django_capture_on_commit_callbacks
):
    # given
    fish, _eggs, _bacon = shop["products"]
    worker_a, _ = shop["workers"]
    parcel = parcels_of(helpers.paid_order((fish, 1)))["luo"]
    settings.EMAIL_BACKEND = "tests.sellers.helpers.BrokenEmailBackend"

    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        parcel_mark_shipped(
            parcel=parcel, carrier="EMS", tracking_number="E9", acting_user=worker_a
        )

    # then
    parcel.refresh_from_db()
    assert parcel.status == "shipped"
    assert len(callbacks) == 1  # the notice was attempted, failed, and was logged


def test_the_webhook_credits_an_order_whose_capture_was_recorded_but_not_credited(
    shop, django_capture_on_commit_callbacks
):
    # given: captured in Stripe and recorded as succeeded, but crediting never
    # ran (the process died between the two)
    from storefront.checkout import stripe_api
    from tests.storefront.checkout.test_webhook import deliver, event

    fish, eggs, _bacon = shop["products"]
    order = helpers.place_order((fish, 1), (eggs, 1))
    intent = stripe_client().v1.payment_intents.create(
        params={
            "amount": stripe_api.to_fen(order.total_incl_tax),
            "currency": "cny",
            "payment_method": helpers.card_token(helpers.CARD_OK),
            "confirm": True,
            "metadata": {"order_number": order.number},
        }
    )
    payment = StripePayment.objects.create(
        order_number=order.number,
        payment_intent_id=intent.id,
        amount_fen=intent.amount,
        status="succeeded",
    )

    # when: Stripe's payment_intent.succeeded arrives
    import time

    with django_capture_on_commit_callbacks(execute=True):
        answer = deliver(
            event(
                "evt_credit_1",
                "payment_intent.succeeded",
                int(time.time()),
                intent=payment.payment_intent_id,
            )
        )

    # then
    order.refresh_from_db()
    assert answer.status_code == 200
    assert order.status == "paid"
    assert sorted(
        LedgerEntry.objects.filter(parcel__order=order).values_list("amount", flat=True)
    ) == [Decimal("25.00"), Decimal("55.00")]
