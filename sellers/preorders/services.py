"""Harvest pre-orders: offered, settled by real weight, cut short or delayed.

The buyer pays the full estimate when ordering (no authorisation is held
for weeks); each parcel is settled by its real weight, the difference
refunded, and only then is the household credited what was settled.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from sellers import clock
from sellers.models import (
    EntryKind,
    HarvestOffer,
    HarvestSettlement,
    LedgerEntry,
    Parcel,
    ParcelLine,
    ParcelStatus,
)
from sellers.notifications import notify
from sellers.signals import preorder_changed

from ..fulfilment.notices import parcel_buyer, parcel_context
from ..fulfilment.services import _parcel_move, _refund, parcel_cancel
from .errors import PreorderError
from .selectors import preorder_parcel_cancellable
from .settlement import (  # noqa: F401  (the package's one entry point)
    parcel_settle_weights,
    settlement_figures,
    settlement_finish,
    settlement_finish_stale,
)

StockRecord = get_model("partner", "StockRecord")


def _offer_check(*, window_start, window_end, price_per_jin, jin_per_piece, limit):
    if window_end < window_start:
        raise PreorderError(_("The harvest window must end on or after its start."))
    if price_per_jin <= 0 or jin_per_piece <= 0:
        raise PreorderError(_("Enter a price per jin and a weight per piece above 0."))
    if limit < 1:
        raise PreorderError(_("Allow at least 1 piece per order."))


@transaction.atomic
def harvest_offer_create(
    *,
    product,
    window_start: datetime.date,
    window_end: datetime.date,
    price_per_jin: Decimal,
    jin_per_piece: Decimal,
    capacity: int,
    per_order_limit: int,
    tolerance_percent: Decimal = Decimal("10.00"),
    acting_user=None,
) -> HarvestOffer:
    """Offer a household's product for pre-order: its capacity in pieces and
    the estimated price of a piece become its stock record's."""
    _offer_check(
        window_start=window_start,
        window_end=window_end,
        price_per_jin=price_per_jin,
        jin_per_piece=jin_per_piece,
        limit=per_order_limit,
    )
    if capacity < 1:
        raise PreorderError(_("Offer at least 1 piece."))
    if HarvestOffer.objects.filter(product=product).exists():
        raise PreorderError(_("This product is already offered for pre-order."))
    stockrecord = StockRecord.objects.select_related("partner__household").get(
        product=product
    )
    offer = HarvestOffer.objects.create(
        product=product,
        household=stockrecord.partner.household,
        window_start=window_start,
        window_end=window_end,
        price_per_jin=price_per_jin,
        jin_per_piece=jin_per_piece,
        per_order_limit=per_order_limit,
        tolerance_percent=tolerance_percent,
        created_by=acting_user,
    )
    StockRecord.objects.filter(pk=stockrecord.pk).update(
        price=offer.piece_price, num_in_stock=capacity, date_updated=clock.now()
    )
    _pages_changed()
    return offer


def _pages_changed() -> None:
    """Cached pages show offers (window, capacity left): they are stale now."""
    preorder_changed.send(sender=HarvestOffer)


def preorder_limit_check(*, product, quantity: int) -> str:
    """Why `quantity` pieces of this product cannot be in one order ('' if
    they can): a pre-order's per-order limit."""
    offer = HarvestOffer.objects.filter(product=product).first()
    if offer is None or quantity <= offer.per_order_limit:
        return ""
    return _("“%(product)s” is a pre-order: at most %(limit)s per order.") % {
        "product": product.get_title(),
        "limit": offer.per_order_limit,
    }


def preorder_parcel_cancel(*, parcel: Parcel, reason: str, acting_user) -> Parcel:
    """Cancel a pre-ordered parcel not yet sent and refund its buyer in full;
    one already settled goes through parcel_cancel (its credit is debited
    back), one not yet settled was never credited, so nothing is debited."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the parcel is cancelled."))
    if LedgerEntry.objects.filter(parcel=parcel, kind=EntryKind.SALE).exists():
        return parcel_cancel(parcel=parcel, reason=reason, acting_user=acting_user)
    with transaction.atomic():
        parcel = Parcel.objects.select_for_update().get(pk=parcel.pk)
        if HarvestSettlement.objects.filter(parcel=parcel).exists():
            raise PreorderError(
                _("This parcel is being settled just now; nothing was changed.")
            )
        rest = parcel.total - parcel.refunded
        parcel = _parcel_move(
            parcel=parcel,
            status=ParcelStatus.CANCELLED,
            acting_user=acting_user,
            note=reason,
            cancel_reason=reason,
            event={"refunded": rest},
        )
        # Never credited, so nothing is debited: the whole payment goes back.
        refund_id = _refund(parcel, rest, f"parcel-{parcel.pk}")
        Parcel.objects.filter(pk=parcel.pk).update(
            refund_id=refund_id, refunded=parcel.total
        )
        _allocation_release(parcel)
        _pages_changed()
        parcel.refresh_from_db()
        notify(
            event="parcel_cancelled",
            recipients=parcel_buyer(parcel.order),
            context={**parcel_context(parcel), "refunded": rest},
        )
    return parcel


def _allocation_release(parcel: Parcel) -> None:
    """Give the parcel's pieces back to their stock records' capacity."""
    lines = ParcelLine.objects.filter(parcel=parcel).values_list(
        "line__stockrecord_id", "line__quantity"
    )
    for stockrecord_id, quantity in lines:
        StockRecord.objects.filter(
            pk=stockrecord_id, num_allocated__gte=quantity
        ).update(num_allocated=F("num_allocated") - quantity, date_updated=clock.now())


def _offer_parcels(offer: HarvestOffer):
    """The live parcels holding this offer's pieces, in order-received order,
    each with the pieces it holds."""
    rows = (
        ParcelLine.objects.filter(line__product_id=offer.product_id)
        .exclude(parcel__status=ParcelStatus.CANCELLED)
        .select_related("parcel__order", "parcel__household", "line")
        .order_by("parcel__order__date_placed", "parcel__order_id", "pk")
    )
    parcels: dict[int, list] = {}
    for row in rows:
        entry = parcels.setdefault(row.parcel_id, [row.parcel, 0])
        entry[1] += row.line.quantity
    return list(parcels.values())


def harvest_record_catch(
    *, offer: HarvestOffer, pieces: int, acting_user
) -> list[Parcel]:
    """Record the pieces actually caught; the pre-orders that cannot be filled
    (the last received first to go) are cancelled and refunded in full, and
    their buyers told. The parcels cancelled."""
    if pieces < 0:
        raise PreorderError(_("Enter the pieces caught (0 or more)."))
    with transaction.atomic():
        # Locks the capacity against orders being placed meanwhile.
        stockrecord = StockRecord.objects.select_for_update().get(
            product_id=offer.product_id
        )
        parcels = _offer_parcels(offer)
        if any(p.order.status != "paid" for p, _n in parcels):
            raise PreorderError(
                _(
                    "Some pre-orders are still being paid; record the catch again "
                    "in 15 minutes (unpaid orders are released by then)."
                )
            )
        kept, cut = 0, []
        for parcel, quantity in parcels:
            if not cut and kept + quantity <= pieces:
                kept += quantity
            else:
                cut.append(parcel)
        HarvestOffer.objects.filter(pk=offer.pk).update(caught_pieces=pieces)
        StockRecord.objects.filter(pk=stockrecord.pk).update(
            num_in_stock=pieces, date_updated=clock.now()
        )
    reason = _("Short harvest: only %(pieces)s caught") % {"pieces": pieces}
    cancelled = [
        preorder_parcel_cancel(parcel=p, reason=reason, acting_user=acting_user)
        for p in cut
    ]
    offer.refresh_from_db()
    _pages_changed()
    return cancelled


@transaction.atomic
def harvest_delay(
    *,
    offer: HarvestOffer,
    window_start: datetime.date,
    window_end: datetime.date,
    acting_user,
) -> HarvestOffer:
    """Move the harvest window later and tell every buyer waiting for it that
    they may cancel for a full refund."""
    if window_end < window_start:
        raise PreorderError(_("The harvest window must end on or after its start."))
    if window_start <= offer.window_start and window_end <= offer.window_end:
        raise PreorderError(_("A delay moves the window later."))
    old = (offer.window_start, offer.window_end)
    HarvestOffer.objects.filter(pk=offer.pk).update(
        window_start=window_start, window_end=window_end, delayed_at=clock.now()
    )
    offer.refresh_from_db()
    for parcel, _pieces in _offer_parcels(offer):
        if hasattr(parcel, "harvest_settlement"):
            continue
        notify(
            event="preorder_delayed",
            recipients=parcel_buyer(parcel.order),
            context={**parcel_context(parcel), "offer": offer, "old_window": old},
        )
    _pages_changed()
    return offer


def preorder_buyer_cancel(*, order, acting_user=None) -> list[Parcel]:
    """The buyer withdraws the pre-ordered parcels of his order whose harvest
    was delayed (full refunds); the parcels cancelled."""
    parcels = [
        parcel
        for parcel in Parcel.objects.filter(
            order=order, preorder=True, status=ParcelStatus.TO_PACK
        ).order_by("pk")
        if preorder_parcel_cancellable(parcel=parcel)
    ]
    if not parcels:
        raise PreorderError(_("Nothing in this order can be cancelled now."))
    reason = _("Cancelled by the buyer after the harvest was delayed")
    return [
        preorder_parcel_cancel(parcel=p, reason=reason, acting_user=acting_user)
        for p in parcels
    ]
