from decimal import Decimal

import pytest
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_model

from storefront.checkout.stock import GuardedOrderCreator, stock_allocate
from tests import factories

StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def record(db):
    household = factories.household_create(slug="luo")
    product = factories.product_create(
        household=household, title="草鱼", price=Decimal("15.00"), num_in_stock=3
    )
    return product.stockrecords.get()


def test_allocates_while_stock_lasts_and_then_changes_nothing(record):
    results = [stock_allocate(stockrecord_id=record.pk, quantity=2) for _ in range(2)]

    record.refresh_from_db()
    assert results == [True, False]
    assert (record.num_in_stock, record.num_allocated) == (3, 2)


@pytest.mark.parametrize(("quantity", "allocated"), [(3, 3), (4, None)])
def test_exactly_the_last_units_can_be_taken(record, quantity, allocated):
    stock_allocate(stockrecord_id=record.pk, quantity=quantity)

    record.refresh_from_db()
    assert record.num_allocated == allocated


def test_order_creator_names_the_sold_out_product(record):
    class Line:
        product = record.product
        stockrecord_id = record.pk
        quantity = 4
        title = "草鱼"

    with pytest.raises(
        UnableToPlaceOrder, match="抱歉，“草鱼”刚刚售完，未扣任何款项。"
    ):
        GuardedOrderCreator().update_stock_records(Line())
