"""Cookie-less visitors get cached pages that are never staler than the data."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import factories


@pytest.fixture
def product(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        household = factories.household_create(slug="luo")
        return factories.product_create(household=household, num_in_stock=12)


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    return response, len(context.captured_queries)


@pytest.mark.parametrize("url", ["/shop/catalogue/", "detail"])
def test_second_visitor_is_served_from_the_cache_with_one_query(product, url):
    url = product.get_absolute_url() if url == "detail" else url
    first, first_count = queries(Client(), url)

    second, second_count = queries(Client(), url)

    assert first_count > 5
    assert second_count == 1  # the version row
    assert "¥15.00" in second.content.decode()
    assert second.status_code == 200


def test_stock_change_shows_on_the_next_request(
    product, django_capture_on_commit_callbacks
):
    # given: the page is cached
    Client().get("/shop/catalogue/")

    # when: stock changes
    with django_capture_on_commit_callbacks(execute=True):
        record = product.stockrecords.get()
        record.num_in_stock = 5
        record.save()

    # then
    html = Client().get("/shop/catalogue/").content.decode()
    assert "还剩 5 斤" in html
    assert "还剩 12 斤" not in html


def test_oscar_allocation_invalidates_too(product, django_capture_on_commit_callbacks):
    Client().get("/shop/catalogue/")

    with django_capture_on_commit_callbacks(execute=True):
        product.stockrecords.get().allocate(2)

    assert "还剩 10 斤" in Client().get("/shop/catalogue/").content.decode()


def test_withdrawn_product_disappears_from_cached_pages(
    product, django_capture_on_commit_callbacks
):
    Client().get(product.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        product.is_public = False
        product.save()

    assert Client().get(product.get_absolute_url()).status_code == 404


def test_each_visitor_gets_a_working_csrf_token_from_a_cached_page(product):
    # given: visitor A's request fills the cache
    Client(enforce_csrf_checks=True).get("/shop/catalogue/")
    visitor = Client(enforce_csrf_checks=True)

    # when: visitor B gets the cached page and posts its form
    html = visitor.get("/shop/catalogue/").content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = visitor.post(
        f"/shop/basket/add/{product.pk}/",
        {"quantity": 1, "csrfmiddlewaretoken": token},
    )

    # then
    assert "__bangfu_csrf_token__" not in html
    assert response.status_code == 302
    assert visitor.cookies["oscar_open_basket"].value


def test_signed_in_and_basket_holding_visitors_bypass_the_cache(
    product, django_user_model
):
    Client().get("/shop/catalogue/")
    member = Client()
    member.force_login(django_user_model.objects.create_user("m", password="x"))
    shopper = Client()
    shopper.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})

    _response, member_count = queries(member, "/shop/catalogue/")
    response, shopper_count = queries(shopper, "/shop/catalogue/")

    assert member_count > 1
    assert shopper_count > 1
    assert "1 件" in response.content.decode()


def test_languages_are_cached_apart(product):
    Client().get("/shop/catalogue/")
    english = Client(HTTP_ACCEPT_LANGUAGE="en")

    html = english.get("/shop/catalogue/").content.decode()

    assert "12 斤 left" in html


def test_unknown_query_parameters_are_not_cached(product):
    Client().get("/shop/catalogue/?utm_x=1")

    _response, count = queries(Client(), "/shop/catalogue/?utm_x=1")

    assert count > 1
