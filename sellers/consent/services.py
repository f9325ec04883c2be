"""Consent: recorded and withdrawn, mirrored on the household, binding its story."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sellers import signals, uploads
from sellers.models import (
    LEVEL_RANK,
    SCOPE_NEEDED,
    AuditAction,
    Consent,
    ConsentScope,
    DisplayLevel,
    Household,
)

from ..audit import audit_record


def _exposure(level: str, scope) -> tuple[int, set[str]]:
    return LEVEL_RANK[level], set(scope)


CONSENT_MIRROR = ["display_level", "shows_village", "shows_photo"]


def _consent_mirror(
    household: Household, level: str, scope, previous_scope, caller: Household
) -> bool:
    """Mirror a consent on the household (and the caller's copy of it); True
    if it now shows less."""
    before = _exposure(household.display_level, previous_scope)
    household.display_level = level
    household.shows_village = ConsentScope.VILLAGE in scope
    household.shows_photo = ConsentScope.PHOTOS in scope
    household.save(update_fields=CONSENT_MIRROR)
    for field in CONSENT_MIRROR:
        setattr(caller, field, getattr(household, field))
    after = _exposure(level, scope)
    return after[0] < before[0] or bool(before[1] - after[1])


def _scope_check(display_level: str, scope) -> None:
    """A display level shows what the household agreed to, or nothing: a
    consent whose scope misses what its level needs is refused (on "scope")."""
    missing = SCOPE_NEEDED[display_level] - set(scope)
    if missing:
        raise ValidationError(
            {
                "scope": _(
                    "This display level needs the household's agreement to: %(items)s."
                )
                % {
                    "items": "、".join(
                        str(item.label) for item in ConsentScope if item in missing
                    )
                }
            }
        )


def _consent_check(
    display_level: str, scope, minors_appear: bool, guardian_name: str, guardian_form
) -> None:
    """Refuse a consent the household could not have signed as given."""
    if minors_appear and not (guardian_name and guardian_form):
        raise ValidationError(
            _("Minors appear: the guardian's name and signed form are required.")
        )
    if display_level not in LEVEL_RANK or not set(scope) <= set(ConsentScope.values):
        raise ValidationError(_("Unknown display level or scope."))
    _scope_check(display_level, scope)


def _consent_save_with_scans(consent: Consent, signed_form, guardian_form) -> None:
    """Save the consent with its signed forms, re-encoded (no EXIF/GPS) and
    under random names, like payout receipts."""
    signed = uploads.proof_clean(signed_form)
    consent.signed_form.save(signed.name, signed, save=False)
    if consent.minors_appear:
        guardian = uploads.proof_clean(guardian_form)
        consent.guardian_form.save(guardian.name, guardian, save=False)
    try:
        consent.save()
    except BaseException:
        # No signed form may outlive the consent it proves.
        for scan in (consent.signed_form, consent.guardian_form):
            if scan:
                scan.storage.delete(scan.name)
        raise


def household_scope(household: Household) -> set[str]:
    """The scopes of the household's consent in force (none without one)."""
    consent = Consent.objects.filter(household=household, withdrawn_at=None).first()
    return set(consent.scope) if consent is not None else set()


@transaction.atomic
def consent_record(
    *,
    household: Household,
    acting_user,
    display_level: str,
    scope: list[str],
    given_on: datetime.date,
    signed_form,
    witness: str,
    minors_appear: bool,
    guardian_name: str = "",
    guardian_form=None,
) -> Consent:
    """Record a signed consent; it replaces the one in force and, everywhere
    at once, sets what the public sees of the household. A consent that shows
    less than the one before takes the story down until it is reviewed again."""
    _consent_check(display_level, scope, minors_appear, guardian_name, guardian_form)
    caller, household = (
        household,
        Household.objects.select_for_update().get(pk=household.pk),
    )
    previous_scope = household_scope(household)
    now = timezone.now()
    Consent.objects.filter(household=household, withdrawn_at=None).update(
        withdrawn_at=now, withdrawn_by=acting_user
    )
    consent = Consent(
        household=household,
        display_level=display_level,
        scope=sorted(scope),
        given_on=given_on,
        witness=witness,
        minors_appear=minors_appear,
        guardian_name=guardian_name if minors_appear else "",
        recorded_by=acting_user,
        recorded_at=now,
    )
    _consent_save_with_scans(consent, signed_form, guardian_form)
    previous_level = household.display_level
    narrowed = _consent_mirror(
        household, display_level, consent.scope, previous_scope, caller
    )
    audit_record(
        actor=acting_user,
        household=household,
        action=AuditAction.CONSENT_RECORDED,
        subject=consent.get_display_level_display(),
        changes={
            "display_level": [previous_level, display_level],
            "scope": [",".join(sorted(previous_scope)), ",".join(consent.scope)],
        },
    )
    if narrowed:
        signals.consent_narrowed.send(
            sender=Household, household=household, acting_user=acting_user
        )
    return consent


@transaction.atomic
def consent_withdraw(*, household: Household, acting_user) -> None:
    """Withdraw the consent in force: the household is anonymous everywhere at
    once and its story is taken down in the same transaction."""
    caller, household = (
        household,
        Household.objects.select_for_update().get(pk=household.pk),
    )
    previous_scope = household_scope(household)
    withdrawn = Consent.objects.filter(household=household, withdrawn_at=None).update(
        withdrawn_at=timezone.now(), withdrawn_by=acting_user
    )
    if not withdrawn:
        raise ValidationError(_("This household has no consent in force."))
    _consent_mirror(household, DisplayLevel.ANONYMOUS, [], previous_scope, caller)
    audit_record(
        actor=acting_user, household=household, action=AuditAction.CONSENT_WITHDRAWN
    )
    signals.consent_narrowed.send(
        sender=Household, household=household, acting_user=acting_user
    )
