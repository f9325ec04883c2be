"""The migrations that rebuilt the summaries (0010, 0012) run frozen copies of
the rebuild: a database migrated from 0009 ends with the rows that
summaries_rebuild, and the services before it, make of the same ledger."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sellers.ledger.summaries import summaries_rebuild
from sellers.models import IncomeDay, OrderCell, ParcelLine, SalesCell
from tests.sellers import helpers
from tests.sellers.months import at

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("stripe_settings", "migrated_data"),
]


def stored():
    return (
        sorted(IncomeDay.objects.values_list(
            "household_id", "span", "day", "sales", "refunds", "corrections",
            "payouts", "parcels", "units")),
        sorted(SalesCell.objects.values_list(
            "household_id", "span", "day", "category_id", "certified",
            "delivery", "sales", "refunds", "units"), key=str),
        sorted(OrderCell.objects.values_list(
            "span", "day", "buyer", "campaign_id", "orders", "sales",
            "refunds", "units"), key=str),
        sorted(ParcelLine.objects.values_list("pk", "category_id", "certified")),
    )  # fmt: skip


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def test_a_database_migrated_from_0009_has_the_summaries_of_its_ledger(
    months, ledger_clock
):
    # given: the month's ledger, with a refund the day after its sale (a day
    # of -1 parcels) and a payout recorded days after it was paid; at 0009
    # there were no summaries of lines, buyers, months or years
    luo, _wang, _chen = months
    at(ledger_clock, 11, 25)
    helpers.payout(
        luo,
        "5.00",
        get_user_model().objects.get(email="a@agency.example"),
        reference="N2",
        paid_on=datetime.date(2026, 11, 21),
    )
    kept = stored()
    IncomeDay.objects.all().delete()
    try:
        migrate([("sellers", "0009_income_days")])

        # when
        migrate(None)
    finally:
        # Back to the next tests' schema, unless the failure broke the
        # connection (the error above is then the one to read).
        if not connection.needs_rollback:
            migrate(None)

    # then
    migrated = stored()
    assert migrated == kept
    summaries_rebuild()
    assert stored() == migrated
    assert (len(kept[0]), len(kept[1]), len(kept[2])) == (16, 22, 9)
