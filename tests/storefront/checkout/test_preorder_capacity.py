"""Pre-orders go through the guarded allocation: twenty buyers for the last
three fish of a harvest make three orders; a per-order limit holds at checkout.

Runs on whichever database the suite runs on: PostgreSQL in CI's second run,
file-based SQLite in the first.
"""

import pytest
from django.test import Client
from oscar.core.loading import get_model

from tests.sellers.preorders.helpers import fish_offer
from tests.storefront.checkout import helpers
from tests.storefront.checkout.test_concurrency import StockWatcher, race

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
BasketLine = get_model("basket", "Line")

BUYERS = 20
LAST_FISH = 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("migrated_data", "stripe_settings")
def test_twenty_buyers_for_the_last_three_fish_of_a_harvest_make_three_orders():
    # given: a harvest of 3 fish left, twenty buyers reviewing their orders
    _offer, product, _worker = fish_offer(capacity=LAST_FISH)
    buyers = [Client() for _ in range(BUYERS)]
    for buyer in buyers:
        helpers.checkout_to_payment(buyer, product)
    record = StockRecord.objects.get(product=product)
    watcher = StockWatcher(record.pk)
    watcher.start()

    # when
    responses = race(lambda i: helpers.place_order(buyers[i]), BUYERS)
    watcher.stop.set()
    watcher.join()

    # then
    winners = [
        r for r in responses if r.status_code == 302 and "/pay/" in r["Location"]
    ]
    record.refresh_from_db()
    assert len(winners) == LAST_FISH
    assert Order.objects.count() == LAST_FISH
    assert (record.num_in_stock, record.num_allocated) == (LAST_FISH, LAST_FISH)
    assert watcher.worst <= 0


def test_more_than_the_per_order_limit_is_not_added_to_the_basket(db):
    # given: 5 fish in the basket, 5 allowed per order
    _offer, product, _worker = fish_offer(capacity=100, limit=5)
    buyer = Client()
    buyer.post(f"/shop/basket/add/{product.pk}/", {"quantity": 5}, follow=True)

    # when
    page = buyer.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1}, follow=True)

    # then
    assert [str(m) for m in page.context["messages"]] == [
        "“草鱼（预售）”为预售商品：每单最多 5 件。"
    ]
    assert BasketLine.objects.get().quantity == 5


@pytest.mark.usefixtures("stripe_settings")
def test_more_than_the_per_order_limit_is_refused_at_checkout(db):
    # given: a basket holding 6 fish however it was filled, 5 allowed per order
    _offer, product, _worker = fish_offer(capacity=100, limit=5)
    buyer = Client()
    helpers.add_to_basket(buyer, product, quantity=5)
    BasketLine.objects.update(quantity=6)
    helpers.checkout_to_payment(buyer)

    # when
    response = helpers.place_order(buyer)

    # then
    assert response.status_code == 200
    assert "“草鱼（预售）”为预售商品：每单最多 5 件。" in response.content.decode()
    assert Order.objects.count() == 0
    assert StockRecord.objects.get(product=product).num_allocated is None
