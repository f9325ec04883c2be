"""Reads of harvest pre-orders: offers shown with a product, money waiting for
a harvest."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from sellers.models import (
    HarvestOffer,
    HarvestSettlement,
    Parcel,
    ParcelLine,
    ParcelStatus,
)


def _moment(day: datetime.date | datetime.datetime) -> datetime.datetime:
    """A day as the moment it starts in the store's time zone."""
    if isinstance(day, datetime.datetime):
        return day
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def preorder_pending_list(
    *,
    household_ids,
    start: datetime.date | datetime.datetime,
    end: datetime.date | datetime.datetime,
) -> list[tuple[int, datetime.date, Decimal]]:
    """(household id, day the order was placed, share) of each paid
    pre-ordered parcel not yet settled (so not yet in its household's ledger),
    of orders placed in [start, end) (days or moments), in one query."""
    rows = (
        Parcel.objects.filter(
            household_id__in=household_ids,
            preorder=True,
            order__status="paid",
            order__date_placed__gte=_moment(start),
            order__date_placed__lt=_moment(end),
        )
        .exclude(status=ParcelStatus.CANCELLED)
        .exclude(harvest_settlement__done_at__isnull=False)
        .values_list(
            "household_id",
            "order__date_placed",
            "goods_total",
            "delivery_charge",
            "household_ships",
        )
    )
    return [
        (
            household_id,
            timezone.localdate(placed),
            goods + (delivery if ships else 0),
        )
        for household_id, placed, goods, delivery, ships in rows
    ]


def preorder_pending_by_household(
    *,
    household_ids,
    start: datetime.date | datetime.datetime,
    end: datetime.date | datetime.datetime,
) -> dict[int, Decimal]:
    """Per household: the shares of its paid pre-ordered parcels not yet settled
    (so not yet in its ledger), of orders placed in [start, end) (days or
    moments)."""
    pending: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for household_id, _day, share in preorder_pending_list(
        household_ids=household_ids, start=start, end=end
    ):
        pending[household_id] += share
    return dict(pending)


def harvest_offer_get(*, product) -> HarvestOffer | None:
    """The product's pre-order offer, if it is offered for pre-order."""
    return HarvestOffer.objects.filter(product=product).first()


def harvest_offer_list_for_households(*, household_ids):
    """The offers of these households, the coming harvests first."""
    return (
        HarvestOffer.objects.filter(household_id__in=household_ids)
        .select_related("product", "household")
        .order_by("window_start", "pk")
    )


def preorder_parcel_list(*, offer: HarvestOffer):
    """The live parcels holding this offer's pieces, in order-received order."""
    return (
        Parcel.objects.filter(lines__product_id=offer.product_id)
        .exclude(status=ParcelStatus.CANCELLED)
        .select_related("order", "harvest_settlement")
        .order_by("order__date_placed", "order_id")
        .distinct()
    )


def preorder_lines_to_weigh(*, parcel: Parcel) -> list:
    """The parcel's order lines that are pre-ordered, to be weighed."""
    lines = list(parcel.lines.all())
    offered = set(
        HarvestOffer.objects.filter(
            product_id__in=[line.product_id for line in lines]
        ).values_list("product_id", flat=True)
    )
    return [line for line in lines if line.product_id in offered]


def preorder_parcel_cancellable(*, parcel: Parcel) -> bool:
    """Whether the buyer may still withdraw this parcel: it waits for a
    harvest that was delayed, and is neither settled nor on its way."""
    if not parcel.preorder or parcel.status != ParcelStatus.TO_PACK:
        return False
    if HarvestSettlement.objects.filter(parcel=parcel).exists():
        return False
    return HarvestOffer.objects.filter(
        product__in=ParcelLine.objects.filter(parcel=parcel).values("line__product"),
        delayed_at__isnull=False,
    ).exists()
