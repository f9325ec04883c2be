import re
from datetime import date
from decimal import Decimal

import pytest
from oscar.apps.catalogue.categories import create_from_breadcrumbs

from tests import factories


@pytest.fixture
def market(db):
    """Two villages, three households, five products (one not public)."""
    luo = factories.household_create(slug="luo", public_name="罗大哥", village="西新村")
    wang = factories.household_create(
        slug="wang", public_name="王阿姨", village="西新村"
    )
    chen = factories.household_create(slug="chen", public_name="陈家", village="印盒村")
    factories.product_create(household=luo, title="草鱼", price=Decimal("15.00"))
    factories.product_create(household=luo, title="鲫鱼", price=Decimal("18.00"))
    factories.product_create(
        household=wang, title="土鸡蛋", price=Decimal("45.00"), category="禽蛋"
    )
    factories.product_create(
        household=chen, title="红薯", price=Decimal("3.50"), category="蔬菜 > 薯类"
    )
    factories.product_create(household=chen, title="未上架", is_public=False)
    return {"luo": luo, "wang": wang, "chen": chen}


def titles(response):
    return [p.title for p in response.context["products"]]


def test_browse_lists_public_products_newest_first(client, market):
    response = client.get("/shop/catalogue/")

    assert response.status_code == 200
    assert titles(response) == ["红薯", "土鸡蛋", "鲫鱼", "草鱼"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price_asc", ["红薯", "草鱼", "鲫鱼", "土鸡蛋"]),
        ("price_desc", ["土鸡蛋", "鲫鱼", "草鱼", "红薯"]),
        ("nonsense", ["红薯", "土鸡蛋", "鲫鱼", "草鱼"]),
    ],
)
def test_browse_sorts(client, market, sort, expected):
    assert titles(client.get("/shop/catalogue/", {"sort": sort})) == expected


def test_category_includes_its_subcategories(client, market):
    vegetables = create_from_breadcrumbs("蔬菜")

    response = client.get(vegetables.get_absolute_url())

    assert response.status_code == 200
    assert titles(response) == ["红薯"]


def test_category_url_with_wrong_slug_redirects_to_the_canonical_one(client, market):
    fish = create_from_breadcrumbs("鲜鱼")

    response = client.get(f"/shop/catalogue/category/wrong_{fish.pk}/")

    assert response.status_code == 301
    assert response["Location"] == fish.get_absolute_url()


def test_browse_by_household(client, market):
    response = client.get("/shop/catalogue/household/luo/")

    assert response.status_code == 200
    assert titles(response) == ["鲫鱼", "草鱼"]
    assert response.context["household"] == market["luo"]


def test_inactive_or_unknown_household_is_not_found(client, market):
    from sellers.households.services import household_deactivate

    household_deactivate(household=market["wang"])

    assert client.get("/shop/catalogue/household/wang/").status_code == 404
    assert client.get("/shop/catalogue/household/nobody/").status_code == 404
    assert "土鸡蛋" not in titles(client.get("/shop/catalogue/"))


def test_browse_by_village(client, market):
    response = client.get("/shop/catalogue/village/西新村/")

    assert response.status_code == 200
    assert titles(response) == ["土鸡蛋", "鲫鱼", "草鱼"]
    assert client.get("/shop/catalogue/village/无此村/").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("鱼", ["鲫鱼", "草鱼"]),
        ("王阿姨", ["土鸡蛋"]),
        ("印盒", ["红薯"]),
        ("未上架", []),
        ("<script>", []),
    ],
)
def test_search(client, market, query, expected):
    response = client.get("/shop/catalogue/", {"q": query})

    assert response.status_code == 200
    assert titles(response) == expected


def test_oscar_search_url_redirects_to_our_search(client, db):
    response = client.get("/shop/search/?q=%E8%8D%89%E9%B1%BC")

    assert response.status_code == 302
    assert response["Location"] == "/shop/catalogue/?q=%E8%8D%89%E9%B1%BC"


def test_page_out_of_range_redirects_with_a_message(client, market):
    response = client.get("/shop/catalogue/?page=99", follow=True)

    assert response.redirect_chain == [("/shop/catalogue/", 302)]
    assert "页码无效。" in response.content.decode()


def test_search_query_is_escaped_in_the_page(client, market):
    html = client.get("/shop/catalogue/", {"q": "<b>x</b>"}).content.decode()

    assert "<b>x</b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


@pytest.mark.parametrize(
    ("language", "rows"),
    [
        (
            "zh-hans",
            [("商品类别", "农产品"), ("上市日期", "2026年11月30日"), ("单位", "斤")],
        ),
        (
            "en",
            [
                ("Product Type", "Farm produce"),
                ("Available from", "Nov. 30, 2026"),
                ("Unit", "斤"),
            ],
        ),
    ],
)
def test_product_information_names_type_and_attributes_in_the_readers_language(
    client, db, settings, language, rows
):
    # given: fish of 罗大哥's, sold by the 斤, available from 2026-11-30
    luo = factories.household_create(slug="luo", public_name="罗大哥")
    fish = factories.product_create(
        household=luo, title="草鱼", available_from=date(2026, 11, 30)
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    # when
    html = client.get(fish.get_absolute_url()).content.decode()

    # then: Oscar's product information table, less its prices and reviews
    table = re.findall(r"<tr><th>(.*?)</th><td>(.*?)</td></tr>", html)
    assert [table[0], *table[-3:-1]] == rows
