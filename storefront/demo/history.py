"""The demo store's sales history: four months of orders, parcels shipped
and delivered, a few cancelled or partly refunded, and monthly payouts.

Every figure is written through the store's own services (the checkout's
order creator and routing, its payment by card through Stripe against the
local Stripe-compatible server, parcel and payout services) with the clock
pinned to the moment each thing happened (sellers.clock), so the ledger,
the bureau's report and reconcile_ledger agree as they do on real sales.

It is demo data and says so: order numbers start with DEMO-, buyers are
demo-buyer-NN@example.invalid, and nobody is e-mailed while it is written.
"""

import datetime
import io
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F
from django.test import override_settings
from django.utils import timezone
from oscar.apps.partner.strategy import Default
from oscar.core.loading import get_model
from PIL import Image

from sellers import clock
from sellers.fulfilment.services import (
    parcel_cancel,
    parcel_mark_delivered,
    parcel_mark_shipped,
)
from sellers.ledger.selectors import ledger_balance
from sellers.ledger.services import payout_record
from sellers.models import Household, Parcel, PayoutMethod, Settlement
from sellers.reporting.periods import months_back
from storefront.checkout import payments, stripe_api
from storefront.checkout.models import StripePayment
from storefront.checkout.statuses import OrderStatus
from storefront.checkout.stock import GuardedOrderCreator
from storefront.shipping.methods import ParcelDelivery

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
StockRecord = get_model("partner", "StockRecord")

DEMO_PREFIX = settings.BANGFU_DEMO_ORDER_PREFIX
SHANGHAI = ZoneInfo("Asia/Shanghai")
MONTHS = 4
# The buyers' districts: where the parcels went.
DISTRICTS = [
    ("渝北区", "龙塔街道新牌坊一路"),
    ("江北区", "观音桥步行街"),
    ("南岸区", "南坪东路"),
]


def history_exists() -> bool:
    return Order.objects.filter(number__startswith=DEMO_PREFIX).exists()


def history_load(
    *, today: datetime.date, workers: dict, months: int = MONTHS, seed: int = 2026
) -> dict:
    """Orders on most days from the first day of the month `months` before
    `today` to yesterday; `workers` maps a household's id to the social
    worker who ships and pays it. Returns counts of what was written."""
    rng = random.Random(seed)
    households = list(
        Household.objects.filter(partner__stockrecords__isnull=False)
        .distinct()
        .order_by("pk")
    )
    start = months_back(today.replace(day=1), months)
    card = _card()
    counts = {"orders": 0, "cancelled": 0, "part_refunded": 0, "payouts": 0}
    # Nobody is told about demo orders (the buyers are not real): notices
    # go out on commit, so the transaction commits inside the override.
    with override_settings(BANGFU_NOTIFICATION_CHANNELS=[]), transaction.atomic():
        day = start
        while day < today:
            if day.day in (5, 6) and day > start:
                counts["payouts"] += _pay_households(day, households, workers, rng)
            for _n in range(rng.choice((0, 1, 1, 2, 3))):
                order = _order(day, rng, households, card, counts["orders"] + 1)
                counts["orders"] += 1
                outcome = _fulfil(order, rng, workers, today)
                if outcome:
                    counts[outcome] += 1
            day += datetime.timedelta(days=1)
    return counts


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI
    )


def _card() -> str:
    """The local Stripe server's test card, as Stripe.js would tokenise it."""
    token = stripe_api.stripe_client().v1.tokens.create(
        params={
            "card": {
                "number": "4242424242424242",
                "exp_month": 12,
                "exp_year": 2035,
                "cvc": "123",
            }
        }
    )
    return token.card.id


def _order(day, rng, households, card, number):
    """A paid order of one to three households' produce, placed at a time
    of that day through the checkout's own creator and Stripe."""
    moment = _at(day, rng.randint(8, 21), rng.randint(0, 59))
    basket = Basket.objects.create()
    basket.strategy = Default()
    for household in rng.sample(households, rng.choice((1, 1, 2, 3))):
        # Pre-orders have a season of their own (demo/preorders.py).
        record = rng.choice(
            list(
                household.partner.stockrecords.filter(
                    product__harvest_offer__isnull=True
                )
            )
        )
        quantity = rng.choice((1, 1, 2, 3))
        # Sold from that day's harvest: stock grows by what is sold, so the
        # store's stock today is what the demo lists.
        StockRecord.objects.filter(pk=record.pk).update(
            num_in_stock=F("num_in_stock") + quantity
        )
        basket.add_product(record.product, quantity)
    district, street = rng.choice(DISTRICTS)
    method = ParcelDelivery()
    with clock.pinned(moment):
        order = GuardedOrderCreator().place_order(
            order_number=f"{DEMO_PREFIX}{day:%Y%m%d}-{number:03d}",
            basket=basket,
            user=None,
            shipping_address=ShippingAddress.objects.create(
                first_name=f"演示买家{number % 25 + 1}",
                phone_number="+8613800000000",
                state="重庆市",
                line4="重庆市",
                line3=district,
                line1=f"{street}{rng.randint(1, 200)}号",
                country_id="CN",
            ),
            shipping_method=method,
            shipping_charge=method.calculate(basket),
            total=_total(basket, method),
            guest_email=f"demo-buyer-{number % 25 + 1:02d}@example.invalid",
            status=OrderStatus.PENDING,
            date_placed=moment,
        )
        basket.submit()
        payment = payments.payment_open(order=order)
        # The demo's buyers are not real: their receipts count as sent.
        StripePayment.objects.filter(pk=payment.pk).update(receipt_sent_at=moment)
        payments.payment_pay(
            order_number=order.number, method_type="card", payment_method=card
        )
    return order


def _total(basket, method):
    from oscar.apps.checkout.calculators import OrderTotalCalculator

    return OrderTotalCalculator().calculate(basket, method.calculate(basket))


def _fulfil(order, rng, workers, today) -> str:
    """Ship and deliver its parcels over the next days; now and then one the
    household cannot send (cancelled) or one partly refunded."""
    outcome = ""
    for parcel in Parcel.objects.filter(order=order).select_related("household"):
        worker = workers[parcel.household_id]
        placed = timezone.localdate(order.date_placed)
        roll = rng.random()
        if roll < 0.06 and placed + datetime.timedelta(days=1) < today:
            with clock.pinned(_at(placed + datetime.timedelta(days=1), 9)):
                parcel_cancel(
                    parcel=parcel, reason="鱼塘缺氧，这批货发不出", acting_user=worker
                )
            outcome = "cancelled"
            continue
        shipped = placed + datetime.timedelta(days=1)
        delivered = shipped + datetime.timedelta(days=rng.choice((1, 2, 3)))
        if shipped >= today:
            continue
        with clock.pinned(_at(shipped, 10)):
            parcel_mark_shipped(
                parcel=parcel,
                carrier="中国邮政",
                tracking_number=f"DEMO{parcel.pk:08d}",
                acting_user=worker,
            )
        if delivered >= today:
            continue
        with clock.pinned(_at(delivered, 15)):
            parcel_mark_delivered(parcel=parcel, acting_user=worker)
        if roll > 0.97 and parcel.total > Decimal("10.00"):
            with clock.pinned(_at(delivered, 18)):
                parcel_cancel(
                    parcel=parcel,
                    reason="到货有一部分压坏了",
                    settlement=Settlement.PARTIAL,
                    amount=Decimal("5.00"),
                    acting_user=worker,
                )
            outcome = "part_refunded"
    return outcome


def _pay_households(day, households, workers, rng) -> int:
    """On the 5th or 6th, each household's social worker pays it what it is
    owed (half of them on each day), with a photo of the receipt."""
    paid = 0
    for household in households[day.day % 2 :: 2]:
        owed = ledger_balance(household=household)
        if owed <= 0:
            continue
        method = rng.choice((PayoutMethod.BANK, PayoutMethod.WECHAT))
        with clock.pinned(_at(day, 16)):
            payout_record(
                household=household,
                amount=owed,
                method=method,
                reference=f"DEMO-PAY-{day:%Y%m}-{household.pk:03d}",
                paid_on=day,
                proof=_receipt(),
                acting_user=workers[household.pk],
            )
        paid += 1
    return paid


def _receipt() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), "white").save(out, "JPEG")
    return SimpleUploadedFile("receipt.jpg", out.getvalue(), "image/jpeg")
