"""What a parcel's notices are told: to whom (the buyer) and about what."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist

from sellers.households.selectors import organisation_service_list
from sellers.models import Parcel
from sellers.notifications import Recipient


def parcel_buyer(order) -> list[Recipient]:
    """The buyer, by e-mail (the account's, else the one he gave as a guest)
    and by SMS (the number he placed the order with, else his account's)."""
    email = order.email or order.guest_email
    try:
        phone = order.buyer_phone.phone
    except ObjectDoesNotExist:
        phone = order.user.phone if order.user_id else None
    phone = phone.as_e164 if phone else ""
    return [Recipient(email=email, phone=phone)] if email or phone else []


def parcel_context(parcel: Parcel) -> dict:
    return {
        "parcel": parcel,
        "household": parcel.household,
        "order": parcel.order,
        "site_url": settings.WAGTAILADMIN_BASE_URL,
        # Whom the buyer asks about this parcel: its household's organisation.
        "service_contacts": organisation_service_list(
            partner_ids=[parcel.household.partner_id]
        ),
    }
