"""WeChat Pay, Alipay and card brands on top of localstripe's resources.

localstripe's classes are patched in place (`install`), because its routes and
its pickled state both refer to them; everything here keeps Stripe's names.
"""

import secrets
import time
from contextvars import ContextVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import segno
from localstripe.errors import UserError
from localstripe.resources import (
    Card,
    Charge,
    Event,
    PaymentIntent,
    PaymentMethod,
    Refund,
    StripeObject,
    try_convert_to_bool,
)
from localstripe.webhooks import schedule_webhook

WALLETS = ("wechat_pay", "alipay")
METHOD_TYPES = ("card", *WALLETS)
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
AUTHORIZE_PATH = "/devstripe/authorize/"

# Where the stand-in is reached, for the URLs it hands out (set per request).
origin: ContextVar[str] = ContextVar("origin", default="http://127.0.0.1:8420")

# (prefixes, PaymentMethod brand, legacy Card brand); the first match wins.
BRANDS = (
    (("4",), "visa", "Visa"),
    (("51", "52", "53", "54", "55", "22", "23", "24", "25", "26", "27"), "mastercard",
     "MasterCard"),
    (("62", "81"), "unionpay", "UnionPay"),
    (("35",), "jcb", "JCB"),
    (("6011", "644", "645", "646", "647", "648", "649", "65"), "discover", "Discover"),
    (("300", "301", "302", "303", "304", "305", "36", "38", "39"), "diners",
     "Diners Club"),
)  # fmt: skip


def card_brand(number: str, *, legacy: bool = False) -> str:
    """Stripe's brand for a card number (legacy Card objects spell it differently)."""
    for prefixes, brand, legacy_brand in BRANDS:
        if number.startswith(prefixes):
            return legacy_brand if legacy else brand
    return "Unknown" if legacy else "unknown"


def error(message: str, *, param=None, code=None, status=400, **extra) -> UserError:
    """A Stripe error body: {"error": {"type", "message", "code", "param", …}}."""
    contents = dict(extra)
    if code:
        contents["code"] = code
    if param:
        contents["param"] = param
    return UserError(status, message, contents)


def unexpected_state(intent, action: str, allowed) -> UserError:
    done = {"authorize": "authorized", "cancel": "canceled", "confirm": "confirmed"}
    return error(
        f"You cannot {action} this PaymentIntent because it has a status of "
        f"{intent.status}. Only a PaymentIntent with one of the following "
        f"statuses may be {done[action]}: {', '.join(allowed)}.",
        code="payment_intent_unexpected_state",
    )


def refuse_unknown(kwargs) -> None:
    """Stripe's answer to a parameter it does not know."""
    if kwargs:
        name = sorted(kwargs)[0]
        raise error(
            f"Received unknown parameter: {name}", param=name, code="parameter_unknown"
        )


# PaymentMethod: type=wechat_pay | alipay beside localstripe's card/sepa_debit.

_payment_method_init = PaymentMethod.__init__


def payment_method_init(
    self,
    type=None,
    billing_details=None,
    metadata=None,
    wechat_pay=None,
    alipay=None,
    **kwargs,
):
    if type not in WALLETS:
        if wechat_pay is not None or alipay is not None:
            raise error("Bad request")
        _payment_method_init(
            self,
            type=type,
            billing_details=billing_details,
            metadata=metadata,
            **kwargs,
        )
        if self.type == "card":
            self.card["brand"] = card_brand(self._card_number)
        return
    refuse_unknown(kwargs)
    if billing_details is not None and not isinstance(billing_details, dict):
        raise error("Invalid billing_details", param="billing_details")
    # All exceptions must be raised before this point (it stores the object).
    StripeObject.__init__(self)
    self.type = type
    self.billing_details = billing_details or {}
    setattr(self, type, {})
    self.customer = None
    self.metadata = metadata or {}


_card_init = Card.__init__


def card_init(self, source=None, **kwargs):
    _card_init(self, source=source, **kwargs)
    self.brand = card_brand(self._card_number, legacy=True)


def payment_method_details(method) -> dict:
    """The charge's `payment_method_details` for a PaymentMethod or legacy Card."""
    number = getattr(method, "_card_number", None)
    if method.type == "card" and number:
        card = (
            vars(method) if isinstance(method, Card) else method.card
        )  # a legacy Card (from a token) keeps its details at the top level
        return {
            "type": "card",
            "card": {
                "brand": card_brand(number),
                "country": card["country"],
                "exp_month": card["exp_month"],
                "exp_year": card["exp_year"],
                "fingerprint": card["fingerprint"],
                "funding": card["funding"],
                "last4": number[-4:],
            },
        }
    transaction = "42" + "".join(secrets.choice("0123456789") for _ in range(26))
    if method.type == "wechat_pay":
        details = {
            "fingerprint": None,
            "location": None,
            "reader": None,
            "transaction_id": transaction,
        }
    elif method.type == "alipay":
        details = {"buyer_id": None, "fingerprint": None, "transaction_id": transaction}
    else:
        details = {}
    return {"type": method.type, method.type: details}


_charge_init = Charge.__init__


def charge_init(self, *args, **kwargs):
    _charge_init(self, *args, **kwargs)
    self.payment_method_details = payment_method_details(
        PaymentMethod._api_retrieve(self.payment_method)
    )


# PaymentIntent: payment_method_types, payment_method_options, wallets' actions.


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


def authorize_url(intent) -> str:
    return f"{origin.get()}{AUTHORIZE_PATH}{intent.id}"


def qr_data_url(data: str) -> str:
    return segno.make_qr(data).png_data_uri(scale=5, border=2)


def next_action(intent, method_type: str, return_url) -> dict:
    """Stripe's `next_action` for a wallet payment waiting for the buyer."""
    page = authorize_url(intent)
    if method_type == "alipay":
        return {
            "type": "alipay_handle_redirect",
            "alipay_handle_redirect": {
                "native_data": None,
                "native_url": None,
                "return_url": return_url,
                "url": page,
            },
        }
    wechat = intent.payment_method_options["wechat_pay"]
    if wechat["client"] == "web":
        return {
            "type": "wechat_pay_display_qr_code",
            "wechat_pay_display_qr_code": {
                "data": page,
                "hosted_instructions_url": page,
                "image_data_url": qr_data_url(page),
                "image_url_png": f"{origin.get()}/devstripe/qr/{intent.id}.png",
                "image_url_svg": f"{origin.get()}/devstripe/qr/{intent.id}.svg",
            },
        }
    app = {
        "app_id": wechat["app_id"],
        "nonce_str": secrets.token_hex(16),
        "package": "Sign=WXPay",
        "partner_id": "1900000109",
        "prepay_id": "wx" + secrets.token_hex(15),
        "sign": secrets.token_hex(16).upper(),
        "timestamp": str(int(time.time())),
    }
    if wechat["client"] == "android":
        return {
            "type": "wechat_pay_redirect_to_android_app",
            "wechat_pay_redirect_to_android_app": app,
        }
    query = urlencode(
        {
            "nonceStr": app["nonce_str"],
            "package": app["package"],
            "partnerId": app["partner_id"],
            "prepayId": app["prepay_id"],
            "timeStamp": app["timestamp"],
            "sign": app["sign"],
        }
    )
    return {
        "type": "wechat_pay_redirect_to_ios_app",
        "wechat_pay_redirect_to_ios_app": {
            "native_url": f"weixin://app/{app['app_id']}/pay/?{query}"
        },
    }


def wallet_waiting(intent) -> str | None:
    """The wallet whose authorisation page the intent waits on, if any."""
    action = (intent.next_action or {}).get("type", "")
    if action == "alipay_handle_redirect":
        return "alipay"
    if action.startswith("wechat_pay_"):
        return "wechat_pay"
    return None


def intent_authorize(intent, *, success: bool) -> str:
    """The buyer's answer on the test page; the return URL to send him to, if any."""
    wallet = wallet_waiting(intent)
    if intent.status != "requires_action" or wallet is None:
        raise unexpected_state(intent, "authorize", ["requires_action"])
    intent.next_action = None
    if success:
        intent._create_charge(on_failure_now=intent._report_failure)
    else:
        method = PaymentMethod._api_retrieve(intent.payment_method)
        intent._payment_error = {
            "code": "payment_intent_authentication_failure",
            "doc_url": "https://stripe.com/docs/error-codes/"
            "payment-intent-authentication-failure",
            "message": "The provided PaymentMethod has failed authentication. You "
            "can provide payment_method_data or a new PaymentMethod to attempt to "
            "fulfill this PaymentIntent again.",
            "payment_method": method._export(),
            "type": "invalid_request_error",
        }
        intent.payment_method = None
        schedule_webhook(Event("payment_intent.payment_failed", intent))
    return_url = getattr(intent, "_return_url", None)
    if not return_url:
        return None
    scheme, netloc, path, query, fragment = urlsplit(return_url)
    query = urlencode(
        [
            *parse_qsl(query, keep_blank_values=True),
            ("payment_intent", intent.id),
            ("payment_intent_client_secret", intent.client_secret),
            ("redirect_status", "succeeded" if success else "failed"),
        ]
    )
    return urlunsplit((scheme, netloc, path, query, fragment))


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


_refund_create = Refund._api_create.__func__


def refund_create(cls, charge=None, payment_intent=None, amount=None, **data):
    """localstripe's, refusing what Stripe refuses (nothing paid, or too much) and
    refunding by default what is left, as Stripe does."""
    if payment_intent is not None and charge is None:
        intent = PaymentIntent._api_retrieve(str(payment_intent))
        paid = intent.latest_charge
        if paid is None or intent.status not in ("succeeded", "requires_capture"):
            raise error(
                f"This PaymentIntent ({intent.id}) does not have a successful "
                "charge to refund.",
                param="payment_intent",
                code="charge_not_refundable",
            )
    elif charge is not None:
        paid = Charge._api_retrieve(str(charge))
    else:
        raise error(
            "One of the following params should be provided for this request: "
            "payment_intent or charge.",
            code="parameter_missing",
        )
    remaining = paid.amount - paid.amount_refunded
    if remaining <= 0:
        raise error(
            f"Charge {paid.id} has already been refunded.",
            code="charge_already_refunded",
        )
    if amount is not None and str(amount).isdigit() and int(amount) > remaining:
        raise error(
            f"Refund amount ({int(amount)}) is greater than unrefunded amount on "
            f"charge ({remaining})",
            param="amount",
        )
    if amount is None:
        amount = remaining  # Stripe refunds what is left, localstripe the whole
    return _refund_create(
        cls, charge=charge, payment_intent=payment_intent, amount=amount, **data
    )


def install() -> None:
    """Teach localstripe's classes the wallets and brands (idempotent)."""
    PaymentMethod.__init__ = payment_method_init
    Card.__init__ = card_init
    Charge.__init__ = charge_init
    PaymentIntent._api_create = classmethod(intent_create)
    PaymentIntent._create_charge = create_charge
    PaymentIntent.last_payment_error = property(last_payment_error)
    PaymentIntent.amount_received = property(amount_received)
    Refund._api_create = classmethod(refund_create)
