"""reconcile_payments lists each gap between Stripe's intents and the orders
(exit 1); --heal repairs each once (exit 0), as the periodic heal does."""

import datetime
import json
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError
from django.utils import timezone
from oscar.core.loading import get_model

from sellers.models import LedgerEntry
from storefront.checkout import heal, payments
from storefront.checkout.models import PaymentRepair, StripePayment
from storefront.checkout.stripe_api import stripe_client
from tests.storefront.checkout import helpers
from tests.storefront.checkout.test_webhook import deliver

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.usefixtures("stripe_settings", "clean_stripe")


def run(*args):
    from io import StringIO

    out = StringIO()
    try:
        call_command("reconcile_payments", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def order(client, db):
    """An order of 罗大哥's fish and 王阿姨's eggs, placed awaiting payment."""
    helpers.checkout_to_payment(client, *helpers.two_households())
    helpers.place_order(client)
    return Order.objects.get()


def intent_for(order, card=helpers.CARD_OK, **params):
    """An intent of the order made at Stripe directly (a wallet paid late, an
    answer lost on the way back)."""
    return stripe_client().v1.payment_intents.create(
        params={
            "amount": 8000,
            "currency": "cny",
            "payment_method": helpers.card_token(card),
            "confirm": True,
            "metadata": {"order_number": order.number},
            **params,
        }
    )


def expire(order):
    StripePayment.objects.update(expires_at=timezone.now())
    payments.order_expire(order_number=order.number)


def refunds_of(intent_id):
    return [
        (r.payment_intent, r.amount)
        for r in stripe_client().v1.refunds.list(params={"limit": 100}).data
        if r.payment_intent == intent_id
    ]


def test_everything_paid_reconciles(client, order):
    helpers.pay(client)

    code, out = run()

    assert code == 0
    assert out == "All 1 orders and 1 payments reconcile.\n"


def test_a_payment_whose_marking_failed_is_healed_and_credited_once(
    client, order, monkeypatch
):
    # given: Stripe took the money, then saving the order failed once
    real = payments.order_mark_paid

    def fails_once(**kwargs):
        monkeypatch.setattr(payments, "order_mark_paid", real)
        raise DatabaseError("canceling statement due to statement timeout")

    monkeypatch.setattr(payments, "order_mark_paid", fails_once)
    answer = helpers.pay(client)
    intent_id = stripe_client().v1.payment_intents.list(params={"limit": 1}).data[0].id

    # when
    listed = run()
    healed = run("--heal")
    again = run("--heal")

    # then
    order.refresh_from_db()
    assert answer.status_code == 503
    assert listed == (
        1,
        f"paid, to mark paid and credit: {intent_id} (succeeded) of order "
        f"{order.number} (pending)\n",
    )
    assert healed == (
        0,
        f"repaired: paid, to mark paid and credit: {intent_id} (succeeded) of order "
        f"{order.number} (pending)\nAll 1 orders and 1 payments reconcile.\n",
    )
    assert again == (0, "All 1 orders and 1 payments reconcile.\n")
    assert order.status == "paid"
    assert LedgerEntry.objects.filter(parcel__order=order).count() == 2
    assert list(PaymentRepair.objects.values_list("action", "payment_intent_id")) == [
        ("mark_paid", intent_id)
    ]
    assert StripePayment.objects.get().payment_intent_id == intent_id


def test_stripe_down_while_paying_leaves_no_hold_after_the_heal(
    client, order, settings
):
    # given: the bank asked for 3-D Secure, then Stripe went away
    helpers.pay(client, helpers.CARD_3DS)
    token = helpers.card_token(helpers.CARD_OK)
    base = settings.STRIPE_API_BASE
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    down = client.post(
        helpers.pay_url(order.number), {"method": "card", "payment_method": token}
    )
    settings.STRIPE_API_BASE = base

    # when: the deadline passes and the heal runs
    heal.payments_heal(now=timezone.now() + datetime.timedelta(minutes=16))

    # then
    live = [
        i.id
        for i in stripe_client().v1.payment_intents.list(params={"limit": 100}).data
        if i.status not in ("canceled", "succeeded")
    ]
    assert down.status_code == 503
    assert down.json()["error"].startswith("暂时无法连接支付服务")
    assert live == []
    assert Order.objects.get().status == "cancelled"
    assert [r.num_allocated for r in StockRecord.objects.order_by("id")] == [0, 0]


def test_an_order_past_its_deadline_is_reported_then_released(client, order):
    helpers.pay(client, helpers.CARD_3DS)
    intent_id = StripePayment.objects.get().payment_intent_id
    StripePayment.objects.update(expires_at=timezone.now())

    listed = run()
    healed = run("--heal")

    assert listed == (
        1,
        f"past its deadline, to release: {intent_id} (requires_action) of "
        f"order {order.number} (pending)\n",
    )
    assert healed[0] == 0
    assert Order.objects.get().status == "cancelled"
    assert stripe_client().v1.payment_intents.retrieve(intent_id).status == "canceled"


def test_a_live_intent_of_a_released_order_is_cancelled(order):
    expire(order)
    stray = intent_for(order, helpers.CARD_3DS)

    listed = run()
    healed = run("--heal")

    assert listed == (
        1,
        f"live without an open order, to cancel: {stray.id} "
        f"(requires_action) of order {order.number} (cancelled)\n",
    )
    assert healed[0] == 0
    assert stripe_client().v1.payment_intents.retrieve(stray.id).status == "canceled"


def test_a_payment_for_a_released_order_is_refunded_once(order):
    expire(order)
    late = intent_for(order)

    listed = run()
    healed = run("--heal")
    again = run("--heal")

    assert listed == (
        1,
        f"paid for a released order, to refund: {late.id} (succeeded) of "
        f"order {order.number} (cancelled)\n",
    )
    assert (healed[0], again[0]) == (0, 0)
    assert refunds_of(late.id) == [(late.id, 8000)]
    assert Order.objects.get().status == "cancelled"
    assert LedgerEntry.objects.count() == 0


def test_a_succeeded_webhook_for_a_released_order_is_refunded_once(
    order, django_capture_on_commit_callbacks
):
    expire(order)
    late = intent_for(order)

    def succeeded(event_id):
        payload = json.dumps(
            {
                "id": event_id,
                "object": "event",
                "type": "payment_intent.succeeded",
                "created": int(time.time()),
                "data": {
                    "object": {
                        "id": late.id,
                        "object": "payment_intent",
                        "metadata": {"order_number": order.number},
                    }
                },
            }
        )
        with django_capture_on_commit_callbacks(execute=True):
            return deliver(payload).status_code

    answers = [succeeded("evt_late_1"), succeeded("evt_late_2")]

    assert answers == [200, 200]
    assert refunds_of(late.id) == [(late.id, 8000)]
    assert Order.objects.get().status == "cancelled"
    assert run() == (0, "All 1 orders and 1 payments reconcile.\n")


def test_an_authorised_order_of_the_old_model_is_captured_and_paid(order):
    Order.objects.update(status="authorised")
    held = intent_for(order, capture_method="manual")
    StripePayment.objects.update(
        payment_intent_id=held.id, status="requires_capture", expires_at=None
    )

    listed = run()
    healed = run("--heal")

    assert listed == (
        1,
        f"authorised, to capture and mark paid: {held.id} (requires_capture) of order "
        f"{order.number} (authorised)\n",
    )
    assert healed[0] == 0
    assert stripe_client().v1.payment_intents.retrieve(held.id).status == "succeeded"
    assert Order.objects.get().status == "paid"
    assert LedgerEntry.objects.count() == 2


def test_a_second_payment_of_a_paid_order_is_refunded(client, order):
    helpers.pay(client)
    twice = intent_for(order)

    code, _out = run("--heal")

    assert code == 0
    assert refunds_of(twice.id) == [(twice.id, 8000)]
    assert Order.objects.get().status == "paid"
    assert LedgerEntry.objects.count() == 2


def test_a_heal_that_cannot_reach_stripe_exits_2_and_changes_nothing(
    client, order, settings
):
    helpers.pay(client, helpers.CARD_3DS)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    StripePayment.objects.update(expires_at=timezone.now())

    code, _out = run("--heal")

    assert code == 2
    assert Order.objects.get().status == "pending"
    assert PaymentRepair.objects.count() == 0
