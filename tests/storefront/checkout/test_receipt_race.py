"""Stripe's webhook and the buyer's thank-you page ask for the receipt at the
same moment, in real threads: it goes once.

Runs on whichever database the suite runs on: PostgreSQL in CI's second run,
file-based SQLite in the first.
"""

import threading

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model

from storefront.checkout import payments, receipts
from storefront.checkout.models import StripePayment
from tests.storefront.checkout import helpers
from tests.storefront.checkout.test_concurrency import race
from tests.storefront.checkout.test_receipts import succeeded
from tests.storefront.checkout.test_webhook import deliver

Order = get_model("order", "Order")

VISITS = 3  # the thank-you page, reloaded in three tabs

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_data", "stripe_settings", "clean_stripe"),
]


@pytest.fixture
def paid(client, monkeypatch):
    """An order paid on its pay page whose receipt has not gone yet (the
    buyer is on his way to the thank-you page); the buyer's client."""
    helpers.checkout_to_payment(client, *helpers.two_households())
    helpers.place_order(client)
    with monkeypatch.context() as patch:
        patch.setattr(payments, "receipt_schedule", lambda **kwargs: None)
        assert helpers.pay(client).json()["status"] == "succeeded"
    assert StripePayment.objects.get().receipt_sent_at is None
    mail.outbox.clear()
    return client


def check_then(send, between: threading.Barrier):
    """Each asker reads that the receipt has not gone, then all send at once:
    the interleaving a webhook and a reloaded page eventually produce."""

    def ask(*, order_number):
        payment = StripePayment.objects.get(order_number=order_number)
        between.wait()
        return send(order_number=order_number) if not payment.receipt_sent_at else 0

    return ask


def unguarded_send_once(*, order_number):
    receipts.receipt_send(order=Order.objects.get(number=order_number))
    StripePayment.objects.filter(order_number=order_number).update(
        receipt_sent_at=timezone.now()
    )
    return True


def webhook_and_thank_you_pages(buyer):
    """Thread 0 delivers Stripe's succeeded event; the others open the
    thank-you page in the buyer's session."""
    order = Order.objects.get()
    intent_id = StripePayment.objects.get().payment_intent_id
    tabs = []
    for _tab in range(VISITS):
        tab = Client()
        tab.cookies = buyer.cookies
        tabs.append(tab)

    def act(index):
        if index == 0:
            return deliver(succeeded(order, intent_id)).status_code
        return tabs[index - 1].get("/shop/checkout/thank-you/").status_code

    return act


def test_the_webhook_and_the_thank_you_page_race_and_one_receipt_goes(
    paid, monkeypatch
):
    # given: every asker past the check before any sends
    between = threading.Barrier(VISITS + 1, timeout=60)
    monkeypatch.setattr(
        receipts,
        "receipt_send_once",
        check_then(receipts.receipt_send_once, between),
    )

    # when
    answers = race(webhook_and_thank_you_pages(paid), VISITS + 1)

    # then
    assert answers == [200] * (VISITS + 1)
    assert [m.to for m in mail.outbox] == [["buyer@example.com"]]
    assert StripePayment.objects.get().receipt_sent_at is not None


def test_an_unguarded_check_then_send_sends_it_to_every_asker(paid, monkeypatch):
    # The same race against a check-then-send without the guarded UPDATE.
    between = threading.Barrier(VISITS + 1, timeout=60)
    monkeypatch.setattr(
        receipts, "receipt_send_once", check_then(unguarded_send_once, between)
    )

    race(webhook_and_thank_you_pages(paid), VISITS + 1)

    assert [m.to for m in mail.outbox] == [["buyer@example.com"]] * (VISITS + 1)
