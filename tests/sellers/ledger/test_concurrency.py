"""Social workers and captures write one household's ledger at once, in real
threads: on PostgreSQL in CI's second run, on file-based SQLite in the first.

Both tests failed on PostgreSQL when the household's last balance was read in
the same statement that locked it (four payouts paid from ¥100; captures lost
to duplicate entry numbers).
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sellers.ledger.selectors import ledger_balance
from sellers.models import EntryKind, LedgerEntry, Payout
from tests.sellers import helpers
from tests.storefront.checkout.test_concurrency import race

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_data", "stripe_settings"),
]


def chain(household):
    return list(
        LedgerEntry.objects.filter(household=household)
        .order_by("seq")
        .values_list("seq", "kind", "amount", "balance")
    )


def test_ten_simultaneous_payouts_of_30_from_100_pay_three_times(django_user_model):
    # given: 罗大哥 is owed ¥100 (a paid order of 5 fish at ¥20, free delivery)
    (fish, _eggs, _bacon), (luo, _wang, _chen), (worker, _b) = helpers.two_caseloads()
    fish.stockrecords.update(price=Decimal("20.00"))
    helpers.paid_order((fish, 5))
    assert ledger_balance(household=luo) == Decimal("100.00")
    photo = helpers.photo_with_gps()

    # when: ten payouts of ¥30 at once
    def pay(index):
        try:
            helpers.payout(
                luo, "30.00", worker, reference=f"R{index}", proof=helpers.upload(photo)
            )
        except ValidationError:
            return "refused"
        return "paid"

    results = race(pay, 10)

    # then: three paid, seven refused, ¥10 left, numbers 1…4 with no gap
    assert sorted(results) == ["paid"] * 3 + ["refused"] * 7
    assert Payout.objects.count() == 3
    assert chain(luo) == [
        (1, "sale", Decimal("100.00"), Decimal("100.00")),
        (2, "payout", Decimal("-30.00"), Decimal("70.00")),
        (3, "payout", Decimal("-30.00"), Decimal("40.00")),
        (4, "payout", Decimal("-30.00"), Decimal("10.00")),
    ]


def test_eight_orders_captured_at_once_are_each_credited_once(django_user_model):
    # given: eight placed orders of 王阿姨's eggs (¥45 + ¥10 delivery each)
    (_fish, eggs, _bacon), (_luo, wang, _chen), _workers = helpers.two_caseloads()
    orders = [helpers.place_order((eggs, 1)) for _ in range(8)]

    # when: their payments are captured at the same moment
    results = race(lambda index: helpers.pay(orders[index]).status, 8)

    # then
    assert results == ["paid"] * 8
    entries = chain(wang)
    assert [seq for seq, *_ in entries] == list(range(1, 9))
    assert {kind for _seq, kind, *_ in entries} == {EntryKind.SALE}
    assert entries[-1][3] == Decimal("440.00")
    assert [balance for *_, balance in entries] == [
        Decimal("55.00") * n for n in range(1, 9)
    ]
