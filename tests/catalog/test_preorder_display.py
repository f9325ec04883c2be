"""A pre-order shows as one on its card and page: 预售, the harvest window,
the price per jin, the estimate a piece, settlement by weight, what is left."""

import datetime

import pytest
from django.test import Client

from sellers.preorders.services import harvest_delay
from tests.sellers.preorders.helpers import fish_offer

FACTS = [
    "预售",
    "采收期 2026-12-20 至 2026-12-27",
    "¥12.00/斤 · 每件约 3.00 斤 · 预估 ¥36.00/件",
    "按实际重量多退少补：多付退还，超重不另收费",
    "还可预订：10 件",
]


@pytest.mark.parametrize("page", ["product", "catalogue"])
def test_a_pre_order_shows_its_facts(db, page):
    # given
    _offer, product, _worker = fish_offer(capacity=10)
    url = product.get_absolute_url() if page == "product" else "/shop/catalogue/"

    # when
    html = Client().get(url).content.decode()

    # then
    assert [fact in html for fact in FACTS] == [True] * len(FACTS)


def test_a_delayed_window_shows_at_once_on_a_cached_product_page(
    db, django_capture_on_commit_callbacks
):
    # given: the product page is cached with the first window
    offer, product, worker = fish_offer(capacity=10)
    assert (
        "采收期 2026-12-20 至 2026-12-27"
        in Client().get(product.get_absolute_url()).content.decode()
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        harvest_delay(
            offer=offer,
            window_start=datetime.date(2027, 1, 3),
            window_end=datetime.date(2027, 1, 10),
            acting_user=worker,
        )

    # then
    html = Client().get(product.get_absolute_url()).content.decode()
    assert "采收期 2027-01-03 至 2027-01-10" in html
