"""WeChat Pay and Alipay wait for the buyer with Stripe's own `next_action`."""

import base64

from tests.storefront.checkout.devstripe.helpers import TYPES, refused, wechat_intent


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
