"""The paid order's receipt (Oscar's order-placed e-mail, our impact receipt),
sent once whichever route marked the order paid: the pay page, the return
from Alipay, Stripe's webhook, the heal, the thank-you page.

A buyer who gave no e-mail address gets it by SMS. It goes out after the
payment is committed, through a background task, so that a mail server that
is down never undoes a payment nor keeps the buyer waiting.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task
from oscar.core.loading import get_class, get_model

from sellers.fulfilment.notices import parcel_buyer
from sellers.households.selectors import organisation_service_list
from sellers.notifications import Recipient, notify

from .models import StripePayment
from .orders import order_status_path
from .statuses import OrderStatus

logger = logging.getLogger(__name__)

OrderDispatcher = get_class("order.utils", "OrderDispatcher")


def _orders():
    return get_model("order", "Order").objects


def receipt_context(*, order) -> dict:
    """What the receipt's templates are given. Sent off the buyer's request,
    its links are full addresses on the store's site, as every notice's."""
    return {
        "user": order.user,
        "order": order,
        "lines": order.lines.all(),
        "site_url": settings.WAGTAILADMIN_BASE_URL,
        "status_path": order_status_path(order),
    }


def receipt_send(*, order) -> str:
    """Send the order's receipt now, by e-mail, else by SMS to the number the
    order was placed with; how it went ('email', 'sms', or '' for nobody)."""
    [buyer] = parcel_buyer(order) or [Recipient()]
    context = receipt_context(order=order)
    with translation.override(settings.LANGUAGE_CODE):
        if buyer.email:
            OrderDispatcher(logger=logger).send_order_placed_email_for_user(
                order, context
            )
            return "email"
        if buyer.phone:
            partner_ids = order.lines.values_list("partner_id", flat=True)
            context["service_contacts"] = organisation_service_list(
                partner_ids=partner_ids
            )
            notify(event="order_receipt", recipients=[buyer], context=context)
            return "sms"
    return ""


def receipt_send_once(*, order_number: str) -> bool:
    """Send a paid order's receipt unless it went already; True if sent here.

    However many routes ask at once, the guarded UPDATE of receipt_sent_at
    lets one of them send it; an order not paid (awaiting payment, released)
    gets none. If the mail cannot be sent, the claim is given back, so that
    a later route tries again; the payment is untouched either way.
    """
    order_number = str(order_number)
    order = _orders().filter(number=order_number).first()
    if order is None or order.status != OrderStatus.PAID:
        return False
    claimed = StripePayment.objects.filter(
        order_number=order_number, receipt_sent_at__isnull=True
    ).update(receipt_sent_at=timezone.now())
    if not claimed:
        return False
    try:
        receipt_send(order=order)
    except Exception as error:
        StripePayment.objects.filter(order_number=order_number).update(
            receipt_sent_at=None
        )
        # No traceback: it would carry the buyer's address.
        logger.error(
            "Order #%s: the receipt was not sent: %s",
            order_number,
            type(error).__name__,
        )
        return False
    return True


@task()
def receipt_send_task(order_number: str) -> bool:
    return receipt_send_once(order_number=order_number)


def receipt_enqueue(*, order_number: str) -> None:
    """Queue the receipt now, unless it went already (a queue that is down is
    logged, not raised)."""
    order_number = str(order_number)
    unsent = StripePayment.objects.filter(
        order_number=order_number, receipt_sent_at__isnull=True
    )
    try:
        if unsent.exists():
            receipt_send_task.enqueue(order_number)
    except Exception:
        logger.exception("Order #%s: receipt not queued", order_number)


def receipt_schedule(*, order_number: str) -> None:
    """Queue the receipt once the current transaction (marking the order
    paid) commits; nothing is sent if it rolls back."""
    transaction.on_commit(lambda: receipt_enqueue(order_number=order_number))
