"""Notices to social workers and buyers, through pluggable channels.

Callers say what happened (`notify(event=..., recipients=..., context=...)`);
each channel in BANGFU_NOTIFICATION_CHANNELS decides how a recipient hears of
it: e-mail, and SMS through a provider chosen by BANGFU_SMS_BACKEND (Alibaba
Cloud SMS, or the local sink of `make run` and the tests). A WeChat channel
implements `Channel.send` and is added to the setting, without touching
callers.
Notices go out after the transaction commits, and a failing channel is
logged (never with the notice's content or the recipient's address or
number) without undoing anything.
"""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    """Whom to tell: any channel uses the addresses it understands."""

    email: str = ""
    phone: str = ""
    language: str = ""


class Channel(Protocol):
    def send(self, *, event: str, recipient: Recipient, context: dict) -> bool:
        """Deliver one notice; False if this channel cannot reach the recipient."""


class EmailChannel:
    """Plain-text e-mail from templates sellers/notices/<event>_{subject,body}.txt."""

    def send(self, *, event: str, recipient: Recipient, context: dict) -> bool:
        if not recipient.email:
            return False
        with translation.override(recipient.language or settings.LANGUAGE_CODE):
            subject = render_to_string(f"sellers/notices/{event}_subject.txt", context)
            body = render_to_string(f"sellers/notices/{event}_body.txt", context)
        send_mail(
            " ".join(subject.split()),
            body,
            settings.DEFAULT_FROM_EMAIL,
            [recipient.email],
        )
        return True


def _channels() -> list[Channel]:
    return [import_string(path)() for path in settings.BANGFU_NOTIFICATION_CHANNELS]


def _deliver(event: str, recipients: list[Recipient], context: dict) -> None:
    for channel in _channels():
        for recipient in recipients:
            try:
                channel.send(event=event, recipient=recipient, context=context)
            except Exception as error:
                # No traceback: it would carry the recipient's address.
                logger.error(
                    "Notice %s through %s failed: %s",
                    event,
                    type(channel).__name__,
                    type(error).__name__,
                )


def notify(*, event: str, recipients: list[Recipient], context: dict) -> None:
    """Tell the recipients of an event once the current transaction commits."""
    recipients = [r for r in recipients if r.email or r.phone]
    if recipients:
        transaction.on_commit(lambda: _deliver(event, recipients, context))


# SMS. A provider sends a template it has approved (Alibaba Cloud: a template
# code per event) filled with named parameters; the local sink renders our
# copy of each template, sellers/notices/<event>_sms.txt, with the same
# parameters. Parameters carry no household's protected data and no link:
# the receipt's link to the buyer's own order is a path, after the site's
# address written in the approved template (the only form of link Alibaba
# Cloud approves), and in our copy after `site_url`.


def _order_params(context: dict) -> dict:
    return {"order": context["order"].number}


def _buyer_params(context: dict) -> dict:
    """The order, and the service line of the parcel's organisation: all a
    buyer's text adds for him to call. Always present (a provider's approved
    template names every parameter); the local copy leaves out an empty one."""
    phones = [o.service_phone for o in context["service_contacts"] if o.service_phone]
    return {**_order_params(context), "service": phones[0] if phones else ""}


SMS_PARAMS: dict[str, Callable[[dict], dict]] = {
    "sms_code": lambda c: {"code": c["code"]},
    "parcel_new": lambda c: {**_order_params(c), "parcel": c["parcel"].pk},
    "parcel_shipped": lambda c: {
        **_buyer_params(c),
        "carrier": c["parcel"].carrier,
        "tracking": c["parcel"].tracking_number,
    },
    "parcel_delivered": _buyer_params,
    "parcel_cancelled": lambda c: {**_buyer_params(c), "amount": c["refunded"]},
    "parcel_refunded": lambda c: {**_buyer_params(c), "amount": c["refunded"]},
    "preorder_settled": lambda c: {
        **_buyer_params(c),
        "settled": c["settled"],
        "amount": c["refunded"],
    },
    "preorder_delayed": lambda c: {
        **_buyer_params(c),
        "start": c["offer"].window_start.isoformat(),
        "end": c["offer"].window_end.isoformat(),
    },
    "order_receipt": lambda c: {
        **_buyer_params(c),
        "amount": c["order"].total_incl_tax,
        "path": c["status_path"].removeprefix("/"),
    },
}


class SmsProvider(Protocol):
    def send(self, *, phone: str, event: str, params: dict, text: str) -> None:
        """Send one text to `phone` (E.164); raise if the provider refuses it."""


class SmsNotConfigured(Exception):
    """The provider lacks a setting (keys, sign name, the event's template)."""


class SmsRefused(Exception):
    """The provider answered with an error code (never the number)."""


def sms_provider() -> SmsProvider:
    return import_string(settings.BANGFU_SMS_BACKEND)()


class SmsChannel:
    """Short Chinese texts to mobile numbers, through BANGFU_SMS_BACKEND."""

    def send(self, *, event: str, recipient: Recipient, context: dict) -> bool:
        params_of = SMS_PARAMS.get(event)
        if not recipient.phone or params_of is None:
            return False
        params = {name: str(value) for name, value in params_of(context).items()}
        with translation.override(recipient.language or settings.LANGUAGE_CODE):
            text = render_to_string(
                f"sellers/notices/{event}_sms.txt",
                {**params, "site_url": settings.WAGTAILADMIN_BASE_URL},
            )
        sms_provider().send(
            phone=recipient.phone, event=event, params=params, text=text.strip()
        )
        return True


class SmsSink:
    """The local provider: keeps each text in the database (SmsMessage), as its
    recipient would read it, for `make run`'s /dev/sms/ page and the tests."""

    def send(self, *, phone: str, event: str, params: dict, text: str) -> None:
        from .models import SmsMessage

        SmsMessage.objects.create(
            phone=phone, event=event, text=f"【{settings.BANGFU_SMS_SIGN_NAME}】{text}"
        )


class AlibabaSms:
    """Alibaba Cloud SMS (dysmsapi 2017-05-25): the event's approved template
    (BANGFU_SMS_TEMPLATES) with its parameters, under the approved sign name.

    The SDK (alibabacloud-dysmsapi20170525) is imported on first use, so the
    store runs without it where the sink is used.
    """

    @classmethod
    def missing_settings(cls, *, events: list[str]) -> list[str]:
        """The settings it needs to send these events and lacks, by the names
        of their environment variables (sellers.checks)."""
        needed = {
            "ALIBABA_SMS_ACCESS_KEY_ID": settings.ALIBABA_SMS_ACCESS_KEY_ID,
            "ALIBABA_SMS_ACCESS_KEY_SECRET": settings.ALIBABA_SMS_ACCESS_KEY_SECRET,
            "BANGFU_SMS_SIGN_NAME": settings.BANGFU_SMS_SIGN_NAME,
        }
        for event in events:
            needed[f"ALIBABA_SMS_TEMPLATE_{event.upper()}"] = (
                settings.BANGFU_SMS_TEMPLATES.get(event, "")
            )
        return [name for name, value in needed.items() if not value.strip()]

    def send(self, *, phone: str, event: str, params: dict, text: str) -> None:
        template = settings.BANGFU_SMS_TEMPLATES.get(event, "")
        if not (
            template
            and settings.ALIBABA_SMS_ACCESS_KEY_ID
            and settings.ALIBABA_SMS_ACCESS_KEY_SECRET
        ):
            raise SmsNotConfigured(event)
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_dysmsapi20170525.models import SendSmsRequest
        from alibabacloud_tea_openapi.utils_models import Config
        from darabonba.runtime import RuntimeOptions

        client = Client(
            Config(
                access_key_id=settings.ALIBABA_SMS_ACCESS_KEY_ID,
                access_key_secret=settings.ALIBABA_SMS_ACCESS_KEY_SECRET,
                endpoint=settings.ALIBABA_SMS_ENDPOINT,
            )
        )
        timeout_ms = int(settings.BANGFU_SMS_TIMEOUT * 1000)
        response = client.send_sms_with_options(
            SendSmsRequest(
                # Mainland numbers go without the country code.
                phone_numbers=phone.removeprefix("+86").removeprefix("+"),
                sign_name=settings.BANGFU_SMS_SIGN_NAME,
                template_code=template,
                template_param=json.dumps(params, ensure_ascii=False),
            ),
            RuntimeOptions(
                autoretry=False, connect_timeout=timeout_ms, read_timeout=timeout_ms
            ),
        )
        code = getattr(response.body, "code", None)
        if code != "OK":
            raise SmsRefused(code)


def sms_message_list(*, limit: int = 50) -> QuerySet:
    """The latest texts the local sink took, newest first."""
    from .models import SmsMessage

    return SmsMessage.objects.all()[:limit]
