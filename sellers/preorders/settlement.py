"""Settling a pre-ordered parcel by the real weight of its lines, once.

The buyer paid the estimate; what a line weighs less is refunded, what it
weighs more the household absorbs; only then is the household credited.
"""

import datetime
import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from sellers import clock
from sellers.models import (
    EntryKind,
    HarvestOffer,
    HarvestSettlement,
    HarvestWeighing,
    Parcel,
    ParcelLine,
    ParcelStatus,
    fen,
)
from sellers.notifications import notify

from ..fulfilment.notices import parcel_buyer, parcel_context
from ..fulfilment.services import _refund
from ..ledger.services import ledger_append
from .errors import PreorderError

logger = logging.getLogger(__name__)

# A settlement claimed by an attempt that died is taken over after this long.
SETTLEMENT_STALE_AFTER = datetime.timedelta(minutes=10)


def _offers_of(parcel: Parcel) -> dict[int, HarvestOffer]:
    """The parcel's order lines (by id) that are pre-ordered, with their offer."""
    lines = ParcelLine.objects.filter(parcel=parcel).select_related("line")
    offers = HarvestOffer.objects.in_bulk(
        [pl.line.product_id for pl in lines], field_name="product_id"
    )
    return {
        pl.line_id: offers[pl.line.product_id]
        for pl in lines
        if pl.line.product_id in offers
    }


def settlement_figures(
    *, parcel: Parcel, weights: dict[int, Decimal]
) -> tuple[Decimal, dict[int, tuple[Decimal, Decimal]]]:
    """What a parcel is settled at: (goods settled, {line id: (real jin,
    amount)}). A line lighter than estimated is settled at its real weight ×
    the price per jin; a heavier one at its estimate (the household absorbs
    the rest); lines not pre-ordered at their price."""
    offers = _offers_of(parcel)
    missing = set(offers) - set(weights)
    if missing or any(w <= 0 for w in weights.values()):
        raise PreorderError(_("Enter the real weight of every pre-ordered line."))
    lines = {
        pl.line_id: pl.line
        for pl in ParcelLine.objects.filter(parcel=parcel).select_related("line")
    }
    goods, weighed = Decimal("0.00"), {}
    for line_id, line in lines.items():
        estimate = line.line_price_incl_tax
        if line_id in offers:
            real = fen(weights[line_id] * offers[line_id].price_per_jin)
            amount = min(real, estimate)
            weighed[line_id] = (weights[line_id], amount)
            goods += amount
        else:
            goods += estimate
    return goods, weighed


def parcel_settle_weights(
    *, parcel: Parcel, weights: dict[int, Decimal], acting_user
) -> Parcel:
    """Settle a pre-ordered parcel by the real weight of its lines: refund the
    buyer what the estimate overcharged, credit the household what was
    settled, and tell the buyer.

    Done once: the settlement (with its figures) is claimed and committed
    first; the refund carries a reference unique to it; the ledger and the
    parcel's refunded amount are written last, with the settlement marked
    done. An attempt that died after the refund is finished by the next one
    (or settlement_finish_stale) with the figures claimed, never new ones.
    """
    parcel = Parcel.objects.select_related("order", "household").get(pk=parcel.pk)
    if not parcel.preorder:
        raise PreorderError(_("This parcel holds no pre-ordered produce."))
    if parcel.status == ParcelStatus.CANCELLED:
        raise PreorderError(_("This parcel is cancelled; nothing was changed."))
    existing = HarvestSettlement.objects.filter(parcel=parcel).first()
    if existing is not None and existing.done_at is not None:
        raise PreorderError(_("This parcel is already settled; nothing was changed."))
    if not parcel.order.status == "paid":
        raise PreorderError(
            _("The order's payment is not captured yet; try again in a minute.")
        )
    if existing is not None:
        return settlement_finish(settlement=_settlement_take_over(existing))
    goods, weighed = settlement_figures(parcel=parcel, weights=weights)
    settlement = _settlement_claim(
        parcel=parcel, goods=goods, weighed=weighed, acting_user=acting_user
    )
    try:
        return settlement_finish(settlement=settlement)
    except ValidationError:
        # The provider refused or did not answer: no refund is recorded, so
        # the claim goes and the weights can be entered again (a refund made
        # but unanswered is not made twice: its idempotency key is the same).
        _settlement_drop(settlement)
        raise


def _settlement_drop(settlement: HarvestSettlement) -> None:
    with transaction.atomic():
        if HarvestSettlement.objects.filter(
            pk=settlement.pk, done_at__isnull=True, refund_id=""
        ).exists():
            HarvestWeighing.objects.filter(settlement=settlement).delete()
            HarvestSettlement.objects.filter(pk=settlement.pk).delete()


def _settlement_claim(*, parcel, goods, weighed, acting_user) -> HarvestSettlement:
    try:
        with transaction.atomic():
            # Serialised with a cancellation of the parcel (which locks it and
            # refuses once a settlement is claimed): never both.
            locked = Parcel.objects.select_for_update().get(pk=parcel.pk)
            if locked.status == ParcelStatus.CANCELLED:
                raise PreorderError(_("This parcel is cancelled; nothing was changed."))
            settlement = HarvestSettlement.objects.create(
                parcel=parcel,
                settled_goods=goods,
                refund=parcel.goods_total - goods,
                settled_by=acting_user,
            )
            parcel_lines = dict(
                ParcelLine.objects.filter(parcel=parcel).values_list("line_id", "pk")
            )
            HarvestWeighing.objects.bulk_create(
                HarvestWeighing(
                    settlement=settlement,
                    parcel_line_id=parcel_lines[line_id],
                    real_jin=real,
                    amount=amount,
                )
                for line_id, (real, amount) in weighed.items()
            )
    except IntegrityError:
        raise PreorderError(
            _("This parcel is being settled just now; nothing was changed.")
        ) from None
    return settlement


def _settlement_take_over(settlement: HarvestSettlement) -> HarvestSettlement:
    """The claim of an attempt that died, once it is stale; else refused."""
    now = clock.now()
    taken = HarvestSettlement.objects.filter(
        pk=settlement.pk,
        done_at__isnull=True,
        updated_at__lt=now - SETTLEMENT_STALE_AFTER,
    ).update(updated_at=now)
    if not taken:
        raise PreorderError(
            _("This parcel is being settled just now; nothing was changed.")
        )
    settlement.refresh_from_db()
    return settlement


def settlement_finish(*, settlement: HarvestSettlement) -> Parcel:
    """Refund (once, by the settlement's reference) and credit a claimed
    settlement; the parcel after."""
    parcel = settlement.parcel
    if settlement.refund > 0 and not settlement.refund_id:
        refund_id = _refund(parcel, settlement.refund, f"parcel-{parcel.pk}-harvest")
        # Kept at once: a crash before the ledger below then finds it made.
        HarvestSettlement.objects.filter(pk=settlement.pk).update(refund_id=refund_id)
        settlement.refund_id = refund_id
    with transaction.atomic():
        done = HarvestSettlement.objects.filter(
            pk=settlement.pk, done_at__isnull=True
        ).update(done_at=clock.now(), updated_at=clock.now())
        if not done:
            parcel.refresh_from_db()
            return parcel
        if settlement.refund:
            Parcel.objects.filter(pk=parcel.pk).update(
                refunded=F("refunded") + settlement.refund,
                refund_id=settlement.refund_id,
                updated_at=clock.now(),
            )
        parcel.refresh_from_db()
        share = parcel.household_share - settlement.refund
        ledger_append(
            household=parcel.household,
            kind=EntryKind.SALE,
            amount=share,
            parcel=parcel,
            memo=_("Order %(number)s: settled by weight")
            % {"number": parcel.order.number},
            acting_user=settlement.settled_by,
        )
        notify(
            event="preorder_settled",
            recipients=parcel_buyer(parcel.order),
            context={
                **parcel_context(parcel),
                "settled": settlement.settled_goods,
                "refunded": settlement.refund,
                "weighings": list(
                    settlement.weighings.select_related("parcel_line__line")
                ),
            },
        )
    return parcel


def settlement_finish_stale(*, now: datetime.datetime | None = None) -> int:
    """Finish every settlement an attempt claimed and left (it died); how many."""
    now = now or clock.now()
    stale = HarvestSettlement.objects.filter(
        done_at__isnull=True, updated_at__lt=now - SETTLEMENT_STALE_AFTER
    ).select_related("parcel")
    finished = 0
    for settlement in stale:
        taken = HarvestSettlement.objects.filter(
            pk=settlement.pk, done_at__isnull=True, updated_at=settlement.updated_at
        ).update(updated_at=now)
        if not taken:
            continue
        try:
            settlement_finish(settlement=settlement)
        except ValidationError:
            logger.warning("Settlement %s left for the next heal", settlement.pk)
            continue
        finished += 1
    return finished
