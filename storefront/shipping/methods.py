"""Delivery charged per household parcel, or collection at a pickup point."""

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping import methods
from oscar.core import prices


def parcel_subtotals(basket) -> dict[int, Decimal]:
    """Goods total (after discounts) per household partner id, in basket order."""
    subtotals: dict[int, Decimal] = defaultdict(Decimal)
    for line in basket.all_lines():
        subtotals[line.stockrecord.partner_id] += (
            line.line_price_incl_tax_incl_discounts
        )
    return dict(subtotals)


def parcel_charge(subtotal: Decimal) -> Decimal:
    """One household parcel's delivery charge: a flat fee, free above a threshold."""
    if subtotal >= settings.BANGFU_FREE_DELIVERY_THRESHOLD:
        return Decimal("0.00")
    return settings.BANGFU_PARCEL_DELIVERY_FEE


def parcel_free_delivery_gap(subtotal: Decimal) -> Decimal:
    """How much more a household parcel needs to ship free (0: it already does)."""
    return max(settings.BANGFU_FREE_DELIVERY_THRESHOLD - subtotal, Decimal("0.00"))


class ParcelDelivery(methods.Base):
    """Each household sends its own parcel; each parcel has its own charge."""

    code = "parcel-delivery"
    name = _("Home delivery (one parcel per household)")

    @property
    def description(self):
        return _(
            "Each household ships its own parcel: ¥%(fee)s per parcel, free for "
            "a parcel of ¥%(threshold)s or more."
        ) % {
            "fee": settings.BANGFU_PARCEL_DELIVERY_FEE,
            "threshold": settings.BANGFU_FREE_DELIVERY_THRESHOLD,
        }

    def charges(self, basket) -> dict[int, Decimal]:
        """Delivery charge per household partner id."""
        return {
            partner_id: parcel_charge(subtotal)
            for partner_id, subtotal in parcel_subtotals(basket).items()
        }

    def calculate(self, basket):
        total = sum(self.charges(basket).values(), Decimal("0.00"))
        return prices.Price(
            currency=basket.currency, excl_tax=total, incl_tax=total, tax=Decimal(0)
        )


class PickupAtPoint(methods.Free):
    """Collect every parcel at a community pickup point, free of charge."""

    def __init__(self, point):
        self.point = point
        self.code = f"pickup-{point.pk}"
        self.name = _("Pickup: %(name)s") % {"name": point.name}
        self.description = _("%(address)s · open %(hours)s") % {
            "address": point.address,
            "hours": point.opening_hours,
        }

    def charges(self, basket) -> dict[int, Decimal]:
        return {partner_id: Decimal("0.00") for partner_id in parcel_subtotals(basket)}


def order_delivery_charge(order) -> Callable[[Decimal], Decimal]:
    """How the order's shipping method charged each parcel, from its goods total."""
    if order.shipping_code == ParcelDelivery.code:
        return parcel_charge
    return lambda subtotal: Decimal("0.00")
