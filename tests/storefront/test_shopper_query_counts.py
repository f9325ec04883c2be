"""A real shopper (an anonymous session that viewed three households' produce
and put one of each in the basket through the shop's own form) gets every page
in a fixed number of queries, however many products and households the
catalogue holds. The households are as the demo's: each with a photo it
consented to show and a story with photos."""

import io
import itertools
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model
from PIL import Image
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from catalog import services as catalog_services
from sellers.models import Household
from storefront import page_cache
from tests import factories

Basket = get_model("basket", "Basket")

# The queries of each page, and where they go (SQLite and PostgreSQL alike):
# every page counts the basket (1); a page with the footer reads the public
# version (1) under which the category menu, the after-sales link, the share
# QR code and Wagtail's view restrictions are cached; a listing counts and
# fetches products with their stock records, photos and attribute values (5);
# Wagtail pages find the site, its root page and each page on the path (one
# query a level; a story comes with its household and its photo). Photos'
# renditions come from Wagtail's cache, a story's body (and its images) from
# the fragment cache; product cards never load their household's photo.
EXPECTED = {
    # site, root, Wagtail's private sections (public()), 6 stories with their
    # households and photos, products + 3, version, basket
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
    # site, root, index, story with household and photo, products + 3,
    # version, basket
    "story": 10,
    # site, root, index, private sections, stories with households and photos,
    # their cards' renditions, towns and villages, version, basket
    "households": 10,
    # the basket's lines as its cache key reads them; Oscar's basket: basket,
    # lines with their product and household + attributes, attribute values,
    # photos, stock records; vouchers; site offers (applied, and kept for the
    # upsell messages); version (under which the pickup points and the site
    # offers' dates are cached)
    "basket": 10,
}

# The households page for a cookie-less visitor after a restart: the page
# cache, public version and cached fragments are cold (see the test).
COLD_HOUSEHOLDS_PAGE = 13


def photo():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, "JPEG")
    return SimpleUploadedFile("fish.jpg", out.getvalue(), content_type="image/jpeg")


def wagtail_image(title):
    image = get_image_model()(title=title)
    out = io.BytesIO()
    Image.new("RGB", (80, 60), "brown").save(out, "JPEG")
    image.file = ImageFile(out, name=f"{title}.jpg")
    image.save()
    return image


def household_with_photo(slug, name):
    """A household as the demo's named ones: its photo, consented to with its
    name, village and story (factories' default scope for its level)."""
    household = factories.household_create(slug=slug, public_name=name)
    household.photo = wagtail_image(f"household-{slug}")
    household.save(update_fields=["photo"])
    assert household.shows_photo
    return household


def story_body(slug):
    """A story of paragraphs and two captioned photos."""
    return [
        ("paragraph", RichText("<p>鱼塘在村口。</p>")),
        (
            "image",
            {"image": wagtail_image(f"{slug}-pond"), "alt": "鱼塘", "caption": ""},
        ),
        ("paragraph", RichText("<p>社工帮他卖鱼。</p>")),
        (
            "image",
            {"image": wagtail_image(f"{slug}-fish"), "alt": "草鱼", "caption": ""},
        ),
    ]


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


def households_create(index, names):
    households = []
    for slug, name in names:
        household = household_with_photo(slug, name)
        factories.story_create(index=index, household=household, body=story_body(slug))
        households.append(household)
    return households


@pytest.fixture
def shop(pages):
    _home, index = pages
    households = households_create(
        index, [("luo", "罗大哥"), ("wang", "王阿姨"), ("chen", "陈叔")]
    )
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
        "households": luo.story_page.get_parent().url,
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
# attribute values). The basket page is the shopper's own, cached under his
# lines: the lines (which give the count too) and the version.
SHARED = {
    "home": 2,
    "catalogue": 2,
    "search": 2,
    "category": 2,
    "household": 2,
    "village": 2,
    "product": 6,
    "story": 2,
    "households": 2,
    "basket": 2,
}


def cache_missed(monkeypatch) -> None:
    """Every page rendered, as when the cache misses: shared pages are not
    looked up, the basket page's key is computed and never found."""
    monkeypatch.setattr(page_cache, "is_cacheable", lambda request: False)
    keys = itertools.count()
    basket_cache_key = page_cache.basket_cache_key

    def basket_key_missed(request):
        key = basket_cache_key(request)
        return key and f"{key}:{next(keys)}"

    monkeypatch.setattr(page_cache, "basket_cache_key", basket_key_missed)


CASES = [
    *((page, "rendered", count) for page, count in EXPECTED.items()),
    *((page, "shared", count) for page, count in SHARED.items()),
]


@pytest.mark.parametrize(("page", "how", "expected"), CASES)
def test_a_shopper_gets_each_page_in_a_fixed_number_of_queries(
    shop, shopper, page, how, expected, monkeypatch
):
    if how == "rendered":  # what a shopper costs when the cache misses
        cache_missed(monkeypatch)
    # given: two products a household
    url = urls(shop)[page]
    assert queries(shopper, url) == expected

    # when: eight a household
    households, _products = shop
    for household in households:
        list_products(household, 6, start=2)

    # then
    assert queries(shopper, url) == expected


def test_twice_the_households_cost_the_same_queries(shop, shopper, pages, monkeypatch):
    cache_missed(monkeypatch)
    # given: three households with their photos, stories and two products each
    pages_urls = urls(shop)
    before = {page: queries(shopper, url) for page, url in pages_urls.items()}

    # when: three more, as the first
    _home, index = pages
    for household in households_create(
        index, [("zhou", "周大伯"), ("xu", "徐二哥"), ("feng", "冯大姐")]
    ):
        list_products(household, 2)

    # then: every page as before, and the households' own pages show all six
    # photos
    after = {page: queries(shopper, url) for page, url in pages_urls.items()}
    assert (before, after) == (EXPECTED, EXPECTED)
    html = shopper.get(pages_urls["households"]).content.decode()
    assert html.count('class="story-card__photo"') == 6
    assert shopper.get("/").content.decode().count('class="story-card__photo"') == 6


def test_the_households_page_reads_its_cards_renditions_at_once(shop, pages):
    """After a restart (the cache empty) too: the story cards' renditions
    come in one query, not one a household."""

    def cold_queries(url):
        # The renditions made (the test's transaction never commits, so the
        # public version stays: nothing cached may serve this page).
        cache.clear()
        Client().get(url)
        cache.clear()
        with CaptureQueriesContext(connection) as context:
            response = Client().get(url)
        assert response.content.decode().count('class="story-card__photo"') == len(
            Household.objects.all()
        )
        return len(context.captured_queries)

    # given
    url = urls(shop)["households"]
    three = cold_queries(url)

    # when
    _home, index = pages
    households_create(index, [("zhou", "周大伯"), ("xu", "徐二哥"), ("feng", "冯大姐")])

    # then
    assert (three, cold_queries(url)) == (COLD_HOUSEHOLDS_PAGE, COLD_HOUSEHOLDS_PAGE)


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
