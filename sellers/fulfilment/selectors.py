"""Parcels: in the basket, of an order, of a caseload, to pack."""

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from oscar.core.loading import get_model

from sellers.models import (
    EntryKind,
    Household,
    LedgerEntry,
    Parcel,
    ParcelStatus,
    PickupPoint,
)

from ..households.selectors import household_caseload, household_for_partner_ids

Product = get_model("catalogue", "Product")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")


def _line_products() -> Prefetch:
    # A parcel's lines name their products' units (斤, 盒): fetch those with the
    # lines, or each line costs a query for its product and one for its attributes.
    # One query for the values with their attributes, where Oscar's
    # get_attribute_values() finds them (as catalog's attribute_values_prefetch,
    # which this layer may not import); Oscar's prefetch_attribute_values() takes
    # three, for multi-option values and class attributes no parcel reads.
    values = Prefetch(
        "attribute_values",
        queryset=ProductAttributeValue.objects.select_related(
            "attribute", "value_option"
        ),
        to_attr="_prefetched_attribute_values",
    )
    return Prefetch("lines__product", queryset=Product.objects.prefetch_related(values))


def pickup_point_list() -> list:
    """Open community pickup points, for checkout."""
    return list(PickupPoint.objects.filter(is_active=True))


def basket_parcels(*, basket, charges: dict) -> list[dict]:
    """The basket as the parcels it will become: household, lines, goods, delivery."""
    lines = list(basket.all_lines())
    households = household_for_partner_ids(
        partner_ids=[line.stockrecord.partner_id for line in lines]
    )
    parcels: dict[int, dict] = {}
    for line in lines:
        partner_id = line.stockrecord.partner_id
        parcel = parcels.setdefault(
            partner_id,
            {
                "household": households.get(partner_id),
                "lines": [],
                "goods": Decimal("0.00"),
                "delivery": charges.get(partner_id, Decimal("0.00")),
            },
        )
        parcel["lines"].append(line)
        parcel["goods"] += line.line_price_incl_tax_incl_discounts
    for parcel in parcels.values():
        parcel["total"] = parcel["goods"] + parcel["delivery"]
    return list(parcels.values())


def order_household_shares(*, order) -> QuerySet:
    """An order's parcels with their households and story pages: the impact receipt."""
    return order.parcels.select_related(
        "household", "household__story_page"
    ).prefetch_related("lines", _line_products())


def order_parcel_list(*, order_ids) -> QuerySet:
    """The parcels of these orders, in one query: a page of "my orders"."""
    return Parcel.objects.filter(order_id__in=list(order_ids)).order_by(
        "order_id", "id"
    )


def _paid_parcels(*, user) -> QuerySet:
    # A parcel reaches the workspace once its order's money is captured (the
    # sale is credited): an authorised order may still be cancelled.
    # A pre-ordered parcel is credited when it is settled by weight, so it
    # reaches the workspace once its order is paid (to be weighed).
    return Parcel.objects.filter(_paid(), household__in=household_caseload(user=user))


def _paid() -> Q:
    """A parcel whose order's money is captured."""
    credited = Exists(
        LedgerEntry.objects.filter(parcel=OuterRef("pk"), kind=EntryKind.SALE)
    )
    return Q(credited) | Q(preorder=True, order__status="paid")


def parcel_list(*, user, status: str | None = None, order_number: str = "") -> QuerySet:
    """Parcels of the user's caseload, newest first, optionally in one state."""
    parcels = _paid_parcels(user=user).select_related(
        "household", "order", "order__shipping_address"
    )
    if status:
        parcels = parcels.filter(status=status)
    if order_number:
        parcels = parcels.filter(order__number=order_number)
    return parcels.order_by("-order__date_placed", "-id")


def parcel_counts(*, user) -> dict[str, int]:
    """How many of the user's parcels are in each state."""
    rows = _paid_parcels(user=user).values("status").annotate(n=Count("id"))
    counts = dict.fromkeys(ParcelStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def parcel_get(*, user, pk: int) -> Parcel:
    """One parcel of the user's caseload (DoesNotExist for anybody else's)."""
    return (
        parcel_list(user=user)
        .prefetch_related("lines", _line_products(), "events__actor")
        .get(pk=pk)
    )


def household_parcels_to_pack(*, household: Household) -> QuerySet:
    """The household's paid parcels still to pack, with their lines."""
    return (
        Parcel.objects.filter(_paid(), household=household, status=ParcelStatus.TO_PACK)
        .select_related("order")
        .prefetch_related("lines", _line_products())
        .order_by("order__date_placed")
    )
