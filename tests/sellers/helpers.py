"""Paid orders from several households, paid through localstripe."""

import io
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from oscar.apps.partner.strategy import Default
from oscar.core.loading import get_model
from oscar.test.factories import create_order
from PIL import Image

from sellers.households.services import caseload_assign
from sellers.ledger.services import payout_record
from sellers.models import LedgerEntry, Parcel
from storefront.checkout import payments
from storefront.checkout.models import StripePayment
from storefront.shipping.methods import ParcelDelivery
from tests import factories
from tests.storefront.checkout.helpers import CARD_OK, card_token

Basket = get_model("basket", "Basket")
ShippingAddress = get_model("order", "ShippingAddress")
User = get_user_model()

_numbers = itertools.count(1)


def social_worker(email: str, *households):
    """A social worker (by his role's group) with these households in his caseload."""
    user = User.objects.create_user(
        username=email, email=email, password="pw-social-2026"
    )
    for household in households:
        caseload_assign(household=household, social_worker=user)
    return user


def two_caseloads():
    """Products of 罗大哥, 王阿姨 (social worker A's) and 陈叔 (B's): see
    three_households; returns (products, households, (A, B))."""
    products = three_households()
    luo, wang, chen = (p.stockrecords.get().partner.household for p in products)
    worker_a = social_worker("a@agency.example", luo, wang)
    worker_b = social_worker("b@agency.example", chen)
    return products, (luo, wang, chen), (worker_a, worker_b)


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
    """Pay the order's total by card in localstripe, as its pay page does."""
    if not StripePayment.objects.filter(order_number=order.number).exists():
        payments.payment_open(order=order)
    payments.payment_pay(
        order_number=order.number,
        method_type="card",
        payment_method=card_token(CARD_OK),
    )
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


def photo_with_gps(orientation: int = 1) -> bytes:
    """A 40 × 30 JPEG carrying a camera make, a GPS position and an orientation
    in its EXIF (6: the phone was held upright, the picture is 30 × 40)."""
    image = Image.new("RGB", (40, 30), "green")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (29.0, 43.0, 12.0), 3: "E", 4: (106.0, 38.0, 1.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(data: bytes, name="收据-罗某银.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def payout(
    household,
    amount: str,
    by,
    *,
    reference="R1",
    method="cash",
    proof=None,
    paid_on=None,
):
    """A payout recorded as the workspace records it, with a phone photo;
    paid on the day of the household's last entry unless told."""
    last = LedgerEntry.objects.filter(household=household).order_by("-seq").first()
    return payout_record(
        household=household,
        amount=Decimal(amount),
        method=method,
        reference=reference,
        paid_on=paid_on
        or (timezone.localdate(last.created_at) if last else timezone.localdate()),
        proof=proof or upload(photo_with_gps()),
        acting_user=by,
    )


def mixed_order_shop() -> dict:
    """A mixed order: 罗大哥 and 王阿姨 (worker A), 陈叔 (worker B); paid."""
    (fish, eggs, bacon), (luo, _wang, chen), (a, b) = two_caseloads()
    order = paid_order((fish, 2), (eggs, 1), (bacon, 1))
    parcels = {p.household.slug: p for p in Parcel.objects.filter(order=order)}
    return {
        "a": a,
        "b": b,
        "order": order,
        "parcels": parcels,
        "chen": chen,
        "luo": luo,
    }
