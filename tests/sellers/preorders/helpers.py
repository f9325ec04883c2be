"""A pre-order season of 罗大哥's grass carp: 3 jin a fish at ¥12 a jin."""

import datetime
from decimal import Decimal

from sellers.models import Parcel, ParcelLine
from sellers.preorders.services import harvest_offer_create
from tests import factories
from tests.sellers import helpers


def fish_offer(*, capacity: int = 10, limit: int = 5):
    """罗大哥's pre-ordered grass carp (¥36.00 a fish) and his social worker."""
    household = factories.household_create(slug="luo", public_name="罗大哥")
    worker = helpers.social_worker("a@agency.example", household)
    product = factories.product_create(
        household=household, title="草鱼（预售）", price=Decimal("1.00"), unit="条"
    )
    offer = harvest_offer_create(
        product=product,
        window_start=datetime.date(2026, 12, 20),
        window_end=datetime.date(2026, 12, 27),
        price_per_jin=Decimal("12.00"),
        jin_per_piece=Decimal("3.00"),
        capacity=capacity,
        per_order_limit=limit,
        acting_user=worker,
    )
    product.refresh_from_db()
    return offer, product, worker


def parcel_of(order) -> Parcel:
    return Parcel.objects.get(order=order)


def weights(parcel, *jin) -> dict[int, Decimal]:
    """The parcel's lines (in order) weighed at these jin."""
    lines = ParcelLine.objects.filter(parcel=parcel).order_by("line_id")
    return {pl.line_id: Decimal(j) for pl, j in zip(lines, jin, strict=True)}
