"""Households, organisations' members, caseloads, and the protected record."""

import secrets

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from sellers.models import (
    HOUSEHOLD_RECORD_FIELDS,
    AuditAction,
    Household,
    HouseholdRecord,
    MemberRole,
    Membership,
    Organisation,
)
from sellers.roles import BUREAU, ROLE_GROUPS

from ..audit import audit_record, changes_between
from .selectors import user_is_social_worker

Partner = get_model("partner", "Partner")


# Public codes: lower-case letters and digits that cannot be mistaken for
# one another when read aloud or copied from a poster.
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def household_code_new() -> str:
    """A random public code for a household's URLs: it says nothing of who
    the household is, nor how many there are."""
    while True:
        code = "h" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(7))
        if not Household.objects.filter(slug=code).exists():
            return code


@transaction.atomic
def household_create(
    *,
    organisation: Organisation,
    legal_name: str,
    district: str,
    town: str,
    village: str,
    nickname: str = "",
    public_name: str = "",
    introduction: str = "",
    record: dict | None = None,
) -> Household:
    """Register a household with its Oscar partner and its protected record.

    It is anonymous until its consent is recorded (consent_record)."""
    code = household_code_new()
    # The partner's name shows in Oscar's dashboard and on order lines, so it
    # carries the public code, never a name.
    partner = Partner.objects.create(name=code, code=code)
    household = Household.objects.create(
        partner=partner,
        organisation=organisation,
        slug=code,
        nickname=nickname,
        public_name=public_name,
        district=district,
        town=town,
        village=village,
        introduction=introduction,
    )
    HouseholdRecord.objects.create(
        household=household, legal_name=legal_name, **(record or {})
    )
    household.story_editors = Group.objects.create(name=story_editors_name(household))
    household.save(update_fields=["story_editors"])
    return household


def story_editors_name(household: Household) -> str:
    return f"Story editors · household {household.pk}"


def household_deactivate(*, household: Household) -> Household:
    """Take a household off the storefront; its history stays."""
    household.is_active = False
    household.save(update_fields=["is_active"])
    return household


@transaction.atomic
def membership_grant(*, user, organisation: Organisation, role: str) -> Membership:
    """Make the user a member of the organisation in a role, with its permissions."""
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    return membership


def bureau_officer_grant(*, user) -> None:
    """Give a civil-affairs officer the bureau's read-only role."""
    user.groups.add(Group.objects.get(name=ROLE_GROUPS[BUREAU]))


@transaction.atomic
def caseload_assign(*, household: Household, social_worker, acting_user=None) -> None:
    """Give a social worker a household: he may then list and ship for it.

    An administrator (acting_user) assigns only his organisation's social
    workers; set-up code (no acting_user) makes the user one."""
    if acting_user is not None and not user_is_social_worker(
        user=social_worker, organisation=household.organisation
    ):
        raise ValidationError(
            _("This social worker does not work for the household's organisation.")
        )
    membership_grant(
        user=social_worker,
        organisation=household.organisation,
        role=MemberRole.SOCIAL_WORKER,
    )
    household.partner.users.add(social_worker)
    if household.story_editors_id:
        social_worker.groups.add(household.story_editors_id)
    if acting_user is not None:
        audit_record(
            actor=acting_user,
            household=household,
            action=AuditAction.CASELOAD_ASSIGNED,
            subject=social_worker.get_full_name() or social_worker.email,
        )


@transaction.atomic
def caseload_remove(*, household: Household, social_worker, acting_user) -> None:
    """Take a household out of a social worker's caseload."""
    household.partner.users.remove(social_worker)
    if household.story_editors_id:
        social_worker.groups.remove(household.story_editors_id)
    audit_record(
        actor=acting_user,
        household=household,
        action=AuditAction.CASELOAD_REMOVED,
        subject=social_worker.get_full_name() or social_worker.email,
    )


@transaction.atomic
def household_record_update(
    *, household: Household, acting_user, nickname: str | None = None, **fields
) -> HouseholdRecord:
    """Change the protected record (the audit trail names its fields only)
    and the staff nickname (old and new in the trail)."""
    if nickname is not None and nickname.strip() != household.nickname:
        audit_record(
            actor=acting_user,
            household=household,
            action=AuditAction.RECORD_CHANGED,
            changes={"nickname": [household.nickname, nickname.strip()]},
        )
        household.nickname = nickname.strip()
        household.save(update_fields=["nickname"])
    record = HouseholdRecord.objects.select_for_update().get(household=household)
    before = {name: getattr(record, name) for name in HOUSEHOLD_RECORD_FIELDS}
    for name, value in fields.items():
        if name not in HOUSEHOLD_RECORD_FIELDS:
            raise TypeError(name)
        setattr(record, name, value)
    record.full_clean()
    changed = changes_between(
        before,
        {name: getattr(record, name) for name in HOUSEHOLD_RECORD_FIELDS},
        hidden=HOUSEHOLD_RECORD_FIELDS,
    )
    if changed:
        record.save()
        audit_record(
            actor=acting_user,
            household=household,
            action=AuditAction.RECORD_CHANGED,
            changes=changed,
        )
    return record


@transaction.atomic
def household_delivery_promise_set(
    *, household: Household, acting_user, delivery_promise: str
) -> bool:
    """Say when and how the household's parcels leave (its products' default);
    the trail keeps the old and new text. False when nothing changed."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    promise = delivery_promise.strip()
    if promise == household.delivery_promise:
        return False
    audit_record(
        actor=acting_user,
        household=household,
        action=AuditAction.DELIVERY_PROMISE_CHANGED,
        changes={"delivery_promise": [household.delivery_promise, promise]},
    )
    household.delivery_promise = promise
    household.save(update_fields=["delivery_promise"])
    return True
