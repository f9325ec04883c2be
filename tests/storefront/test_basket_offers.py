"""The basket page applies the site's offers once a request and tells the
shopper, from those same offers, which one more items would earn."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from tests import factories

Range = get_model("offer", "Range")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
ConditionalOffer = get_model("offer", "ConditionalOffer")


def site_offer(name: str, product, items: int, percent: int) -> None:
    """`percent` off the product from `items` of it in the basket."""
    produce = Range.objects.create(name=name)
    produce.add_product(product)
    ConditionalOffer.objects.create(
        name=name,
        offer_type=ConditionalOffer.SITE,
        condition=Condition.objects.create(
            range=produce, type=Condition.COUNT, value=items
        ),
        benefit=Benefit.objects.create(
            range=produce, type=Benefit.PERCENTAGE, value=percent
        ),
    )


@pytest.fixture
def shop(db):
    """罗大哥's fish at ¥38 a 斤, 王阿姨's eggs at ¥45 a 盒."""
    luo = factories.household_create(slug="luo", public_name="罗大哥")
    wang = factories.household_create(slug="wang", public_name="王阿姨")
    fish = factories.product_create(household=luo, price=Decimal("38.00"))
    eggs = factories.product_create(
        household=wang, title="土鸡蛋", price=Decimal("45.00"), unit="盒"
    )
    return fish, eggs


def test_an_offer_met_is_applied_and_one_partly_met_is_suggested(client, shop):
    # given: three 斤 of fish and one 盒 of eggs in the basket
    fish, eggs = shop
    site_offer("两斤鱼九折", fish, items=2, percent=10)
    site_offer("五盒蛋八折", eggs, items=5, percent=20)
    client.post(f"/shop/basket/add/{fish.pk}/", {"quantity": 3})
    client.post(f"/shop/basket/add/{eggs.pk}/", {"quantity": 1})

    # when
    with CaptureQueriesContext(connection) as context:
        response = client.get("/shop/basket/")

    # then: 10% off the fish (¥114 − ¥11.40 + ¥45), the eggs' offer suggested,
    # and the site's offers loaded once (besides the list of their dates that
    # the cached basket page is keyed on)
    assert response.status_code == 200
    basket = response.context["basket"]
    assert [offer.name for offer in basket.applied_offers().values()] == ["两斤鱼九折"]
    assert basket.total_incl_tax == Decimal("147.60")
    assert [m["offer"].name for m in response.context["upsell_messages"]] == [
        "五盒蛋八折"
    ]
    assert "五盒蛋八折" in response.content.decode()
    offer_queries = [
        query["sql"]
        for query in context.captured_queries
        if 'FROM "offer_conditionaloffer"' in query["sql"]
        and '"offer_conditionaloffer"."name"' in query["sql"]
    ]
    assert len(offer_queries) == 1
