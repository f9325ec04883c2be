"""The webhook: verified on the raw body, each event once, never backwards."""

import json
import time

import pytest
import stripe
from django.test import Client

from storefront.checkout.models import PaymentStatus, StripeEvent, StripePayment

URL = "/shop/checkout/stripe/webhook/"
SECRET = "whsec_test_bangfu"


@pytest.fixture
def payment(db, stripe_settings):
    return StripePayment.objects.create(
        order_number="100001",
        payment_intent_id="pi_test_1",
        amount_fen=8000,
        status=PaymentStatus.REQUIRES_CAPTURE,
    )


def event(event_id, event_type, created, intent="pi_test_1"):
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": event_type,
            "created": created,
            "data": {"object": {"id": intent, "object": "payment_intent"}},
        }
    )


def deliver(payload, secret=SECRET, timestamp=None):
    header = stripe.WebhookSignature.generate_signature_header(
        payload, secret, timestamp=timestamp or int(time.time())
    )
    return Client().post(
        URL, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )


def test_an_event_delivered_100_times_changes_the_payment_once(payment):
    payload = event("evt_1", "payment_intent.succeeded", int(time.time()))

    answers = {deliver(payload).status_code for _ in range(100)}

    payment.refresh_from_db()
    assert answers == {200}
    assert payment.status == PaymentStatus.SUCCEEDED
    assert StripeEvent.objects.filter(id="evt_1").count() == 1
    assert StripeEvent.objects.filter(changed_status=True).count() == 1


def test_an_older_event_arriving_late_cannot_move_a_payment_back(payment):
    now = int(time.time())
    deliver(event("evt_2", "payment_intent.succeeded", now))

    late = deliver(event("evt_1", "payment_intent.payment_failed", now - 60))

    payment.refresh_from_db()
    assert late.status_code == 200
    assert payment.status == PaymentStatus.SUCCEEDED
    assert list(
        StripeEvent.objects.order_by("id").values_list("id", "changed_status")
    ) == [
        ("evt_1", False),
        ("evt_2", True),
    ]


def test_cancelled_is_final_too(payment):
    deliver(event("evt_1", "payment_intent.canceled", int(time.time())))
    deliver(event("evt_2", "payment_intent.succeeded", int(time.time())))

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELED


def test_a_bad_signature_is_refused_and_changes_nothing(payment):
    response = deliver(
        event("evt_1", "payment_intent.succeeded", int(time.time())), secret="whsec_x"
    )

    payment.refresh_from_db()
    assert response.status_code == 400
    assert payment.status == PaymentStatus.REQUIRES_CAPTURE
    assert StripeEvent.objects.count() == 0


def test_a_stale_timestamp_is_refused(payment):
    response = deliver(
        event("evt_1", "payment_intent.succeeded", int(time.time())),
        timestamp=int(time.time()) - 3600,
    )

    payment.refresh_from_db()
    assert response.status_code == 400
    assert payment.status == PaymentStatus.REQUIRES_CAPTURE


def test_a_tampered_body_is_refused(payment):
    payload = event("evt_1", "payment_intent.canceled", int(time.time()))
    header = stripe.WebhookSignature.generate_signature_header(
        payload, SECRET, timestamp=int(time.time())
    )
    tampered = payload.replace("canceled", "succeeded")

    response = Client().post(
        URL, tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )

    assert response.status_code == 400


def test_unknown_types_are_answered_200_and_recorded(payment):
    response = deliver(
        json.dumps(
            {
                "id": "evt_9",
                "object": "event",
                "type": "customer.created",
                "created": int(time.time()),
                "data": {"object": {"id": "cus_1", "object": "customer"}},
            }
        )
    )

    payment.refresh_from_db()
    assert response.status_code == 200
    assert payment.status == PaymentStatus.REQUIRES_CAPTURE
    assert StripeEvent.objects.get().type == "customer.created"


def test_get_is_not_allowed(db):
    assert Client().get(URL).status_code == 405


def test_succeeded_event_marks_an_authorised_order_paid(
    payment, django_capture_on_commit_callbacks
):
    # given: an order whose capture answer never came back
    from oscar.apps.partner.strategy import Selector
    from oscar.core.loading import get_model
    from oscar.test.factories import create_order

    from tests import factories

    household = factories.household_create(slug="luo")
    basket = get_model("basket", "Basket").objects.create()
    basket.strategy = Selector().strategy()
    basket.add_product(factories.product_create(household=household), 1)
    order = create_order(number="100001", basket=basket, status="authorised")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        deliver(event("evt_1", "payment_intent.succeeded", int(time.time())))

    # then
    order.refresh_from_db()
    assert order.status == "paid"


def test_no_webhook_secret_refuses_every_event(payment, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""

    response = deliver(
        event("evt_1", "payment_intent.succeeded", int(time.time())), secret=""
    )

    payment.refresh_from_db()
    assert response.status_code == 400
    assert payment.status == PaymentStatus.REQUIRES_CAPTURE
