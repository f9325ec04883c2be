"""Households, organisations and caseloads: who works for whom, who sees what."""

from django.db.models import Q, QuerySet

from sellers.models import (
    Household,
    MemberRole,
    Membership,
    Organisation,
)


def household_list(*, town: str | None = None, village: str | None = None) -> QuerySet:
    """Active households for public pages, optionally in one town or village."""
    households = Household.objects.active().select_related("photo")
    if town:
        households = households.filter(town=town)
    if village:
        households = households.filter(village=village)
    return households


def household_places() -> list[tuple[str, list[str]]]:
    """Towns with their villages that have active households showing their
    village, for the public filters."""
    places: dict[str, list[str]] = {}
    rows = (
        Household.objects.active()
        .filter(shows_village=True)
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


def organisation_service_list(*, partner_ids) -> list[Organisation]:
    """The organisations selling for these partners (households) that give buyers a
    service contact: each once, in the order of its first partner."""
    partner_ids = list(dict.fromkeys(partner_ids))
    households = Household.objects.filter(partner_id__in=partner_ids).select_related(
        "organisation"
    )
    by_partner = {household.partner_id: household for household in households}
    return organisation_service_list_of(
        households=[by_partner[pk] for pk in partner_ids if pk in by_partner]
    )


def organisation_service_list_of(*, households) -> list[Organisation]:
    """The same for households already loaded with their organisation."""
    organisations: dict[int, Organisation] = {}
    for household in households:
        organisation = household.organisation
        if organisation.service_phone or organisation.service_wechat:
            organisations.setdefault(organisation.pk, organisation)
    return list(organisations.values())


def household_caseload(*, user) -> QuerySet:
    """The households a user may work for: his caseload as a social worker, all of
    his organisation's as its administrator, every one as a superuser."""
    if not user.is_authenticated or not user.is_active:
        return Household.objects.none()
    if user.is_superuser:
        return Household.objects.all()
    return Household.objects.filter(
        Q(partner__users=user)
        | Q(
            organisation__memberships__user=user,
            organisation__memberships__role=MemberRole.ADMINISTRATOR,
        )
    ).distinct()


def household_in_caseload(*, user, household: Household) -> bool:
    """Whether the household is in the user's caseload (he may pay it)."""
    return household_caseload(user=user).filter(pk=household.pk).exists()


def household_list_for_organisations(*, organisations) -> QuerySet:
    """Every household of the organisations, active or not."""
    return Household.objects.filter(organisation__in=organisations)


def caseload_social_workers(*, household: Household) -> QuerySet:
    """The social workers the household is assigned to."""
    return household.partner.users.all()


def household_for_login(*, user) -> Household | None:
    """The household a household login belongs to, if the user is one."""
    if not user.is_authenticated:
        return None
    return Household.objects.filter(account=user, is_active=True).first()


def statement_households(*, user) -> QuerySet:
    """Households whose statements the user may read: caseload or its own login."""
    own = household_for_login(user=user)
    if own is not None:
        return Household.objects.filter(pk=own.pk)
    return household_caseload(user=user)


def organisation_list_for_member(*, user) -> QuerySet:
    """The organisations the user works in, in any role."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).distinct()


def organisations_where(*, user, roles) -> QuerySet:
    """The organisations in which the user holds one of `roles`."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role__in=roles
    ).distinct()


def caseload_table(*, user) -> list[tuple[Household, list]]:
    """Households of the organisations the user administers, each with the
    social workers it is assigned to."""
    households = (
        Household.objects.filter(
            organisation__in=organisations_where(
                user=user, roles=[MemberRole.ADMINISTRATOR]
            )
        )
        .select_related("partner", "organisation")
        .prefetch_related("partner__users")
    )
    return [
        (household, list(household.partner.users.all())) for household in households
    ]


def social_worker_list(*, organisations) -> QuerySet:
    """Active social workers of the organisations."""
    User = Membership.user.field.related_model
    return (
        User.objects.filter(
            memberships__organisation__in=organisations,
            memberships__role=MemberRole.SOCIAL_WORKER,
            is_active=True,
        )
        .distinct()
        .order_by("email")
    )


def user_is_social_worker(*, user, organisation: Organisation) -> bool:
    """Whether the user is a social worker of the organisation."""
    return Membership.objects.filter(
        user=user, organisation=organisation, role=MemberRole.SOCIAL_WORKER
    ).exists()


def user_reviews(*, user, organisation_id: int) -> bool:
    """Whether the user is a reviewer of the organisation."""
    return Membership.objects.filter(
        user=user, organisation_id=organisation_id, role=MemberRole.REVIEWER
    ).exists()
