"""Campaigns of an organisation, and the one a code names today."""

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from sellers.models import (
    Campaign,
)

from ..households.selectors import organisation_list_for_member


def campaign_list(*, user) -> QuerySet:
    """Campaigns of the user's organisations, with their orders and takings."""
    return (
        Campaign.objects.filter(
            organisation__in=organisation_list_for_member(user=user)
        )
        .annotate(
            order_count=Count("orders"),
            takings=Sum("orders__order__total_incl_tax"),
        )
        .order_by("-starts_on", "-id")
    )


def campaign_get(*, user, pk: int) -> Campaign:
    """A campaign of one of the user's organisations (DoesNotExist otherwise)."""
    return campaign_list(user=user).get(pk=pk)


def campaign_get_running(*, code: str, day=None) -> Campaign | None:
    """The campaign of a code if it runs on the day (today by default)."""
    day = day or timezone.localdate()
    return Campaign.objects.filter(
        code=code, starts_on__lte=day, ends_on__gte=day
    ).first()
