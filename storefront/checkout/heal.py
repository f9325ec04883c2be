"""Reconcile and heal: every intent of the store against its order, and the
repair of what a crash, a timeout or a lost webhook left behind, each once."""

import datetime
import logging
from dataclasses import dataclass, field

from django.utils import timezone
from oscar.core.loading import get_model

from sellers.preorders.services import settlement_finish_stale

from .models import (
    LIVE_STATUSES,
    PaymentRepair,
    PaymentStatus,
    RepairAction,
    StripePayment,
)
from .payments import order_expire, payment_settle
from .refunds import payment_refund_whole
from .repairs import RepairLater, repair_once
from .statuses import OrderStatus
from .stripe_api import PaymentDeclined, PaymentUnavailable, intent_cancel, stripe_call

logger = logging.getLogger(__name__)

# An intent of an open order that is not the order's current one is cancelled
# only once it is this old: a pay request may be about to record it.
STRAY_AFTER = datetime.timedelta(minutes=2)


def _orders():
    return get_model("order", "Order").objects


def _metadata(intent) -> dict:
    return intent.metadata.to_dict() if intent.metadata else {}


@dataclass(frozen=True)
class Gap:
    """An intent (or an order) that does not match, and the repair it needs."""

    action: str
    intent_id: str
    intent_status: str
    order_number: str
    order_status: str

    # The repair, for the administrator's command line (in English, as
    # reconcile_ledger's).
    TEXT = {
        RepairAction.MARK_PAID: "paid, to mark paid and credit",
        RepairAction.CAPTURE: "authorised, to capture and mark paid",
        RepairAction.CANCEL: "live without an open order, to cancel",
        RepairAction.REFUND: "paid for a released order, to refund",
        RepairAction.EXPIRE: "past its deadline, to release",
    }

    def __str__(self) -> str:
        return (
            f"{self.TEXT[self.action]}: {self.intent_id or '-'} "
            f"({self.intent_status or 'no intent'}) of order {self.order_number} "
            f"({self.order_status or 'missing'})"
        )


@dataclass
class Reconciliation:
    gaps: list[Gap] = field(default_factory=list)
    orders_without_capture: list[tuple[str, str]] = field(default_factory=list)
    orders_checked: int = 0
    intents_checked: int = 0


def _uncredited(order_numbers: set[str]) -> set[str]:
    """Of these orders, those with a live parcel not yet credited (pre-ordered
    parcels are credited when settled, not when paid)."""
    from sellers.models import EntryKind, Parcel, ParcelStatus

    return set(
        Parcel.objects.filter(order__number__in=order_numbers, preorder=False)
        .exclude(status=ParcelStatus.CANCELLED)
        .exclude(ledger_entries__kind=EntryKind.SALE)
        .values_list("order__number", flat=True)
    )


def _intent_gap(intent, order_status: str, payment, uncredited: bool, now) -> str:
    """The repair an intent needs given its order (a RepairAction, or '')."""
    pending = (OrderStatus.PENDING,)
    open_ = pending + (OrderStatus.AUTHORISED,)
    current = payment is not None and payment.payment_intent_id == intent.id
    if intent.status == PaymentStatus.SUCCEEDED:
        if order_status in open_:
            return RepairAction.MARK_PAID
        if order_status == OrderStatus.PAID:
            if current or payment is None or payment.status != PaymentStatus.SUCCEEDED:
                return RepairAction.MARK_PAID if uncredited else ""
            return RepairAction.REFUND  # a second payment of a paid order
        return RepairAction.REFUND  # released or missing
    if intent.status == PaymentStatus.REQUIRES_CAPTURE and order_status in open_:
        return RepairAction.CAPTURE
    if intent.status not in LIVE_STATUSES:
        return ""
    if order_status in pending:
        if current:
            return ""
        created = datetime.datetime.fromtimestamp(intent.created, tz=datetime.UTC)
        return RepairAction.CANCEL if created <= now - STRAY_AFTER else ""
    if intent.status == PaymentStatus.PROCESSING:
        return ""  # cannot be cancelled; it succeeds (then refunded) or fails
    return RepairAction.CANCEL


def payment_gaps(*, now: datetime.datetime | None = None) -> Reconciliation:
    """Every intent of this store (metadata.order_number) against its order,
    every order awaiting payment past its deadline, and every paid order
    without a captured payment."""
    now = now or timezone.now()
    report = Reconciliation()
    intents = [
        intent
        for intent in stripe_call(
            "payment_intents", "list", params={"limit": 100}
        ).auto_paging_iter()
        if _metadata(intent).get("order_number")
    ]
    report.intents_checked = len(intents)
    numbers = {_metadata(intent)["order_number"] for intent in intents}
    statuses = dict(_orders().values_list("number", "status"))
    report.orders_checked = len(statuses)
    payments = StripePayment.objects.in_bulk(list(numbers), field_name="order_number")
    paid = {n for n in numbers if statuses.get(n) == OrderStatus.PAID}
    uncredited = _uncredited(paid)
    refunded = set(
        PaymentRepair.objects.filter(
            action=RepairAction.REFUND, done_at__isnull=False
        ).values_list("payment_intent_id", flat=True)
    )
    captured = set()
    for intent in intents:
        number = _metadata(intent)["order_number"]
        if intent.status == PaymentStatus.SUCCEEDED:
            captured.add(number)
        action = _intent_gap(
            intent,
            statuses.get(number, ""),
            payments.get(number),
            number in uncredited,
            now,
        )
        if action == RepairAction.REFUND and intent.id in refunded:
            continue
        if action:
            report.gaps.append(
                Gap(action, intent.id, intent.status, number, statuses.get(number, ""))
            )
    report.gaps += _overdue_gaps(now)
    for number in sorted(n for n, s in statuses.items() if s == OrderStatus.PAID):
        if number not in captured:
            known = (
                payments.get(number)
                or StripePayment.objects.filter(order_number=number).first()
            )
            report.orders_without_capture.append(
                (number, known.status if known else "none")
            )
    return report


def _capture_and_settle(gap: Gap) -> str:
    intent = stripe_call(
        "payment_intents",
        "capture",
        gap.intent_id,
        options={"idempotency_key": f"bangfu-capture-{gap.intent_id}"},
    )
    if intent.status == PaymentStatus.SUCCEEDED:
        return payment_settle(order_number=gap.order_number, intent_id=intent.id)
    return intent.status


def _cancel_or_settle(gap: Gap) -> str:
    intent = intent_cancel(intent_id=gap.intent_id)
    if intent.status == PaymentStatus.SUCCEEDED:
        return payment_settle(order_number=gap.order_number, intent_id=intent.id)
    if intent.status != PaymentStatus.CANCELED:
        raise RepairLater(intent.status)
    return intent.status


def _expire(gap: Gap, now: datetime.datetime) -> str:
    status = order_expire(order_number=gap.order_number, now=now)
    if status == OrderStatus.PENDING:
        raise RepairLater(status)
    return status


def _overdue_gaps(now: datetime.datetime) -> list[Gap]:
    pending = OrderStatus.PENDING
    overdue = StripePayment.objects.filter(
        expires_at__lte=now,
        order_number__in=_orders().filter(status=pending).values("number"),
    ).order_by("expires_at")
    return [
        Gap(
            RepairAction.EXPIRE,
            payment.payment_intent_id or "",
            payment.status if payment.payment_intent_id else "",
            payment.order_number,
            pending,
        )
        for payment in overdue
    ]


def payments_heal(*, now: datetime.datetime | None = None) -> list[Gap]:
    """Repair every gap payment_gaps finds, each once; the gaps repaired here.

    (a) a payment that succeeded marks its order paid and credits it (an
    authorised order of the old model is captured first); (b) a live intent
    without an open order is cancelled, and an order past its deadline is
    released; (c) a payment for a released order (or a second one for a paid
    order) is refunded in full. A gap that fails is left for the next heal.
    """
    now = now or timezone.now()
    runs = {
        RepairAction.MARK_PAID: lambda gap: payment_settle(
            order_number=gap.order_number, intent_id=gap.intent_id
        ),
        RepairAction.CAPTURE: _capture_and_settle,
        RepairAction.CANCEL: _cancel_or_settle,
        RepairAction.REFUND: lambda gap: payment_refund_whole(
            order_number=gap.order_number, intent_id=gap.intent_id
        ),
        RepairAction.EXPIRE: lambda gap: _expire(gap, now),
    }
    repaired = []
    # Orders past their deadline first: their intents are then cancelled ones
    # (or, if paid after all, their orders paid) when the intents are compared.
    expiries = _overdue_gaps(now)
    rest = [g for g in payment_gaps(now=now).gaps if g.action != RepairAction.EXPIRE]
    for gap in expiries + rest:
        run = runs[gap.action]
        try:
            if gap.action == RepairAction.REFUND:
                done = run(gap)  # recorded by payment_refund_whole itself
            else:
                done = repair_once(
                    action=gap.action,
                    intent_id=gap.intent_id,
                    order_number=gap.order_number,
                    run=lambda run=run, gap=gap: run(gap),
                )
        except (PaymentUnavailable, PaymentDeclined, RepairLater):
            logger.warning("Heal: %s left for the next run", gap)
            continue
        if done:
            logger.warning("Heal: %s", gap)
            repaired.append(gap)
    # A settlement by weight whose attempt died after its refund is finished
    # with the figures it claimed.
    finished = settlement_finish_stale(now=now)
    if finished:
        logger.warning("Heal: %s pre-order settlement(s) finished", finished)
    return repaired
