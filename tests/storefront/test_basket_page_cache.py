"""A guest's basket page is cached under what it shows (storefront/page_cache.py):
looked at again it comes from the cache, and whatever changes what it shows —
his lines, a price, an offer starting — gives it a new key."""

import re
from datetime import timedelta
from decimal import Decimal

import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from tests.storefront.checkout import helpers
from tests.storefront.test_basket_offers import site_offer
from tests.storefront.test_basket_page import FormInputs, basket_form

ConditionalOffer = get_model("offer", "ConditionalOffer")
Selector = get_class("partner.strategy", "Selector")
Voucher = get_model("voucher", "Voucher")
StockRecord = get_model("partner", "StockRecord")


def page(client) -> tuple[str, int]:
    """The basket page's HTML and the queries it took."""
    with CaptureQueriesContext(connection) as context:
        response = client.get("/shop/basket/")
    assert response.status_code == 200
    return response.content.decode(), len(context.captured_queries)


def lines_shown(html: str) -> list[str]:
    """Each line's price sentence, tags removed: "¥15.00 / 斤 × 2 斤 = ¥30.00"."""
    found = re.findall(r'<p class="basket-line__price">(.*?)</p>', html, re.S)
    return [re.sub(r"<[^>]+>", "", line) for line in found]


def order_total(html: str) -> str:
    return re.search(r'<h3 class="price_color">([^<]*)</h3>', html)[1]


def header_count(html: str) -> str:
    return html.split('class="site-basket__count">')[1].split(" ")[0]


def test_looked_at_again_the_page_comes_from_the_cache(db):
    # given: a guest whose forms must carry a valid CSRF token
    client = Client(enforce_csrf_checks=True)
    client.get("/shop/catalogue/")
    fish, eggs = helpers.two_households()
    token = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    helpers.add_to_basket(client, fish, quantity=2, **token)
    helpers.add_to_basket(client, eggs, **token)
    first, rendered = page(client)

    # when
    again, cached = page(client)

    # then: the same page in two queries (his lines, which also count the
    # header's items, and the version), with two parcels below free delivery
    # (¥10 each)
    assert (rendered > cached, cached) == (True, 2)
    assert strip_volatile(again) == strip_volatile(first)
    assert lines_shown(again) == [
        "¥15.00 / 斤 × 2 斤 = ¥30.00",
        "¥45.00 / 盒 × 1 盒 = ¥45.00",
    ]
    assert (order_total(again), header_count(again)) == ("¥95.00", "3")
    # and its forms (the basket, the voucher, the language) carry a token of
    # this guest's that the shop accepts
    parser = FormInputs()
    parser.feed(again)
    response = client.post("/shop/basket/", {**parser.fields, "form-1-quantity": "2"})
    assert (again.count('name="csrfmiddlewaretoken"'), response.status_code) == (3, 302)
    assert helpers.basket_lines(client) == [("草鱼", 2), ("土鸡蛋", 2)]


def strip_volatile(html: str) -> str:
    """The page without what differs between two responses: CSRF tokens, CSP
    nonces, and the messages region (the first showed "added to basket")."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    html = re.sub(r"<!--personal:alerts-->.*?<!--/personal-->", "", html, flags=re.S)
    return re.sub(r'nonce="[^"]*"', "", html)


def test_a_changed_quantity_shows_at_once(client, db):
    # given: the page cached with two fish
    fish, eggs = helpers.two_households()
    helpers.add_to_basket(client, fish, quantity=2)
    helpers.add_to_basket(client, eggs)
    form = basket_form(client)
    page(client)

    # when
    client.post("/shop/basket/", {**form.fields, "form-0-quantity": "5"})

    # then
    html, _queries = page(client)
    assert lines_shown(html) == [
        "¥15.00 / 斤 × 5 斤 = ¥75.00",
        "¥45.00 / 盒 × 1 盒 = ¥45.00",
    ]
    assert (order_total(html), header_count(html)) == ("¥140.00", "6")


def test_a_line_added_from_another_tab_shows(client, db):
    # given: the page cached with the fish alone
    fish, eggs = helpers.two_households()
    helpers.add_to_basket(client, fish)
    page(client)

    # when: the eggs added elsewhere, no page of this one touched
    basket = helpers.client_basket(client)
    basket.strategy = Selector().strategy()
    basket.add_product(eggs, 2)

    # then
    html, _queries = page(client)
    assert lines_shown(html) == [
        "¥15.00 / 斤 × 1 斤 = ¥15.00",
        "¥45.00 / 盒 × 2 盒 = ¥90.00",
    ]
    assert order_total(html) == "¥125.00"


def test_a_new_price_retires_the_cached_page(
    client, db, django_capture_on_commit_callbacks
):
    # given: the page cached at ¥15 a 斤
    fish, _eggs = helpers.two_households()
    helpers.add_to_basket(client, fish, quantity=2)
    page(client)

    # when: the social worker sets ¥18
    with django_capture_on_commit_callbacks(execute=True):
        record = StockRecord.objects.get(product=fish)
        record.price = Decimal("18.00")
        record.save()

    # then: the line at its new price
    html, _queries = page(client)
    assert lines_shown(html) == ["¥18.00 / 斤 × 2 斤 = ¥36.00"]
    assert order_total(html) == "¥46.00"


def test_an_offer_starting_changes_the_page_with_nothing_saved(client, db):
    # given: 10% off two fish from a minute on; the page cached without it
    fish, _eggs = helpers.two_households()
    site_offer("两斤鱼九折", fish, items=2, percent=10)
    start = timezone.now() + timedelta(minutes=1)
    ConditionalOffer.objects.update(start_datetime=start)
    helpers.add_to_basket(client, fish, quantity=2)
    before, _queries = page(client)

    # when: the minute has passed (the cached page has not expired)
    with time_machine.travel(start + timedelta(seconds=30)):
        after, _queries = page(client)

    # then: ¥30 of fish and ¥10 of delivery, then 10% off the fish
    assert (order_total(before), order_total(after)) == ("¥40.00", "¥37.00")


def test_a_changed_offer_retires_the_cached_page(
    client, db, django_capture_on_commit_callbacks
):
    # given: 10% off two fish, the page cached with it
    fish, _eggs = helpers.two_households()
    site_offer("两斤鱼九折", fish, items=2, percent=10)
    helpers.add_to_basket(client, fish, quantity=2)
    before, _queries = page(client)

    # when: the offer becomes 20% off
    with django_capture_on_commit_callbacks(execute=True):
        benefit = ConditionalOffer.objects.get().benefit
        benefit.value = 20
        benefit.save()

    # then
    after, _queries = page(client)
    assert (order_total(before), order_total(after)) == ("¥37.00", "¥34.00")


def test_a_signed_in_buyers_page_is_not_cached(client, db):
    # given: a signed-in buyer (his saved basket shows on the page too)
    fish, _eggs = helpers.two_households()
    client.force_login(get_user_model().objects.create_user("b", "b@example.com"))
    helpers.add_to_basket(client, fish)
    page(client)

    # when
    response = client.get("/shop/basket/")

    # then: rendered again, the basket's own template with it
    assert "oscar/basket/basket.html" in [t.name for t in response.templates]
    assert response.context["basket"].num_items == 1


def test_a_query_string_or_a_voucher_keeps_the_page_uncached(client, db):
    # given: a guest's basket
    fish, _eggs = helpers.two_households()
    helpers.add_to_basket(client, fish)

    # when: asked twice with a query string, then with a voucher on the basket
    with_query = [client.get("/shop/basket/?from=timeline") for _ in range(2)]
    voucher = Voucher.objects.create(
        name="春节",
        code="SPRING",
        start_datetime=timezone.now() - timedelta(days=1),
        end_datetime=timezone.now() + timedelta(days=1),
    )
    helpers.client_basket(client).vouchers.add(voucher)
    with_voucher = [client.get("/shop/basket/") for _ in range(2)]

    # then: every one rendered (a page from the cache renders only its
    # regions' templates, not the basket's)
    assert [
        "oscar/basket/basket.html" in [t.name for t in response.templates]
        for response in with_query + with_voucher
    ] == [True, True, True, True]
