"""The product page without jQuery or Bootstrap, in Chromium: the basket button
says it is adding and cannot be pressed twice, the product goes into the
basket, the message that says so can be closed, and nothing errs."""

from decimal import Decimal

import pytest

from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_data"),
]


def test_a_buyer_adds_a_product_without_oscars_scripts(phone, live_server):
    luo = factories.household_create(slug="luo-pond", public_name="罗大哥")
    fish = factories.product_create(household=luo, title="草鱼", price=Decimal("15.00"))
    errors = []
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    phone.on("pageerror", lambda error: errors.append(str(error)))

    # given: the product page
    phone.goto(live_server.url + fish.get_absolute_url())
    assert phone.evaluate("typeof window.jQuery") == "undefined"

    # when: the buyer presses the basket button (its submission held back)
    phone.evaluate(
        "document.getElementById('add_to_basket_form').addEventListener('submit',"
        " (event) => { window.sent = (window.sent || 0) + 1; event.preventDefault(); })"
    )
    button = phone.locator("#add_to_basket_form button[type=submit]")
    button.click()
    button.click(force=True)

    # then: it was sent once, and the button says so
    phone.wait_for_function(
        "document.querySelector('#add_to_basket_form button').disabled"
    )
    assert phone.evaluate("window.sent") == 1
    assert button.inner_text() == "正在添加……"

    # when: pressed for real
    phone.reload()
    with phone.expect_navigation():
        phone.get_by_role("button", name="加入购物车").click()

    # then: the message says so, and goes when closed
    added = phone.locator("#messages .alert").filter(has_text="草鱼")
    assert added.count() == 1
    added.locator(".close").click()
    assert added.count() == 0
    assert phone.url == live_server.url + fish.get_absolute_url()
    # and the basket holds it
    phone.goto(live_server.url + "/shop/basket/")
    assert phone.locator(".basket-line").count() == 1
    assert "草鱼" in phone.locator(".basket-line").inner_text()
    assert errors == []
