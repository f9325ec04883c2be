"""Bad input gets a clear message in Chinese and changes nothing."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from storefront.checkout.models import StripePayment
from storefront.checkout.stripe_api import stripe_client
from tests.storefront.checkout import helpers

Order = get_model("order", "Order")

pytestmark = pytest.mark.usefixtures("stripe_settings")


@pytest.fixture
def products(db):
    return helpers.two_households()


@pytest.mark.parametrize("quantity", ["-1", "0", "1000000000", "abc", ""])
def test_impossible_quantities_add_nothing(client, products, quantity):
    fish, _eggs = products

    response = client.post(
        f"/shop/basket/add/{fish.pk}/", {"quantity": quantity}, follow=True
    )

    assert response.status_code == 200
    assert helpers.basket_lines(client) == []
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert messages[0] != ""


def test_more_than_in_stock_is_refused(client, products):
    fish, _eggs = products

    response = client.post(
        f"/shop/basket/add/{fish.pk}/", {"quantity": 11}, follow=True
    )

    assert helpers.basket_lines(client) == []
    assert [str(m) for m in response.context["messages"]] == ["最多可以购买10"]


def test_posted_prices_and_currencies_are_ignored(client, products):
    fish, eggs = products
    client.post(
        f"/shop/basket/add/{fish.pk}/",
        {"quantity": 1, "price": "0.01", "price_currency": "USD", "stockrecord": "999"},
    )
    helpers.checkout_to_payment(client, eggs)

    client.post(
        "/shop/checkout/preview/",
        {"action": "place_order", "order_total": "0.01", "amount_fen": "1"},
    )
    client.post(
        helpers.pay_url(helpers.placed_number(client)),
        {
            "method": "card",
            "payment_method": helpers.card_token(helpers.CARD_OK),
            "amount": "1",
            "currency": "usd",
        },
    )

    order = Order.objects.get()
    intent = stripe_client().v1.payment_intents.retrieve(
        StripePayment.objects.get().payment_intent_id
    )
    assert order.total_incl_tax == Decimal("80.00")
    assert order.currency == "CNY"
    assert (intent.amount, intent.currency, intent.status) == (8000, "cny", "succeeded")
    assert [
        (line.stockrecord.product_id, line.line_price_incl_tax)
        for line in order.lines.order_by("id")
    ] == [(fish.pk, Decimal("15.00")), (eggs.pk, Decimal("45.00"))]


@pytest.mark.parametrize(
    "value", ["", "tok_<script>", "card_", "pm_../../x", "x" * 300]
)
def test_malformed_card_ids_are_refused(client, products, value):
    fish, eggs = products
    helpers.checkout_to_payment(client, fish, eggs)
    helpers.place_order(client)

    response = client.post(
        helpers.pay_url(helpers.placed_number(client)),
        {"method": "card", "payment_method": value},
    )

    assert response.status_code == 400
    assert response.json() == {"error": "银行卡信息不完整。"}
    assert StripePayment.objects.get().payment_intent_id is None


@pytest.mark.parametrize(
    "number", ["12345", "+1 202 555 0100", "02312345678", "1391234567", "手机"]
)
def test_addresses_need_a_mainland_mobile_number(client, products, number):
    fish, _eggs = products
    helpers.add_to_basket(client, fish)
    client.post(
        "/shop/checkout/", {"username": "buyer@example.com", "options": "anonymous"}
    )

    response = client.post(
        "/shop/checkout/shipping-address/", helpers.ADDRESS | {"phone_number": number}
    )

    assert response.status_code == 200
    assert "请填写中国大陆手机号码，例如 13912345678。" in response.content.decode()


def test_a_mainland_number_with_country_code_is_accepted(client, products):
    fish, _eggs = products
    helpers.add_to_basket(client, fish)
    client.post(
        "/shop/checkout/", {"username": "buyer@example.com", "options": "anonymous"}
    )

    response = client.post(
        "/shop/checkout/shipping-address/",
        helpers.ADDRESS | {"phone_number": "+86 139 1234 5678"},
    )

    assert response.status_code == 302


def test_skipping_checkout_steps_is_sent_back(client, products):
    fish, _eggs = products
    helpers.add_to_basket(client, fish)

    pay_page = client.get("/shop/checkout/payment-details/")
    placed = helpers.place_order(client)
    paid = client.post(
        helpers.pay_url("100001"),
        {"method": "card", "payment_method": helpers.card_token(helpers.CARD_OK)},
    )

    assert pay_page.status_code == 302
    assert placed.status_code == 302
    assert pay_page["Location"] == placed["Location"]
    assert paid.status_code == 404
    assert StripePayment.objects.count() == 0
    assert Order.objects.count() == 0


def test_placing_without_paying_leaves_the_order_awaiting_payment(client, products):
    from sellers.models import LedgerEntry

    fish, eggs = products
    helpers.checkout_to_payment(client, fish, eggs)

    response = helpers.place_order(client)

    order = Order.objects.get()
    assert response.status_code == 302
    assert order.status == "pending"
    assert StripePayment.objects.get().payment_intent_id is None
    assert LedgerEntry.objects.count() == 0
