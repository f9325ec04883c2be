"""What a wallet payment waits on: the buyer's answer on the test page.

A confirmed WeChat Pay or Alipay intent gets Stripe's `next_action` pointing at
the stand-in's authorisation page (`authorize.py`), and the buyer's answer
there settles it as Stripe would.
"""

import secrets
import time
from contextvars import ContextVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import segno
from localstripe.resources import Event, PaymentMethod
from localstripe.webhooks import schedule_webhook

from .errors import unexpected_state

AUTHORIZE_PATH = "/devstripe/authorize/"

# Where the stand-in is reached, for the URLs it hands out (set per request).
origin: ContextVar[str] = ContextVar("origin", default="http://127.0.0.1:8420")


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
