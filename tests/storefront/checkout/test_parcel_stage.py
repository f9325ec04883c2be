"""Each parcel's state in its buyer's words: one function decides it."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from storefront.checkout.tracking import ParcelStage, parcel_stage


@pytest.mark.parametrize(
    ("order_status", "parcel_status", "refunded", "stage", "words"),
    [
        ("pending", "to_pack", "0.00", ParcelStage.AWAITING_PAYMENT, "待付款"),
        ("authorised", "to_pack", "0.00", ParcelStage.TO_SHIP, "待发货"),
        ("paid", "to_pack", "0.00", ParcelStage.TO_SHIP, "待发货"),
        ("paid", "shipped", "0.00", ParcelStage.SHIPPED, "已发货"),
        ("paid", "delivered", "0.00", ParcelStage.DELIVERED, "已送达"),
        # an unpaid order released after its 15 minutes: nothing to refund
        ("cancelled", "to_pack", "0.00", ParcelStage.CANCELLED, "已取消"),
        ("paid", "cancelled", "0.00", ParcelStage.CANCELLED, "已取消"),
        ("paid", "cancelled", "55.00", ParcelStage.REFUNDED, "已退款"),
        # a part refunded while the buyer keeps the parcel: it stays where it was
        ("paid", "shipped", "5.00", ParcelStage.SHIPPED, "已发货"),
        ("paid", "delivered", "5.00", ParcelStage.DELIVERED, "已送达"),
    ],
)
def test_each_parcel_state_in_the_buyer_s_words(
    order_status, parcel_status, refunded, stage, words
):
    order = SimpleNamespace(status=order_status)
    parcel = SimpleNamespace(status=parcel_status, refunded=Decimal(refunded))

    found = parcel_stage(order=order, parcel=parcel)

    assert (found, str(found.label)) == (stage, words)
