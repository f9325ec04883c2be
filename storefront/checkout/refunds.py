"""Money given back to the buyer: part of a payment when a parcel is cancelled
(sellers' BANGFU_REFUND_BACKEND), or a whole payment that bought nothing."""

import logging
from decimal import Decimal

from django.utils.translation import gettext as _

from .models import PaymentStatus, RepairAction, StripePayment
from .repairs import repair_once
from .stripe_api import PaymentUnavailable, stripe_call, to_fen

logger = logging.getLogger(__name__)


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
    refund = stripe_call(
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
    listing = stripe_call("refunds", "list", params={"limit": 100})
    return listing.auto_paging_iter()


def payment_refund_whole(*, order_number: str, intent_id: str) -> bool:
    """Give back a payment that bought nothing (its order was released, or it
    paid an order twice); once per intent, however many callers."""

    def refund() -> str:
        made = stripe_call(
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

    return repair_once(
        action=RepairAction.REFUND,
        intent_id=intent_id,
        order_number=order_number,
        run=refund,
    )
