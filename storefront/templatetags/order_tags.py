from django import template
from django.urls import reverse
from django.utils.http import urlencode

from storefront.checkout.statuses import OrderStatus

register = template.Library()


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
    if order.status in OrderStatus.values:
        return OrderStatus(order.status).label
    return order.status


@register.filter
def awaiting_payment(order) -> bool:
    """True while the order can still be paid (placed, not yet paid)."""
    return order.status == OrderStatus.PENDING


@register.filter
def order_pay_path(order) -> str:
    """The order's pay page, as a signed link that opens it in any browser."""
    path = reverse("checkout:order-pay", args=[order.number])
    return f"{path}?{urlencode({'h': order.verification_hash()})}"
