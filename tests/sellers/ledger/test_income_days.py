"""The daily sums the bureau's reports read are written with the ledger."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from sellers.fulfilment.services import parcel_cancel
from sellers.ledger.services import ledger_correct, order_credit_households
from sellers.models import IncomeDay, LedgerEntry
from tests.sellers import helpers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_settings")]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def days(household, span="d"):
    return [
        (row.day, row.sales, row.refunds, row.corrections, row.payouts, row.parcels)
        for row in IncomeDay.objects.filter(household=household, span=span).order_by(
            "day"
        )
    ]


def test_sales_refunds_payouts_and_corrections_land_on_their_day(ledger_clock):
    (fish, eggs, _bacon), (luo, wang, _chen), (a, _b) = helpers.two_caseloads()
    # 23:30 in Shanghai on 28 November is 15:30 UTC: the day is the 28th.
    late = datetime.datetime(2026, 11, 28, 23, 30, tzinfo=SHANGHAI)
    ledger_clock[0] = late
    first = helpers.paid_order((fish, 2), (eggs, 1))
    helpers.paid_order((fish, 1))
    ledger_clock[0] = late + datetime.timedelta(hours=1)
    parcel = first.parcels.get(household=luo)
    parcel_cancel(parcel=parcel, reason="鱼死了", acting_user=a)
    helpers.payout(luo, "5.00", a, reference="P1", method="cash")
    sale = LedgerEntry.objects.filter(household=luo, kind="sale").first()
    ledger_correct(entry=sale, amount=Decimal("-0.50"), memo="称错", acting_user=a)

    assert days(luo) == [
        # 2 fish + delivery (¥40), then 1 fish + delivery (¥25)
        (datetime.date(2026, 11, 28), Decimal("65.00"), 0, 0, 0, 2),
        (
            datetime.date(2026, 11, 29),
            0,
            Decimal("40.00"),
            Decimal("-0.50"),
            Decimal("5.00"),
            -1,  # the parcel refunded in full is not one sold
        ),
    ]
    assert days(wang) == [(datetime.date(2026, 11, 28), Decimal("55.00"), 0, 0, 0, 1)]
    day = IncomeDay.objects.get(household=luo, span="d", day="2026-11-29")
    assert day.income == Decimal("-40.50")
    # The month's row holds both days; units: 3 fish sold, 2 returned.
    assert days(luo, span="m") == [
        (
            datetime.date(2026, 11, 1),
            Decimal("65.00"),
            Decimal("40.00"),
            Decimal("-0.50"),
            Decimal("5.00"),
            1,
        )
    ]
    month = IncomeDay.objects.get(household=luo, span="m")
    assert (month.units, day.units) == (1, -2)


def test_crediting_an_order_again_adds_nothing():
    (fish, eggs, _bacon), (luo, _wang, _chen), _workers = helpers.two_caseloads()
    order = helpers.paid_order((fish, 2), (eggs, 1))

    order_credit_households(order=order)

    assert IncomeDay.objects.get(household=luo, span="d").sales == Decimal("40.00")
    assert IncomeDay.objects.get(household=luo, span="m").sales == Decimal("40.00")
