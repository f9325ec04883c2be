"""A household's consents."""

from django.db.models import QuerySet

from sellers.models import (
    Consent,
    Household,
)


def consent_list(*, household: Household) -> QuerySet:
    """A household's consents, the one in force (if any) first."""
    return Consent.objects.filter(household=household).select_related(
        "recorded_by", "withdrawn_by"
    )


def consent_in_force(*, household: Household) -> Consent | None:
    return Consent.objects.filter(household=household, withdrawn_at=None).first()
