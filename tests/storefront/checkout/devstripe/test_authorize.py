"""The buyer's test page settles a wallet payment as Stripe's redirect does."""

import requests

from tests.storefront.checkout.devstripe.helpers import (
    RETURN_URL,
    alipay_intent,
    answer,
    wechat_intent,
)


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
