"""Notices to social workers and buyers, through pluggable channels.

Callers say what happened (`notify(event=..., recipients=..., context=...)`);
each channel in BANGFU_NOTIFICATION_CHANNELS decides how a recipient hears of
it. E-mail is the one channel now; an SMS or WeChat channel implements
`Channel.send` and is added to the setting, without touching callers.
Notices go out after the transaction commits, and a failing channel is
logged (never with the notice's content) without undoing anything.
"""

import logging
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
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
