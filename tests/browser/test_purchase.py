"""A buyer on a phone buys from two households and pays by card, in Chromium."""

from decimal import Decimal

import pytest

from storefront.checkout.models import PaymentStatus, StripePayment
from tests import factories
from tests.browser.conftest import serious_violations
from tests.storefront.checkout import helpers

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_data", "stripe_settings"),
]


@pytest.fixture
def store(live_server):
    _home, index = factories.page_tree()
    fish, eggs = helpers.two_households()
    for product in (fish, eggs):
        factories.story_create(
            index=index, household=product.stockrecords.get().partner.household
        )
    return live_server.url, fish, eggs


def pay(phone, number):
    phone.get_by_label("银行卡（含银联）").check()  # WeChat Pay comes first
    card = phone.locator("#card-element")
    card.locator("input[placeholder=number]").fill(number)
    card.locator("input[placeholder=exp_month]").fill("12")
    card.locator("input[placeholder=exp_year]").fill("30")
    card.locator("input[placeholder=cvc]").fill("123")
    phone.get_by_role("button", name="支付 ¥80.00").click()


def fill_checkout(phone, base, fish, eggs):
    for product in (fish, eggs):
        phone.goto(base + product.get_absolute_url())
        phone.get_by_role("button", name="加入购物车", exact=True).click()
        phone.wait_for_load_state()
    phone.goto(base + "/shop/basket/")
    phone.get_by_role("link", name="去结算").click()
    phone.get_by_label("我的电子邮件地址").fill("buyer@example.com")
    phone.get_by_role("button", name="继续").click()
    phone.get_by_label("省份").select_option(label="重庆市")
    phone.get_by_label("城市").select_option(label="重庆市")
    phone.get_by_label("区/县").select_option(label="两江新区")
    phone.get_by_label("街道门牌").fill("龙塔街道新牌坊一路88号")
    phone.get_by_label("收件人").fill("张三")
    phone.get_by_label("手机号码").fill("13912345678")
    phone.get_by_role("button", name="继续").click()
    phone.wait_for_url("**/payment-details/")


def submit(phone):
    """ "提交订单": the order is placed awaiting payment, on its pay page."""
    phone.get_by_role("button", name="提交订单").click()
    phone.wait_for_url("**/orders/*/pay/")


def test_whole_purchase_with_card_entry(phone, store):
    base, fish, eggs = store
    fill_checkout(phone, base, fish, eggs)
    review_page = serious_violations(phone)
    submit(phone)
    # localstripe's mock card inputs are not ours to label.
    pay_page = serious_violations(phone, exclude=["#card-element"])

    pay(phone, helpers.CARD_OK)
    phone.wait_for_url("**/thank-you/")
    receipt_page = serious_violations(phone)

    receipt = phone.locator(".receipt").inner_text()
    assert "罗大哥" in receipt and "¥25.00" in receipt
    assert "王阿姨" in receipt and "¥55.00" in receipt
    assert "¥80.00" in receipt
    payment = StripePayment.objects.get()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.amount_fen == 8000
    assert (review_page, pay_page, receipt_page) == ([], [], [])


def test_declined_card_shows_the_message_and_keeps_the_order_open(phone, store):
    base, fish, eggs = store
    fill_checkout(phone, base, fish, eggs)
    submit(phone)

    pay(phone, helpers.CARD_DECLINED)
    error = phone.locator("#pay-error")
    error.wait_for(state="visible")

    number = StripePayment.objects.get().order_number
    assert error.inner_text() == "您的银行卡被拒绝，未扣任何款项，请换一张卡再试。"
    assert phone.url.endswith(f"/shop/checkout/orders/{number}/pay/")
    assert Decimal(StripePayment.objects.get().amount_fen) == Decimal(8000)


def test_3d_secure_challenge_is_answered_in_the_page(phone, store):
    base, fish, eggs = store
    fill_checkout(phone, base, fish, eggs)
    submit(phone)

    pay(phone, helpers.CARD_3DS)
    # localstripe's Stripe.js draws its 3-D Secure dialog as page buttons.
    phone.get_by_role("button", name="Complete authentication").click()
    phone.wait_for_url("**/thank-you/")

    assert StripePayment.objects.get().status == PaymentStatus.SUCCEEDED


def test_failed_3d_secure_says_so_and_charges_nothing(phone, store):
    base, fish, eggs = store
    fill_checkout(phone, base, fish, eggs)
    submit(phone)

    pay(phone, helpers.CARD_3DS)
    phone.get_by_role("button", name="Fail authentication").click()
    error = phone.locator("#pay-error")
    error.wait_for(state="visible")

    assert error.inner_text() == "银行卡 3D 安全验证未通过，未扣任何款项。"
    assert StripePayment.objects.get().status != PaymentStatus.SUCCEEDED


def test_a_basket_emptied_meanwhile_sends_the_buyer_back_without_placing(phone, store):
    from oscar.core.loading import get_model

    base, fish, eggs = store
    fill_checkout(phone, base, fish, eggs)
    get_model("basket", "Line").objects.all().delete()  # emptied in another tab
    posted = []
    phone.on("request", lambda r: r.method == "POST" and posted.append(r.url))

    phone.get_by_role("button", name="提交订单").click()
    phone.wait_for_url("**/shop/basket/")

    assert StripePayment.objects.count() == 0
    assert get_model("order", "Order").objects.count() == 0
    assert [url for url in posted if "/pay/" in url] == []


def test_the_receipt_prints_and_the_order_page_fits_a_phone(phone, store):
    # given: a paid order, on the thank-you page of a 390 px wide phone
    base, fish, eggs = store
    fill_checkout(phone, base, fish, eggs)
    submit(phone)
    pay(phone, helpers.CARD_OK)
    phone.wait_for_url("**/thank-you/")
    refused = []
    phone.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and refused.append(message.text)
        ),
    )
    phone.evaluate(
        "() => { window.print = () => { window.printed = (window.printed || 0) + 1 } }"
    )

    # when: he prints, then follows his parcels: the signed link opens them
    phone.get_by_role("button", name="打印此页").click()
    printed = phone.evaluate("window.printed")
    phone.get_by_role("link", name="查看每户包裹的进度").click()
    phone.wait_for_url("**/order-status/**")

    # then: printed once, nothing refused, and the order page as wide as the phone
    # with each "写评论" on one line
    review_lines = phone.locator(".order-line__review").evaluate_all(
        """links => links.map(link => {
            const style = getComputedStyle(link);
            const text = link.clientHeight - parseFloat(style.paddingTop)
                - parseFloat(style.paddingBottom);
            return Math.round(text / parseFloat(style.lineHeight));
        })"""
    )
    assert (printed, refused) == (1, [])
    assert phone.locator(".order-status").inner_text() == "已付款"
    assert phone.evaluate("document.documentElement.scrollWidth") == 390
    assert review_lines == [1, 1]
