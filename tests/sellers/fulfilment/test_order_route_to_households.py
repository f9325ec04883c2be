from decimal import Decimal

import pytest

from sellers.fulfilment.services import _split_delivery


@pytest.mark.parametrize(
    ("nominal", "paid", "expected"),
    [
        (
            {1: Decimal("10.00"), 2: Decimal("10.00")},
            Decimal("20.00"),
            [Decimal("10.00"), Decimal("10.00")],
        ),
        (
            {1: Decimal("10.00"), 2: Decimal("10.00")},
            Decimal("0.00"),
            [Decimal("0.00"), Decimal("0.00")],
        ),
        (
            {1: Decimal("10.00"), 2: Decimal("10.00"), 3: Decimal("10.00")},
            Decimal("10.00"),
            [Decimal("3.33"), Decimal("3.33"), Decimal("3.34")],
        ),
        (
            {1: Decimal("10.00"), 2: Decimal("0.00")},
            Decimal("5.00"),
            [Decimal("5.00"), Decimal("0.00")],
        ),
    ],
)
def test_parcel_delivery_charges_add_up_to_what_was_paid(nominal, paid, expected):
    shares = _split_delivery(nominal, paid=paid)

    assert list(shares.values()) == expected
    assert sum(shares.values()) == paid
