"""Drive Oscar's checkout through the test client, as a phone buyer would."""

import re
from decimal import Decimal

import requests
from django.conf import settings
from django.core import mail
from django.core.signing import Signer
from django.test import Client
from oscar.core.loading import get_model

from storefront.checkout.stripe_api import stripe_client
from tests import factories

Basket = get_model("basket", "Basket")

CARD_OK = "4242424242424242"
CARD_DECLINED = "4000000000000341"
CARD_3DS = "4000002760003184"

ADDRESS = {
    "province": "500000",
    "city": "500000",
    "district": "500157",
    "line1": "龙塔街道新牌坊一路88号",
    "first_name": "张三",
    "phone_number": "13912345678",
}


def two_households():
    """草鱼 from 罗大哥 (¥15) and 土鸡蛋 from 王阿姨 (¥45), each with stock."""
    luo = factories.household_create(slug="luo", public_name="罗大哥")
    wang = factories.household_create(slug="wang", public_name="王阿姨")
    fish = factories.product_create(
        household=luo, title="草鱼", price=Decimal("15.00"), num_in_stock=10
    )
    eggs = factories.product_create(
        household=wang,
        title="土鸡蛋",
        price=Decimal("45.00"),
        num_in_stock=10,
        unit="盒",
        category="禽蛋",
    )
    return fish, eggs


def add_to_basket(client, product, quantity=1, **fields):
    return client.post(
        f"/shop/basket/add/{product.pk}/", {"quantity": quantity, **fields}
    )


def checkout_to_payment(client, *products, method="parcel-delivery", phone=""):
    """Basket → guest e-mail (and mobile) → address → shipping method; on the
    pay page."""
    for product in products:
        add_to_basket(client, product)
    gateway = {"username": "buyer@example.com", "options": "anonymous"}
    client.post("/shop/checkout/", {**gateway, "phone": phone} if phone else gateway)
    response = client.post("/shop/checkout/shipping-address/", ADDRESS)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.post("/shop/checkout/shipping-method/", {"method_code": method})
    page = client.get("/shop/checkout/payment-details/")
    assert page.status_code == 200, page
    return page


def card_token(number: str) -> str:
    """What the browser's Stripe.js gives the page: a card id for the number."""
    token = stripe_client().v1.tokens.create(
        params={
            "card": {"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123"}
        }
    )
    return token.card.id


def placed_number(client) -> str:
    """The number of the order this client placed last."""
    order_id = client.session["checkout_order_id"]
    return get_model("order", "Order").objects.get(pk=order_id).number


def pay_url(number: str, what: str = "intent") -> str:
    return f"/shop/checkout/orders/{number}/pay/{what}/"


def pay(client, number: str = CARD_OK, order_number: str | None = None):
    """Pay the order just placed (or `order_number`) by card, as the pay page
    does: Stripe.js tokenises the card, the page posts it."""
    order_number = order_number or placed_number(client)
    return client.post(
        pay_url(order_number),
        {"method": "card", "payment_method": card_token(number)},
    )


def pay_with(client, method: str, order_number: str | None = None):
    """Pay the order just placed with a wallet (wechat_pay or alipay)."""
    order_number = order_number or placed_number(client)
    return client.post(pay_url(order_number), {"method": method})


def authenticate_3ds(client_secret: str, intent_id: str, success: bool) -> None:
    """The buyer's answer to the 3-D Secure challenge (localstripe's endpoint)."""
    requests.post(
        f"{settings.STRIPE_API_BASE}/v1/payment_intents/{intent_id}/_authenticate",
        data={
            "client_secret": client_secret,
            "success": "true" if success else "false",
            "key": settings.STRIPE_PUBLISHABLE_KEY,
        },
        timeout=10,
    ).raise_for_status()


def place_order(client):
    """Submit the order ("提交订单"): placed awaiting payment, on its pay page."""
    return client.post("/shop/checkout/preview/", {"action": "place_order"})


def buy(client, number: str = CARD_OK):
    """Submit the order and pay it by card; the payment's answer."""
    place_order(client)
    return pay(client, number)


def client_basket(client):
    """The client's open basket as Oscar's middleware finds it: a guest's by
    its signed cookie, a signed-in buyer's by owner; None if he has none (the
    basket page itself may come from the cache, without a template context)."""
    cookie = client.cookies.get(settings.OSCAR_BASKET_COOKIE_OPEN)
    if cookie is not None and cookie.value:
        found = Basket.open.filter(pk=Signer().unsign(cookie.value), owner=None)
    elif "_auth_user_id" in client.session:
        found = Basket.open.filter(owner_id=client.session["_auth_user_id"])
    else:
        return None
    return found.first()


def basket_lines(client):
    assert client.get("/shop/basket/").status_code == 200
    basket = client_basket(client)
    if basket is None:
        return []
    return [(line.product.title, line.quantity) for line in basket.all_lines()]


# The guest's own mobile number; the recipient's on ADDRESS is another.
BUYER_PHONE = "13812345678"


def guest_buyer_path(client, *products) -> dict[str, str]:
    """Every page a guest buyer sees, from the catalogue to his order's status,
    looked up by number and mobile (a wrong mobile first) and through the
    link in his e-mail: {page: html}."""
    pages = {
        "home": client.get("/"),
        "catalogue": client.get("/shop/catalogue/"),
        "product": client.get(products[0].get_absolute_url()),
    }
    page = checkout_to_payment(client, *products, phone=BUYER_PHONE)
    pages["basket"] = client.get("/shop/basket/")
    pages["gateway"] = client.get("/shop/checkout/")
    pages["address"] = client.get("/shop/checkout/shipping-address/")
    pages["review"] = page
    place_order(client)
    pages["payment"] = client.get(f"/shop/checkout/orders/{placed_number(client)}/pay/")
    pay(client)
    pages["thank-you"] = client.get("/shop/checkout/thank-you/")
    link = re.search(
        r"https?://[^/\s]+(/shop/accounts/order-status/\S+)", mail.outbox[-1].body
    )
    number = get_model("order", "Order").objects.get().number
    guest = Client()  # later, in another browser
    pages["order-lookup"] = guest.get("/orders/lookup/")
    pages["order-not-found"] = guest.post(
        "/orders/lookup/", {"number": number, "phone": "13800000000"}
    )
    found = guest.post("/orders/lookup/", {"number": number, "phone": BUYER_PHONE})
    assert found["Location"] == link.group(1)
    pages["order-status"] = Client().get(link.group(1))  # opened from the e-mail
    assert {name: r.status_code for name, r in pages.items()} == dict.fromkeys(
        pages, 200
    )
    return {name: response.content.decode() for name, response in pages.items()}


def parcel_states(html: str) -> dict[str, str]:
    """{household's public name: its parcel's state} on a buyer's order page."""
    return dict(
        re.findall(
            r'<strong>([^<]*)</strong>\s*<span class="parcel-item__stage">([^<]*)<',
            html,
        )
    )
