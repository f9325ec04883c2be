"""PaymentIntents with payment_method_types, payment_method_options and wallets.

Create, confirm, cancel and capture as Stripe answers them; a wallet's confirm
hands the buyer to `wallets.next_action` instead of charging at once.
"""

import time

from localstripe.resources import (
    Charge,
    Event,
    PaymentIntent,
    PaymentMethod,
    try_convert_to_bool,
)
from localstripe.webhooks import schedule_webhook

from .errors import error, unexpected_state
from .methods import METHOD_TYPES, WALLETS
from .wallets import next_action

WECHAT_CLIENTS = ("android", "ios", "web")
CANCELABLE = (
    "requires_payment_method",
    "requires_capture",
    "requires_confirmation",
    "requires_action",
    "processing",
)
CONFIRMABLE = ("requires_payment_method", "requires_confirmation", "requires_action")
CANCELLATION_REASONS = ("duplicate", "fraudulent", "requested_by_customer", "abandoned")


def _method_types(value) -> list[str]:
    if value is None:
        return ["card"]
    if not isinstance(value, list) or not value:
        raise error("Invalid array", param="payment_method_types")
    for method_type in value:
        if method_type not in METHOD_TYPES:
            raise error(
                f"The payment method type provided: {method_type} is invalid. "
                f"This stand-in supports: {', '.join(METHOD_TYPES)}.",
                param="payment_method_types",
                code="payment_intent_invalid_parameter",
            )
    return list(dict.fromkeys(value))


def _method_options(value, types, current=None) -> dict:
    """The intent's options, one entry per allowed type, as Stripe shows them."""
    value = value or {}
    if not isinstance(value, dict):
        raise error("Invalid hash", param="payment_method_options")
    for method_type in value:
        if method_type not in types:
            raise error(
                f"payment_method_options[{method_type}] was provided, but "
                f"{method_type} is not in this PaymentIntent's payment_method_types.",
                param=f"payment_method_options[{method_type}]",
                code="payment_intent_invalid_parameter",
            )
    options = {key: dict(entry) for key, entry in (current or {}).items()}
    for method_type in types:
        given = value.get(method_type) or {}
        if not isinstance(given, dict):
            raise error("Invalid hash", param=f"payment_method_options[{method_type}]")
        entry = options.setdefault(
            method_type,
            {
                "card": {"request_three_d_secure": "automatic"},
                "wechat_pay": {"app_id": None, "client": None},
                "alipay": {},
            }[method_type],
        )
        allowed = {
            "card": ("capture_method", "request_three_d_secure"),
            "wechat_pay": ("app_id", "client"),
            "alipay": (),
        }[method_type]
        for key, option in given.items():
            param = f"payment_method_options[{method_type}][{key}]"
            if key not in allowed:
                raise error(
                    f"Received unknown parameter: {param}",
                    param=param,
                    code="parameter_unknown",
                )
            if key == "client" and option not in WECHAT_CLIENTS:
                raise error(
                    f"Invalid {param}: must be one of {', '.join(WECHAT_CLIENTS)}",
                    param=param,
                    code="parameter_invalid_enum",
                )
            if key == "capture_method" and option not in ("manual", ""):
                raise error(
                    f"Invalid {param}: must be manual",
                    param=param,
                    code="parameter_invalid_enum",
                )
            entry[key] = option or None
    return options


def _check_manual_capture(capture_method, types) -> None:
    wallets = [method_type for method_type in types if method_type in WALLETS]
    if capture_method == "manual" and wallets:
        raise error(
            "capture_method=manual is not supported by the payment method types "
            f"{', '.join(wallets)}: they capture at once. Use automatic capture, "
            "or payment_method_options[card][capture_method]=manual to capture "
            "only cards later.",
            param="capture_method",
            code="payment_intent_invalid_parameter",
        )


def _payment_method_from_data(data) -> PaymentMethod:
    if not isinstance(data, dict) or "type" not in data:
        raise error(
            "Missing required param: payment_method_data[type].",
            param="payment_method_data[type]",
            code="parameter_missing",
        )
    return PaymentMethod._api_create(**data)


def intent_create(
    cls,
    confirm=None,
    off_session=None,
    return_url=None,
    payment_method_data=None,
    payment_method_types=None,
    payment_method_options=None,
    capture_method=None,
    **data,
):
    confirm = try_convert_to_bool(confirm)
    if confirm not in (None, True, False):
        raise error("Invalid boolean", param="confirm")
    types = _method_types(payment_method_types)
    options = _method_options(payment_method_options, types)
    _check_manual_capture(capture_method, types)
    if payment_method_data is not None:
        if data.get("payment_method"):
            raise error(
                "You cannot provide both payment_method and payment_method_data.",
                param="payment_method_data",
            )
        data["payment_method"] = _payment_method_from_data(payment_method_data).id
    if data.get("payment_method"):
        _check_method_allowed(
            PaymentMethod._api_retrieve(data["payment_method"]), types
        )
    if not confirm and return_url is not None:
        raise error(
            "You can only provide return_url when confirming.", param="return_url"
        )
    intent = cls(capture_method=capture_method, **data)
    intent.payment_method_types = types
    intent.payment_method_options = options
    if confirm:
        intent_confirm(intent, return_url=return_url)
    return intent


def _check_method_allowed(method, types) -> None:
    if method.type not in types:
        raise error(
            f"The PaymentMethod provided ({method.type}) is not allowed for this "
            "PaymentIntent. Please attach a PaymentMethod of one of the following "
            f"types: {', '.join(types)}.",
            param="payment_method",
            code="payment_intent_incompatible_payment_method",
        )


def intent_confirm(
    intent,
    *,
    payment_method=None,
    payment_method_data=None,
    payment_method_options=None,
    return_url=None,
):
    """Confirm as Stripe does: cards charge (or ask for 3-D Secure), wallets wait
    for the buyer on the authorisation page."""
    if intent.status not in CONFIRMABLE:
        raise unexpected_state(intent, "confirm", CONFIRMABLE)
    types = getattr(intent, "payment_method_types", ["card"])
    options = _method_options(
        payment_method_options, types, getattr(intent, "payment_method_options", {})
    )
    if payment_method is not None and payment_method_data is not None:
        raise error(
            "You cannot provide both payment_method and payment_method_data.",
            param="payment_method_data",
        )
    if payment_method_data is not None:
        method = _payment_method_from_data(payment_method_data)
    elif payment_method is not None:
        method = PaymentMethod._api_retrieve(payment_method)
    elif intent.payment_method:
        method = PaymentMethod._api_retrieve(intent.payment_method)
    else:
        raise error(
            "You cannot confirm this PaymentIntent because it's missing a payment "
            "method. To confirm the PaymentIntent with a customer, provide "
            "payment_method or payment_method_data.",
            code="payment_intent_unexpected_state",
        )
    _check_method_allowed(method, types)
    if method.type == "alipay" and not return_url:
        raise error(
            "A return_url must be provided when confirming a PaymentIntent with "
            "the alipay payment method.",
            param="return_url",
        )
    wechat = options.get("wechat_pay", {})
    if method.type == "wechat_pay":
        if not wechat.get("client"):
            raise error(
                "Missing required param: payment_method_options[wechat_pay][client].",
                param="payment_method_options[wechat_pay][client]",
                code="parameter_missing",
            )
        if wechat["client"] != "web" and not wechat.get("app_id"):
            raise error(
                "Missing required param: payment_method_options[wechat_pay][app_id].",
                param="payment_method_options[wechat_pay][app_id]",
                code="parameter_missing",
            )

    # Every check is done: only now does the intent change.
    intent.payment_method = method.id
    intent.payment_method_options = options
    intent._return_url = return_url
    intent._payment_error = None
    intent._authentication_failed = False
    if intent.latest_charge is not None and intent.latest_charge.status == "failed":
        intent.latest_charge = None  # a new attempt
    if method.type in WALLETS:
        intent.next_action = next_action(intent, method.type, return_url)
        schedule_webhook(Event("payment_intent.requires_action", intent))
    else:
        intent.next_action = None
        intent._confirm(on_failure_now=intent._report_failure)
    return intent


def create_charge(self, on_failure_now):
    """localstripe's, with the capture method of the method being paid with."""
    if self.status != "requires_confirmation":
        raise unexpected_state(self, "confirm", ["requires_confirmation"])
    method = PaymentMethod._api_retrieve(self.payment_method)
    capture_method = self.capture_method
    if method.type == "card":
        card = getattr(self, "payment_method_options", {}).get("card", {})
        capture_method = card.get("capture_method") or capture_method
    elif method.type in WALLETS:
        capture_method = "automatic"
    charge = Charge(
        amount=self.amount,
        currency=self.currency,
        customer=self.customer,
        source=self.payment_method,
        capture=capture_method != "manual",
    )
    charge.payment_intent = self.id
    self.latest_charge = charge
    charge._initialize_charge(
        self._on_success, on_failure_now, self._report_async_failure
    )


_last_payment_error = PaymentIntent.last_payment_error


def last_payment_error(self):
    return getattr(self, "_payment_error", None) or _last_payment_error.fget(self)


def amount_received(self):
    charge = self.latest_charge
    if charge is not None and charge.status == "succeeded" and charge.captured:
        return charge.amount
    return 0


def intent_cancel(intent, *, cancellation_reason=None):
    if cancellation_reason is not None and (
        cancellation_reason not in CANCELLATION_REASONS
    ):
        raise error(
            "Invalid cancellation_reason: must be one of "
            + ", ".join(CANCELLATION_REASONS),
            param="cancellation_reason",
            code="parameter_invalid_enum",
        )
    if intent.status not in CANCELABLE:
        raise unexpected_state(intent, "cancel", CANCELABLE)
    intent._canceled = True
    intent.next_action = None
    intent.canceled_at = int(time.time())
    intent.cancellation_reason = cancellation_reason
    schedule_webhook(Event("payment_intent.canceled", intent))
    return intent


def intent_capture(intent, *, amount_to_capture=None):
    if intent.status != "requires_capture":
        raise error(
            "This PaymentIntent could not be captured because it has a status of "
            f"{intent.status}. Only a PaymentIntent with one of the following "
            "statuses may be captured: requires_capture.",
            code="payment_intent_unexpected_state",
        )
    intent.latest_charge._capture(
        amount=amount_to_capture, on_success=intent._on_success
    )
    return intent
