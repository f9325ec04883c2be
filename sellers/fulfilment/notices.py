"""What a parcel's notices are told: to whom (the buyer) and about what."""

from django.conf import settings

from sellers.models import Parcel
from sellers.notifications import Recipient


def parcel_buyer(order) -> list[Recipient]:
    email = order.email  # the guest's address or the account's
    return [Recipient(email=email)] if email else []


def parcel_context(parcel: Parcel) -> dict:
    return {
        "parcel": parcel,
        "household": parcel.household,
        "order": parcel.order,
        "site_url": settings.WAGTAILADMIN_BASE_URL,
    }
