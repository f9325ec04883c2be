"""Every read and write of card payments: one PaymentIntent per order, in fen.

Authorise (create and confirm with manual capture) → place the order → capture;
if placing fails, cancel. Webhook events are applied here too, once each, and
never move a payment back to an earlier status.
"""

import datetime
import logging
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import STATUS_RANK, PaymentStatus, StripeEvent, StripePayment
from .statuses import OrderStatus

logger = logging.getLogger(__name__)


class PaymentDeclined(Exception):
    """The card was refused; the message can be shown to the buyer."""


class PaymentUnavailable(Exception):
    """Stripe could not be reached or failed; nothing was charged."""


def stripe_client() -> stripe.StripeClient:
    """A client for Stripe (or the Stripe-compatible server in STRIPE_API_BASE)."""
    options = {}
    if settings.STRIPE_API_BASE:
        options["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        http_client=stripe.new_default_http_client(timeout=settings.STRIPE_TIMEOUT),
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


def _call(function, *args, **kwargs):
    """Call Stripe, turning its errors into the two kinds the checkout handles."""
    try:
        return function(*args, **kwargs)
    except stripe.CardError as error:
        raise PaymentDeclined(_declined_message(error)) from error
    except stripe.StripeError as error:
        logger.warning("Stripe call failed: %s", type(error).__name__)
        raise PaymentUnavailable(
            _(
                "The payment service cannot be reached just now. Nothing was "
                "charged and your basket is kept; please try again in a minute."
            )
        ) from error


def _record(payment: StripePayment, intent) -> StripePayment:
    """Store the status an API call just returned (the present, unlike webhooks)."""
    payment.status = intent.status
    payment.save(update_fields=["status", "updated_at"])
    return payment


def payment_authorize(
    *, order_number: str, amount: Decimal, payment_method: str
) -> tuple[StripePayment, str]:
    """Authorise the order's amount on a card; returns the payment and client secret.

    The order's PaymentIntent is created once and reused on every later click:
    a new card confirms the same intent; a changed basket amount cancels it and
    starts the order's next one.
    """
    order_number = str(order_number)  # Oscar's generator gives an int
    amount_fen = to_fen(amount)
    client = stripe_client()
    payment = _payment_get_or_create(order_number, amount_fen)
    if payment.payment_intent_id:
        intent = _intent_reuse(client, payment, amount_fen, payment_method)
        if intent is not None:
            return _record(payment, intent), intent.client_secret
    intent = _intent_create(client, order_number, amount_fen, payment_method)
    return _intent_claim(client, payment, intent, amount_fen)


def _payment_get_or_create(order_number: str, amount_fen: int) -> StripePayment:
    try:
        payment, _created = StripePayment.objects.get_or_create(
            order_number=order_number, defaults={"amount_fen": amount_fen}
        )
    except IntegrityError:
        payment = StripePayment.objects.get(order_number=order_number)
    return payment


def _intent_reuse(client, payment, amount_fen: int, payment_method: str):
    """The order's intent if it still serves this amount (confirmed with the
    new card if it awaits one); else it is cancelled and forgotten: None."""
    intent = _call(client.v1.payment_intents.retrieve, payment.payment_intent_id)
    if intent.status == PaymentStatus.SUCCEEDED or (
        intent.status == PaymentStatus.REQUIRES_CAPTURE and intent.amount == amount_fen
    ):
        return intent
    if intent.amount == amount_fen and intent.status in (
        PaymentStatus.REQUIRES_PAYMENT_METHOD,
        PaymentStatus.REQUIRES_ACTION,
    ):
        return _call(
            client.v1.payment_intents.confirm,
            intent.id,
            params={"payment_method": payment_method},
        )
    # The basket changed since: this intent can no longer be captured.
    if intent.status != PaymentStatus.CANCELED:
        _call(client.v1.payment_intents.cancel, intent.id)
    # Only the intent just cancelled is forgotten, never one that a
    # simultaneous request has stored meanwhile.
    StripePayment.objects.filter(pk=payment.pk, payment_intent_id=intent.id).update(
        payment_intent_id=None,
        amount_fen=amount_fen,
        status=PaymentStatus.REQUIRES_PAYMENT_METHOD,
    )
    payment.refresh_from_db()
    if payment.payment_intent_id:
        raise PaymentUnavailable(_("Please try again."))
    return None


def _intent_create(client, order_number: str, amount_fen: int, payment_method: str):
    return _call(
        client.v1.payment_intents.create,
        params={
            "amount": amount_fen,
            "currency": "cny",
            "payment_method": payment_method,
            "confirm": True,
            "capture_method": "manual",
            "metadata": {"order_number": order_number},
        },
        # Stripe replays a key's first answer, a decline included: a new card
        # must be a new request.
        options={
            "idempotency_key": f"bangfu-{order_number}-{amount_fen}-{payment_method}"
        },
    )


def _intent_claim(
    client, payment, intent, amount_fen: int
) -> tuple[StripePayment, str]:
    """Store a new intent as the order's, unless a second, simultaneous click
    stored its own first: keep that one and cancel ours, so the order never
    has two live intents."""
    claimed = StripePayment.objects.filter(
        pk=payment.pk, payment_intent_id__isnull=True
    ).update(payment_intent_id=intent.id, amount_fen=amount_fen)
    if not claimed:
        payment.refresh_from_db()
        if payment.payment_intent_id == intent.id:  # Stripe replayed the same key
            return _record(payment, intent), intent.client_secret
        _call(client.v1.payment_intents.cancel, intent.id)
        winner = _call(client.v1.payment_intents.retrieve, payment.payment_intent_id)
        return _record(payment, winner), winner.client_secret
    payment.payment_intent_id = intent.id
    payment.amount_fen = amount_fen
    return _record(payment, intent), intent.client_secret


def payment_verify(*, order_number: str, amount: Decimal) -> StripePayment:
    """Check with Stripe that the order's amount is authorised and capturable."""
    order_number = str(order_number)
    payment = StripePayment.objects.filter(order_number=order_number).first()
    if payment is None or not payment.payment_intent_id:
        raise PaymentDeclined(_("Please enter your card details to pay."))
    intent = _call(
        stripe_client().v1.payment_intents.retrieve, payment.payment_intent_id
    )
    _record(payment, intent)
    metadata = intent.metadata.to_dict() if intent.metadata else {}
    if (
        intent.status != PaymentStatus.REQUIRES_CAPTURE
        or intent.amount != to_fen(amount)
        or intent.currency != "cny"
        or metadata.get("order_number") != str(order_number)
    ):
        raise PaymentDeclined(
            _("The payment was not authorised for this order. Please pay again.")
        )
    return payment


def payment_capture(*, payment: StripePayment) -> StripePayment:
    """Take the authorised money, once the order is placed (once: a second call
    for a captured payment does nothing)."""
    if payment.status == PaymentStatus.SUCCEEDED:
        return payment
    intent = _call(
        stripe_client().v1.payment_intents.capture, payment.payment_intent_id
    )
    _record(payment, intent)
    if intent.status == PaymentStatus.SUCCEEDED:
        order_mark_paid(order_number=payment.order_number)
    return payment


def payment_cancel(*, payment: StripePayment) -> StripePayment:
    """Release an authorisation whose order could not be placed."""
    intent = _call(stripe_client().v1.payment_intents.cancel, payment.payment_intent_id)
    return _record(payment, intent)


def payment_release(*, order_number) -> None:
    """Cancel the order's held authorisation, if any: the order won't be placed."""
    from oscar.core.loading import get_model

    if get_model("order", "Order").objects.filter(number=str(order_number)).exists():
        return  # an order was written: its payment is captured, never released
    payment = StripePayment.objects.filter(
        order_number=str(order_number), payment_intent_id__isnull=False
    ).first()
    if payment is None or payment.status in (
        PaymentStatus.SUCCEEDED,
        PaymentStatus.CANCELED,
    ):
        return
    try:
        payment_cancel(payment=payment)
    except PaymentUnavailable:
        logger.error("Order #%s: could not cancel the authorisation", order_number)


EVENT_STATUS = {
    "payment_intent.amount_capturable_updated": PaymentStatus.REQUIRES_CAPTURE,
    "payment_intent.requires_action": PaymentStatus.REQUIRES_ACTION,
    "payment_intent.payment_failed": PaymentStatus.REQUIRES_PAYMENT_METHOD,
    "payment_intent.succeeded": PaymentStatus.SUCCEEDED,
    "payment_intent.canceled": PaymentStatus.CANCELED,
}


@transaction.atomic
def event_apply(*, event) -> bool:
    """Apply a verified webhook event once; True if it changed a payment's status.

    Duplicates are ignored by event id; an event older than the payment's
    status (out of order) cannot move it back; unknown types are recorded only.
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
    if payment is None:
        return False
    if status == PaymentStatus.SUCCEEDED:
        # Even when the capture's answer already recorded it: marking paid and
        # crediting are idempotent, and may have failed after it was recorded.
        transaction.on_commit(
            lambda: order_mark_paid(order_number=payment.order_number)
        )
    if payment.status == status:
        return False
    current = STATUS_RANK.get(payment.status, -1)
    final = current == STATUS_RANK[PaymentStatus.SUCCEEDED]
    if final or STATUS_RANK[status] < current:
        return False
    payment.status = status
    payment.save(update_fields=["status", "updated_at"])
    StripeEvent.objects.filter(id=event.id).update(changed_status=True)
    return True


@transaction.atomic
def order_mark_paid(*, order_number: str) -> None:
    """Move the order to Paid once Stripe says the money was captured, and
    credit its households (once, however often this is called)."""
    from oscar.core.loading import get_model

    from sellers.ledger.services import order_credit_households

    order = get_model("order", "Order").objects.filter(number=order_number).first()
    if order is None or order.status == OrderStatus.CANCELLED:
        return
    if order.status == OrderStatus.AUTHORISED:
        order.set_status(OrderStatus.PAID)
    order_credit_households(order=order)


def payment_refund(*, order_number: str, amount: Decimal, reference: str) -> str:
    """Return part of a captured payment to the buyer's card; the refund's id.

    The idempotency key is the reference (one parcel), so a retry after a
    lost answer cannot refund twice.
    """
    payment = StripePayment.objects.filter(
        order_number=str(order_number), status=PaymentStatus.SUCCEEDED
    ).first()
    if payment is None:
        raise PaymentUnavailable(_("This order has no captured payment to refund."))
    refund = _call(
        stripe_client().v1.refunds.create,
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
    listing = _call(stripe_client().v1.refunds.list, params={"limit": 100})
    return listing.auto_paging_iter()


@dataclass
class Reconciliation:
    payments_without_order: list[tuple[str, str, str]] = field(default_factory=list)
    orders_without_capture: list[tuple[str, str]] = field(default_factory=list)
    orders_checked: int = 0
    intents_checked: int = 0


def payment_reconcile() -> Reconciliation:
    """Stripe's intents of this store against its orders, both ways.

    A payment without an order is money held or taken for nothing; an order
    without a captured payment is produce sent for nothing.
    """
    from oscar.core.loading import get_model

    report = Reconciliation()
    orders = dict(
        get_model("order", "Order")
        .objects.exclude(status=OrderStatus.CANCELLED)
        .values_list("number", "status")
    )
    report.orders_checked = len(orders)
    captured = set()
    listing = _call(stripe_client().v1.payment_intents.list, params={"limit": 100})
    for intent in listing.auto_paging_iter():
        metadata = intent.metadata.to_dict() if intent.metadata else {}
        order_number = metadata.get("order_number")
        if order_number is None:
            continue  # not this store's
        report.intents_checked += 1
        if intent.status == PaymentStatus.SUCCEEDED:
            captured.add(order_number)
        if (
            intent.status in (PaymentStatus.REQUIRES_CAPTURE, PaymentStatus.SUCCEEDED)
            and order_number not in orders
        ):
            report.payments_without_order.append(
                (intent.id, order_number, intent.status)
            )
    known = dict(StripePayment.objects.values_list("order_number", "status"))
    for number in sorted(set(orders) - captured):
        report.orders_without_capture.append((number, known.get(number, "none")))
    return report
