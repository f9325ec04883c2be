"""Checkout's first step: a guest gives his mobile number, the e-mail address
is optional, and the number stays with the order for his SMS sign-in."""

import logging

import pytest
from django.core import mail
from django.test import Client
from oscar.core.loading import get_model

from storefront.accounts.models import OrderPhone
from tests.storefront.accounts.helpers import NUMBER, last_code
from tests.storefront.checkout import helpers

Order = get_model("order", "Order")

pytestmark = pytest.mark.usefixtures("stripe_settings")


@pytest.fixture
def shop(pages):
    return helpers.two_households()


def buy_as_guest(client, products, gateway):
    for product in products:
        helpers.add_to_basket(client, product)
    response = client.post("/shop/checkout/", {"options": "anonymous", **gateway})
    assert response.status_code == 302, response.content.decode()[:2000]
    client.post("/shop/checkout/shipping-address/", helpers.ADDRESS)
    client.post("/shop/checkout/shipping-method/", {"method_code": "parcel-delivery"})
    helpers.buy(client)
    client.get("/shop/checkout/thank-you/")  # where the pay page sends him
    return Order.objects.get()


def test_the_gateway_asks_for_the_mobile_number_first(client, shop):
    helpers.add_to_basket(client, shop[0])

    html = client.get("/shop/checkout/").content.decode()

    assert '<h1 class="checkout-title">您的手机号码</h1>' in html
    assert html.index('name="phone"') < html.index('name="username"')
    assert "我的电子邮件地址（选填）" in html
    assert 'href="/accounts/phone/?next=/shop/checkout/"' in html
    assert "oscar.checkout.gateway.init" not in html


def test_a_guest_with_a_number_and_no_e_mail_buys_and_the_order_keeps_it(
    client, shop, caplog
):
    # given
    caplog.set_level(logging.INFO)

    # when
    order = buy_as_guest(client, shop, {"phone": "+86 138 1234 5678"})

    # then: his number (not the recipient's on the address) is the order's
    assert (order.status, order.guest_email, order.user) == ("paid", "", None)
    assert OrderPhone.objects.get(order=order).phone == NUMBER
    assert client.get("/shop/checkout/thank-you/").status_code == 200
    assert mail.outbox == []  # no address to send the receipt to
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "13812345678" not in logged


def test_a_guest_may_give_both(client, shop):
    order = buy_as_guest(
        client, shop, {"phone": "13812345678", "username": "buyer@example.com"}
    )

    assert order.guest_email == "buyer@example.com"
    assert OrderPhone.objects.get(order=order).phone == NUMBER
    assert [m.to for m in mail.outbox] == [["buyer@example.com"]]


def test_a_guest_must_give_a_number_or_an_address(client, shop):
    helpers.add_to_basket(client, shop[0])

    response = client.post("/shop/checkout/", {"options": "anonymous"})

    assert response.status_code == 200
    assert "请填写您的手机号码。" in response.content.decode()
    page = client.get("/shop/checkout/shipping-address/")
    assert (page.status_code, page["Location"]) == (302, "/shop/checkout/")


def test_a_number_outside_the_mainland_is_refused_at_the_gateway(client, shop):
    helpers.add_to_basket(client, shop[0])

    response = client.post(
        "/shop/checkout/", {"options": "anonymous", "phone": "+1 202 555 0100"}
    )

    assert response.status_code == 200
    assert "请填写中国大陆手机号码，例如 13912345678。" in response.content.decode()


def test_the_guest_order_shows_in_my_orders_after_sms_sign_in(
    client, shop, django_capture_on_commit_callbacks
):
    # given: a guest order placed with his number
    order = buy_as_guest(client, shop, {"phone": "13812345678"})

    # when: later, on another phone, he signs in by SMS code
    later = Client()
    with django_capture_on_commit_callbacks(execute=True):
        later.post("/accounts/phone/", {"action": "send", "phone": "13812345678"})
    later.post("/accounts/phone/", {"action": "verify", "code": last_code()})

    # then
    html = later.get("/shop/accounts/orders/").content.decode()
    assert order.number in html
    detail = later.get(f"/shop/accounts/orders/{order.number}/")
    assert detail.status_code == 200


def test_a_signed_in_buyer_s_number_goes_with_his_order(client, shop):
    from django.contrib.auth import get_user_model

    buyer = get_user_model().objects.create_user(
        username="m-buyer", phone=NUMBER.as_e164
    )
    client.force_login(buyer)

    helpers.checkout_to_payment(client, *shop)
    helpers.buy(client)

    order = Order.objects.get()
    assert (order.user, OrderPhone.objects.get(order=order).phone) == (buyer, NUMBER)
