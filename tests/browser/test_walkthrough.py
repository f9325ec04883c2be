"""A buyer walks from the home page to a basket holding two households' produce."""

from decimal import Decimal

import pytest

from tests import factories
from tests.browser.conftest import serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_data"),
]


@pytest.fixture
def store(live_server):
    _home, index = factories.page_tree()
    luo = factories.household_create(slug="luo-pond", public_name="罗大哥")
    wang = factories.household_create(slug="wang-hens", public_name="王阿姨")
    factories.story_create(index=index, household=luo, title="罗大哥的鱼塘")
    factories.story_create(index=index, household=wang, title="王阿姨的土鸡")
    factories.product_create(household=luo, title="草鱼", price=Decimal("15.00"))
    factories.product_create(
        household=wang, title="土鸡蛋", price=Decimal("45.00"), category="禽蛋"
    )
    return live_server.url


def test_home_to_story_to_product_to_basket(phone, store):
    scanned = {}

    # given: the home page
    phone.goto(store + "/")
    scanned["home"] = serious_violations(phone)

    # when: the buyer opens a household's story
    phone.get_by_role("link", name="罗大哥的鱼塘").click()
    phone.wait_for_url("**/households/luo-pond/")
    scanned["story"] = serious_violations(phone)
    assert phone.get_by_role("heading", name="罗大哥的鱼塘").is_visible()

    # and the product the story lists
    phone.get_by_role("link", name="草鱼").click()
    phone.wait_for_url("**/shop/catalogue/**")
    scanned["product"] = serious_violations(phone)
    assert phone.get_by_text("罗大哥", exact=True).first.is_visible()

    # and adds it to the basket
    phone.get_by_role("button", name="加入购物车").first.click()
    phone.wait_for_load_state()

    # and adds another household's eggs from the catalogue
    phone.goto(store + "/shop/catalogue/")
    scanned["catalogue"] = serious_violations(phone)
    phone.get_by_role("button", name="加入购物车 土鸡蛋").click()
    phone.wait_for_load_state()
    phone.goto(store + "/shop/basket/")
    scanned["basket"] = serious_violations(phone)

    # then: the basket holds both households' produce
    basket = phone.locator("#content_inner").inner_text()
    assert "草鱼" in basket
    assert "土鸡蛋" in basket
    assert "¥60.00" in basket
    assert scanned == {
        "home": [],
        "story": [],
        "product": [],
        "catalogue": [],
        "basket": [],
    }
