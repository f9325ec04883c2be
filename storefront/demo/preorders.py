"""The demo's pre-order season for the fish households: 罗大哥's grass carp
harvested and weighed (parcels lighter and heavier than estimated, one
buyer refunded the difference), 徐二哥's taking pre-orders for a harvest a
fortnight away. Written through the store's services, like the history."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.apps.partner.strategy import Default
from oscar.core.loading import get_model

from catalog import services as catalog_services
from sellers import clock
from sellers.models import HarvestOffer, Household, Parcel, ParcelLine
from sellers.preorders.services import (
    harvest_offer_create,
    harvest_record_catch,
    parcel_settle_weights,
)
from storefront.checkout import payments
from storefront.checkout.models import StripePayment
from storefront.checkout.statuses import OrderStatus
from storefront.checkout.stock import GuardedOrderCreator
from storefront.shipping.methods import ParcelDelivery

from .history import DEMO_PREFIX, _at, _card, _total
from .images import draw_photo

Basket = get_model("basket", "Basket")
ShippingAddress = get_model("order", "ShippingAddress")

# (household nickname, product title, days from today to the window, pieces
# offered, orders as (pieces, real jin or None while unharvested))
SEASONS = [
    (
        "luo-pond",
        "草鱼（年底出塘预售）",
        -6,
        200,
        [(2, "5.60"), (1, "3.40"), (3, "8.70")],
    ),
    ("xu-pond", "草鱼（春节前出塘预售）", 14, 300, [(2, None), (1, None)]),
]


def preorder_season_exists() -> bool:
    return HarvestOffer.objects.exists()


def preorder_season_load(*, today: datetime.date, workers: dict) -> dict:
    """The seasons of SEASONS; `workers` maps a household's id to its social
    worker. Counts of what was written."""
    card = _card()
    counts = {"offers": 0, "orders": 0, "settled": 0}
    with override_settings(BANGFU_NOTIFICATION_CHANNELS=[]), transaction.atomic():
        for number, (nickname, title, starts_in, capacity, orders) in enumerate(
            SEASONS
        ):
            household = Household.objects.get(nickname=nickname)
            worker = workers[household.pk]
            start = today + datetime.timedelta(days=starts_in)
            offered_on = start - datetime.timedelta(days=30)
            with clock.pinned(_at(offered_on, 9)):
                product = catalog_services.product_list_for_household(
                    household=household,
                    acting_user=worker,
                    title=title,
                    category=create_from_breadcrumbs("鲜鱼"),
                    unit="条",
                    price=Decimal("36.00"),
                    available=capacity,
                    description="塘里的草鱼，出塘后按实际重量结算，多退少补。",
                    photo=ContentFile(
                        draw_photo("fish", 900 + number), name=f"preorder-{number}.jpg"
                    ),
                )
                offer = harvest_offer_create(
                    product=product,
                    window_start=start,
                    window_end=start + datetime.timedelta(days=7),
                    price_per_jin=Decimal("12.00"),
                    jin_per_piece=Decimal("3.00"),
                    capacity=capacity,
                    per_order_limit=5,
                    acting_user=worker,
                )
            counts["offers"] += 1
            parcels = []
            for index, (pieces, _jin) in enumerate(orders):
                day = min(
                    offered_on + datetime.timedelta(days=3 + 4 * index),
                    today - datetime.timedelta(days=1),
                )
                order = _order(day, product, pieces, card, f"P{number}{index:02d}")
                parcels.append(Parcel.objects.get(order=order))
                counts["orders"] += 1
            if start >= today:
                continue
            with clock.pinned(_at(start, 10)):
                harvest_record_catch(
                    offer=offer,
                    pieces=sum(p for p, _j in orders),
                    acting_user=worker,
                )
            for parcel, (_pieces, jin) in zip(parcels, orders, strict=True):
                line = ParcelLine.objects.get(parcel=parcel)
                with clock.pinned(_at(start + datetime.timedelta(days=1), 11)):
                    parcel_settle_weights(
                        parcel=parcel,
                        weights={line.line_id: Decimal(jin)},
                        acting_user=worker,
                    )
                counts["settled"] += 1
    return counts


def _order(day, product, quantity, card, number):
    """A paid pre-order of `quantity` pieces, as the checkout places it."""
    moment = _at(day, 20)
    basket = Basket.objects.create()
    basket.strategy = Default()
    basket.add_product(product, quantity)
    method = ParcelDelivery()
    with clock.pinned(moment):
        order = GuardedOrderCreator().place_order(
            order_number=f"{DEMO_PREFIX}{day:%Y%m%d}-{number}",
            basket=basket,
            user=None,
            shipping_address=ShippingAddress.objects.create(
                first_name="演示买家",
                phone_number="+8613800000000",
                state="重庆市",
                line4="重庆市",
                line3="渝北区",
                line1="龙塔街道新牌坊一路88号",
                country_id="CN",
            ),
            shipping_method=method,
            shipping_charge=method.calculate(basket),
            total=_total(basket, method),
            guest_email="demo-preorder@example.invalid",
            status=OrderStatus.PENDING,
            date_placed=moment,
        )
        basket.submit()
        payment = payments.payment_open(order=order)
        StripePayment.objects.filter(pk=payment.pk).update(receipt_sent_at=moment)
        payments.payment_pay(
            order_number=order.number, method_type="card", payment_method=card
        )
    return order
