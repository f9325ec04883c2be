import logging

from django.db import transaction
from oscar.apps.checkout import mixins

from sellers.campaigns import campaign_code
from sellers.campaigns.services import order_campaign_record
from storefront.accounts.services import order_phone_record

from . import payments, tasks
from .stock import GuardedOrderCreator

logger = logging.getLogger(__name__)


class OrderPlacementMixin(mixins.OrderPlacementMixin):
    """Oscar's order placement, in one transaction, with the guarded allocation,
    the order's payment (awaiting it until the order expires) and the buyer's
    mobile number (build_submission's buyer_phone)."""

    def freeze_basket(self, basket):
        """The basket is frozen with the order, inside place_order's
        transaction: frozen apart (Oscar's submit does so first), a process
        killed before the order committed left the buyer's basket frozen, no
        order made of it, and nothing on the site that shows it again."""

    def place_order(
        self,
        order_number,
        user,
        basket,
        shipping_address,
        shipping_method,
        shipping_charge,
        order_total,
        billing_address=None,
        surcharges=None,
        **kwargs,
    ):
        buyer_phone = kwargs.pop("buyer_phone", None)
        # Addresses, order, lines, allocation and the payment's deadline commit
        # together or not at all: a sold-out line leaves nothing behind.
        with transaction.atomic():
            basket.freeze()
            shipping_address = self.create_shipping_address(user, shipping_address)
            billing_address = self.create_billing_address(
                user, billing_address, shipping_address, **kwargs
            )
            status = kwargs.pop("status", None) or self.get_initial_order_status(basket)
            request = kwargs.pop("request", None) or getattr(self, "request", None)
            order = GuardedOrderCreator().place_order(
                user=user,
                order_number=order_number,
                basket=basket,
                shipping_address=shipping_address,
                shipping_method=shipping_method,
                shipping_charge=shipping_charge,
                total=order_total,
                billing_address=billing_address,
                status=status,
                request=request,
                surcharges=surcharges,
                **kwargs,
            )
            self.save_payment_details(order)
            order_phone_record(order=order, phone=buyer_phone)
            payment = payments.payment_open(order=order)
            transaction.on_commit(lambda: _schedule(payment))
            code = campaign_code(request) if request is not None else None
            if code:
                order_campaign_record(order=order, code=code)
        return order


def _schedule(payment) -> None:
    # A queue that is down must not fail a placed order: the heal expires
    # overdue orders anyway.
    try:
        tasks.order_expire_schedule(
            order_number=payment.order_number, at=payment.expires_at
        )
        tasks.payments_heal_schedule()
    except Exception:
        logger.exception("Order #%s: expiry not scheduled", payment.order_number)
