"""Checkout pages run a number of queries that does not grow with basket lines."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.storefront.checkout import helpers

pytestmark = pytest.mark.usefixtures("stripe_settings")

PAGES = [
    "/shop/basket/",
    "/shop/checkout/shipping-address/",
    "/shop/checkout/payment-details/",
]


def products(count, prefix):
    result = []
    for number in range(count):
        household = factories.household_create(slug=f"{prefix}{number}")
        result.append(
            factories.product_create(household=household, title=f"鱼{number}")
        )
    return result


def queries_per_page(count):
    buyer = Client()
    helpers.checkout_to_payment(buyer, *products(count, prefix=f"n{count}-"))
    counts = {}
    for url in PAGES:
        buyer.get(url)
        with CaptureQueriesContext(connection) as context:
            assert buyer.get(url).status_code == 200
        counts[url] = len(context.captured_queries)
    helpers.buy(buyer)
    with CaptureQueriesContext(connection) as context:
        assert buyer.get("/shop/checkout/thank-you/").status_code == 200
    counts["thank-you"] = len(context.captured_queries)
    return counts


def test_checkout_query_counts_do_not_grow_with_basket_lines(db):
    few = queries_per_page(2)

    many = queries_per_page(8)

    assert many == few


def pay_page_queries(count):
    buyer = Client()
    helpers.checkout_to_payment(buyer, *products(count, prefix=f"p{count}-"))
    helpers.place_order(buyer)
    url = helpers.pay_url(helpers.placed_number(buyer), "")[:-1]
    buyer.get(url)
    with CaptureQueriesContext(connection) as context:
        response = buyer.get(url)
    assert response.status_code == 200
    assert 'id="pay-form"' in response.content.decode()
    return len(context.captured_queries)


def test_the_pay_page_runs_a_fixed_number_of_queries(db, settings):
    # order, its payment, parcels with households and stories, their lines, the
    # lines' products, attribute values, version; and the session where it is
    # kept in the database (with REDIS_URL it is in Redis)
    session = settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    expected = 7 + session
    assert pay_page_queries(2) == expected
    assert pay_page_queries(8) == expected
