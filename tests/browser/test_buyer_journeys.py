"""A buyer inside WeChat's browser on a phone, in Chromium: pays by WeChat Pay,
Alipay or UnionPay card against the local stand-in, leaves an order awaiting
payment and pays it later, lets one expire, signs in by SMS code to find his
guest orders and follows their parcels; axe-core on every page on the way."""

import datetime
import re
import time
from decimal import Decimal

import pytest
import requests
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model

from sellers.fulfilment.services import parcel_mark_shipped
from sellers.models import EntryKind, LedgerEntry, Parcel, SmsMessage
from storefront.checkout import webhooks
from storefront.checkout.models import PaymentStatus, StripePayment
from storefront.checkout.stripe_api import stripe_client
from storefront.checkout.tasks import order_expire_task
from tests import factories
from tests.browser.conftest import axe_violations
from tests.storefront.checkout import helpers

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_data", "stripe_settings"),
]

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

# 草鱼 × 2 from 罗大哥 (¥30 + ¥10 delivery), 土鸡蛋 × 1 from 王阿姨 (¥45 + ¥10);
# each household is credited its parcel with its delivery.
TOTAL = "¥95.00"
PAID_STOCK = [(10, 2), (10, 1)]
UNIONPAY = "6200000000000005"


class Store:
    def __init__(self, base, fish, eggs, webhook_events):
        self.base, self.fish, self.eggs = base, fish, eggs
        self.webhook_events = webhook_events
        self.pages: dict[str, list] = {}
        self.checkout_audited = False

    def audit(self, page, name, exclude=None):
        """axe-core's findings on the page as the buyer sees it now."""
        self.pages[name] = axe_violations(page, exclude=exclude)

    def audit_checkout(self, page, name, exclude=None):
        """The checkout's pages are the same in every journey: audited in one."""
        if self.checkout_audited:
            self.audit(page, name, exclude=exclude)


@pytest.fixture
def store(live_server, localstripe, settings, monkeypatch):
    """Two households' produce, their stories, and the store's webhook
    registered with the stand-in (as `make run` does); the events the store
    has finished applying are listed as they come."""
    _home, index = factories.page_tree()
    fish, eggs = helpers.two_households()
    for product in (fish, eggs):
        factories.story_create(
            index=index, household=product.stockrecords.get().partner.household
        )
    applied = []
    apply = webhooks.event_apply

    def recorded(*, event):
        try:
            return apply(event=event)
        finally:
            applied.append((event.type, event.data.object.id))

    monkeypatch.setattr(webhooks, "event_apply", recorded)
    hook = localstripe + "/_config/webhooks/bangfu-journeys"
    requests.post(
        hook,
        data={
            "url": live_server.url + "/shop/checkout/stripe/webhook/",
            "secret": settings.STRIPE_WEBHOOK_SECRET,
        },
        timeout=10,
    ).raise_for_status()
    yield Store(live_server.url, fish, eggs, applied)
    requests.delete(hook, timeout=10).raise_for_status()


def wait_until(predicate, seconds: float = 10):
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {seconds}s: {predicate}")
        time.sleep(0.1)


# The buyer's steps.


def fill_basket(wechat, store):
    for product, times in ((store.fish, 2), (store.eggs, 1)):
        wechat.goto(store.base + product.get_absolute_url())
        for _ in range(times):
            with wechat.expect_navigation():
                wechat.get_by_role("button", name="加入购物车", exact=True).click()


def place_as_guest(wechat, store, mobile="13912345678"):
    """Basket → mobile number → address → review → 提交订单; on the pay page."""
    fill_basket(wechat, store)
    wechat.goto(store.base + "/shop/basket/")
    store.audit_checkout(wechat, "basket")
    wechat.get_by_role("link", name="去结算").click()
    wechat.wait_for_url("**/shop/checkout/")
    store.audit_checkout(wechat, "mobile number")
    wechat.get_by_label("手机号码").fill(mobile)
    wechat.get_by_role("button", name="继续").click()
    wechat.wait_for_url("**/shipping-address/")
    wechat.get_by_label("收件人").fill("张三")
    wechat.get_by_label("手机号码").fill(mobile)
    wechat.get_by_label("省份").select_option(label="重庆市")
    city = wechat.get_by_label("城市")
    city.locator("option", has_text="重庆市").wait_for(state="attached")
    city.select_option(label="重庆市")
    wechat.get_by_label("区/县").select_option(label="两江新区")
    wechat.get_by_label("街道门牌").fill("龙塔街道新牌坊一路88号")
    store.audit_checkout(wechat, "address")
    wechat.get_by_role("button", name="继续").click()
    wechat.wait_for_url("**/payment-details/")
    store.audit_checkout(wechat, "review")
    wechat.get_by_role("button", name="提交订单").click()
    wechat.wait_for_url("**/orders/*/pay/")
    # localstripe's mock card inputs are not ours to label.
    store.audit_checkout(wechat, "pay", exclude=["#card-element"])
    return re.search(r"/orders/([^/]+)/pay/", wechat.url).group(1)


def methods_offered(wechat):
    """The pay page's methods in order, and the one chosen at first."""
    labels = [text.strip() for text in wechat.locator(".pay__method").all_inner_texts()]
    chosen = wechat.locator("input[name=method]:checked").get_attribute("value")
    return labels, chosen


def pay_with_wechat_on_this_phone(wechat, store):
    wechat.get_by_role("button", name=f"支付 {TOTAL}").click()
    wechat.locator("#wechat-qr").wait_for(state="visible")
    store.audit(wechat, "wechat qr", exclude=["#card-element"])
    wechat.get_by_role("link", name="在本机付款？打开微信支付说明").click()
    wechat.get_by_role("button", name="授权测试付款").click()
    wechat.wait_for_url("**/thank-you/")


def stock():
    """(in stock, held for orders) of 草鱼 and of 土鸡蛋."""
    return [
        (record.num_in_stock, record.num_allocated)
        for record in StockRecord.objects.order_by("id")
    ]


def paid_once(store, number):
    """Once the store has applied Stripe's word that the order is paid: the
    order's status, payment, stock and ledger."""
    payment = StripePayment.objects.get(order_number=number)
    wait_until(
        lambda: (
            ("payment_intent.succeeded", payment.payment_intent_id)
            in store.webhook_events
        )
    )
    payment.refresh_from_db()
    return {
        "order": Order.objects.get(number=number).status,
        "payment": (payment.status, payment.amount_fen),
        "stock": stock(),
        "ledger": list(
            LedgerEntry.objects.filter(kind=EntryKind.SALE)
            .order_by("household__slug")
            .values_list("household__slug", "amount", "parcel__order__number")
        ),
    }


def expected_paid(number):
    return {
        "order": "paid",
        "payment": (PaymentStatus.SUCCEEDED, 9500),
        "stock": PAID_STOCK,
        "ledger": [
            ("luo", Decimal("40.00"), number),
            ("wang", Decimal("55.00"), number),
        ],
    }


def sign_in_by_sms(wechat, store, mobile, audit=False):
    wechat.goto(store.base + "/accounts/phone/")
    if audit:
        store.audit(wechat, "sign in")
    wechat.get_by_label("手机号码").fill(mobile)
    wechat.get_by_role("button", name="获取验证码").click()
    code_field = wechat.get_by_label("短信验证码")
    code_field.wait_for()
    if audit:
        store.audit(wechat, "sms code")
    text = SmsMessage.objects.get(phone="+86" + mobile, event="sms_code").text
    code_field.fill(re.search(r"\d{6}", text).group(0))
    wechat.get_by_role("button", name="登录", exact=True).click()
    wechat.wait_for_url("**/accounts/orders/")


def parcels_shown(page):
    return [
        re.sub(r"\s+", " ", text).strip()
        for text in page.locator(".parcel-item").all_inner_texts()
    ]


def guest_order(store, mobile):
    """An order placed and paid by card as a guest known by `mobile` (through
    the test client: the browser's part is the journey under test)."""
    client = Client()
    helpers.add_to_basket(client, store.fish, quantity=2)
    helpers.add_to_basket(client, store.eggs)
    client.post("/shop/checkout/", {"phone": mobile, "options": "anonymous"})
    client.post(
        "/shop/checkout/shipping-address/", {**helpers.ADDRESS, "phone_number": mobile}
    )
    client.post("/shop/checkout/shipping-method/", {"method_code": "parcel-delivery"})
    helpers.place_order(client)
    helpers.pay(client)
    return helpers.placed_number(client)


# The journeys.


def test_a_wechat_buyer_pays_two_households_with_wechat_pay(wechat, store):
    # given: produce of two households, checked out with a mobile number
    store.checkout_audited = True
    number = place_as_guest(wechat, store)
    methods = methods_offered(wechat)

    # when: WeChat Pay, authorised on this phone
    pay_with_wechat_on_this_phone(wechat, store)
    store.audit(wechat, "thank you")

    # then
    receipt = wechat.locator(".receipt").inner_text()
    assert methods == (["微信支付", "支付宝", "银行卡（含银联）"], "wechat_pay")
    assert "罗大哥" in receipt and "¥40.00" in receipt
    assert "王阿姨" in receipt and "¥55.00" in receipt
    assert TOTAL in receipt
    assert paid_once(store, number) == expected_paid(number)
    assert store.pages == dict.fromkeys(store.pages, [])


def test_an_alipay_buyer_is_sent_to_alipay_and_back(wechat, store):
    # given
    number = place_as_guest(wechat, store, mobile="13912340001")

    # when: Alipay, authorised on its page, which sends him back to the store
    wechat.get_by_label("支付宝").check()
    wechat.get_by_role("button", name=f"支付 {TOTAL}").click()
    wechat.wait_for_url("**/devstripe/authorize/**")
    wallet_page = wechat.locator("h1").inner_text()
    wechat.get_by_role("button", name="授权测试付款").click()
    wechat.wait_for_url("**/thank-you/")

    # then
    assert wallet_page == "支付宝测试付款"
    assert paid_once(store, number) == expected_paid(number)


def test_a_unionpay_card_pays(wechat, store):
    # given
    number = place_as_guest(wechat, store, mobile="13912340002")

    # when: a UnionPay card
    wechat.get_by_label("银行卡（含银联）").check()
    card = wechat.locator("#card-element")
    card.locator("input[placeholder=number]").fill(UNIONPAY)
    card.locator("input[placeholder=exp_month]").fill("12")
    card.locator("input[placeholder=exp_year]").fill("30")
    card.locator("input[placeholder=cvc]").fill("123")
    wechat.get_by_role("button", name=f"支付 {TOTAL}").click()
    wechat.wait_for_url("**/thank-you/")

    # then: Stripe was paid by a UnionPay card
    intent = stripe_client().v1.payment_intents.retrieve(
        StripePayment.objects.get().payment_intent_id
    )
    details = intent.latest_charge.payment_method_details  # expanded by the stand-in
    assert (details.type, details.card.brand, details.card.last4) == (
        "card",
        "unionpay",
        "0005",
    )
    assert paid_once(store, number) == expected_paid(number)


def test_an_order_left_awaiting_payment_is_paid_later_from_my_orders(wechat, store):
    # given: placed, and the pay page closed
    mobile = "13912340003"
    number = place_as_guest(wechat, store, mobile=mobile)
    later = wechat.context.new_page()
    wechat.close()

    # when: back in WeChat later, he signs in and pays from "my orders", with
    # WeChat Pay scanned on another phone while the page waits
    sign_in_by_sms(later, store, mobile, audit=True)
    awaiting = later.locator(".order-awaiting").all_inner_texts()
    store.audit(later, "my orders")
    later.locator(".order-awaiting").get_by_role("link", name="去付款").click()
    later.wait_for_url(f"**/orders/{number}/pay/?h=*")
    later.get_by_role("button", name=f"支付 {TOTAL}").click()
    later.locator("#wechat-qr").wait_for(state="visible")
    qr_page = later.locator("#wechat-qr-link").get_attribute("href")
    other_phone = later.context.new_page()
    other_phone.goto(qr_page)
    other_phone.get_by_role("button", name="授权测试付款").click()
    other_phone.close()
    later.wait_for_url("**/thank-you/")
    later.goto(store.base + f"/shop/accounts/orders/{number}/")
    store.audit(later, "order")

    # then
    assert [re.sub(r"\s+", " ", text) for text in awaiting] == [
        f"{number} · {TOTAL} 去付款"
    ]
    assert later.locator(".order-status").inner_text() == "已付款"
    assert paid_once(store, number) == expected_paid(number)
    assert store.pages == dict.fromkeys(store.pages, [])


def test_an_order_not_paid_in_time_gives_its_stock_back(wechat, store, monkeypatch):
    # given: placed, WeChat Pay's code shown, and the buyer gone
    number = place_as_guest(wechat, store, mobile="13912340004")
    wechat.get_by_role("button", name=f"支付 {TOTAL}").click()
    wechat.locator("#wechat-qr").wait_for(state="visible")
    held = stock()

    # when: the clock passes the 15 minutes and the expiry task runs
    moved = timezone.now() + datetime.timedelta(minutes=16)
    monkeypatch.setattr(timezone, "now", lambda: moved)
    expired = order_expire_task.enqueue(number).return_value
    wechat.goto(store.base + f"/shop/checkout/orders/{number}/pay/")
    store.audit(wechat, "released")
    told = wechat.locator("#order-released").inner_text()
    wechat.get_by_role("button", name="把这些商品放回购物车").click()
    wechat.wait_for_url("**/shop/basket/")

    # then: the stock is free again, the intent cancelled, and he is told
    intent = stripe_client().v1.payment_intents.retrieve(
        StripePayment.objects.get().payment_intent_id
    )
    assert held == PAID_STOCK
    assert expired == "cancelled"
    assert stock() == [(10, 0), (10, 0)]
    assert intent.status == "canceled"
    assert told == (
        "这张订单在 15 分钟内未付款，已自动取消，商品已重新上架，未扣任何款项。"
        "您可以把同样的商品放回购物车，重新下单。"
    )
    assert LedgerEntry.objects.count() == 0
    assert store.pages == dict.fromkeys(store.pages, [])


def test_signing_in_by_sms_shows_the_guest_orders_of_the_number(wechat, store):
    # given: an order paid as a guest with 139 1234 0005, one of its parcels
    # shipped, and another number's order
    mine = guest_order(store, "13912340005")
    guest_order(store, "13912340006")
    worker = get_user_model().objects.create_user(username="worker")
    parcel_mark_shipped(
        parcel=Parcel.objects.get(order__number=mine, household__slug="luo"),
        carrier="顺丰",
        tracking_number="SF1234567890",
        acting_user=worker,
    )

    # when: as a guest he looks the order up by its number and his mobile
    wechat.goto(store.base + "/orders/lookup/")
    store.audit(wechat, "order look-up")
    wechat.get_by_label("订单号", exact=True).fill(mine)
    wechat.get_by_label("下单手机号").fill("13912340005")
    wechat.get_by_role("button", name="查看我的订单").click()
    wechat.wait_for_url(f"**/shop/accounts/order-status/{mine}/**")
    store.audit(wechat, "guest order")
    as_guest = parcels_shown(wechat)
    # and, signed in with the number's code, opens it from his orders
    sign_in_by_sms(wechat, store, "13912340005")
    store.audit(wechat, "my orders")
    listed = wechat.locator(".order-history__item > a").all_inner_texts()
    wechat.get_by_role("link", name=mine).first.click()
    wechat.wait_for_url(f"**/shop/accounts/orders/{mine}/")
    store.audit(wechat, "order")

    # then: his order alone, each household's parcel in words, the shipped
    # one with a link to the carrier's tracking page
    expected = [
        "罗大哥 已发货 顺丰 运单号 SF1234567890 草鱼 × 2 斤",
        "王阿姨 待发货 土鸡蛋 × 1 盒",
    ]
    assert as_guest == expected
    assert listed == [mine]
    assert wechat.locator(".order-status").inner_text() == "已付款"
    assert parcels_shown(wechat) == expected
    assert wechat.get_by_role("link", name="SF1234567890").get_attribute("href") == (
        "https://www.kuaidi100.com/chaxun?com=shunfeng&nu=SF1234567890"
    )
    assert store.pages == dict.fromkeys(store.pages, [])
