"""A guest finds his order by its number and the mobile number he placed it
with: one answer for a wrong number and for no such order, and a limit on
the tries that find nothing."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from phonenumber_field.phonenumber import PhoneNumber

from sellers import clock

from .models import OrderLookupFailure

Order = get_model("order", "Order")

WINDOW = datetime.timedelta(hours=1)
NOT_FOUND = _(
    "We found no order with this number placed with this mobile number. "
    "Please check both and try again."
)
TOO_MANY = _(
    "Too many orders were looked up without a match. Please try again in an "
    "hour, or sign in with your mobile number to see all your orders."
)


def _key(purpose: str, value: str) -> str:
    return salted_hmac(f"bangfu.order_lookup.{purpose}", value).hexdigest()


def order_lookup(*, number: str, phone: PhoneNumber, ip: str) -> Order:
    """The order `number` placed with `phone`. Raises ValidationError with the
    same message whether the number is wrong or there is no such order, and,
    before looking, once this address or this order number has found nothing
    too often in the last hour."""
    now = clock.now()
    number = "".join(str(number or "").split())
    ip_key, number_key = _key("ip", ip or ""), _key("number", number)
    failures = OrderLookupFailure.objects.filter(created_at__gt=now - WINDOW)
    if (
        failures.filter(ip_key=ip_key).count()
        >= settings.BANGFU_ORDER_LOOKUPS_PER_IP_HOUR
        or failures.filter(number_key=number_key).count()
        >= settings.BANGFU_ORDER_LOOKUPS_PER_ORDER_HOUR
    ):
        raise ValidationError(TOO_MANY, code="rate_limited")
    order = Order.objects.filter(
        number=number, buyer_phone__phone=phone.as_e164
    ).first()
    if order is None:
        # Failures older than the window count for no limit any more.
        OrderLookupFailure.objects.filter(created_at__lte=now - WINDOW).delete()
        OrderLookupFailure.objects.create(
            ip_key=ip_key, number_key=number_key, created_at=now
        )
        raise ValidationError(NOT_FOUND, code="not_found")
    return order


def order_get_signed(*, number: str, signature: str) -> Order | None:
    """The order a signed link names (its number and Oscar's verification
    hash, as the notices carry it), or None for an unknown or tampered one."""
    order = Order.objects.filter(number=number).first()
    if order is None or not order.check_verification_hash(signature):
        return None
    return order


def signed_order_path(order) -> str:
    """The order's signed link: opens its page in any browser, no questions."""
    return reverse(
        "order-status",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )
