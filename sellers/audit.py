"""The audit trail: a line per change and what changed (protected fields by name)."""

from django.db.models import QuerySet

from sellers.models import AuditEvent, Household, MemberRole, Organisation

from .households.selectors import organisations_where


def audit_record(
    *,
    actor,
    action: str,
    household: Household | None = None,
    organisation: Organisation | None = None,
    subject: str = "",
    changes: dict | None = None,
) -> AuditEvent:
    """Add a line to the audit trail (in the caller's transaction)."""
    return AuditEvent.objects.create(
        organisation=organisation or household.organisation,
        household=household,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        subject=str(subject)[:200],
        changes=changes or {},
    )


def changes_between(before: dict, after: dict, *, hidden=()) -> dict:
    """{field: [old, new]} of what differs, as text; hidden fields are named
    with null values, so the trail says what changed without repeating it."""
    changed = {}
    for field, new in after.items():
        old = before.get(field)
        if old != new:
            if field in hidden:
                changed[field] = [None, None]
            else:
                changed[field] = [
                    None if old is None else str(old),
                    None if new is None else str(new),
                ]
    return changed


AUDIT_READERS = (MemberRole.REVIEWER, MemberRole.ADMINISTRATOR)


def audit_event_list(
    *, user, household: Household | None = None, household_slug: str = ""
) -> QuerySet:
    """The audit trail of the organisations the user reviews or administers,
    optionally of one household (by the household or its public code)."""
    events = AuditEvent.objects.filter(
        organisation__in=organisations_where(user=user, roles=AUDIT_READERS)
    ).select_related("actor", "household", "organisation")
    if household is not None:
        events = events.filter(household=household)
    if household_slug:
        events = events.filter(household__slug=household_slug)
    return events
