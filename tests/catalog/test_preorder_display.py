"""A pre-order shows as one on its card and page: 预售, the harvest window,
the price per jin, the estimate a piece, settlement by weight, what is left."""

import pytest
from django.test import Client

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
