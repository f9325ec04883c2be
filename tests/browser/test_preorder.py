"""On a phone: a buyer pre-orders a fish at its estimate, the social worker
weighs the parcel, and the buyer sees the difference refunded."""

from decimal import Decimal

import pytest

from sellers.models import LedgerEntry, Parcel
from storefront.checkout.orders import order_status_path
from tests.browser.conftest import serious_violations
from tests.browser.test_fulfilment import sign_in
from tests.sellers.preorders.helpers import fish_offer
from tests.storefront.checkout import helpers

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_data", "stripe_settings"),
]


def test_a_buyer_pre_orders_the_worker_weighs_and_the_buyer_is_refunded(
    live_server, phone, chromium
):
    # given: 罗大哥's grass carp on pre-order, ¥12 a jin, about 3 jin a fish
    _offer, product, _worker = fish_offer()
    base = live_server.url

    # when: the buyer pre-orders one fish and pays the estimate (¥36 + ¥10)
    phone.goto(base + product.get_absolute_url())
    facts = phone.locator(".preorder").inner_text()
    product_page = serious_violations(phone)
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
    phone.get_by_role("button", name="提交订单").click()
    phone.wait_for_url("**/orders/*/pay/")
    phone.get_by_label("银行卡（含银联）").check()
    card = phone.locator("#card-element")
    card.locator("input[placeholder=number]").fill(helpers.CARD_OK)
    card.locator("input[placeholder=exp_month]").fill("12")
    card.locator("input[placeholder=exp_year]").fill("30")
    card.locator("input[placeholder=cvc]").fill("123")
    phone.get_by_role("button", name="支付 ¥46.00").click()
    phone.wait_for_url("**/thank-you/")
    parcel = Parcel.objects.get()
    assert LedgerEntry.objects.count() == 0  # the estimate is not credited

    # when: the social worker, on his phone, weighs it at 2.5 jin (¥30.00)
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True
    )
    worker = context.new_page()
    sign_in(worker, base, "a@agency.example")
    worker.goto(base + f"/workspace/parcels/{parcel.pk}/")
    weigh_page = serious_violations(worker)
    worker.get_by_label("草鱼（预售） × 1：实际重量（斤）").fill("2.50")
    worker.get_by_role("button", name="按重量结算").click()
    worker.get_by_text("已按 ¥30.00 结算；退还买家 ¥6.00。").wait_for()
    context.close()

    # then: the buyer's order page shows ¥6.00 refunded
    phone.goto(base + order_status_path(parcel.order))
    parcels = phone.locator(".order-parcels").inner_text()
    parcel.refresh_from_db()
    assert parcel.refunded == Decimal("6.00")
    assert "已退款 ¥6.00" in parcels
    assert "预售" in facts and "¥12.00/斤" in facts and "预估 ¥36.00/件" in facts
    assert [(e.kind, e.amount) for e in LedgerEntry.objects.all()] == [
        ("sale", Decimal("40.00"))
    ]
    assert (product_page, weigh_page) == ([], [])
