"""Intents waiting for the buyer, and the buyer's answer, through the official
library as the store drives it."""

import pytest
import requests
import stripe

RETURN_URL = "http://127.0.0.1:8000/shop/checkout/stripe/return/?order=100001"
TYPES = ["wechat_pay", "alipay", "card"]
UNIONPAY = "6200000000000005"


def wechat_intent(client, **params):
    """A ¥15.00 WeChat Pay intent confirmed for a web page: waiting for the buyer."""
    method = client.v1.payment_methods.create(params={"type": "wechat_pay"})
    intent = client.v1.payment_intents.create(
        params={"amount": 1500, "currency": "cny", "payment_method_types": TYPES}
    )
    return client.v1.payment_intents.confirm(
        intent.id,
        params={
            "payment_method": method.id,
            "payment_method_options": {"wechat_pay": {"client": "web"}},
            **params,
        },
    )


def alipay_intent(client):
    return client.v1.payment_intents.create(
        params={
            "amount": 4500,
            "currency": "cny",
            "payment_method_types": TYPES,
            "payment_method_data": {"type": "alipay"},
            "confirm": True,
            "return_url": RETURN_URL,
        }
    )


def answer(page_url: str, action: str) -> requests.Response:
    """The buyer's button on the test page, without a browser."""
    return requests.post(
        page_url, data={"action": action}, allow_redirects=False, timeout=10
    )


def refused(call) -> stripe.StripeError:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        call()
    return raised.value
