"""Listing pages run a constant number of queries, however many products they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories


def fill(count: int, household):
    for number in range(count):
        factories.product_create(household=household, title=f"草鱼{number}")


def queries_for(client, url):
    client.get(url)  # warm sessions, thumbnails and caches
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/shop/catalogue/",
        "/shop/catalogue/household/luo/",
        "/shop/catalogue/village/西新村/",
        "/shop/catalogue/?q=%E8%8D%89%E9%B1%BC",
    ],
)
def test_listing_query_count_does_not_grow_with_products(client, db, url):
    # given
    household = factories.household_create(slug="luo")
    fill(2, household)
    few = queries_for(client, url)

    # when
    fill(20, household)
    many = queries_for(client, url)

    # then
    assert many == few


def test_story_page_query_count_does_not_grow_with_products(
    client, pages, django_assert_max_num_queries
):
    _home, index = pages
    household = factories.household_create(slug="luo")
    story = factories.story_create(index=index, household=household)
    fill(2, household)
    few = queries_for(client, story.url)

    fill(20, household)

    with django_assert_max_num_queries(few):
        client.get(story.url)


def test_home_page_query_count_does_not_grow_with_households(
    client, pages, django_assert_max_num_queries
):
    home, index = pages
    for number in range(2):
        household = factories.household_create(slug=f"h{number}")
        factories.story_create(index=index, household=household)
        fill(2, household)
    few = queries_for(client, home.url)

    for number in range(2, 8):
        household = factories.household_create(slug=f"h{number}")
        factories.story_create(index=index, household=household)
        fill(2, household)

    with django_assert_max_num_queries(few):
        client.get(home.url)
