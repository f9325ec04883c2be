"""Every read of the sellers domain that a page needs goes through a function here."""

from django.db.models import QuerySet

from .models import Household


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
