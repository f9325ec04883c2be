"""What a buyer reads about each household's parcel after he ordered: its
state in his words, decided in one place for every order page."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sellers.models import ParcelStatus

from .statuses import OrderStatus


class ParcelStage(models.TextChoices):
    """A parcel's state as its buyer reads it (待付款 … 已退款)."""

    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    TO_SHIP = "to_ship", _("To be shipped")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


def parcel_stage(*, order, parcel) -> ParcelStage:
    """The parcel's state for its buyer, from the order's status and the
    parcel's own: cancelled with money back is 已退款, without (an unpaid order
    released) 已取消; a part refunded on a parcel that left keeps its state."""
    if parcel.status == ParcelStatus.CANCELLED:
        return ParcelStage.REFUNDED if parcel.refunded else ParcelStage.CANCELLED
    if order.status == OrderStatus.PENDING:
        return ParcelStage.AWAITING_PAYMENT
    if order.status == OrderStatus.CANCELLED:
        # Released unpaid: its parcels were never packed, nothing was paid.
        return ParcelStage.CANCELLED
    if parcel.status == ParcelStatus.SHIPPED:
        return ParcelStage.SHIPPED
    if parcel.status == ParcelStatus.DELIVERED:
        return ParcelStage.DELIVERED
    return ParcelStage.TO_SHIP
