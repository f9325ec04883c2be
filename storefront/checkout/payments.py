"""Every read and write of payments: one order, one live PaymentIntent, in fen.

The order is placed first, awaiting payment, with its stock held
(`payment_open`); then the buyer pays it (`payment_pay`) by WeChat Pay, Alipay
or card, every method captured at once. Paid is what Stripe says — its
webhook (`event_apply`) or the intent read back (`payment_refresh`, the heal)
— never a status kept here. An order not paid in time is released
(`order_expire`). `payments_heal` compares every intent of the store with its
order and repairs what a crash, a timeout or a lost webhook left behind, each
repair once (PaymentRepair).
"""

import datetime
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from .models import (
    LIVE_STATUSES,
    STATUS_RANK,
    PaymentRepair,
    PaymentStatus,
    RepairAction,
    StripeEvent,
    StripePayment,
)
from .statuses import OrderStatus
from .stock import stock_release

logger = logging.getLogger(__name__)

# The methods the pay page offers, in the order Chinese buyers expect them.
METHOD_TYPES = ("wechat_pay", "alipay", "card")
# An intent of an open order that is not the order's current one is cancelled
# only once it is this old: a pay request may be about to record it.
STRAY_AFTER = datetime.timedelta(minutes=2)
# A repair claimed by a heal that died is taken over after this long.
REPAIR_STALE_AFTER = datetime.timedelta(minutes=10)


class PaymentDeclined(Exception):
    """The payment was refused; the message can be shown to the buyer."""


class PaymentUnavailable(Exception):
    """Stripe could not be reached or failed; the message can be shown."""


class StripeRefused(PaymentUnavailable):
    """Stripe refused the request itself (say, cancelling a paid intent)."""


class RepairLater(Exception):
    """Nothing could be done yet (Stripe is still processing): try next heal."""


class OrderReleased(Exception):
    """The order was not paid in time: it is cancelled and its stock released."""

    def __init__(self):
        super().__init__(
            _(
                "This order was not paid within %(minutes)s minutes, so it was "
                "cancelled and its produce offered to other buyers again. Nothing "
                "was charged. You can put the same items back in your basket and "
                "order again."
            )
            % {"minutes": settings.BANGFU_ORDER_PAY_MINUTES}
        )


def _orders():
    return get_model("order", "Order").objects


# Stripe: one client per call, within the request's time budget.

_deadline: ContextVar[float | None] = ContextVar("stripe_deadline", default=None)


@contextmanager
def stripe_deadline(*, seconds: float) -> Iterator[None]:
    """Every Stripe call inside gives up so that all of them together wait at
    most `seconds` (a buyer's request must not hang on a slow Stripe)."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def _unavailable_message() -> str:
    return _(
        "The payment service cannot be reached just now. If you were charged, "
        "the order is confirmed within a few minutes; otherwise please try "
        "again in a minute."
    )


def stripe_client() -> stripe.StripeClient:
    """A client for Stripe (or the Stripe-compatible server in STRIPE_API_BASE)."""
    timeout = settings.STRIPE_TIMEOUT
    deadline = _deadline.get()
    if deadline is not None:
        left = deadline - time.monotonic()
        if left < 1:
            raise PaymentUnavailable(_unavailable_message())
        # Two tries and the pause between them (0.5–1 s) fit in what is left.
        timeout = min(timeout, (left - 1) / 2)
    options = {}
    if settings.STRIPE_API_BASE:
        options["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        http_client=stripe.new_default_http_client(timeout=timeout),
        max_network_retries=1,
        **options,
    )


def to_fen(amount: Decimal) -> int:
    """Yuan to fen, exactly: Stripe takes CNY in its smallest unit."""
    return int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _declined_message(error: stripe.CardError) -> str:
    if getattr(error, "code", "") == "payment_intent_authentication_failure":
        return _("The card's 3-D Secure check did not succeed. Nothing was charged.")
    return _("Your card was declined. Nothing was charged; please try another card.")


def _call(resource: str, method: str, *args, **kwargs):
    """Call Stripe's v1 `resource.method`, turning its errors into ours."""
    function = getattr(getattr(stripe_client().v1, resource), method)
    try:
        return function(*args, **kwargs)
    except stripe.CardError as error:
        raise PaymentDeclined(_declined_message(error)) from error
    except stripe.InvalidRequestError as error:
        logger.warning("Stripe refused %s.%s: %s", resource, method, error.code)
        raise StripeRefused(_unavailable_message()) from error
    except stripe.StripeError as error:
        logger.warning("Stripe call failed: %s", type(error).__name__)
        raise PaymentUnavailable(_unavailable_message()) from error


def _metadata(intent) -> dict:
    return intent.metadata.to_dict() if intent.metadata else {}


# Paying an order.


@dataclass
class PayAnswer:
    """What the pay page needs to go on: Stripe's status and next action."""

    status: str
    client_secret: str = ""
    next_action: dict | None = None

    @classmethod
    def of(cls, intent) -> "PayAnswer":
        return cls(
            status=intent.status,
            client_secret=intent.client_secret or "",
            next_action=intent.next_action.to_dict() if intent.next_action else None,
        )


def method_types_enabled() -> list[str]:
    """The payment methods offered, in the pay page's order."""
    enabled = {
        "wechat_pay": settings.BANGFU_WECHAT_PAY_ENABLED,
        "alipay": settings.BANGFU_ALIPAY_ENABLED,
        "card": True,
    }
    return [method for method in METHOD_TYPES if enabled[method]]


def payment_open(*, order) -> StripePayment:
    """The payment of an order just placed: its amount and the moment it expires.

    Called inside the placement's transaction; no intent exists yet.
    """
    return StripePayment.objects.create(
        order_number=str(order.number),
        amount_fen=to_fen(order.total_incl_tax),
        expires_at=timezone.now()
        + datetime.timedelta(minutes=settings.BANGFU_ORDER_PAY_MINUTES),
    )


def _expired(payment: StripePayment, now: datetime.datetime) -> bool:
    return payment.expires_at is not None and payment.expires_at <= now


def _attempt_claim(*, order_number: str) -> tuple[int, str | None]:
    """The next attempt's number and the intent it replaces (now forgotten).

    Under the order's lock, so that it waits for a simultaneous settle; only
    an open order gets a new attempt.
    """
    with transaction.atomic():
        order = _orders().select_for_update().get(number=order_number)
        payment = StripePayment.objects.select_for_update().get(
            order_number=order_number
        )
        if order.status == OrderStatus.CANCELLED:
            raise OrderReleased()
        if order.status == OrderStatus.PAID:
            return 0, None  # paid meanwhile
        if order.status != OrderStatus.PENDING:
            # An authorised order of the old model: the heal captures it.
            raise PaymentDeclined(_("This order cannot be paid here."))
        StripePayment.objects.filter(pk=payment.pk).update(
            attempt=F("attempt") + 1,
            payment_intent_id=None,
            status=PaymentStatus.REQUIRES_PAYMENT_METHOD,
        )
        return payment.attempt + 1, payment.payment_intent_id


def _intent_cancel(intent_id: str):
    """Cancel an intent; the intent as Stripe then has it (it may have
    succeeded or be processing, which cannot be cancelled)."""
    try:
        return _call("payment_intents", "cancel", intent_id)
    except StripeRefused:
        return _call("payment_intents", "retrieve", intent_id)


def payment_pay(
    *,
    order_number: str,
    method_type: str,
    payment_method: str = "",
    return_url: str = "",
) -> PayAnswer:
    """Pay the order with a card (`payment_method` from Stripe.js) or a wallet.

    The amount is the order's. A new intent replaces the order's live one
    (cancelled first), so the order never has two; a wallet intent awaiting
    the buyer's scan is reused. Raises OrderReleased for an order released or
    expired, PaymentDeclined and PaymentUnavailable with the buyer's message.
    """
    order_number = str(order_number)
    payment = StripePayment.objects.get(order_number=order_number)
    answer = _answer_from_order(order_number=order_number, payment=payment)
    if answer is not None:
        return answer
    if payment.payment_intent_id:
        intent = _call("payment_intents", "retrieve", payment.payment_intent_id)
        if intent.status in (PaymentStatus.SUCCEEDED, PaymentStatus.PROCESSING):
            return _answer_from_intent(order_number=order_number, intent=intent)
        if (
            method_type != "card"
            and intent.status == PaymentStatus.REQUIRES_ACTION
            and list(intent.payment_method_types or []) == [method_type]
        ):
            return PayAnswer.of(intent)  # the QR code or link already shown
    attempt, replaced = _attempt_claim(order_number=order_number)
    if not attempt:
        return PayAnswer(status=PaymentStatus.SUCCEEDED)
    if replaced:
        old = _intent_cancel(replaced)
        if old.status == PaymentStatus.SUCCEEDED:
            return _answer_from_intent(order_number=order_number, intent=old)
    params = {
        "amount": payment.amount_fen,
        "currency": "cny",
        "payment_method_types": [method_type],
        "confirm": True,
        "metadata": {"order_number": order_number, "attempt": str(attempt)},
    }
    if method_type == "card":
        params["payment_method"] = payment_method
    else:
        params["payment_method_data"] = {"type": method_type}
        params["return_url"] = return_url
        if method_type == "wechat_pay":
            params["payment_method_options"] = {"wechat_pay": {"client": "web"}}
    try:
        intent = _call(
            "payment_intents",
            "create",
            params=params,
            options={"idempotency_key": f"bangfu-{order_number}-{attempt}"},
        )
    except PaymentDeclined as error:
        # Stripe names the declined intent: the next click cancels it.
        declined = getattr(
            getattr(error.__cause__, "error", None), "payment_intent", None
        )
        if declined is not None:
            StripePayment.objects.filter(
                order_number=order_number, attempt=attempt
            ).update(payment_intent_id=declined.id)
        raise
    recorded = StripePayment.objects.filter(
        order_number=order_number, attempt=attempt
    ).update(payment_intent_id=intent.id, status=intent.status)
    if not recorded:
        # A later click, the expiry or a settle took over: ours must not stay live.
        intent = _intent_cancel(intent.id)
        if intent.status != PaymentStatus.SUCCEEDED:
            raise PaymentUnavailable(_("Please try again."))
    return _answer_from_intent(order_number=order_number, intent=intent)


def _answer_from_order(*, order_number: str, payment: StripePayment):
    """The answer when the order itself decides it (paid, released, expired)."""
    order = _orders().get(number=order_number)
    if order.status == OrderStatus.PAID:
        return PayAnswer(status=PaymentStatus.SUCCEEDED)
    if order.status == OrderStatus.CANCELLED:
        raise OrderReleased()
    if _expired(payment, timezone.now()):
        if order_expire(order_number=order_number) == OrderStatus.PAID:
            return PayAnswer(status=PaymentStatus.SUCCEEDED)
        raise OrderReleased()
    return None


def _answer_from_intent(*, order_number: str, intent) -> PayAnswer:
    if intent.status == PaymentStatus.SUCCEEDED:
        if payment_settle(order_number=order_number, intent_id=intent.id) != (
            OrderStatus.PAID
        ):
            raise OrderReleased()
    return PayAnswer.of(intent)


def payment_refresh(*, order_number: str) -> PayAnswer:
    """The order's payment as Stripe has it now (the pay page polls this while
    a QR code is shown; the return page reads it once)."""
    order_number = str(order_number)
    payment = StripePayment.objects.get(order_number=order_number)
    answer = _answer_from_order(order_number=order_number, payment=payment)
    if answer is not None:
        return answer
    if not payment.payment_intent_id:
        return PayAnswer(status=PaymentStatus.REQUIRES_PAYMENT_METHOD)
    intent = _call("payment_intents", "retrieve", payment.payment_intent_id)
    StripePayment.objects.filter(pk=payment.pk, payment_intent_id=intent.id).exclude(
        status=PaymentStatus.SUCCEEDED
    ).update(status=intent.status)
    return _answer_from_intent(order_number=order_number, intent=intent)


# Paid, released, refunded.


@transaction.atomic
def order_mark_paid(*, order_number: str) -> bool:
    """Move the order to Paid once Stripe says the money was taken, and credit
    its households (once, however often and however concurrently this is
    called: the order's row is locked). False for a cancelled or missing order.
    """
    from sellers.ledger.services import order_credit_households

    order = _orders().select_for_update().filter(number=order_number).first()
    if order is None or order.status == OrderStatus.CANCELLED:
        return False
    if order.status in (
        OrderStatus.PENDING,
        OrderStatus.AUTHORISED,
    ):
        order.set_status(OrderStatus.PAID)
    order_credit_households(order=order)
    return True


def payment_settle(*, order_number: str, intent_id: str) -> str:
    """Act on an intent Stripe says succeeded; the order's status after.

    The order is marked paid and credited, or — if it was released meanwhile,
    is missing, or was paid by another intent — the money goes back in full.
    """
    with transaction.atomic():
        order = _orders().select_for_update().filter(number=order_number).first()
        payment = StripePayment.objects.filter(order_number=order_number).first()
        paid_by_other = (
            order is not None
            and order.status == OrderStatus.PAID
            and payment is not None
            and payment.status == PaymentStatus.SUCCEEDED
            and payment.payment_intent_id not in (None, intent_id)
        )
        if order is not None and not paid_by_other:
            if order_mark_paid(order_number=order_number):
                # The attempt moves on, so that no pay request in flight can
                # record its intent over the one that paid.
                StripePayment.objects.filter(order_number=order_number).update(
                    payment_intent_id=intent_id,
                    status=PaymentStatus.SUCCEEDED,
                    attempt=F("attempt") + 1,
                )
                return OrderStatus.PAID
    payment_refund_whole(order_number=order_number, intent_id=intent_id)
    return order.status if order is not None else ""


def payment_refund_whole(*, order_number: str, intent_id: str) -> bool:
    """Give back a payment that bought nothing (its order was released, or it
    paid an order twice); once per intent, however many callers."""

    def refund() -> str:
        made = _call(
            "refunds",
            "create",
            params={
                "payment_intent": intent_id,
                # No parcel reference: this money never was a household's sale.
                "metadata": {"order_number": order_number, "repair": "refund"},
            },
            options={"idempotency_key": f"bangfu-refund-{intent_id}"},
        )
        logger.warning("Order #%s: refunded %s in full", order_number, intent_id)
        return made.id

    return _repair(
        action=RepairAction.REFUND,
        intent_id=intent_id,
        order_number=order_number,
        run=refund,
    )


def order_release(*, order_number: str) -> str:
    """Cancel an unpaid order and put its stock back (once: only a pending
    order is released, under its row lock); the order's status after."""
    with transaction.atomic():
        order = _orders().select_for_update().filter(number=order_number).first()
        if order is None:
            return ""
        if order.status != OrderStatus.PENDING:
            return order.status
        # In stock-record id order, as the allocation took them.
        for line in order.lines.select_related("product__product_class").order_by(
            "stockrecord_id", "id"
        ):
            product = line.product
            if (
                line.stockrecord_id
                and product
                and product.get_product_class().track_stock
            ):
                stock_release(
                    stockrecord_id=line.stockrecord_id, quantity=line.quantity
                )
        order.set_status(OrderStatus.CANCELLED)
        StripePayment.objects.filter(order_number=order_number).exclude(
            status=PaymentStatus.SUCCEEDED
        ).update(status=PaymentStatus.CANCELED, attempt=F("attempt") + 1)
    logger.info("Order #%s: not paid in time, released", order_number)
    return OrderStatus.CANCELLED


def order_expire(*, order_number: str, now: datetime.datetime | None = None) -> str:
    """Release an order not paid by its deadline; the order's status after.

    Its intent is cancelled at Stripe first: if that fails because the buyer
    paid after all, the order is marked paid instead; if Stripe cannot be
    reached, the order stays as it is (the heal tries again).
    """
    order_number = str(order_number)
    now = now or timezone.now()
    payment = StripePayment.objects.filter(order_number=order_number).first()
    order = _orders().filter(number=order_number).first()
    if order is None or order.status != OrderStatus.PENDING:
        return order.status if order is not None else ""
    if payment is None or not _expired(payment, now):
        return order.status
    if payment.payment_intent_id:
        intent = _intent_cancel(payment.payment_intent_id)
        if intent.status == PaymentStatus.SUCCEEDED:
            return payment_settle(order_number=order_number, intent_id=intent.id)
        if intent.status != PaymentStatus.CANCELED:
            return order.status  # processing: Stripe decides soon, the heal reads it
    return order_release(order_number=order_number)


# Webhooks.

EVENT_STATUS = {
    "payment_intent.amount_capturable_updated": PaymentStatus.REQUIRES_CAPTURE,
    "payment_intent.requires_action": PaymentStatus.REQUIRES_ACTION,
    "payment_intent.processing": PaymentStatus.PROCESSING,
    "payment_intent.payment_failed": PaymentStatus.REQUIRES_PAYMENT_METHOD,
    "payment_intent.succeeded": PaymentStatus.SUCCEEDED,
    "payment_intent.canceled": PaymentStatus.CANCELED,
}


def _quietly(function: Callable, **kwargs) -> None:
    """Run a webhook's follow-up; on failure the heal repairs it later."""
    try:
        function(**kwargs)
    except Exception:
        logger.exception("Webhook follow-up %s failed", function.__name__)


def _release_if_expired(*, order_number: str, intent_id: str) -> None:
    # Only the order's current intent, and only past its deadline: an intent
    # replaced by the buyer's next click is cancelled too, and must not
    # release the order he is paying.
    payment = StripePayment.objects.filter(
        order_number=order_number, payment_intent_id=intent_id
    ).first()
    if payment is not None and _expired(payment, timezone.now()):
        order_release(order_number=order_number)


@transaction.atomic
def event_apply(*, event) -> bool:
    """Apply a verified webhook event once; True if it changed a payment's status.

    Duplicates are ignored by event id; an event older than the payment's
    status (out of order) cannot move it back; unknown types are recorded only.
    A success marks the order paid (or refunds it if it was released); a
    cancellation of an expired order's intent releases the order.
    """
    data = event.data.object
    intent_id = data.id if event.type.startswith("payment_intent.") else ""
    _event, created = StripeEvent.objects.get_or_create(
        id=event.id,
        defaults={
            "type": event.type,
            "payment_intent_id": intent_id,
            "created": datetime.datetime.fromtimestamp(event.created, tz=datetime.UTC),
        },
    )
    status = EVENT_STATUS.get(event.type)
    if not created or status is None:
        return False
    payment = (
        StripePayment.objects.select_for_update()
        .filter(payment_intent_id=intent_id)
        .first()
    )
    metadata = data.to_dict().get("metadata") or {}
    number = payment.order_number if payment else metadata.get("order_number")
    if status == PaymentStatus.SUCCEEDED and number:
        # Even when the store already knows: marking paid and crediting are
        # idempotent, and may have failed after the status was recorded.
        transaction.on_commit(
            lambda: _quietly(payment_settle, order_number=number, intent_id=intent_id)
        )
    if status == PaymentStatus.CANCELED and payment is not None:
        transaction.on_commit(
            lambda: _quietly(
                _release_if_expired, order_number=number, intent_id=intent_id
            )
        )
    if payment is None or payment.status == status:
        return False
    current = STATUS_RANK.get(payment.status, -1)
    final = current == STATUS_RANK[PaymentStatus.SUCCEEDED]
    if final or STATUS_RANK[status] < current:
        return False
    payment.status = status
    payment.save(update_fields=["status", "updated_at"])
    StripeEvent.objects.filter(id=event.id).update(changed_status=True)
    return True


# Parcel refunds (sellers' BANGFU_REFUND_BACKEND).


def payment_refund(*, order_number: str, amount: Decimal, reference: str) -> str:
    """Return part of a captured payment to the buyer; the refund's id.

    The idempotency key is the reference (one parcel), so a retry after a
    lost answer cannot refund twice.
    """
    payment = StripePayment.objects.filter(
        order_number=str(order_number), status=PaymentStatus.SUCCEEDED
    ).first()
    if payment is None:
        raise PaymentUnavailable(_("This order has no captured payment to refund."))
    refund = _call(
        "refunds",
        "create",
        params={
            "payment_intent": payment.payment_intent_id,
            "amount": to_fen(amount),
            "metadata": {"order_number": str(order_number), "reference": reference},
        },
        options={"idempotency_key": f"bangfu-refund-{reference}"},
    )
    return refund.id


def payment_refund_list():
    """Every refund Stripe holds for this account, page by page."""
    listing = _call("refunds", "list", params={"limit": 100})
    return listing.auto_paging_iter()


# Reconcile and heal.


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
    """Of these orders, those with a live parcel not yet credited."""
    from sellers.models import EntryKind, Parcel, ParcelStatus

    return set(
        Parcel.objects.filter(order__number__in=order_numbers)
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
        for intent in _call(
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


def _repair(*, action: str, intent_id: str, order_number: str, run: Callable) -> bool:
    """Do `run` once for this action and intent; False if another heal has it.

    The claim (a row unique per action and intent) is committed before the
    action, so two heals at once do it once; if the action fails the claim is
    dropped (the next heal tries again); a heal killed half-way leaves a claim
    that is taken over once it is stale.
    """
    now = timezone.now()
    key = {
        "action": action,
        "payment_intent_id": intent_id,
        "order_number": order_number,
    }
    try:
        with transaction.atomic():
            repair = PaymentRepair.objects.create(**key)
    except IntegrityError:
        taken = PaymentRepair.objects.filter(
            **key, done_at__isnull=True, updated_at__lt=now - REPAIR_STALE_AFTER
        ).update(updated_at=now)
        if not taken:
            return False
        repair = PaymentRepair.objects.get(**key)
    try:
        detail = run()
    except Exception:
        # RepairLater included: the claim goes, so the next heal tries again.
        PaymentRepair.objects.filter(pk=repair.pk, done_at__isnull=True).delete()
        raise
    PaymentRepair.objects.filter(pk=repair.pk).update(
        done_at=timezone.now(), detail=str(detail or "")[:255]
    )
    return True


def _capture_and_settle(gap: Gap) -> str:
    intent = _call(
        "payment_intents",
        "capture",
        gap.intent_id,
        options={"idempotency_key": f"bangfu-capture-{gap.intent_id}"},
    )
    if intent.status == PaymentStatus.SUCCEEDED:
        return payment_settle(order_number=gap.order_number, intent_id=intent.id)
    return intent.status


def _cancel_or_settle(gap: Gap) -> str:
    intent = _intent_cancel(gap.intent_id)
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
                done = _repair(
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
    return repaired
