"""A buyer on a phone picks province → city → district from the national table."""

import pytest

from tests.browser.conftest import serious_violations
from tests.storefront.checkout import helpers

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_data", "stripe_settings"),
]


def test_picking_chongqing_liangjiang_fills_the_lists_in_place(phone, live_server):
    # given: a basket, and the guest's e-mail given
    fish, _eggs = helpers.two_households()
    base = live_server.url
    phone.goto(base + fish.get_absolute_url())
    phone.get_by_role("button", name="加入购物车", exact=True).click()
    phone.wait_for_load_state()
    phone.goto(base + "/shop/checkout/")
    phone.get_by_label("我的电子邮件地址").fill("buyer@example.com")
    phone.get_by_role("button", name="继续").click()
    phone.wait_for_url("**/shipping-address/")

    # when: 重庆市 → 重庆市 → 两江新区, without a page load in between
    phone.get_by_label("收件人").fill("张三")
    phone.get_by_label("手机号码").fill("+86 139 1234 5678")
    phone.get_by_label("省份").select_option(label="重庆市")
    city = phone.get_by_label("城市")
    city.locator("option", has_text="重庆市").wait_for(state="attached")
    city_chosen = city.input_value()
    phone.get_by_label("区/县").select_option(label="两江新区")
    phone.get_by_label("街道门牌").fill("龙塔街道新牌坊一路88号")
    buttons_shown = phone.locator(".js-region-refresh").evaluate_all(
        "buttons => buttons.filter(b => b.offsetParent !== null).length"
    )
    violations = serious_violations(phone)
    phone.get_by_role("button", name="继续").click()
    phone.wait_for_url("**/payment-details/")

    # then: the municipality is its own city; the no-JavaScript buttons are
    # hidden; the pay page prints the address in Chinese order
    assert city_chosen == "500000"
    assert buttons_shown == 0
    assert violations == []
    assert phone.locator(".order-address").inner_text() == (
        "重庆市 两江新区 龙塔街道新牌坊一路88号 张三 13912345678"
    )
