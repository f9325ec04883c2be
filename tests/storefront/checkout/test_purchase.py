"""Whole purchases against localstripe: authorise → place → capture, or nothing."""

from decimal import Decimal

import pytest
from django.core import mail
from oscar.core.loading import get_model

from sellers.models import Parcel
from storefront.checkout.models import PaymentStatus, StripePayment
from storefront.checkout.payments import stripe_client
from tests import factories
from tests.storefront.checkout import helpers

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.usefixtures("stripe_settings")


@pytest.fixture
def shop(pages):
    _home, index = pages
    fish, eggs = helpers.two_households()
    for product in (fish, eggs):
        household = product.stockrecords.get().partner.household
        factories.story_create(index=index, household=household)
    return fish, eggs


def test_full_purchase_from_two_households(client, shop):
    # given: fish (¥15) and eggs (¥45), each parcel under the free threshold
    fish, eggs = shop
    page = helpers.checkout_to_payment(client, fish, eggs)
    assert [p["total"] for p in page.context["parcels"]] == [
        Decimal("25.00"),
        Decimal("55.00"),
    ]

    # when
    authorised = helpers.authorize(client)
    response = helpers.place_order(client)

    # then: one order, paid, split into two parcels
    assert authorised.json()["status"] == "requires_capture"
    assert response.status_code == 302
    assert response["Location"] == "/shop/checkout/thank-you/"
    order = Order.objects.get()
    assert order.total_incl_tax == Decimal("80.00")
    assert order.shipping_incl_tax == Decimal("20.00")
    assert order.status == "paid"
    parcels = [
        (p.household.slug, p.goods_total, p.delivery_charge)
        for p in Parcel.objects.filter(order=order).order_by("household__slug")
    ]
    assert parcels == [
        ("luo", Decimal("15.00"), Decimal("10.00")),
        ("wang", Decimal("45.00"), Decimal("10.00")),
    ]
    payment = StripePayment.objects.get(order_number=order.number)
    intent = stripe_client().v1.payment_intents.retrieve(payment.payment_intent_id)
    assert (intent.status, intent.amount, intent.currency) == ("succeeded", 8000, "cny")
    assert payment.status == PaymentStatus.SUCCEEDED
    assert [
        (r.num_in_stock, r.num_allocated) for r in StockRecord.objects.order_by("id")
    ] == [
        (10, 1),
        (10, 1),
    ]


def test_impact_receipt_on_the_confirmation_and_in_the_email(client, shop):
    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)
    helpers.authorize(client)
    helpers.place_order(client)

    html = client.get("/shop/checkout/thank-you/").content.decode()

    assert "您的钱去了哪里" in html
    assert 'href="http://testserver/households/luo/"' in html
    assert 'href="http://testserver/households/wang/"' in html
    assert "¥25.00" in html and "¥55.00" in html and "¥80.00" in html
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["buyer@example.com"]
    body = mail.outbox[0].body
    assert "罗大哥 (西新村): ¥25.00" in body
    assert "王阿姨 (西新村): ¥55.00" in body
    html_email = mail.outbox[0].alternatives[0][0]
    assert "http://testserver/households/wang/" in html_email


def test_free_delivery_above_the_threshold_and_pickup_is_free(
    client, shop, organisation
):
    from sellers.models import PickupPoint

    fish, eggs = shop
    point = PickupPoint.objects.create(
        organisation=organisation,
        name="龙塔街道社区服务站",
        address="新牌坊一路88号",
        opening_hours="9:00–18:00",
    )
    helpers.add_to_basket(client, eggs, quantity=2)  # ¥90 + ¥45 = ¥135 ≥ ¥99

    page = helpers.checkout_to_payment(client, eggs, fish, method=f"pickup-{point.pk}")

    assert page.context["order_total"].incl_tax == Decimal("150.00")
    assert [p["delivery"] for p in page.context["parcels"]] == [
        Decimal("0.00"),
        Decimal("0.00"),
    ]


def test_declined_card_gives_a_clear_message_and_keeps_the_basket(client, shop):
    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)

    response = helpers.authorize(client, helpers.CARD_DECLINED)
    placed = helpers.place_order(client)

    assert response.status_code == 402
    assert (
        response.json()["error"] == "您的银行卡被拒绝，未扣任何款项，请换一张卡再试。"
    )
    assert placed.status_code == 200
    assert "请填写银行卡信息后付款。" in placed.content.decode()
    assert Order.objects.count() == 0
    assert helpers.basket_lines(client) == [("草鱼", 1), ("土鸡蛋", 1)]


def test_another_card_after_a_decline_pays(client, shop):
    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)
    helpers.authorize(client, helpers.CARD_DECLINED)

    answer = helpers.authorize(client, helpers.CARD_OK)
    response = helpers.place_order(client)

    assert answer.json()["status"] == "requires_capture"
    assert response.status_code == 302
    assert Order.objects.get().status == "paid"


def test_3d_secure_passed_places_the_order(client, shop):
    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)

    answer = helpers.authorize(client, helpers.CARD_3DS).json()
    payment = StripePayment.objects.get()
    helpers.authenticate_3ds(answer["client_secret"], payment.payment_intent_id, True)
    response = helpers.place_order(client)

    assert answer["status"] == "requires_action"
    assert response.status_code == 302
    assert Order.objects.get().status == "paid"


def test_3d_secure_failed_places_nothing(client, shop):
    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)

    answer = helpers.authorize(client, helpers.CARD_3DS).json()
    payment = StripePayment.objects.get()
    helpers.authenticate_3ds(answer["client_secret"], payment.payment_intent_id, False)
    response = helpers.place_order(client)

    assert response.status_code == 200
    assert "这笔订单的付款尚未授权，请重新付款。" in response.content.decode()
    assert Order.objects.count() == 0
    assert helpers.basket_lines(client) == [("草鱼", 1), ("土鸡蛋", 1)]


def test_stripe_unreachable_changes_nothing(client, shop, settings):
    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)
    token = helpers.card_token(helpers.CARD_OK)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there

    response = client.post(
        "/shop/checkout/stripe/authorize/", {"payment_method": token}
    )
    placed = helpers.place_order(client)

    assert response.status_code == 503
    assert response.json()["error"].startswith("暂时无法连接支付服务")
    assert Order.objects.count() == 0
    assert placed.status_code == 200
    assert helpers.basket_lines(client) == [("草鱼", 1), ("土鸡蛋", 1)]


def test_a_stripe_that_never_answers_is_given_up_on(client, shop, settings):
    import socket

    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)
    token = helpers.card_token(helpers.CARD_OK)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{silent.getsockname()[1]}"
    settings.STRIPE_TIMEOUT = 0.5

    try:
        response = client.post(
            "/shop/checkout/stripe/authorize/", {"payment_method": token}
        )
    finally:
        silent.close()

    assert response.status_code == 503
    assert Order.objects.count() == 0


def test_sold_out_after_authorisation_cancels_the_payment_intent(client, shop):
    # given: the buyer's card is authorised
    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)
    helpers.authorize(client)
    payment = StripePayment.objects.get()

    # when: someone else takes the last eggs before he places the order
    StockRecord.objects.filter(product=eggs).update(num_allocated=10)
    response = helpers.place_order(client)

    # then
    intent = stripe_client().v1.payment_intents.retrieve(payment.payment_intent_id)
    assert response.status_code == 302
    assert response["Location"] == "/shop/basket/"
    assert intent.status == "canceled"
    assert Order.objects.count() == 0
    assert Parcel.objects.count() == 0
    assert StockRecord.objects.get(product=fish).num_allocated is None
    assert helpers.basket_lines(client) == [("草鱼", 1), ("土鸡蛋", 1)]


def test_clicking_pay_twice_makes_one_payment_intent(client, shop):
    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)

    first = helpers.authorize(client).json()
    second = helpers.authorize(client).json()

    assert first["client_secret"] == second["client_secret"]
    assert StripePayment.objects.count() == 1


def test_changed_basket_cancels_the_old_intent_and_authorises_the_new_total(
    client, shop
):
    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)
    helpers.authorize(client)
    old = StripePayment.objects.get().payment_intent_id

    helpers.add_to_basket(client, fish)
    helpers.authorize(client)
    response = helpers.place_order(client)

    payment = StripePayment.objects.get()
    assert stripe_client().v1.payment_intents.retrieve(old).status == "canceled"
    assert payment.payment_intent_id != old
    assert payment.amount_fen == 9500
    assert response.status_code == 302
    assert Order.objects.get().total_incl_tax == Decimal("95.00")


def test_replaying_the_thank_you_page_changes_nothing(client, shop):
    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)
    helpers.authorize(client)
    helpers.place_order(client)

    first = client.get("/shop/checkout/thank-you/")
    again = client.get("/shop/checkout/thank-you/")
    replayed = helpers.place_order(client)

    assert first.status_code == again.status_code == 200
    assert Order.objects.count() == 1
    assert replayed.status_code == 302
    assert StockRecord.objects.get(product=fish).num_allocated == 1


class BrokenMailServer:
    """An e-mail backend whose server refuses the connection."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


def test_a_mail_server_that_is_down_does_not_undo_a_paid_order(client, shop, settings):
    fish, eggs = shop
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    helpers.checkout_to_payment(client, fish, eggs)
    helpers.authorize(client)

    response = helpers.place_order(client)

    order = Order.objects.get()
    payment = StripePayment.objects.get()
    intent = stripe_client().v1.payment_intents.retrieve(payment.payment_intent_id)
    assert response.status_code == 302
    assert response["Location"] == "/shop/checkout/thank-you/"
    assert order.status == "paid"
    assert intent.status == "succeeded"


def test_an_error_after_the_order_is_written_still_captures_and_thanks(client, shop):
    from oscar.apps.checkout.signals import post_checkout

    def broken_receiver(**kwargs):
        raise RuntimeError("a receiver after the order failed")

    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)
    helpers.authorize(client)
    post_checkout.connect(broken_receiver)
    try:
        response = helpers.place_order(client)
    finally:
        post_checkout.disconnect(broken_receiver)

    order = Order.objects.get()
    intent = stripe_client().v1.payment_intents.retrieve(
        StripePayment.objects.get().payment_intent_id
    )
    assert response.status_code == 302
    assert response["Location"] == "/shop/checkout/thank-you/"
    assert (order.status, intent.status) == ("paid", "succeeded")
    assert helpers.basket_lines(client) == []
