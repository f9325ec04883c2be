"""Every read of the sellers domain that a page needs goes through a function here."""

from decimal import Decimal

from django.db.models import QuerySet

from .models import Household, PickupPoint


def household_list(*, town: str | None = None, village: str | None = None) -> QuerySet:
    """Active households for public pages, optionally in one town or village."""
    households = Household.objects.active().select_related("photo")
    if town:
        households = households.filter(town=town)
    if village:
        households = households.filter(village=village)
    return households


def household_places() -> list[tuple[str, list[str]]]:
    """Towns with their villages that have active households, for filters."""
    places: dict[str, list[str]] = {}
    rows = (
        Household.objects.active()
        .order_by("town", "village")
        .values_list("town", "village")
        .distinct()
    )
    for town, village in rows:
        places.setdefault(town, []).append(village)
    return list(places.items())


def household_for_partner_ids(*, partner_ids) -> dict[int, Household]:
    """Public households keyed by partner id, for product cards and pages."""
    households = Household.objects.filter(
        partner_id__in=set(partner_ids)
    ).select_related("photo")
    return {h.partner_id: h for h in households}


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
    return order.parcels.select_related("household", "household__story_page")
