"""A real shopper (an anonymous session that viewed three households' produce
and put one of each in the basket through the shop's own form) gets every page
in a fixed number of queries, however many products the catalogue holds."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model
from PIL import Image

from catalog import services as catalog_services
from storefront import page_cache
from tests import factories

Basket = get_model("basket", "Basket")

# The queries of each page, and where they go (SQLite and PostgreSQL alike):
# every page counts the basket (1); a page with the footer reads the public
# version (1) under which the category menu, the after-sales link, the share
# QR code and Wagtail's view restrictions are cached; a listing counts and
# fetches products with their stock records, photos and attribute values (5);
# Wagtail pages find the site, its root page and each page on the path (one
# query a level; a story comes with its household).
EXPECTED = {
    # site, root, Wagtail's private sections (public()), 6 stories, products
    # + 3, version, basket
    "home": 10,
    # count, products + 3, version, basket
    "catalogue": 7,
    "search": 7,
    # + the category, household, or whether the village shows
    "category": 8,
    "household": 8,
    "village": 8,
    # product with its recently viewed + stock records (household, organisation,
    # story), photos, attribute values; category; recommendations; Oscar's
    # recently viewed; version; basket
    "product": 9,
    # site, root, index, story with household, products + 3, version, basket
    "story": 10,
    # Oscar's basket: basket, lines with their product and household +
    # attributes, attribute values, photos, stock records; vouchers; site
    # offers (applied, and kept for the upsell messages); pickup points;
    # version
    "basket": 10,
}


def photo():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, "JPEG")
    return SimpleUploadedFile("fish.jpg", out.getvalue(), content_type="image/jpeg")


def list_products(household, count, start=0):
    return [
        catalog_services.product_create(
            household=household,
            title=f"草鱼{number}",
            category=create_from_breadcrumbs("鲜鱼"),
            unit="斤",
            price=Decimal("15.00"),
            available=100,
            photo=photo(),
            delivery_promise="当天捞当天发",
            fish_state="live",
            fish_weight=2.5,
        )
        for number in range(start, start + count)
    ]


@pytest.fixture
def shop(pages):
    _home, index = pages
    households = []
    for slug, name in (("luo", "罗大哥"), ("wang", "王阿姨"), ("chen", "陈叔")):
        household = factories.household_create(slug=slug, public_name=name)
        factories.story_create(index=index, household=household)
        households.append(household)
    products = [list_products(household, 2) for household in households]
    return households, products


@pytest.fixture
def shopper(shop):
    """Views one product of each household and adds it to the basket."""
    _households, products = shop
    client = Client()
    for product, *_others in products:
        assert client.get(product.get_absolute_url()).status_code == 200
        response = client.post(
            reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1}
        )
        assert response.status_code == 302
    return client


def urls(shop):
    households, products = shop
    luo = households[0]
    return {
        "home": "/",
        "catalogue": "/shop/catalogue/",
        "search": "/shop/catalogue/?q=%E8%8D%89%E9%B1%BC",
        "category": create_from_breadcrumbs("鲜鱼").get_absolute_url(),
        "household": f"/shop/catalogue/household/{luo.slug}/",
        "village": "/shop/catalogue/village/西新村/",
        "product": products[0][0].get_absolute_url(),
        "story": luo.story_page.url,
        "basket": "/shop/basket/",
    }


def queries(client, url) -> int:
    client.get(url)  # thumbnails drawn, fragments cached
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    assert 'class="site-basket__count">3 ' in response.content.decode()
    return len(context.captured_queries)


# Served from the shared page cache (storefront/page_cache.py): the public
# version and the header's basket count; the product page adds the shopper's
# recently viewed products (the products, their stock records, photos and
# attribute values). The basket page is the shopper's own.
SHARED = {
    "home": 2,
    "catalogue": 2,
    "search": 2,
    "category": 2,
    "household": 2,
    "village": 2,
    "product": 6,
    "story": 2,
}


CASES = [
    *((page, "rendered", count) for page, count in EXPECTED.items()),
    *((page, "shared", count) for page, count in SHARED.items()),
]


@pytest.mark.parametrize(("page", "how", "expected"), CASES)
def test_a_shopper_gets_each_page_in_a_fixed_number_of_queries(
    shop, shopper, page, how, expected, monkeypatch
):
    if how == "rendered":  # what a shopper costs when the cache misses
        monkeypatch.setattr(page_cache, "is_cacheable", lambda request: False)
    # given: two products a household
    url = urls(shop)[page]
    assert queries(shopper, url) == expected

    # when: eight a household
    households, _products = shop
    for household in households:
        list_products(household, 6, start=2)

    # then
    assert queries(shopper, url) == expected


@pytest.mark.parametrize("shared", [True, False])
def test_the_product_page_shows_what_the_shopper_viewed_before(
    shop, shopper, shared, monkeypatch
):
    if not shared:
        monkeypatch.setattr(page_cache, "is_cacheable", lambda request: False)
    _households, products = shop

    shopper.get(products[0][0].get_absolute_url())  # the page is cached
    html = shopper.get(products[0][0].get_absolute_url()).content.decode()

    # then: their cards, loaded with the product (no card of their own queries)
    viewed = html.split("最近看过")[1]  # "Products you recently viewed"
    assert [
        product.get_title() in viewed for product in (products[1][0], products[2][0])
    ] == [True, True]
    assert viewed.count('class="product-card"') == 2
    # their add-to-basket forms carry the shopper's token
    cards = viewed.split("<footer")[0]
    assert len(re.findall(r'name="csrfmiddlewaretoken" value="\w{64}"', cards)) == 2


def count_in_header(client) -> str:
    html = client.get("/shop/catalogue/").content.decode()
    return html.split('class="site-basket__count">')[1].split("<")[0]


def test_the_header_counts_items_not_lines(shop):
    # given
    _households, products = shop
    client = Client()

    # when
    client.post(
        reverse("basket:add", kwargs={"pk": products[0][0].pk}), {"quantity": 2}
    )
    client.post(
        reverse("basket:add", kwargs={"pk": products[1][0].pk}), {"quantity": 1}
    )

    # then
    assert count_in_header(client).startswith("3 ")


def test_a_submitted_basket_is_no_longer_counted(shopper):
    # when: the basket became an order
    Basket.objects.update(status=Basket.SUBMITTED)

    # then
    assert count_in_header(shopper).startswith("0 ")


def test_a_forged_basket_cookie_counts_nothing(shopper, settings):
    # given: a visitor naming the shopper's basket without its signature
    basket = Basket.objects.get()
    other = Client()
    other.cookies[settings.OSCAR_BASKET_COOKIE_OPEN] = str(basket.pk)

    # then
    assert count_in_header(other).startswith("0 ")


def test_a_signed_in_buyer_sees_his_own_basket_and_merges_a_cookie_basket(
    shop, shopper, django_user_model
):
    # given: a buyer whose own basket holds two items
    _households, products = shop
    buyer = django_user_model.objects.create_user(
        username="buyer", email="buyer@example.com", password="x"
    )
    own = Client()
    own.force_login(buyer)
    own.post(reverse("basket:add", kwargs={"pk": products[0][1].pk}), {"quantity": 2})
    assert count_in_header(own).startswith("2 ")

    # when: the shopper signs in as him, with three items in the cookie basket
    shopper.force_login(buyer)

    # then: Oscar merges them on the first page
    assert count_in_header(shopper).startswith("5 ")
    assert count_in_header(shopper).startswith("5 ")


def test_the_cookie_of_a_basket_that_became_an_order_is_dropped(shopper, settings):
    # given
    Basket.objects.update(status=Basket.SUBMITTED)

    # when
    response = shopper.get("/shop/catalogue/")

    # then: the visitor is cookie-less again, for the page cache
    assert response.cookies[settings.OSCAR_BASKET_COOKIE_OPEN]["max-age"] == 0


def test_an_emptied_basket_is_deleted_with_its_cookie(shop, settings):
    # given: a visitor who put a product in the basket, then took it out
    _households, products = shop
    client = Client()
    client.post(
        reverse("basket:add", kwargs={"pk": products[0][0].pk}), {"quantity": 1}
    )
    basket = Basket.objects.get()
    basket.lines.all().delete()

    # when: another page counts the empty basket, then he adds another product
    response = client.get("/shop/catalogue/")
    client.post(
        reverse("basket:add", kwargs={"pk": products[1][0].pk}), {"quantity": 1}
    )

    # then: the cookie went with the empty basket, and one basket is left
    assert response.cookies[settings.OSCAR_BASKET_COOKIE_OPEN]["max-age"] == 0
    assert list(Basket.objects.values_list("lines__product", flat=True)) == [
        products[1][0].pk
    ]
    assert Basket.objects.filter(pk=basket.pk).exists() is False
