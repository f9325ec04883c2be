"""The basket: each line counted in its product's unit, each household parcel
told how far it is from free delivery, prices without tax rows, and a number
of queries that does not grow with its lines."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import factories


def texts(html: str, css_class: str) -> list[str]:
    """The text of each element carrying this class, tags dropped."""
    pattern = rf'<(\w+) class="[^"]*\b{css_class}\b[^"]*"[^>]*>(.*?)</\1>'
    found = re.findall(pattern, html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", text).split()) for _tag, text in found]


def basket_with(client, *items) -> str:
    for product, quantity in items:
        client.post(f"/shop/basket/add/{product.pk}/", {"quantity": quantity})
    return client.get("/shop/basket/").content.decode()


@pytest.fixture
def shop(db):
    """罗大哥's fish at ¥38 a 斤, 王阿姨's eggs at ¥45 a 盒."""
    luo = factories.household_create(slug="luo", public_name="罗大哥")
    wang = factories.household_create(slug="wang", public_name="王阿姨")
    fish = factories.product_create(household=luo, price=Decimal("38.00"))
    eggs = factories.product_create(
        household=wang, title="土鸡蛋", price=Decimal("45.00"), unit="盒"
    )
    return fish, eggs


def test_each_line_is_priced_and_counted_in_its_unit(client, shop):
    fish, eggs = shop

    html = basket_with(client, (fish, 2), (eggs, 1))

    assert texts(html, "basket-line__price") == [
        "¥38.00 / 斤 × 2 斤 = ¥76.00",
        "¥45.00 / 盒 × 1 盒 = ¥45.00",
    ]


def test_each_parcel_says_how_far_it_is_from_free_delivery(client, shop):
    fish, eggs = shop

    html = basket_with(client, (fish, 1), (eggs, 3))

    # ¥38 of fish is ¥61 short of ¥99; ¥135 of eggs ships free.
    assert texts(html, "parcel__title") == ["罗大哥 的包裹", "王阿姨 的包裹"]
    assert texts(html, "parcel__delivery") == ["还差¥61.00免运费", "已免运费"]


def test_the_gap_follows_the_settings(client, shop, settings):
    settings.BANGFU_FREE_DELIVERY_THRESHOLD = Decimal("50.00")
    fish, _eggs = shop

    html = basket_with(client, (fish, 1))

    assert texts(html, "parcel__delivery") == ["还差¥12.00免运费"]


def test_adding_says_the_quantity_in_the_unit(client, shop):
    fish, _eggs = shop

    response = client.post(f"/shop/basket/add/{fish.pk}/", {"quantity": 2}, follow=True)

    messages = [str(message) for message in response.context["messages"]]
    assert "已将<strong>草鱼</strong> × 2 斤加入购物车。" in messages[0]


def test_the_basket_has_no_tax_rows(client, shop):
    fish, eggs = shop

    html = basket_with(client, (fish, 2), (eggs, 1))

    assert "税" not in html


def basket_queries(count: int) -> int:
    buyer = Client()
    for number in range(count):
        household = factories.household_create(slug=f"n{count}-{number}")
        product = factories.product_create(household=household, title=f"鱼{number}")
        buyer.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    buyer.get("/shop/basket/")
    with CaptureQueriesContext(connection) as context:
        assert buyer.get("/shop/basket/").status_code == 200
    return len(context.captured_queries)


def test_the_basket_query_count_does_not_grow_with_lines(db):
    one = basket_queries(1)

    three = basket_queries(3)

    assert three == one
