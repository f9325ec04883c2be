"""Stripe itself: one client per call within the request's time budget, its
errors turned into the buyer's messages, amounts in fen."""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Decimal

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class PaymentDeclined(Exception):
    """The payment was refused; the message can be shown to the buyer."""


class PaymentUnavailable(Exception):
    """Stripe could not be reached or failed; the message can be shown."""


class StripeRefused(PaymentUnavailable):
    """Stripe refused the request itself (say, cancelling a paid intent)."""


_deadline: ContextVar[float | None] = ContextVar("stripe_deadline", default=None)


@contextmanager
def stripe_deadline(*, seconds: float) -> Iterator[None]:
    """Every Stripe call inside gives up so that all of them together wait at
    most `seconds` (a buyer's request must not hang on a slow Stripe)."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def _unavailable_message() -> str:
    return _(
        "The payment service cannot be reached just now. If you were charged, "
        "the order is confirmed within a few minutes; otherwise please try "
        "again in a minute."
    )


def stripe_client() -> stripe.StripeClient:
    """A client for Stripe (or the Stripe-compatible server in STRIPE_API_BASE)."""
    timeout = settings.STRIPE_TIMEOUT
    deadline = _deadline.get()
    if deadline is not None:
        left = deadline - time.monotonic()
        if left < 1:
            raise PaymentUnavailable(_unavailable_message())
        # Two tries and the pause between them (0.5–1 s) fit in what is left.
        timeout = min(timeout, (left - 1) / 2)
    options = {}
    if settings.STRIPE_API_BASE:
        options["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        http_client=stripe.new_default_http_client(timeout=timeout),
        max_network_retries=1,
        **options,
    )


def to_fen(amount: Decimal) -> int:
    """Yuan to fen, exactly: Stripe takes CNY in its smallest unit."""
    return int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _declined_message(error: stripe.CardError) -> str:
    if getattr(error, "code", "") == "payment_intent_authentication_failure":
        return _("The card's 3-D Secure check did not succeed. Nothing was charged.")
    return _("Your card was declined. Nothing was charged; please try another card.")


def stripe_call(resource: str, method: str, *args, **kwargs):
    """Call Stripe's v1 `resource.method`, turning its errors into ours."""
    function = getattr(getattr(stripe_client().v1, resource), method)
    try:
        return function(*args, **kwargs)
    except stripe.CardError as error:
        raise PaymentDeclined(_declined_message(error)) from error
    except stripe.InvalidRequestError as error:
        logger.warning("Stripe refused %s.%s: %s", resource, method, error.code)
        raise StripeRefused(_unavailable_message()) from error
    except stripe.StripeError as error:
        logger.warning("Stripe call failed: %s", type(error).__name__)
        raise PaymentUnavailable(_unavailable_message()) from error


def intent_cancel(*, intent_id: str):
    """Cancel an intent; the intent as Stripe then has it (it may have
    succeeded or be processing, which cannot be cancelled)."""
    try:
        return stripe_call("payment_intents", "cancel", intent_id)
    except StripeRefused:
        return stripe_call("payment_intents", "retrieve", intent_id)
