"""An order placed awaiting payment: its pay page, who may open it, paying it
later, its expiry, and ordering again once it was released."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model

from sellers.models import LedgerEntry
from storefront.checkout import payments, stripe_api
from storefront.checkout.models import StripePayment
from storefront.checkout.stripe_api import stripe_client
from tests.storefront.checkout import helpers

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.usefixtures("stripe_settings")


@pytest.fixture
def shop(db):
    return helpers.two_households()


def placed(client, shop):
    helpers.checkout_to_payment(client, *shop)
    helpers.place_order(client)
    return Order.objects.get()


def later(minutes: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=minutes)


def test_submitting_places_the_order_awaiting_payment_with_its_stock_held(client, shop):
    before = timezone.now()

    order = placed(client, shop)

    payment = StripePayment.objects.get()
    assert order.status == "pending"
    assert [
        (r.num_in_stock, r.num_allocated) for r in StockRecord.objects.order_by("id")
    ] == [(10, 1), (10, 1)]
    assert payment.amount_fen == 8000
    assert payment.payment_intent_id is None
    assert before + datetime.timedelta(minutes=15) <= payment.expires_at
    assert payment.expires_at <= timezone.now() + datetime.timedelta(minutes=15)
    assert LedgerEntry.objects.count() == 0
    assert helpers.basket_lines(client) == []


def test_the_pay_page_shows_parcels_amount_time_left_and_methods_in_order(
    client, shop, settings, monkeypatch
):
    # given: WeChat Pay and Alipay switched on, 12 min 5 s left to pay
    settings.BANGFU_WECHAT_PAY_ENABLED = True
    settings.BANGFU_ALIPAY_ENABLED = True
    order = placed(client, shop)
    StripePayment.objects.update(expires_at=later(30))
    now = StripePayment.objects.get().expires_at - datetime.timedelta(
        minutes=12, seconds=5
    )
    monkeypatch.setattr("storefront.checkout.views.timezone.now", lambda: now)

    # when
    page = client.get(f"/shop/checkout/orders/{order.number}/pay/")

    # then
    html = page.content.decode()
    assert page.status_code == 200
    assert "请在 12:05 内付款" in html
    assert "罗大哥" in html and "王阿姨" in html
    assert '<strong id="order-total">¥80.00</strong>' in html
    labels = ["微信支付", "支付宝", "银行卡（含银联）"]
    assert [html.index(label) for label in labels] == sorted(
        html.index(label) for label in labels
    )
    assert 'value="wechat_pay" checked' in html


@pytest.mark.parametrize("who", ["another guest", "another account"])
def test_nobody_else_opens_or_pays_the_order(client, shop, who):
    order = placed(client, shop)
    other = Client()
    if who == "another account":
        other.force_login(
            get_user_model().objects.create_user(username="o", password="pw")
        )

    page = other.get(f"/shop/checkout/orders/{order.number}/pay/")
    paid = other.post(
        helpers.pay_url(order.number),
        {"method": "card", "payment_method": helpers.card_token(helpers.CARD_OK)},
    )
    forged = other.get(f"/shop/checkout/orders/{order.number}/pay/?h=1:forged")

    assert (page.status_code, paid.status_code, forged.status_code) == (404, 404, 404)
    assert StripePayment.objects.get().payment_intent_id is None


def test_the_signed_link_opens_the_pay_page_in_another_browser(client, shop):
    order = placed(client, shop)
    phone = Client()

    page = phone.get(
        f"/shop/checkout/orders/{order.number}/pay/?h={order.verification_hash()}"
    )
    paid = helpers.pay(phone, order_number=order.number)

    assert page.status_code == 200
    assert paid.json()["status"] == "succeeded"


def test_leave_it_awaiting_payment_and_pay_later_from_my_orders(client, shop):
    # given: a buyer with an account submits his order and leaves
    buyer = get_user_model().objects.create_user(
        username="buyer", email="buyer@example.com", password="pw"
    )
    client.force_login(buyer)
    order = placed(client, shop)

    # when: later, on another device, he opens his orders and pays
    later_device = Client()
    later_device.force_login(buyer)
    orders = later_device.get("/shop/accounts/orders/").content.decode()
    detail = later_device.get(f"/shop/accounts/orders/{order.number}/")
    pay_link = f"/shop/checkout/orders/{order.number}/pay/?h="
    page = later_device.get(f"/shop/checkout/orders/{order.number}/pay/")
    paid = helpers.pay(later_device, order_number=order.number)
    thanks = later_device.get(paid.json()["redirect"])

    # then
    order.refresh_from_db()
    assert "待付款" in orders and pay_link in orders and "去付款" in orders
    assert pay_link in detail.content.decode()
    assert '<dd class="order-status">待付款</dd>' in detail.content.decode()
    assert page.status_code == 200
    assert order.status == "paid"
    assert thanks.status_code == 200
    assert LedgerEntry.objects.count() == 2


def test_the_guest_order_page_offers_to_pay(client, shop):
    order = placed(client, shop)
    path = f"{order.number}/{order.verification_hash()}/"
    guest = Client()

    html = guest.get(f"/shop/accounts/order-status/{path}").content.decode()

    assert f"/shop/checkout/orders/{order.number}/pay/?h=" in html
    assert "去付款" in html
    assert '<span class="parcel-item__stage">待付款</span>' in html


def test_a_paid_order_s_pay_page_leads_to_its_receipt(client, shop):
    order = placed(client, shop)
    helpers.pay(client)

    page = client.get(f"/shop/checkout/orders/{order.number}/pay/")

    assert page.status_code == 302
    assert page["Location"] == "/shop/checkout/thank-you/"


def test_an_order_awaiting_payment_has_no_thank_you_page_yet(client, shop):
    order = placed(client, shop)

    page = client.get("/shop/checkout/thank-you/")

    assert page.status_code == 302
    assert page["Location"] == f"/shop/checkout/orders/{order.number}/pay/"


def test_an_unpaid_order_expires_its_stock_back_and_its_intent_cancelled(client, shop):
    # given: the buyer started paying (3-D Secure asked) and went away
    order = placed(client, shop)
    helpers.pay(client, helpers.CARD_3DS)
    intent_id = StripePayment.objects.get().payment_intent_id

    # when: the expiry task runs at 14 minutes, then at 16
    early = payments.order_expire(order_number=order.number, now=later(14))
    expired = payments.order_expire(order_number=order.number, now=later(16))
    again = payments.order_expire(order_number=order.number, now=later(17))

    # then
    order.refresh_from_db()
    assert (early, expired, again) == ("pending", "cancelled", "cancelled")
    assert order.status == "cancelled"
    assert [r.num_allocated for r in StockRecord.objects.order_by("id")] == [0, 0]
    intent = stripe_client().v1.payment_intents.retrieve(intent_id)
    assert intent.status == "canceled"
    assert StripePayment.objects.get().status == "canceled"


def test_the_expiry_task_releases_the_order(client, shop):
    from storefront.checkout.tasks import order_expire_task

    order = placed(client, shop)
    StripePayment.objects.update(expires_at=later(-1))

    result = order_expire_task.enqueue(order.number)

    assert result.return_value == "cancelled"
    assert Order.objects.get().status == "cancelled"


def test_paying_after_the_deadline_paid_meanwhile_marks_it_paid(client, shop):
    # given: the card was paid just before the deadline, its answer lost
    order = placed(client, shop)
    helpers.pay(client, helpers.CARD_3DS)
    payment = StripePayment.objects.get()
    intent = stripe_client().v1.payment_intents.retrieve(payment.payment_intent_id)
    helpers.authenticate_3ds(intent.client_secret, intent.id, True)

    # when: the expiry finds the intent succeeded
    status = payments.order_expire(order_number=order.number, now=later(16))

    # then
    assert status == "paid"
    assert Order.objects.get().status == "paid"
    assert LedgerEntry.objects.count() == 2


def test_paying_a_released_order_says_so_and_puts_its_lines_back(client, shop):
    # given: the order expired while the buyer was away
    order = placed(client, shop)
    StripePayment.objects.update(expires_at=later(-1))

    # when: he comes back to pay, is told, and orders again
    paid = helpers.pay(client)
    page = client.get(f"/shop/checkout/orders/{order.number}/pay/")
    reordered = client.post(f"/shop/checkout/orders/{order.number}/reorder/")

    # then
    message = (
        "这张订单在 15 分钟内未付款，已自动取消，商品已重新上架，未扣任何款项。"
        "您可以把同样的商品放回购物车，重新下单。"
    )
    assert paid.status_code == 409
    assert paid.json() == {
        "error": message,
        "released": True,
        "reorder_url": f"/shop/checkout/orders/{order.number}/reorder/",
    }
    assert message in page.content.decode()
    assert "把这些商品放回购物车" in page.content.decode()
    assert reordered.status_code == 302
    assert reordered["Location"] == "/shop/basket/"
    assert helpers.basket_lines(client) == [("草鱼", 1), ("土鸡蛋", 1)]
    assert [r.num_allocated for r in StockRecord.objects.order_by("id")] == [0, 0]
    assert StripePayment.objects.get().payment_intent_id is None


def test_an_open_order_cannot_be_put_back_in_the_basket(client, shop):
    order = placed(client, shop)

    response = client.post(f"/shop/checkout/orders/{order.number}/reorder/")

    assert response["Location"] == f"/shop/checkout/orders/{order.number}/pay/"
    assert helpers.basket_lines(client) == []


def test_a_database_failure_while_paying_answers_json_in_chinese(
    client, shop, monkeypatch
):
    from django.db import DatabaseError

    order = placed(client, shop)

    def broken(**kwargs):
        raise DatabaseError("canceling statement due to statement timeout")

    monkeypatch.setattr(payments, "_attempt_claim", broken)
    response = helpers.pay(client)

    assert response.status_code == 503
    assert response.json() == {
        "error": "暂时无法保存付款结果。如果您已付款，款项不会丢失，"
        "订单会在几分钟内自动确认；否则请稍后再试。"
    }
    assert Order.objects.get(pk=order.pk).status == "pending"


def test_a_method_not_switched_on_is_refused(client, shop, settings):
    settings.BANGFU_WECHAT_PAY_ENABLED = False
    order = placed(client, shop)

    response = helpers.pay_with(client, "wechat_pay", order_number=order.number)

    assert response.status_code == 400
    assert response.json() == {"error": "暂不支持这种付款方式。"}


def test_the_time_budget_covers_every_stripe_call_of_a_request(settings):
    # Two tries of one call and the pause between them fit in what is left.
    settings.STRIPE_TIMEOUT = 6
    with stripe_api.stripe_deadline(seconds=15):
        client = stripe_api.stripe_client()
    timeout = client._requestor._client._timeout
    assert 2 * timeout + 1 <= 15
    with (
        stripe_api.stripe_deadline(seconds=0.5),
        pytest.raises(stripe_api.PaymentUnavailable),
    ):
        stripe_api.stripe_client()
    assert Decimal(timeout) == Decimal(6)


def test_a_wallet_is_asked_for_in_stripe_s_shapes_and_its_qr_code_passed_on(
    client, shop, settings, monkeypatch
):
    # given: WeChat Pay on; Stripe answers with its documented next action
    # (localstripe knows cards only: the local stand-in learns wallets apart)
    import stripe

    settings.BANGFU_WECHAT_PAY_ENABLED = True
    order = placed(client, shop)
    qr = {
        "data": "weixin://wxpay/bizpayurl?pr=test",
        "image_data_url": "data:image/png;base64,iVBORw0KGgo=",
        "hosted_instructions_url": "https://pay.example/wechat",
    }
    calls = []

    def stripe_answers(resource, method, *args, **kwargs):
        calls.append((resource, method, kwargs))
        return stripe.PaymentIntent.construct_from(
            {
                "id": "pi_wechat_1",
                "object": "payment_intent",
                "status": "requires_action",
                "client_secret": "pi_wechat_1_secret_x",
                "payment_method_types": ["wechat_pay"],
                "next_action": {
                    "type": "wechat_pay_display_qr_code",
                    "wechat_pay_display_qr_code": qr,
                },
            },
            "sk_test",
        )

    monkeypatch.setattr(payments, "stripe_call", stripe_answers)

    # when
    answer = helpers.pay_with(client, "wechat_pay")

    # then
    assert calls == [
        (
            "payment_intents",
            "create",
            {
                "params": {
                    "amount": 8000,
                    "currency": "cny",
                    "payment_method_types": ["wechat_pay"],
                    "confirm": True,
                    "metadata": {"order_number": order.number, "attempt": "1"},
                    "payment_method_data": {"type": "wechat_pay"},
                    "return_url": "http://testserver/shop/checkout/orders/"
                    f"{order.number}/pay/return/",
                    "payment_method_options": {"wechat_pay": {"client": "web"}},
                },
                "options": {"idempotency_key": f"bangfu-{order.number}-1"},
            },
        )
    ]
    assert answer.json() == {
        "status": "requires_action",
        "client_secret": "pi_wechat_1_secret_x",
        "next_action": {
            "type": "wechat_pay_display_qr_code",
            "wechat_pay_display_qr_code": qr,
        },
    }
    assert StripePayment.objects.get().payment_intent_id == "pi_wechat_1"
