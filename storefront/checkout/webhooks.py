"""Stripe's webhook events, each applied once and never backwards: a success
marks the order paid, a cancellation past the deadline releases it."""

import datetime
import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from .models import STATUS_RANK, PaymentStatus, StripeEvent, StripePayment
from .payments import order_release, payment_settle

logger = logging.getLogger(__name__)

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
    if payment is not None and payment.is_expired(timezone.now()):
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
