"""Every write to the sellers domain goes through a function here."""

import datetime
import logging
import secrets
import uuid
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from . import clock, signals, uploads
from .models import (
    HOUSEHOLD_RECORD_FIELDS,
    LEVEL_RANK,
    SCOPE_NEEDED,
    AuditAction,
    AuditEvent,
    Campaign,
    CampaignOrder,
    Consent,
    ConsentScope,
    DisplayLevel,
    EntryKind,
    Household,
    HouseholdRecord,
    LedgerEntry,
    MemberRole,
    Membership,
    Organisation,
    Parcel,
    ParcelEvent,
    ParcelLine,
    ParcelStatus,
    Payout,
    Settlement,
)
from .notifications import Recipient, notify
from .roles import BUREAU, ROLE_GROUPS
from .selectors import campaign_get_running
from .summaries import summaries_add

Partner = get_model("partner", "Partner")
logger = logging.getLogger(__name__)


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
    """Give a social worker a household: he may then list and ship for it."""
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
    if minors_appear and not (guardian_name and guardian_form):
        raise ValidationError(
            _("Minors appear: the guardian's name and signed form are required.")
        )
    if display_level not in LEVEL_RANK or not set(scope) <= set(ConsentScope.values):
        raise ValidationError(_("Unknown display level or scope."))
    if SCOPE_NEEDED[display_level] - set(scope):
        raise ValidationError(
            _("This display level needs the household's agreement to: %(items)s.")
            % {
                "items": "、".join(
                    str(item.label)
                    for item in ConsentScope
                    if item in SCOPE_NEEDED[display_level] - set(scope)
                )
            }
        )
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
    # Re-encoded (no EXIF/GPS) and under random names, like payout receipts.
    signed = uploads.proof_clean(signed_form)
    consent.signed_form.save(signed.name, signed, save=False)
    if minors_appear:
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


@transaction.atomic
def order_route_to_households(
    *, order, delivery_charge: Callable[[Decimal], Decimal]
) -> list[Parcel]:
    """Split a placed order into one parcel per household, with its lines.

    `delivery_charge` gives a parcel's charge from its goods total, as the
    order's shipping method charged it.
    """
    goods: dict[int, Decimal] = defaultdict(Decimal)
    lines: dict[int, list] = defaultdict(list)
    for line in order.lines.all():
        goods[line.partner_id] += line.line_price_incl_tax
        lines[line.partner_id].append(line)
    households = Household.objects.in_bulk(list(goods), field_name="partner_id")
    missing = set(goods) - set(households)
    if missing:
        raise ValueError(f"Order {order.number}: partners {missing} are no households")
    charges = _split_delivery(
        {p: delivery_charge(total) for p, total in goods.items()},
        paid=order.shipping_incl_tax,
    )
    parcels = Parcel.objects.bulk_create(
        Parcel(
            order=order,
            household=households[partner_id],
            goods_total=total,
            delivery_charge=charges[partner_id],
            household_ships=households[partner_id].ships_itself,
        )
        for partner_id, total in goods.items()
    )
    ParcelLine.objects.bulk_create(
        ParcelLine(parcel=parcel, line=line)
        for parcel in parcels
        for line in lines[parcel.household.partner_id]
    )
    ParcelEvent.objects.bulk_create(
        ParcelEvent(parcel=parcel, status=ParcelStatus.TO_PACK) for parcel in parcels
    )
    return parcels


def _split_delivery(
    nominal: dict[int, Decimal], *, paid: Decimal
) -> dict[int, Decimal]:
    """Parcel charges that add up to what the buyer paid for delivery.

    They are the nominal charges unless an offer discounted delivery; then the
    paid amount is shared in proportion to them, the last fen to the last.
    """
    total = sum(nominal.values(), Decimal("0.00"))
    if total == paid or not nominal:
        return nominal
    shares, given = {}, Decimal("0.00")
    parcels = list(nominal)
    for partner_id in parcels[:-1]:
        share = (
            (paid * nominal[partner_id] / total).quantize(Decimal("0.01"))
            if total
            else Decimal("0.00")
        )
        shares[partner_id] = share
        given += share
    shares[parcels[-1]] = paid - given
    return shares


# Parcels: every change of status is one guarded UPDATE (only from the states
# allowed before it), so two clicks or two workers cannot both move a parcel.

PARCEL_TRANSITIONS = {
    ParcelStatus.SHIPPED: (ParcelStatus.TO_PACK,),
    ParcelStatus.DELIVERED: (ParcelStatus.SHIPPED,),
    # Once it has left, only with a settlement (see parcel_cancel).
    ParcelStatus.CANCELLED: (
        ParcelStatus.TO_PACK,
        ParcelStatus.SHIPPED,
        ParcelStatus.DELIVERED,
    ),
}


class ParcelStateError(ValidationError):
    """The parcel is no longer in a state that allows this change."""


def _parcel_move(
    *, parcel: Parcel, status: str, acting_user, note="", event=None, **fields
):
    moved = Parcel.objects.filter(
        pk=parcel.pk, status__in=PARCEL_TRANSITIONS[status]
    ).update(status=status, updated_at=clock.now(), **fields)
    if not moved:
        parcel.refresh_from_db(fields=["status"])
        raise ParcelStateError(
            _("This parcel is already %(status)s; nothing was changed.")
            % {"status": parcel.get_status_display()}
        )
    ParcelEvent.objects.create(
        parcel=parcel, status=status, actor=acting_user, note=note, **(event or {})
    )
    parcel.refresh_from_db()
    return parcel


def _buyer(order) -> list[Recipient]:
    email = order.email  # the guest's address or the account's
    return [Recipient(email=email)] if email else []


def _parcel_context(parcel: Parcel) -> dict:
    return {
        "parcel": parcel,
        "household": parcel.household,
        "order": parcel.order,
        "site_url": settings.WAGTAILADMIN_BASE_URL,
    }


@transaction.atomic
def parcel_mark_shipped(
    *, parcel: Parcel, carrier: str, tracking_number: str, acting_user
) -> Parcel:
    """Record that a household's parcel left, and tell the buyer."""
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    if not carrier:
        raise ValidationError(_("Enter the carrier."))
    parcel = _parcel_move(
        parcel=parcel,
        status=ParcelStatus.SHIPPED,
        acting_user=acting_user,
        note=f"{carrier} {tracking_number}".strip(),
        carrier=carrier,
        tracking_number=tracking_number,
    )
    notify(
        event="parcel_shipped",
        recipients=_buyer(parcel.order),
        context=_parcel_context(parcel),
    )
    return parcel


@transaction.atomic
def parcel_mark_delivered(*, parcel: Parcel, acting_user) -> Parcel:
    """Record that the buyer has the parcel, and tell him so."""
    parcel = _parcel_move(
        parcel=parcel, status=ParcelStatus.DELIVERED, acting_user=acting_user
    )
    notify(
        event="parcel_delivered",
        recipients=_buyer(parcel.order),
        context=_parcel_context(parcel),
    )
    return parcel


def refund_backend() -> Callable[..., str]:
    """The function that returns money to the buyer (Stripe in this store)."""
    return import_string(settings.BANGFU_REFUND_BACKEND)


def _refund(parcel: Parcel, amount: Decimal, reference: str) -> str:
    """Return money to the buyer; nothing is changed here if it fails."""
    try:
        return refund_backend()(
            order_number=parcel.order.number, amount=amount, reference=reference
        )
    except Exception as error:
        logger.warning("Parcel %s: refund failed: %s", parcel.pk, type(error).__name__)
        raise ValidationError(
            _(
                "The refund could not be made just now, so nothing was changed. "
                "Please try again in a minute."
            )
        ) from error


def _parcel_debits(parcel: Parcel) -> Decimal:
    """What parts refunded earlier took off the household's share."""
    return -sum(
        LedgerEntry.objects.filter(
            parcel=parcel, kind=EntryKind.CORRECTION
        ).values_list("amount", flat=True),
        Decimal(0),
    )


@transaction.atomic
def parcel_cancel(
    *,
    parcel: Parcel,
    reason: str,
    acting_user,
    settlement: str = "",
    amount: Decimal | None = None,
) -> Parcel:
    """Cancel a parcel the household cannot deliver and refund the buyer.

    Before it leaves, the buyer gets the parcel's total back and the
    household is debited its share. Once it has left, the caller says how it
    is settled (Settlement): it came back (as before), the buyer keeps it and
    gets `amount` back (the parcel stays as it is, the household is debited
    that much), or the agency bears the loss (the buyer is refunded, the
    household keeps its share). The choice is in the parcel's history.

    The status change, the refund and the ledger happen together: if the
    refund fails, the transaction rolls back and everything stays as it was,
    so it can simply be tried again (the refund's idempotency key is the
    same on the retry).
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the parcel is cancelled."))
    sale = LedgerEntry.objects.filter(parcel=parcel, kind=EntryKind.SALE).first()
    if sale is None:
        # Not yet paid: nothing was captured, so nothing is refunded or owed.
        raise ValidationError(
            _("The order's payment is not captured yet; try again in a minute.")
        )
    parcel = Parcel.objects.select_for_update().get(pk=parcel.pk)
    left = parcel.status in (ParcelStatus.SHIPPED, ParcelStatus.DELIVERED)
    if not left:
        settlement = ""
    elif settlement not in Settlement.values:
        raise ValidationError(
            _("The parcel has left the household: choose how the refund is settled.")
        )
    if settlement == Settlement.PARTIAL:
        return _parcel_refund_part(
            parcel=parcel,
            sale=sale,
            reason=reason,
            amount=amount,
            acting_user=acting_user,
        )
    rest = parcel.total - parcel.refunded
    parcel = _parcel_move(
        parcel=parcel,
        status=ParcelStatus.CANCELLED,
        acting_user=acting_user,
        note=reason,
        cancel_reason=reason,
        event={"settlement": settlement, "refunded": rest},
    )
    refund_id = _refund(parcel, rest, f"parcel-{parcel.pk}")
    Parcel.objects.filter(pk=parcel.pk).update(
        refund_id=refund_id, refunded=parcel.total
    )
    parcel.refund_id, parcel.refunded = refund_id, parcel.total
    memo = _("Order %(number)s: parcel cancelled") % {"number": parcel.order.number}
    if settlement != Settlement.ABSORBED:
        ledger_append(
            household=parcel.household,
            kind=EntryKind.REFUND,
            amount=-sale.amount,
            parcel=parcel,
            memo=memo,
            acting_user=acting_user,
        )
        # Parts refunded before were debited as corrections: the refund of
        # the whole sale replaces them.
        debited = _parcel_debits(parcel)
        if debited:
            ledger_append(
                household=parcel.household,
                kind=EntryKind.CORRECTION,
                amount=debited,
                parcel=parcel,
                corrects=sale,
                memo=memo,
                acting_user=acting_user,
            )
    notify(
        event="parcel_cancelled",
        recipients=_buyer(parcel.order),
        context={**_parcel_context(parcel), "refunded": rest},
    )
    return parcel


def _parcel_refund_part(
    *, parcel: Parcel, sale: LedgerEntry, reason: str, amount, acting_user
) -> Parcel:
    """The buyer keeps the parcel and gets part of its price back; the
    household is debited that much (at most what is left of its share)."""
    rest = parcel.total - parcel.refunded
    if amount is None or not (Decimal("0.01") <= amount < rest):
        raise ValidationError(
            _(
                "Enter the part to refund: more than ¥0.00 and less than "
                "¥%(rest)s (to refund it all, choose another way)."
            )
            % {"rest": rest}
        )
    parts = ParcelEvent.objects.filter(
        parcel=parcel, settlement=Settlement.PARTIAL
    ).count()
    refund_id = _refund(parcel, amount, f"parcel-{parcel.pk}-part-{parts + 1}")
    ParcelEvent.objects.create(
        parcel=parcel,
        status=parcel.status,
        actor=acting_user,
        note=reason,
        settlement=Settlement.PARTIAL,
        refunded=amount,
    )
    Parcel.objects.filter(pk=parcel.pk).update(
        refunded=F("refunded") + amount, refund_id=refund_id
    )
    parcel.refresh_from_db()
    debit = min(amount, sale.amount - _parcel_debits(parcel))
    if debit > 0:
        ledger_append(
            household=parcel.household,
            kind=EntryKind.CORRECTION,
            amount=-debit,
            parcel=parcel,
            corrects=sale,
            memo=_("Order %(number)s: part refunded") % {"number": parcel.order.number},
            acting_user=acting_user,
        )
    notify(
        event="parcel_refunded",
        recipients=_buyer(parcel.order),
        context={**_parcel_context(parcel), "refunded": amount},
    )
    return parcel


# The income ledger: append-only, one numbered chain per household.


class PayoutExceedsBalance(ValidationError):
    """A payout larger than what the household is owed."""


def _ledger_heads(household_ids) -> dict[int, tuple[int, Decimal, Decimal]]:
    """Lock the households' rows; then each one's last (number, balance, paid out).

    The lock serialises ledger writes per household on PostgreSQL (SQLite's
    IMMEDIATE transactions serialise all writes anyway); households are
    locked in id order, so two writers cannot deadlock. The heads are read by
    a second statement: under READ COMMITTED a statement's snapshot is taken
    before it waits for a lock, so reading them in the locking statement
    would miss what the writer it waited for has just added.
    """
    locked = list(
        Household.objects.select_for_update()
        .filter(pk__in=household_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    last = LedgerEntry.objects.filter(household=OuterRef("pk")).order_by("-seq")
    money = DecimalField(max_digits=14, decimal_places=2)
    rows = (
        Household.objects.filter(pk__in=locked)
        .annotate(
            last_seq=Subquery(last.values("seq")[:1]),
            last_balance=Subquery(last.values("balance")[:1], output_field=money),
            last_paid=Subquery(last.values("payouts_total")[:1], output_field=money),
        )
        .values_list("pk", "last_seq", "last_balance", "last_paid")
    )
    # SQLite gives a subquery's decimal back as 80, not 80.00.
    cent = Decimal("0.01")
    return {
        pk: (
            seq or 0,
            Decimal(balance or 0).quantize(cent),
            Decimal(paid or 0).quantize(cent),
        )
        for pk, seq, balance, paid in rows
    }


@transaction.atomic
def ledger_append(
    *,
    household: Household,
    kind: str,
    amount: Decimal,
    memo: str = "",
    parcel: Parcel | None = None,
    payout: Payout | None = None,
    corrects: LedgerEntry | None = None,
    acting_user=None,
) -> LedgerEntry:
    """Add the household's next ledger entry, with its running balance."""
    seq, balance, paid = _ledger_heads([household.pk])[household.pk]
    entry = LedgerEntry.objects.create(
        household=household,
        seq=seq + 1,
        kind=kind,
        amount=amount,
        balance=balance + amount,
        payouts_total=paid - amount if kind == EntryKind.PAYOUT else paid,
        memo=memo,
        parcel=parcel,
        payout=payout,
        corrects=corrects,
        created_by=acting_user,
    )
    summaries_add([entry])
    return entry


@transaction.atomic
def order_credit_households(*, order) -> list[LedgerEntry]:
    """Credit each household its parcel's share once the order's money is captured.

    Safe to call again (the capture's answer and Stripe's webhook both do):
    a parcel already credited is skipped. The households' social workers are
    told of their new parcels. A constant number of queries, however many
    households the order has.
    """
    live = Parcel.objects.filter(order=order).exclude(status=ParcelStatus.CANCELLED)
    heads = _ledger_heads(live.values("household_id"))
    # Read after the locks: a simultaneous call has either credited already
    # (and is seen here) or waits for this transaction.
    parcels = list(
        live.exclude(ledger_entries__kind=EntryKind.SALE)
        .select_related("household", "order")
        .order_by("household_id")
    )
    entries = []
    for parcel in parcels:
        seq, balance, paid = heads[parcel.household_id]
        heads[parcel.household_id] = (seq + 1, balance + parcel.household_share, paid)
        entries.append(
            LedgerEntry(
                household=parcel.household,
                seq=seq + 1,
                kind=EntryKind.SALE,
                amount=parcel.household_share,
                balance=balance + parcel.household_share,
                payouts_total=paid,
                parcel=parcel,
                memo=_("Order %(number)s") % {"number": order.number},
            )
        )
    LedgerEntry.objects.bulk_create(entries)
    summaries_add(entries)
    _notify_social_workers(parcels)
    return entries


def _notify_social_workers(parcels: list[Parcel]) -> None:
    emails: dict[int, list[str]] = defaultdict(list)
    rows = Partner.users.through.objects.filter(
        partner_id__in=[p.household.partner_id for p in parcels], user__is_active=True
    ).values_list("partner_id", "user__email")
    for partner_id, email in rows:
        emails[partner_id].append(email)
    for parcel in parcels:
        notify(
            event="parcel_new",
            recipients=[
                Recipient(email=email) for email in emails[parcel.household.partner_id]
            ],
            context={
                **_parcel_context(parcel),
                "parcel_url": reverse("workspace:parcel", args=[parcel.pk]),
            },
        )


def payout_date_check(*, household: Household, paid_on: datetime.date) -> None:
    """A payout is dated between the household's first earnings and today."""
    if paid_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    first = (
        LedgerEntry.objects.filter(household=household, kind=EntryKind.SALE)
        .order_by("seq")
        .values_list("created_at", flat=True)
        .first()
    )
    if first is not None and paid_on < timezone.localdate(first):
        raise ValidationError(
            _(
                "The payout cannot be dated before %(date)s, the day this "
                "household first earned through the store."
            )
            % {"date": timezone.localdate(first).isoformat()}
        )


@transaction.atomic
def payout_record(
    *,
    household: Household,
    amount: Decimal,
    method: str,
    reference: str,
    paid_on: datetime.date,
    proof,
    acting_user,
    request_token: uuid.UUID | None = None,
) -> Payout:
    """Record money handed to a household, debiting what it is owed.

    Refused if it is more than the household's balance, or paid on a day
    before the household first earned or after today (the reports count it
    on that day). A form posted twice (same request token) records one
    payout and returns it both times; the token of a recorded payout posted
    for another household, amount or day is refused.
    """
    if amount <= 0:
        raise ValidationError(_("Enter an amount above zero."))
    payout_date_check(household=household, paid_on=paid_on)
    # Re-encoding a photo takes a while: do it before taking the lock.
    cleaned = uploads.proof_clean(proof)
    _seq, balance, _paid = _ledger_heads([household.pk])[household.pk]
    if request_token is not None:
        earlier = Payout.objects.filter(request_token=request_token).first()
        if earlier is not None:
            if (earlier.household_id, earlier.amount, earlier.paid_on) != (
                household.pk,
                amount,
                paid_on,
            ):
                raise ValidationError(
                    _(
                        "This form was already used to record another payout. "
                        "Nothing was recorded: open the payout form again."
                    )
                )
            return earlier
    if balance <= 0:
        raise PayoutExceedsBalance(
            _(
                "This household is owed nothing now: it has been paid "
                "¥%(over)s more than it earned (a refund after a payout). "
                "Nothing was recorded."
            )
            % {"over": -balance}
        )
    if amount > balance:
        raise PayoutExceedsBalance(
            _(
                "The payout of ¥%(amount)s is more than the ¥%(balance)s this "
                "household is owed. Nothing was recorded."
            )
            % {"amount": amount, "balance": balance}
        )
    payout = Payout(
        household=household,
        amount=amount,
        method=method,
        reference=reference.strip(),
        paid_on=paid_on,
        recorded_by=acting_user,
        request_token=request_token,
    )
    payout.proof.save(cleaned.name, cleaned, save=False)
    try:
        payout.save()
        ledger_append(
            household=household,
            kind=EntryKind.PAYOUT,
            amount=-amount,
            payout=payout,
            memo=payout.get_method_display() + " " + payout.reference,
            acting_user=acting_user,
        )
    except BaseException:
        # No receipt scan may outlive the payout it proves.
        payout.proof.storage.delete(payout.proof.name)
        raise
    return payout


@transaction.atomic
def ledger_correct(
    *, entry: LedgerEntry, amount: Decimal, memo: str, acting_user
) -> LedgerEntry:
    """Correct an entry by a new one (never by editing it): `amount` is added."""
    if not memo.strip():
        raise ValidationError(_("Say what the correction is for."))
    return ledger_append(
        household=entry.household,
        kind=EntryKind.CORRECTION,
        amount=amount,
        corrects=entry,
        memo=memo.strip(),
        acting_user=acting_user,
    )


# Campaigns: a short link per way of sharing the store; orders through it count.

CAMPAIGN_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # nothing to misread


def campaign_create(
    *,
    organisation: Organisation,
    name: str,
    channel: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    acting_user,
) -> Campaign:
    """Start a campaign of the organisation, with a fresh short code."""
    if ends_on < starts_on:
        raise ValidationError(_("The campaign cannot end before it starts."))
    for _attempt in range(10):
        code = "".join(secrets.choice(CAMPAIGN_CODE_ALPHABET) for _ in range(6))
        if not Campaign.objects.filter(code=code).exists():
            break
    return Campaign.objects.create(
        organisation=organisation,
        name=name.strip(),
        channel=channel,
        code=code,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=acting_user,
    )


def order_campaign_record(*, order, code: str) -> CampaignOrder | None:
    """Count the order for the campaign whose link the buyer came through, if
    that campaign runs on the day the order is placed."""
    campaign = campaign_get_running(
        code=code, day=timezone.localdate(order.date_placed)
    )
    if campaign is None:
        return None
    return CampaignOrder.objects.create(order=order, campaign=campaign)
