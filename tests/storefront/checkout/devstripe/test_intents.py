"""PaymentIntents capture, cancel and accept methods as Stripe does beside the
wallets."""

from tests.storefront.checkout.devstripe.helpers import (
    RETURN_URL,
    TYPES,
    answer,
    refused,
    wechat_intent,
)


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
