from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

# What each order status (settings' BANGFU_ORDER_STATUS_*) means to the buyer;
# Oscar stores and shows the bare value ("paid").
ORDER_STATUS_LABELS = {
    settings.BANGFU_ORDER_STATUS_AUTHORISED: _("Payment being confirmed"),
    settings.BANGFU_ORDER_STATUS_PAID: _("Paid"),
    settings.BANGFU_ORDER_STATUS_CANCELLED: _("Cancelled"),
}


@register.filter
def order_status_path(order) -> str:
    """Where the buyer follows his order: his account's order page if he has an
    account, else the guest link (Oscar then asks for the order's e-mail)."""
    if order.user_id:
        return reverse("customer:order", kwargs={"order_number": order.number})
    return reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )


@register.filter
def order_status_label(order) -> str:
    """The order's status in the buyer's language (an unknown one as stored)."""
    return ORDER_STATUS_LABELS.get(order.status, order.status)
