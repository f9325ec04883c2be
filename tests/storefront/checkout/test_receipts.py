"""The receipt goes once, whichever route marked the order paid: the pay
page, its status poll, the return from a bank or Alipay, Stripe's webhook, the
heal; by SMS to a buyer without e-mail; never for an order not paid."""

import json
import logging
import time
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from oscar.core.loading import get_model

from sellers.models import LedgerEntry, SmsMessage
from storefront.checkout import heal, payments, receipts
from storefront.checkout.models import StripePayment
from storefront.checkout.stripe_api import stripe_client
from tests.storefront.accounts.helpers import NUMBER
from tests.storefront.checkout import helpers
from tests.storefront.checkout.test_purchase import BrokenMailServer
from tests.storefront.checkout.test_webhook import deliver

Order = get_model("order", "Order")

pytestmark = pytest.mark.usefixtures("stripe_settings", "clean_stripe")

SITE = "https://bangfu.example"


@pytest.fixture(autouse=True)
def site(settings):
    settings.WAGTAILADMIN_BASE_URL = SITE


@pytest.fixture
def order(client, pages):
    """An order of 罗大哥's fish and 王阿姨's eggs (¥80), placed awaiting payment
    by a guest who gave buyer@example.com."""
    helpers.checkout_to_payment(client, *helpers.two_households())
    helpers.place_order(client)
    return Order.objects.get()


def paid_at_stripe(order):
    """The buyer paid (his WeChat closed before the store heard of it)."""
    return stripe_client().v1.payment_intents.create(
        params={
            "amount": 8000,
            "currency": "cny",
            "payment_method": helpers.card_token(helpers.CARD_OK),
            "confirm": True,
            "metadata": {"order_number": order.number},
        }
    )


def succeeded(order, intent_id, event_id="evt_paid_1"):
    """Stripe's payment_intent.succeeded for the intent, signed."""
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": "payment_intent.succeeded",
            "created": int(time.time()),
            "data": {
                "object": {
                    "id": intent_id,
                    "object": "payment_intent",
                    "metadata": {"order_number": order.number},
                }
            },
        }
    )


def receipts_sent():
    return [(m.to, m.subject) for m in mail.outbox]


def test_the_pay_page_sends_the_receipt_and_the_thank_you_page_not_again(
    client, order, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        helpers.pay(client)
    sent = receipts_sent()
    page = client.get("/shop/checkout/thank-you/")

    # then
    assert sent == [(["buyer@example.com"], f"确认订单{order.number}")]
    assert page.status_code == 200
    assert receipts_sent() == sent
    assert StripePayment.objects.get().receipt_sent_at is not None


@pytest.mark.parametrize("route", ["status", "return"])
def test_the_status_poll_and_the_return_send_the_receipt(
    client, order, route, django_capture_on_commit_callbacks
):
    # given: the card asked for 3-D Secure, which the buyer passed
    answer = helpers.pay(client, helpers.CARD_3DS).json()
    intent_id = StripePayment.objects.get().payment_intent_id
    helpers.authenticate_3ds(answer["client_secret"], intent_id, True)

    # when: the pay page polls, or the bank sends him back
    with django_capture_on_commit_callbacks(execute=True):
        client.get(helpers.pay_url(order.number, route))

    # then
    assert Order.objects.get().status == "paid"
    assert receipts_sent() == [(["buyer@example.com"], f"确认订单{order.number}")]


def test_the_webhook_alone_sends_the_receipt_once(
    order, django_capture_on_commit_callbacks
):
    # given: the buyer paid and closed WeChat; he never reaches the thank-you page
    intent = paid_at_stripe(order)

    # when: Stripe's event arrives, and again
    for event_id in ("evt_paid_1", "evt_paid_2"):
        with django_capture_on_commit_callbacks(execute=True):
            assert deliver(succeeded(order, intent.id, event_id)).status_code == 200

    # then
    [receipt] = mail.outbox
    assert Order.objects.get().status == "paid"
    assert receipt.to == ["buyer@example.com"]
    link = f"{SITE}/shop/accounts/order-status/{order.number}/"
    assert f"{link}{order.verification_hash()}/" in receipt.body
    assert "罗大哥" in receipt.body and "¥80.00" in receipt.body


@pytest.mark.parametrize("how", ["task", "command"])
def test_the_heal_alone_sends_the_receipt_once(
    order, how, django_capture_on_commit_callbacks
):
    # given: paid at Stripe, the webhook lost
    paid_at_stripe(order)

    # when: the periodic heal, or reconcile_payments --heal, finds it (twice)
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            if how == "task":
                heal.payments_heal()
            else:
                call_command("reconcile_payments", "--heal", stdout=StringIO())

    # then
    assert Order.objects.get().status == "paid"
    assert receipts_sent() == [(["buyer@example.com"], f"确认订单{order.number}")]


def test_a_buyer_without_e_mail_gets_the_receipt_by_sms(
    client, pages, django_capture_on_commit_callbacks
):
    # given: a guest who gave his mobile number only
    for product in helpers.two_households():
        helpers.add_to_basket(client, product)
    client.post("/shop/checkout/", {"options": "anonymous", "phone": "13812345678"})
    client.post("/shop/checkout/shipping-address/", helpers.ADDRESS)
    client.post("/shop/checkout/shipping-method/", {"method_code": "parcel-delivery"})
    helpers.place_order(client)
    order = Order.objects.get()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        helpers.pay(client)
    client.get("/shop/checkout/thank-you/")

    # then
    path = f"shop/accounts/order-status/{order.number}/{order.verification_hash()}/"
    assert mail.outbox == []
    assert list(SmsMessage.objects.values_list("phone", "event", "text")) == [
        (
            NUMBER.as_e164,
            "order_receipt",
            f"【帮扶集市】谢谢！您的订单 {order.number}（¥80.00）已付款，"
            f"每户农户各自打包发货。查看订单：{SITE}/{path}",
        )
    ]


def test_an_order_not_paid_gets_no_receipt(client, order):
    # when: asked while it awaits payment, then once it is released
    pending = receipts.receipt_send_once(order_number=order.number)
    StripePayment.objects.update(expires_at=timezone.now())
    payments.order_expire(order_number=order.number)
    released = receipts.receipt_send_once(order_number=order.number)
    page = client.get(f"/shop/checkout/orders/{order.number}/pay/")

    # then
    assert (pending, released) == (False, False)
    assert page.status_code == 200
    assert mail.outbox == []
    assert SmsMessage.objects.count() == 0
    assert StripePayment.objects.get().receipt_sent_at is None


def test_a_mail_server_that_is_down_keeps_the_payment_and_sends_later(
    client, order, settings, caplog, django_capture_on_commit_callbacks
):
    # given: the mail server is down while the buyer pays
    settings.EMAIL_BACKEND = f"{BrokenMailServer.__module__}.BrokenMailServer"

    # when
    with django_capture_on_commit_callbacks(execute=True):
        paid = helpers.pay(client)

    # then: paid, credited, no receipt, and the claim given back
    payment = StripePayment.objects.get()
    intent = stripe_client().v1.payment_intents.retrieve(payment.payment_intent_id)
    assert paid.json()["status"] == "succeeded"
    assert (Order.objects.get().status, intent.status) == ("paid", "succeeded")
    assert LedgerEntry.objects.filter(parcel__order=order).count() == 2
    assert mail.outbox == []
    assert payment.receipt_sent_at is None
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [
        f"Order #{order.number}: the receipt was not sent: ConnectionRefusedError"
    ]

    # when: the server is back and the buyer reaches the thank-you page
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.get("/shop/checkout/thank-you/")
    client.get("/shop/checkout/thank-you/")

    # then: sent, once
    assert receipts_sent() == [(["buyer@example.com"], f"确认订单{order.number}")]
