from django import template
from django.urls import reverse
from django.utils.http import urlencode

from sellers.fulfilment.carriers import tracking_url as carrier_tracking_url
from sellers.fulfilment.selectors import order_parcel_list
from storefront.checkout import orders
from storefront.checkout.statuses import OrderStatus
from storefront.checkout.tracking import ParcelStage
from storefront.checkout.tracking import parcel_stage as _parcel_stage

register = template.Library()


@register.filter
def order_status_path(order) -> str:
    """Where the buyer follows his order (checkout.orders.order_status_path)."""
    return orders.order_status_path(order)


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


@register.filter
def parcel_stage(parcel, order) -> ParcelStage:
    """The parcel's state in its buyer's words: {{ parcel|parcel_stage:order }}."""
    return _parcel_stage(order=order, parcel=parcel)


@register.filter
def tracking_url(parcel) -> str:
    """The carrier's tracking page for the parcel, or "" if the carrier is
    unknown (the number is then shown alone)."""
    return carrier_tracking_url(
        carrier=parcel.carrier, tracking_number=parcel.tracking_number
    )


@register.filter
def order_buyer_phone(order) -> str:
    """The mobile number the order was placed with, as stored ("" if none):
    pages print it through mask_phone."""
    buyer_phone = getattr(order, "buyer_phone", None)
    return str(buyer_phone.phone) if buyer_phone else ""


@register.simple_tag
def orders_with_stages(orders) -> list[tuple]:
    """[(order, its parcels' states in the buyer's words)] for a page of
    orders, in one query."""
    orders = list(orders)
    stages: dict = {order.pk: [] for order in orders}
    by_id = {order.pk: order for order in orders}
    for parcel in order_parcel_list(order_ids=by_id):
        stages[parcel.order_id].append(
            _parcel_stage(order=by_id[parcel.order_id], parcel=parcel)
        )
    return [(order, stages[order.pk]) for order in orders]


@register.filter
def preorder_cancellable(parcel) -> bool:
    """Whether the buyer may withdraw this pre-ordered parcel (its harvest was
    delayed); asked only of pre-ordered parcels, so other orders pay nothing."""
    from sellers.preorders.selectors import preorder_parcel_cancellable

    return bool(parcel.preorder) and preorder_parcel_cancellable(parcel=parcel)
