"""Whole purchases against localstripe: place awaiting payment, then pay."""

from decimal import Decimal

import pytest
from django.core import mail
from oscar.core.loading import get_model

from sellers.models import LedgerEntry, Parcel
from storefront.checkout.models import PaymentStatus, StripePayment
from storefront.checkout.stripe_api import stripe_client
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
    response = helpers.place_order(client)
    paid = helpers.pay(client)

    # then: one order, paid, split into two parcels
    order = Order.objects.get()
    assert paid.json() == {
        "status": "succeeded",
        "redirect": "/shop/checkout/thank-you/",
    }
    assert response.status_code == 302
    assert response["Location"] == f"/shop/checkout/orders/{order.number}/pay/"
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


def test_impact_receipt_on_the_confirmation_and_in_the_email(client, shop, settings):
    # the e-mail may leave off the buyer's request: its links are the site's
    settings.WAGTAILADMIN_BASE_URL = "https://bangfu.example"
    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)
    helpers.buy(client)

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
    assert "https://bangfu.example/households/wang/" in html_email
    assert "http://testserver" not in html_email + body


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


def test_declined_card_gives_a_clear_message_and_keeps_the_order_open(client, shop):
    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)
    helpers.place_order(client)

    response = helpers.pay(client, helpers.CARD_DECLINED)

    assert response.status_code == 402
    assert (
        response.json()["error"] == "您的银行卡被拒绝，未扣任何款项，请换一张卡再试。"
    )
    assert Order.objects.get().status == "pending"
    assert helpers.basket_lines(client) == []


def test_another_card_after_a_decline_pays(client, shop):
    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)
    helpers.place_order(client)
    helpers.pay(client, helpers.CARD_DECLINED)

    answer = helpers.pay(client, helpers.CARD_OK)

    assert answer.json()["status"] == "succeeded"
    assert Order.objects.get().status == "paid"


def test_3d_secure_passed_pays_the_order(client, shop):
    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)
    helpers.place_order(client)
    number = helpers.placed_number(client)

    answer = helpers.pay(client, helpers.CARD_3DS).json()
    payment = StripePayment.objects.get()
    helpers.authenticate_3ds(answer["client_secret"], payment.payment_intent_id, True)
    status = client.get(helpers.pay_url(number, "status"))

    assert answer["status"] == "requires_action"
    assert status.json() == {
        "status": "succeeded",
        "redirect": "/shop/checkout/thank-you/",
    }
    assert Order.objects.get().status == "paid"


def test_3d_secure_failed_leaves_the_order_to_pay(client, shop):
    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)
    helpers.place_order(client)
    number = helpers.placed_number(client)

    answer = helpers.pay(client, helpers.CARD_3DS).json()
    payment = StripePayment.objects.get()
    helpers.authenticate_3ds(answer["client_secret"], payment.payment_intent_id, False)
    status = client.get(helpers.pay_url(number, "status"))

    assert status.json()["status"] == "requires_payment_method"
    assert Order.objects.get().status == "pending"
    assert LedgerEntry.objects.count() == 0


def test_stripe_unreachable_says_so_in_chinese_and_keeps_the_order(
    client, shop, settings
):
    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)
    helpers.place_order(client)
    number = helpers.placed_number(client)
    token = helpers.card_token(helpers.CARD_OK)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there

    response = client.post(
        helpers.pay_url(number), {"method": "card", "payment_method": token}
    )

    assert response.status_code == 503
    assert response.json()["error"] == (
        "暂时无法连接支付服务。如果已经扣款，订单会在几分钟内自动确认；否则请稍后再试。"
    )
    assert Order.objects.get().status == "pending"


def test_a_stripe_that_never_answers_is_given_up_on_within_the_budget(
    client, shop, settings
):
    import socket
    import time

    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)
    helpers.place_order(client)
    number = helpers.placed_number(client)
    token = helpers.card_token(helpers.CARD_OK)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{silent.getsockname()[1]}"
    settings.STRIPE_REQUEST_BUDGET = 3

    started = time.monotonic()
    try:
        response = client.post(
            helpers.pay_url(number), {"method": "card", "payment_method": token}
        )
    finally:
        silent.close()

    assert response.status_code == 503
    assert time.monotonic() - started < 3.5
    assert Order.objects.get().status == "pending"


def test_sold_out_before_submitting_places_nothing(client, shop):
    # given: the buyer reviews his order
    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)

    # when: someone else takes the last eggs before he submits it
    StockRecord.objects.filter(product=eggs).update(num_allocated=10)
    response = helpers.place_order(client)

    # then
    assert response.status_code == 302
    assert response["Location"] == "/shop/basket/"
    assert Order.objects.count() == 0
    assert StripePayment.objects.count() == 0
    assert Parcel.objects.count() == 0
    assert StockRecord.objects.get(product=fish).num_allocated is None
    assert helpers.basket_lines(client) == [("草鱼", 1), ("土鸡蛋", 1)]


def test_clicking_pay_again_leaves_one_live_payment_intent(client, shop):
    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)
    helpers.place_order(client)

    first = helpers.pay(client, helpers.CARD_3DS).json()
    first_intent = StripePayment.objects.get().payment_intent_id
    second = helpers.pay(client, helpers.CARD_3DS).json()

    payment = StripePayment.objects.get()
    intents = stripe_client().v1.payment_intents
    assert (first["status"], second["status"]) == ("requires_action", "requires_action")
    assert intents.retrieve(first_intent).status == "canceled"
    assert intents.retrieve(payment.payment_intent_id).status == "requires_action"
    assert payment.attempt == 2


def test_the_amount_is_the_order_s_whatever_the_basket_holds_later(client, shop):
    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)
    helpers.place_order(client)

    helpers.add_to_basket(client, fish)
    helpers.pay(client)

    payment = StripePayment.objects.get()
    intent = stripe_client().v1.payment_intents.retrieve(payment.payment_intent_id)
    assert (payment.amount_fen, intent.amount) == (8000, 8000)
    assert Order.objects.get().total_incl_tax == Decimal("80.00")


def test_replaying_the_thank_you_page_changes_nothing(client, shop):
    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)
    helpers.buy(client)

    first = client.get("/shop/checkout/thank-you/")
    again = client.get("/shop/checkout/thank-you/")
    replayed = helpers.place_order(client)

    assert first.status_code == again.status_code == 200
    assert Order.objects.count() == 1
    assert replayed.status_code == 302
    assert StockRecord.objects.get(product=fish).num_allocated == 1
    assert len(mail.outbox) == 1


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
    helpers.buy(client)

    response = client.get("/shop/checkout/thank-you/")

    order = Order.objects.get()
    payment = StripePayment.objects.get()
    intent = stripe_client().v1.payment_intents.retrieve(payment.payment_intent_id)
    assert response.status_code == 200
    assert order.status == "paid"
    assert intent.status == "succeeded"


def test_an_error_after_the_order_is_written_still_goes_on_to_pay(client, shop):
    from oscar.apps.checkout.signals import post_checkout

    def broken_receiver(**kwargs):
        raise RuntimeError("a receiver after the order failed")

    fish, eggs = shop
    helpers.checkout_to_payment(client, fish, eggs)
    post_checkout.connect(broken_receiver)
    try:
        response = helpers.place_order(client)
    finally:
        post_checkout.disconnect(broken_receiver)
    paid = helpers.pay(client)

    order = Order.objects.get()
    intent = stripe_client().v1.payment_intents.retrieve(
        StripePayment.objects.get().payment_intent_id
    )
    assert response.status_code == 302
    assert response["Location"] == f"/shop/checkout/orders/{order.number}/pay/"
    assert paid.json()["status"] == "succeeded"
    assert (order.status, intent.status) == ("paid", "succeeded")
    assert helpers.basket_lines(client) == []
