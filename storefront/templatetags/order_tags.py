from django import template
from django.urls import reverse

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
