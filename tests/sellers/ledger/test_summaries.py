"""The summaries kept with the ledger are the ones rebuilt from it."""

import pytest
from oscar.core.loading import get_model

from sellers.ledger.reconcile import ledger_reconcile
from sellers.ledger.summaries import summaries_rebuild
from sellers.models import (
    IncomeDay,
    OrderCell,
    Parcel,
    SalesCell,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_settings")]


def test_the_summaries_rebuilt_from_the_ledger_are_the_ones_kept(months):
    def stored():
        return (
            sorted(IncomeDay.objects.values_list(
                "household_id", "span", "day", "sales", "refunds", "corrections",
                "payouts", "parcels", "units")),
            sorted(SalesCell.objects.values_list(
                "household_id", "span", "day", "category_id", "certified",
                "sales", "refunds", "units"), key=str),
            sorted(OrderCell.objects.values_list(
                "span", "day", "buyer", "campaign_id", "orders", "sales",
                "refunds", "units"), key=str),
        )  # fmt: skip

    kept = stored()
    summaries_rebuild()

    assert stored() == kept
    # Day, month and year rows; 陈's refund day has a buyer's row of its own.
    assert len(kept[0]) == 15 and len(kept[2]) == 9
    refunds = {
        f"parcel-{pk}": amount
        for pk, amount in Parcel.objects.filter(refunded__gt=0).values_list(
            "pk", "refunded"
        )
    }
    assert (
        ledger_reconcile(
            paid_order_numbers=get_model("order", "Order").objects.values("number"),
            stripe_refunds=refunds,
        ).problems
        == []
    )
