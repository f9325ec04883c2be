"""Paid orders from several households, paid through localstripe."""

import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from oscar.apps.partner.strategy import Default
from oscar.core.loading import get_model
from oscar.test.factories import create_order

from sellers import services
from storefront.checkout import payments
from storefront.shipping.methods import ParcelDelivery
from tests import factories
from tests.storefront.checkout.helpers import CARD_OK, card_token

Basket = get_model("basket", "Basket")
ShippingAddress = get_model("order", "ShippingAddress")
User = get_user_model()

_numbers = itertools.count(1)


def social_worker(email: str, *households):
    """A social worker with dashboard access and these households in his caseload."""
    from django.contrib.auth.models import Permission

    user = User.objects.create_user(
        username=email, email=email, password="pw-social-2026"
    )
    user.user_permissions.add(Permission.objects.get(codename="dashboard_access"))
    for household in households:
        services.caseload_assign(household=household, social_worker=user)
    return user


def three_households(organisation=None):
    """罗大哥's fish (¥15), 王阿姨's eggs (¥45), 陈叔's bacon (¥120), 100 of each."""
    organisation = organisation or factories.OrganisationFactory()
    rows = [
        ("luo", "罗大哥", "草鱼", "15.00"),
        ("wang", "王阿姨", "土鸡蛋", "45.00"),
        ("chen", "陈叔", "腊肉", "120.00"),
    ]
    products = []
    for slug, name, title, price in rows:
        household = factories.household_create(
            organisation=organisation, slug=slug, public_name=name
        )
        products.append(
            factories.product_create(
                household=household, title=title, price=Decimal(price)
            )
        )
    return products


def place_order(*items, email: str = "buyer@example.com", method=None):
    """An order of (product, quantity) items, placed as the checkout places it
    (order_placed routes it into parcels); not yet paid."""
    basket = Basket.objects.create()
    basket.strategy = Default()
    for product, quantity in items:
        basket.add_product(product, quantity)
    return create_order(
        number=f"T{next(_numbers):06d}-{basket.pk}",
        basket=basket,
        shipping_method=method or ParcelDelivery(),
        shipping_address=ShippingAddress.objects.create(
            first_name="张三",
            phone_number="+8613912345678",
            state="重庆市",
            line4="重庆市",
            line3="渝北区",
            line1="龙塔街道新牌坊一路88号",
            country_id="CN",
        ),
        guest_email=email,
    )


def pay(order):
    """Authorise and capture the order's total in localstripe, as checkout does."""
    payment, _secret = payments.payment_authorize(
        order_number=order.number,
        amount=order.total_incl_tax,
        payment_method=card_token(CARD_OK),
    )
    payments.payment_capture(payment=payment)
    order.refresh_from_db()
    return order


def paid_order(*items, **kwargs):
    return pay(place_order(*items, **kwargs))


class BrokenEmailBackend:
    """A mail server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")
