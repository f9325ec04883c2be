"""An order's payment: one order, one live PaymentIntent, in fen.

The order is placed first, awaiting payment, with its stock held
(`payment_open`); then the buyer pays it (`payment_pay`) by WeChat Pay, Alipay
or card, every method captured at once. Paid is what Stripe says — its
webhook (`webhooks.event_apply`) or the intent read back (`payment_refresh`,
the heal) — never a status kept here. An order not paid in time is released
(`order_expire`). `heal.payments_heal` compares every intent of the store with
its order and repairs what a crash, a timeout or a lost webhook left behind.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from .models import PaymentStatus, StripePayment
from .receipts import receipt_schedule
from .refunds import payment_refund_whole
from .statuses import OrderStatus
from .stock import stock_release
from .stripe_api import (
    PaymentDeclined,
    PaymentUnavailable,
    intent_cancel,
    stripe_call,
    to_fen,
)

logger = logging.getLogger(__name__)

# The methods the pay page offers, in the order Chinese buyers expect them.
METHOD_TYPES = ("wechat_pay", "alipay", "card")


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
        intent = stripe_call("payment_intents", "retrieve", payment.payment_intent_id)
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
        old = intent_cancel(intent_id=replaced)
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
        intent = stripe_call(
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
        intent = intent_cancel(intent_id=intent.id)
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
    if payment.is_expired(timezone.now()):
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
    intent = stripe_call("payment_intents", "retrieve", payment.payment_intent_id)
    StripePayment.objects.filter(pk=payment.pk, payment_intent_id=intent.id).exclude(
        status=PaymentStatus.SUCCEEDED
    ).update(status=intent.status)
    return _answer_from_intent(order_number=order_number, intent=intent)


# Paid or released.


@transaction.atomic
def order_mark_paid(*, order_number: str) -> bool:
    """Move the order to Paid once Stripe says the money was taken, credit its
    households and send its receipt (once, however often and however
    concurrently this is called: the order's row is locked, the receipt
    claimed). False for a cancelled or missing order.
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
    # Whichever route got here first: the receipt goes once, after the commit.
    receipt_schedule(order_number=order_number)
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


def order_release(*, order_number: str) -> str:
    """Cancel an unpaid order, its parcels, and put its stock back (once: only
    a pending order is released, under its row lock); the order's status after."""
    from sellers.fulfilment.services import order_parcels_release

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
        # Its households were never asked to pack: their parcels go too.
        order_parcels_release(order=order)
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
    if payment is None or not payment.is_expired(now):
        return order.status
    if payment.payment_intent_id:
        intent = intent_cancel(intent_id=payment.payment_intent_id)
        if intent.status == PaymentStatus.SUCCEEDED:
            return payment_settle(order_number=order_number, intent_id=intent.id)
        if intent.status != PaymentStatus.CANCELED:
            return order.status  # processing: Stripe decides soon, the heal reads it
    return order_release(order_number=order_number)
