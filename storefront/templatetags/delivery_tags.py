"""What delivery costs, said before the buyer pays: on product cards and
pages, and per household parcel in the basket."""

from decimal import Decimal

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

from storefront.shipping.methods import parcel_free_delivery_gap

register = template.Library()


def _yuan(amount: Decimal) -> str:
    # ¥10, not ¥10.00, in a sentence; cents only when there are some.
    if amount == amount.to_integral():
        return str(int(amount))
    return f"{amount:.2f}"


@register.simple_tag
def delivery_terms() -> str:
    """The parcel delivery fee and the goods total from which it is waived."""
    fee = settings.BANGFU_PARCEL_DELIVERY_FEE
    if not fee:
        return _("Free delivery on every parcel")
    return _("¥%(fee)s delivery per household parcel, free from ¥%(threshold)s") % {
        "fee": _yuan(fee),
        "threshold": _yuan(settings.BANGFU_FREE_DELIVERY_THRESHOLD),
    }


@register.filter
def free_delivery_gap(forms) -> Decimal:
    """How much more the parcel of these basket line forms needs to ship free."""
    if not settings.BANGFU_PARCEL_DELIVERY_FEE:
        return Decimal("0.00")
    subtotal = sum(
        (form.instance.line_price_incl_tax_incl_discounts for form in forms),
        Decimal("0.00"),
    )
    return parcel_free_delivery_gap(subtotal)
