"""The local Stripe stand-in takes WeChat Pay, Alipay and UnionPay as Stripe does,
driven through the official library as the store drives it."""

import base64

import pytest
import requests
import stripe

from storefront.checkout.payments import stripe_client

RETURN_URL = "http://127.0.0.1:8000/shop/checkout/stripe/return/?order=100001"
TYPES = ["wechat_pay", "alipay", "card"]
UNIONPAY = "6200000000000005"


@pytest.fixture
def client(stripe_settings, clean_stripe):
    return stripe_client()


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


def test_wechat_pay_confirm_answers_stripes_qr_code_action(client, localstripe):
    # given
    method = client.v1.payment_methods.create(params={"type": "wechat_pay"})

    # when
    intent = wechat_intent(client)

    # then
    page = f"{localstripe}/devstripe/authorize/{intent.id}"
    action = intent.next_action.to_dict()
    image = action["wechat_pay_display_qr_code"].pop("image_data_url")
    assert method.to_dict()["wechat_pay"] == {}
    assert intent.status == "requires_action"
    assert intent.payment_method_types == TYPES
    assert intent.payment_method_options.wechat_pay.to_dict() == {
        "app_id": None,
        "client": "web",
    }
    assert action == {
        "type": "wechat_pay_display_qr_code",
        "wechat_pay_display_qr_code": {
            "data": page,
            "hosted_instructions_url": page,
            "image_url_png": f"{localstripe}/devstripe/qr/{intent.id}.png",
            "image_url_svg": f"{localstripe}/devstripe/qr/{intent.id}.svg",
        },
    }
    prefix = "data:image/png;base64,"
    assert image.startswith(prefix)
    assert base64.b64decode(image[len(prefix) :])[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_qr_code_images_and_the_page_are_served_without_a_key(client):
    # given
    intent = wechat_intent(client)
    qr = intent.next_action.wechat_pay_display_qr_code

    # when
    png = requests.get(qr.image_url_png, timeout=10)
    svg = requests.get(qr.image_url_svg, timeout=10)
    page = requests.get(qr.hosted_instructions_url, timeout=10)

    # then
    assert (png.status_code, png.headers["Content-Type"]) == (200, "image/png")
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert (svg.status_code, svg.headers["Content-Type"]) == (200, "image/svg+xml")
    assert page.status_code == 200
    assert "授权测试付款" in page.text
    assert "使付款失败" in page.text
    assert qr.image_data_url in page.text


def test_authorising_on_the_page_succeeds_and_sends_a_signed_webhook(
    client, webhook_receiver
):
    # given
    intent = wechat_intent(client)

    # when
    response = answer(intent.next_action.wechat_pay_display_qr_code.data, "authorize")

    # then
    paid = client.v1.payment_intents.retrieve(intent.id)
    event = webhook_receiver.event("payment_intent.succeeded", intent.id)
    charge = paid.latest_charge
    assert response.status_code == 200
    assert "测试付款已授权" in response.text
    assert paid.status == "succeeded"
    assert paid.next_action is None
    assert paid.amount_received == 1500
    assert (charge.status, charge.captured, charge.amount) == ("succeeded", True, 1500)
    assert charge.payment_method_details.type == "wechat_pay"
    assert [c.id for c in paid.charges.data] == [charge.id]
    assert event.data.object.status == "succeeded"
    assert event.data.object.latest_charge.id == charge.id


def test_alipay_redirects_to_stripe_and_back_with_its_query_params(client, localstripe):
    # given
    intent = alipay_intent(client)
    page = f"{localstripe}/devstripe/authorize/{intent.id}"

    # when
    response = answer(intent.next_action.alipay_handle_redirect.url, "authorize")

    # then
    assert intent.status == "requires_action"
    assert intent.next_action.to_dict() == {
        "type": "alipay_handle_redirect",
        "alipay_handle_redirect": {
            "native_data": None,
            "native_url": None,
            "return_url": RETURN_URL,
            "url": page,
        },
    }
    assert response.status_code == 303
    assert response.headers["Location"] == (
        f"{RETURN_URL}&payment_intent={intent.id}"
        f"&payment_intent_client_secret={intent.client_secret}"
        "&redirect_status=succeeded"
    )
    assert client.v1.payment_intents.retrieve(intent.id).status == "succeeded"


def test_failing_on_the_page_asks_for_another_method_and_says_so(
    client, webhook_receiver
):
    # given
    intent = alipay_intent(client)

    # when
    response = answer(intent.next_action.alipay_handle_redirect.url, "fail")

    # then
    failed = client.v1.payment_intents.retrieve(intent.id)
    event = webhook_receiver.event("payment_intent.payment_failed", intent.id)
    assert response.headers["Location"].endswith("&redirect_status=failed")
    assert failed.status == "requires_payment_method"
    assert failed.payment_method is None
    assert failed.last_payment_error.code == "payment_intent_authentication_failure"
    assert failed.last_payment_error.payment_method.type == "alipay"
    assert event.data.object.status == "requires_payment_method"


def test_after_a_failure_the_buyer_pays_with_another_method(client):
    # given
    intent = alipay_intent(client)
    answer(intent.next_action.alipay_handle_redirect.url, "fail")

    # when
    retry = client.v1.payment_intents.confirm(
        intent.id,
        params={
            "payment_method_data": {"type": "wechat_pay"},
            "payment_method_options": {"wechat_pay": {"client": "web"}},
        },
    )
    answer(retry.next_action.wechat_pay_display_qr_code.data, "authorize")

    # then
    paid = client.v1.payment_intents.retrieve(intent.id)
    assert retry.status == "requires_action"
    assert paid.status == "succeeded"
    assert paid.last_payment_error is None
    assert paid.latest_charge.payment_method_details.type == "wechat_pay"


def test_a_wallet_payment_is_refunded_in_parts_and_never_beyond(client):
    # given
    intent = wechat_intent(client)
    answer(intent.next_action.wechat_pay_display_qr_code.data, "authorize")

    # when
    first = client.v1.refunds.create(
        params={"payment_intent": intent.id, "amount": 500}
    )
    too_much = refused(
        lambda: client.v1.refunds.create(
            params={"payment_intent": intent.id, "amount": 1001}
        )
    )
    rest = client.v1.refunds.create(params={"payment_intent": intent.id})
    again = refused(
        lambda: client.v1.refunds.create(params={"payment_intent": intent.id})
    )

    # then
    charge = client.v1.payment_intents.retrieve(intent.id).latest_charge
    assert (first.status, first.amount) == ("succeeded", 500)
    assert (too_much.http_status, too_much.param) == (400, "amount")
    assert (rest.status, rest.amount) == ("succeeded", 1000)
    assert again.code == "charge_already_refunded"
    assert (charge.amount_refunded, charge.refunded) == (1500, True)


def test_nothing_to_refund_while_the_buyer_has_not_paid(client):
    # given
    intent = wechat_intent(client)

    # when
    error = refused(
        lambda: client.v1.refunds.create(params={"payment_intent": intent.id})
    )

    # then
    assert (error.http_status, error.code) == (400, "charge_not_refundable")


def test_manual_capture_is_refused_for_wallets(client):
    # when
    error = refused(
        lambda: client.v1.payment_intents.create(
            params={
                "amount": 1500,
                "currency": "cny",
                "payment_method_types": TYPES,
                "capture_method": "manual",
            }
        )
    )

    # then
    assert (error.http_status, error.code, error.param) == (
        400,
        "payment_intent_invalid_parameter",
        "capture_method",
    )
    assert client.v1.payment_intents.list().data == []


def test_a_card_beside_the_wallets_may_still_be_captured_later(client):
    # given
    intent = client.v1.payment_intents.create(
        params={
            "amount": 1500,
            "currency": "cny",
            "payment_method_types": TYPES,
            "payment_method_options": {"card": {"capture_method": "manual"}},
            "payment_method": "pm_card_visa",
            "confirm": True,
        }
    )

    # when
    captured = client.v1.payment_intents.capture(intent.id)

    # then
    assert intent.status == "requires_capture"
    assert captured.status == "succeeded"


def test_a_wallet_payment_cannot_be_captured_or_cancelled_once_paid(client):
    # given
    intent = wechat_intent(client)
    answer(intent.next_action.wechat_pay_display_qr_code.data, "authorize")

    # when
    capture = refused(lambda: client.v1.payment_intents.capture(intent.id))
    cancel = refused(lambda: client.v1.payment_intents.cancel(intent.id))

    # then
    assert capture.code == "payment_intent_unexpected_state"
    assert cancel.code == "payment_intent_unexpected_state"
    assert client.v1.payment_intents.retrieve(intent.id).status == "succeeded"


def test_a_cancelled_wallet_payment_can_no_longer_be_authorised(
    client, webhook_receiver
):
    # given
    intent = wechat_intent(client)

    # when
    cancelled = client.v1.payment_intents.cancel(
        intent.id, params={"cancellation_reason": "abandoned"}
    )
    response = answer(intent.next_action.wechat_pay_display_qr_code.data, "authorize")

    # then
    event = webhook_receiver.event("payment_intent.canceled", intent.id)
    assert (cancelled.status, cancelled.cancellation_reason) == (
        "canceled",
        "abandoned",
    )
    assert cancelled.next_action is None
    assert response.status_code == 409
    assert client.v1.payment_intents.retrieve(intent.id).status == "canceled"
    assert event.data.object.status == "canceled"


def test_wechat_pay_needs_stripes_client_and_alipay_a_return_url(client):
    # given
    method = client.v1.payment_methods.create(params={"type": "wechat_pay"})
    intent = client.v1.payment_intents.create(
        params={"amount": 1500, "currency": "cny", "payment_method_types": TYPES}
    )

    # when
    no_client = refused(
        lambda: client.v1.payment_intents.confirm(
            intent.id, params={"payment_method": method.id}
        )
    )
    mobile = refused(
        lambda: client.v1.payment_intents.confirm(
            intent.id,
            params={
                "payment_method": method.id,
                "payment_method_options": {"wechat_pay": {"client": "mobile"}},
            },
        )
    )
    no_return_url = refused(
        lambda: client.v1.payment_intents.confirm(
            intent.id, params={"payment_method_data": {"type": "alipay"}}
        )
    )

    # then
    assert no_client.param == "payment_method_options[wechat_pay][client]"
    assert (mobile.code, mobile.param) == (
        "parameter_invalid_enum",
        "payment_method_options[wechat_pay][client]",
    )
    assert no_return_url.param == "return_url"
    assert client.v1.payment_intents.retrieve(intent.id).status == (
        "requires_payment_method"
    )


def test_wechat_pay_inside_an_android_app_gets_the_app_redirect(client):
    # when
    intent = wechat_intent(
        client,
        payment_method_options={
            "wechat_pay": {"client": "android", "app_id": "wx_app_1"}
        },
    )

    # then
    redirect = intent.next_action.wechat_pay_redirect_to_android_app.to_dict()
    assert intent.next_action.type == "wechat_pay_redirect_to_android_app"
    assert sorted(redirect) == [
        "app_id",
        "nonce_str",
        "package",
        "partner_id",
        "prepay_id",
        "sign",
        "timestamp",
    ]
    assert (redirect["app_id"], redirect["package"]) == ("wx_app_1", "Sign=WXPay")


def test_a_method_the_intent_does_not_accept_is_refused(client):
    # given
    intent = client.v1.payment_intents.create(
        params={"amount": 1500, "currency": "cny", "payment_method_types": ["card"]}
    )

    # when
    error = refused(
        lambda: client.v1.payment_intents.confirm(
            intent.id,
            params={
                "payment_method_data": {"type": "alipay"},
                "return_url": RETURN_URL,
            },
        )
    )

    # then
    assert error.code == "payment_intent_incompatible_payment_method"


def test_the_unionpay_test_card_pays_as_a_unionpay_card(client):
    # given
    token = client.v1.tokens.create(
        params={
            "card": {
                "number": UNIONPAY,
                "exp_month": 12,
                "exp_year": 2030,
                "cvc": "123",
            }
        }
    )
    method = client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {
                "number": UNIONPAY,
                "exp_month": 12,
                "exp_year": 2030,
                "cvc": "123",
            },
        }
    )

    # when
    intent = client.v1.payment_intents.create(
        params={
            "amount": 9900,
            "currency": "cny",
            "payment_method_types": TYPES,
            "payment_method": token.card.id,
            "confirm": True,
        }
    )

    # then
    details = intent.latest_charge.payment_method_details
    assert token.card.brand == "UnionPay"
    assert method.card.brand == "unionpay"
    assert intent.status == "succeeded"
    assert (details.type, details.card.brand, details.card.last4) == (
        "card",
        "unionpay",
        "0005",
    )
