"""reconcile_payments finds money without an order and orders without money."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from storefront.checkout.payments import stripe_client
from tests.storefront.checkout import helpers

pytestmark = pytest.mark.usefixtures("stripe_settings")


def run():
    from io import StringIO

    out = StringIO()
    try:
        call_command("reconcile_payments", stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


def test_everything_paid_reconciles(client, db, clean_stripe):
    fish, eggs = helpers.two_households()
    helpers.checkout_to_payment(client, fish, eggs)
    helpers.authorize(client)
    helpers.place_order(client)

    code, out = run()

    assert code == 0
    assert out == "All 1 orders and 1 payments reconcile.\n"


def test_an_authorised_payment_without_an_order_is_reported(client, db, clean_stripe):
    fish, eggs = helpers.two_households()
    helpers.checkout_to_payment(client, fish, eggs)
    helpers.authorize(client)  # the buyer never placed the order
    intent = stripe_client().v1.payment_intents.list(params={"limit": 1}).data[0]

    code, out = run()

    assert code == 1
    assert out == (
        f"payment without order: {intent.id} (requires_capture) "
        f"for order {intent.metadata['order_number']}\n"
    )


def test_an_order_whose_capture_failed_is_reported(
    client, db, clean_stripe, monkeypatch
):
    # A network failure exactly at capture cannot be staged with localstripe.
    from storefront.checkout import payments

    def unreachable(**kwargs):
        raise payments.PaymentUnavailable("down")

    fish, eggs = helpers.two_households()
    helpers.checkout_to_payment(client, fish, eggs)
    helpers.authorize(client)
    monkeypatch.setattr(payments, "payment_capture", unreachable)
    response = helpers.place_order(client)
    monkeypatch.undo()

    code, out = run()

    assert response.status_code == 302  # the order stands, authorised
    lines = out.splitlines()
    assert code == 1
    assert lines[0].startswith("payment without order") is False
    assert lines == [
        f"order without captured payment: {100000 + 1} (payment: requires_capture)"
    ] or lines[-1].startswith("order without captured payment:")
