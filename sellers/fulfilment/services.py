"""Orders split into parcels; parcels shipped, delivered, cancelled or refunded."""

import logging
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from sellers import clock
from sellers.models import (
    EntryKind,
    HarvestOffer,
    Household,
    LedgerEntry,
    Parcel,
    ParcelEvent,
    ParcelLine,
    ParcelStatus,
    Settlement,
)
from sellers.notifications import notify

from ..ledger.services import ledger_append
from .notices import parcel_buyer, parcel_context

logger = logging.getLogger(__name__)


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
    preordered = set(
        HarvestOffer.objects.filter(
            product_id__in=[line.product_id for line in order.lines.all()]
        ).values_list("product_id", flat=True)
    )
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
            preorder=any(line.product_id in preordered for line in lines[partner_id]),
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
        recipients=parcel_buyer(parcel.order),
        context=parcel_context(parcel),
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
        recipients=parcel_buyer(parcel.order),
        context=parcel_context(parcel),
    )
    return parcel


def unpaid_cancel_reason() -> str:
    """Why an order's parcels were cancelled when it expired unpaid, in the
    store's language (the reason is stored, as a social worker's is)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Not paid in time")


@transaction.atomic
def order_parcels_release(*, order) -> list[Parcel]:
    """Cancel the parcels of an order released unpaid; the parcels cancelled.

    Nothing was paid: nothing is refunded, debited or told to anybody (its
    households were never asked to pack it). A parcel already credited is
    left to parcel_cancel, which refunds it. Safe to call again.
    """
    reason = unpaid_cancel_reason()
    parcels = list(
        Parcel.objects.filter(order=order, status=ParcelStatus.TO_PACK)
        .exclude(ledger_entries__kind=EntryKind.SALE)
        .order_by("pk")
    )
    cancelled = []
    for parcel in parcels:
        moved = Parcel.objects.filter(pk=parcel.pk, status=ParcelStatus.TO_PACK).update(
            status=ParcelStatus.CANCELLED, cancel_reason=reason, updated_at=clock.now()
        )
        if moved:
            ParcelEvent.objects.create(
                parcel=parcel,
                status=ParcelStatus.CANCELLED,
                note=reason,
                refunded=Decimal("0.00"),
            )
            cancelled.append(parcel)
    return cancelled


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
        recipients=parcel_buyer(parcel.order),
        context={**parcel_context(parcel), "refunded": rest},
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
        recipients=parcel_buyer(parcel.order),
        context={**parcel_context(parcel), "refunded": amount},
    )
    return parcel
