"""The income ledger: credits, refunds, corrections and payouts, numbered per
household."""

import datetime
import uuid
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from sellers import uploads
from sellers.models import (
    EntryKind,
    Household,
    LedgerEntry,
    Parcel,
    ParcelStatus,
    Payout,
)
from sellers.notifications import Recipient, notify

from ..fulfilment.notices import parcel_context
from .summaries import summaries_add

Partner = get_model("partner", "Partner")


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
    a parcel already credited is skipped. A parcel of pre-ordered produce is
    credited when it is settled by its real weight (sellers.preorders), never
    at the estimate paid. The households' social workers are
    told of their new parcels. A constant number of queries, however many
    households the order has.
    """
    live = Parcel.objects.filter(order=order, preorder=False).exclude(
        status=ParcelStatus.CANCELLED
    )
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
    workers: dict[int, list[Recipient]] = defaultdict(list)
    rows = Partner.users.through.objects.filter(
        partner_id__in=[p.household.partner_id for p in parcels], user__is_active=True
    ).values_list("partner_id", "user__email", "user__phone")
    for partner_id, email, phone in rows:
        workers[partner_id].append(Recipient(email=email, phone=str(phone or "")))
    for parcel in parcels:
        notify(
            event="parcel_new",
            recipients=workers[parcel.household.partner_id],
            context={
                **parcel_context(parcel),
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
