"""Buyers known by their mobile number: one-time SMS codes, their accounts,
and the guest orders they placed with that number."""

import datetime
import hmac
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from phonenumber_field.phonenumber import PhoneNumber

from sellers import clock
from sellers.notifications import Recipient, notify

from .models import OrderPhone, SmsCode, SmsNumber

Order = get_model("order", "Order")

CODE_VALID_FOR = datetime.timedelta(minutes=5)
CODE_TRIES = 5
MINUTE, HOUR, DAY = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(hours=1),
    datetime.timedelta(days=1),
)
# Codes sent to one number: at most this many in each window, else the message.
NUMBER_LIMITS = [
    (
        MINUTE,
        1,
        _(
            "A code was sent to this number less than a minute ago. "
            "Please wait a minute before asking for another."
        ),
    ),
    (
        HOUR,
        5,
        _(
            "Too many codes were sent to this number in the last hour. "
            "Please try again later."
        ),
    ),
    (
        DAY,
        10,
        _("Too many codes were sent to this number today. Please try again tomorrow."),
    ),
]
TOO_MANY_FROM_HERE = _(
    "Too many codes were asked for from your network. Please try again later."
)
WRONG_CODE = _(
    "The code is wrong or has expired. Please check it or ask for a new one."
)
TOO_MANY_TRIES = _(
    "This code was entered wrongly too many times. Please ask for a new one."
)
CLOSED_ACCOUNT = _("The account of this number is closed.")
STAFF_NUMBER = _(
    "This number belongs to a staff account: please sign in with your e-mail "
    "address and password."
)


def _key(purpose: str, value: str) -> str:
    """A keyed hash: lets rows be matched by number or address without
    keeping either in clear."""
    return salted_hmac(f"bangfu.sms.{purpose}", value).hexdigest()


def _code_hash(phone_key: str, code: str) -> str:
    return _key("code", f"{phone_key}:{code}")


def sms_code_send(*, phone: PhoneNumber, ip: str) -> None:
    """Text a new six-digit sign-in code to `phone`, within the limits per
    number and per address; the same for any number, whether or not it has
    an account or orders. Raises ValidationError with the limit's message."""
    now = clock.now()
    phone_key, ip_key = _key("phone", phone.as_e164), _key("ip", ip or "")
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        # The number's row lock makes its requests wait for one another, on
        # any number of machines: two taps on "send" are one code.
        SmsNumber.objects.get_or_create(phone_key=phone_key)
        SmsNumber.objects.select_for_update().get(phone_key=phone_key)
        sent = list(
            SmsCode.objects.filter(
                phone_key=phone_key, created_at__gt=now - DAY
            ).values_list("created_at", flat=True)
        )
        for window, limit, message in NUMBER_LIMITS:
            if sum(1 for at in sent if at > now - window) >= limit:
                raise ValidationError(message, code="rate_limited")
        from_here = SmsCode.objects.filter(
            ip_key=ip_key, created_at__gt=now - HOUR
        ).count()
        if from_here >= settings.BANGFU_SMS_CODES_PER_IP_HOUR:
            raise ValidationError(TOO_MANY_FROM_HERE, code="rate_limited")
        # Codes older than a day count for no limit any more.
        SmsCode.objects.filter(created_at__lte=now - DAY).delete()
        SmsCode.objects.create(
            phone_key=phone_key,
            ip_key=ip_key,
            code_hash=_code_hash(phone_key, code),
            created_at=now,
            expires_at=now + CODE_VALID_FOR,
        )
        notify(
            event="sms_code",
            recipients=[Recipient(phone=phone.as_e164)],
            context={"code": code},
        )


def sms_code_verify(*, phone: PhoneNumber, code: str) -> None:
    """Accept `code` once: the latest code sent to `phone`, within its five
    minutes and its five tries. Raises ValidationError otherwise."""
    now = clock.now()
    phone_key = _key("phone", phone.as_e164)
    code = "".join(str(code or "").split())
    with transaction.atomic():
        latest = (
            SmsCode.objects.select_for_update()
            .filter(phone_key=phone_key)
            .order_by("-created_at", "-pk")
            .first()
        )
        if latest is None or latest.used_at or latest.expires_at <= now:
            error = WRONG_CODE
        elif latest.attempts >= CODE_TRIES:
            error = TOO_MANY_TRIES
        elif hmac.compare_digest(latest.code_hash, _code_hash(phone_key, code)):
            latest.used_at = now
            latest.save(update_fields=["used_at"])
            return
        else:
            latest.attempts += 1
            latest.save(update_fields=["attempts"])
            error = TOO_MANY_TRIES if latest.attempts >= CODE_TRIES else WRONG_CODE
    # Outside the transaction: the wrong try stays counted.
    raise ValidationError(error, code="wrong_code")


def _is_staff(user) -> bool:
    return (
        user.is_staff
        or user.is_superuser
        or user.groups.exists()
        or user.partners.exists()
        or hasattr(user, "household_account")
    )


@transaction.atomic
def buyer_sign_in_by_phone(*, phone: PhoneNumber):
    """The buyer's account for a number he proved is his (made if none), with
    every guest order placed with that number now in his orders.

    Staff, social workers and household logins keep their password: a text
    message alone never opens their accounts (ValidationError)."""
    User = get_user_model()
    user, _created = User.objects.get_or_create(
        phone=phone.as_e164,
        defaults={"username": f"m-{secrets.token_hex(8)}"},
    )
    if _created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    elif not user.is_active:
        raise ValidationError(CLOSED_ACCOUNT, code="inactive")
    elif _is_staff(user):
        raise ValidationError(STAFF_NUMBER, code="staff")
    order_claim_by_phone(user=user, phone=phone)
    return user


def order_claim_by_phone(*, user, phone: PhoneNumber) -> int:
    """Make the guest orders placed with `phone` the user's; how many."""
    return Order.objects.filter(
        user__isnull=True, buyer_phone__phone=phone.as_e164
    ).update(user=user)


def order_phone_record(*, order, phone: PhoneNumber | str | None) -> None:
    """Keep the number an order was placed with, if there is one."""
    if phone:
        OrderPhone.objects.update_or_create(order=order, defaults={"phone": phone})
