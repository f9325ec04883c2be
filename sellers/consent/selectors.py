"""A household's consents."""

from django.db.models import QuerySet

from sellers.models import (
    Consent,
    Household,
)

from ..households.selectors import household_caseload


def consent_list(*, household: Household) -> QuerySet:
    """A household's consents, the one in force (if any) first."""
    return Consent.objects.filter(household=household).select_related(
        "recorded_by", "withdrawn_by"
    )


def consent_get(*, user, pk: int) -> Consent:
    """A consent of a household in the user's caseload (its signed forms are
    his to read); Consent.DoesNotExist otherwise."""
    return Consent.objects.get(household__in=household_caseload(user=user), pk=pk)


def consent_in_force(*, household: Household) -> Consent | None:
    return Consent.objects.filter(household=household, withdrawn_at=None).first()
