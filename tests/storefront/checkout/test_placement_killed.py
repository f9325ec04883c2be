"""A process killed while an order is being placed leaves the buyer's basket
as it was: frozen together with the order, in its transaction, not before it."""

import pytest
from oscar.core.loading import get_model

from storefront.checkout import stock
from tests.storefront.checkout import helpers

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")

pytestmark = pytest.mark.usefixtures("stripe_settings")


class Killed(BaseException):
    """What a SIGKILL looks like from inside: nothing catches it, no code
    after it runs (Oscar's view catches Exception and thaws the basket)."""


def test_a_placement_killed_before_the_order_commits_keeps_the_basket(
    client, db, monkeypatch
):
    # given: a buyer at the review page with fish and eggs
    fish, eggs = helpers.two_households()
    helpers.checkout_to_payment(client, fish, eggs)

    def killed(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(stock.GuardedOrderCreator, "place_order", killed)

    # when: the worker dies while placing the order
    with pytest.raises(Killed):
        helpers.place_order(client)
    monkeypatch.undo()

    # then: no order, the basket open with both lines, and the buyer can
    # place it when he tries again
    assert Order.objects.count() == 0
    assert list(Basket.objects.values_list("status", flat=True)) == [Basket.OPEN]
    assert helpers.basket_lines(client) == [("草鱼", 1), ("土鸡蛋", 1)]
    response = helpers.place_order(client)
    assert response.status_code == 302
    assert Order.objects.count() == 1
    assert list(Basket.objects.values_list("status", flat=True)) == [Basket.SUBMITTED]
