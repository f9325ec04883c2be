"""The bureau's figures on a hand-built month with known answers."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Sum
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from sellers.fulfilment.services import parcel_cancel
from sellers.models import (
    LedgerEntry,
    Parcel,
)
from sellers.reporting.balances import household_balances
from sellers.reporting.periods import Period, money
from sellers.reporting.report import Report, merge_small_groups
from tests import factories
from tests.sellers import helpers
from tests.sellers.months import NOVEMBER, SHANGHAI, at

Line = get_model("order", "Line")
User = get_user_model()
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_settings")]


def test_the_months_headline_figures(months):
    figures = Report(NOVEMBER).totals

    assert figures == {
        "income": Decimal("160.00"),
        "sales": Decimal("280.00"),
        "refunds": Decimal("120.00"),
        "corrections": Decimal("0.00"),
        "payouts": Decimal("30.00"),
        "parcels": 2,  # 陈's parcel was refunded in full: not one sold
        "units": 4,  # 1 fish + 1 bacon − the bacon refunded + 3 eggs
        "households": 2,  # 陈's sale was refunded in full: no income
        "people": None,  # not shown for fewer than 5 households
        "per_household": Decimal("80.00"),
        "orders": 2,
        "buyers": 2,
    }


def test_against_the_previous_period(months):
    figures = Report(NOVEMBER).with_change

    assert NOVEMBER.previous() == Period(
        datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)
    )
    assert figures["year_before"]["income"] == Decimal("0.00")
    before = figures["previous"]
    assert (before["income"], before["orders"], before["buyers"], before["units"]) == (
        Decimal("95.00"),
        1,
        1,
        3,
    )
    assert (before["households"], before["people"]) == (2, None)
    assert figures["change"] == {
        "income": Decimal("65.00"),
        "households": 0,
        "people": None,
        "per_household": Decimal("32.50"),
        "orders": 1,
        "buyers": 1,
        "units": 1,
    }


def test_by_place_organisation_and_social_worker(months):
    luo, _wang, _chen = months
    report = Report(NOVEMBER)

    assert [
        (r["slug"], r["income"], r["sales"], r["refunds"], r["parcels"], r["units"])
        for r in report.households
    ] == [
        ("chen", Decimal("0.00"), Decimal("120.00"), Decimal("120.00"), 0, 0),
        ("luo", Decimal("25.00"), Decimal("25.00"), Decimal("0.00"), 1, 1),
        ("wang", Decimal("135.00"), Decimal("135.00"), Decimal("0.00"), 1, 3),
    ]
    assert [(r["town"], r["village"]) for r in report.households] == [
        ("统景镇", "西新村")
    ] * 3
    # Nothing protected beside a household.
    assert {key for row in report.households for key in row} == {
        "household_id", "slug", "town", "village", "organisation", "sales",
        "refunds", "corrections", "payouts", "parcels", "units", "income",
    }  # fmt: skip
    group = {"households": 2, "income": Decimal("160.00"), "parcels": 2, "units": 4}
    assert report.villages == [{"town": "统景镇", "village": "西新村", **group}]
    assert report.organisations == [{"name": luo.organisation.name, **group}]
    # By name, or by number when a worker has none: never by e-mail.
    a, b = (User.objects.get(email=f"{x}@agency.example") for x in "ab")
    a.last_name, a.first_name = "张", "敏"
    a.save()
    report = Report(NOVEMBER)
    assert report.social_workers == [
        {"name": "张敏", "households": 2, "income": Decimal("160.00"),
         "parcels": 2, "units": 4},
        {"name": f"社工 {b.pk} 号", "households": 0, "income": Decimal("0.00"),
         "parcels": 0, "units": 0},
    ]  # fmt: skip


def test_by_category_certified_or_not(months):
    rows = Report(NOVEMBER).categories

    assert [
        (r["name"], r["certified"], r["households"], r["sales"], r["refunds"],
         r["income"], r["units"])
        for r in rows
    ] == [
        ("禽蛋", True, 1, Decimal("135.00"), Decimal("0.00"), Decimal("135.00"), 3),
        ("腊肉", False, 0, Decimal("120.00"), Decimal("120.00"), Decimal("0.00"), 0),
        ("鲜鱼", False, 1, Decimal("15.00"), Decimal("0.00"), Decimal("15.00"), 1),
        ("配送费", False, 1, Decimal("10.00"), Decimal("0.00"), Decimal("10.00"), 0),
    ]  # fmt: skip
    assert sum(r["income"] for r in rows) == Decimal("160.00")


def test_a_refund_counts_under_the_category_the_product_was_sold_in(
    months, ledger_clock
):
    luo, _wang, _chen = months
    at(ledger_clock, 11, 25)
    fish = Product.objects.get(title="草鱼")
    plain = factories.product_create(household=luo, title="莲藕", category=None)
    order = helpers.paid_order((fish, 1), (plain, 2))
    ProductCategory.objects.filter(product=fish).update(
        category=create_from_breadcrumbs("干货")
    )

    parcel_cancel(
        parcel=order.parcels.get(),
        reason="鱼死了",
        acting_user=luo.partner.users.first(),
    )

    day = datetime.date(2026, 11, 25)
    rows = Report(Period(day, day)).categories
    assert [(r["name"], r["sales"], r["refunds"], r["units"]) for r in rows] == [
        ("鲜鱼", Decimal("15.00"), Decimal("15.00"), 0),
        ("无分类", Decimal("30.00"), Decimal("30.00"), 0),
        ("配送费", Decimal("10.00"), Decimal("10.00"), 0),  # ¥45 of goods: ¥10
    ]


def test_by_campaign_and_channel(months):
    report = Report(NOVEMBER)

    assert [
        (r["name"], r["channel_label"], r["orders"], r["buyers"], r["sales"],
         r["refunds"], r["income"], r["units"])
        for r in report.campaigns
    ] == [
        ("西新村鸡蛋群", "微信群", 1, 1, Decimal("135.00"), Decimal("0.00"),
         Decimal("135.00"), 3),
        # 罗's fish and 陈's bacon, the bacon refunded on the 6th
        ("无推广活动", "", 1, 1, Decimal("145.00"), Decimal("120.00"),
         Decimal("25.00"), 1),
    ]  # fmt: skip
    assert {
        r["name"]: (r["orders"], r["buyers"], r["income"], r["units"])
        for r in report.channels
    } == {
        "微信群": (1, 1, Decimal("135.00"), 3),
        "无推广活动": (1, 1, Decimal("25.00"), 1),
    }


def test_assistance_categories_of_fewer_than_five_households_are_not_shown(months):
    # Three households in all: no category (nor all of them together) has five.
    assert Report(NOVEMBER).assistance == []


def test_small_groups_are_merged_until_none_can_be_singled_out():
    rows = [
        {"name": "低保", "households": 7, "income": Decimal("700")},
        {"name": "特困", "households": 5, "income": Decimal("500")},
        {"name": "边缘户", "households": 2, "income": Decimal("20")},
        {"name": "建档立卡", "households": 1, "income": Decimal("10")},
    ]

    merged = merge_small_groups(rows, other="其他")

    # 2 + 1 households are too few to show even together: 特困 joins them.
    assert merged == [
        {"name": "低保", "households": 7, "income": Decimal("700")},
        {"name": "其他", "households": 8, "income": Decimal("530")},
    ]
    assert merge_small_groups(rows[:2], other="其他") == rows[:2]
    assert merge_small_groups(rows[2:], other="其他") == []


def test_income_by_week_and_by_month(months):
    weeks = Report(NOVEMBER).chart
    year = Report(Period(datetime.date(2026, 1, 1), datetime.date(2026, 11, 30))).chart

    assert [(w["label"], w["income"]) for w in weeks] == [
        ("10-26", Decimal("0.00")),  # the week of Sunday 1 November
        ("11-02", Decimal("25.00")),  # 罗 ¥25; 陈's ¥120 sold and refunded
        ("11-09", Decimal("135.00")),
        ("11-16", Decimal("0.00")),  # a payout is not income
        ("11-23", Decimal("0.00")),
        ("11-30", Decimal("0.00")),
    ]
    assert [(m["label"], m["income"]) for m in year][-3:] == [
        ("2026-09", Decimal("0.00")),
        ("2026-10", Decimal("95.00")),
        ("2026-11", Decimal("160.00")),
    ]
    assert len(year) == 11


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2026-11-01", "2026-11-30"),  # a month row
        ("2026-10-15", "2026-11-30"),  # day rows of October, November's month row
        ("2026-10-10", "2026-11-05"),  # day rows at both ends, no whole month
        ("2026-10-01", "2026-12-31"),  # whole months only
        ("2026-11-06", "2026-11-06"),  # one day: a refund only
        ("2026-01-01", "2026-12-31"),  # a year row
        ("2025-12-20", "2027-01-05"),  # 2026's year row, days of 2025 and 2027
        ("2025-11-06", "2026-11-05"),  # months of both years, days at both ends
    ],
)
def test_figures_agree_with_the_ledger_and_the_orders(months, start, end):
    period = Period(
        datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    )
    begins = datetime.datetime.combine(period.start, datetime.time(), SHANGHAI)
    ends = datetime.datetime.combine(
        period.end + datetime.timedelta(days=1), datetime.time(), SHANGHAI
    )
    entries = LedgerEntry.objects.filter(created_at__gte=begins, created_at__lt=ends)
    sales = entries.filter(kind="sale")
    refunds = entries.filter(kind="refund")
    lines = Line.objects.filter(parcel_line__parcel__ledger_entries__in=sales)
    refunded = Line.objects.filter(parcel_line__parcel__ledger_entries__in=refunds)

    figures = Report(period).totals

    assert figures["income"] == money(entries.exclude(kind="payout").aggregate(
        n=Sum("amount"))["n"])  # fmt: skip
    assert figures["sales"] == money(sales.aggregate(n=Sum("amount"))["n"])
    assert figures["orders"] == sales.values("parcel__order").distinct().count()
    assert figures["buyers"] == (
        sales.values("parcel__order__guest_email").distinct().count()
    )
    assert figures["units"] == (lines.aggregate(n=Sum("quantity"))["n"] or 0) - (
        refunded.aggregate(n=Sum("quantity"))["n"] or 0
    )
    goods = Report(period).categories
    assert sum(r["sales"] for r in goods if not r["key"][2]) == (
        money(lines.aggregate(n=Sum("line_price_incl_tax"))["n"])
    )


def test_earned_paid_and_owed_per_household(months):
    rows = household_balances(end=datetime.date(2026, 11, 30))

    assert [(r["slug"], r["earned"], r["paid"], r["owed"]) for r in rows] == [
        ("chen", Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
        ("luo", Decimal("65.00"), Decimal("30.00"), Decimal("35.00")),
        ("wang", Decimal("190.00"), Decimal("0.00"), Decimal("190.00")),
    ]


@pytest.mark.parametrize(
    "dates",
    [
        # This month on its last day: the whole month before.
        "2026-11-01 2026-11-30  2026-10-01 2026-10-31  2025-11-01 2025-11-30",
        # This month to the 15th: last month to the 15th.
        "2026-11-01 2026-11-15  2026-10-01 2026-10-15  2025-11-01 2025-11-15",
        # A month's end stays its end: March against February.
        "2024-03-01 2024-03-31  2024-02-01 2024-02-29  2023-03-01 2023-03-31",
        # This quarter to date: last quarter to the same day.
        "2026-10-01 2026-11-29  2026-07-01 2026-08-29  2025-10-01 2025-11-29",
        # This year to date: last year to the same day.
        "2026-01-01 2026-11-29  2025-01-01 2025-11-29  2025-01-01 2025-11-29",
        # Three whole months: the three before.
        "2026-03-01 2026-05-31  2025-12-01 2026-02-28  2025-03-01 2025-05-31",
        # Not measured in months: as many days just before.
        "2026-10-15 2026-11-30  2026-08-29 2026-10-14  2025-10-15 2025-11-30",
    ],
)
def test_a_period_is_compared_with_the_calendar_period_before_and_last_year(dates):
    # dates: the period, the previous period, the same period last year
    day = [datetime.date.fromisoformat(d) for d in dates.split()]
    period = Period(day[0], day[1])

    assert period.previous() == Period(day[2], day[3])
    assert period.year_before() == Period(day[4], day[5])


def test_a_household_paid_more_than_it_earned_is_not_owed_a_negative(
    client, months, bureau_officer
):
    # given: 罗 is paid ¥30 of his ¥65, then a ¥40 parcel of his is refunded
    luo, _wang, _chen = months
    parcel = Parcel.objects.filter(household=luo).order_by("pk").first()
    parcel_cancel(
        parcel=parcel,
        reason="鱼死了",
        settlement="returned",
        acting_user=User.objects.get(email="a@agency.example"),
    )

    rows = {r["slug"]: r for r in household_balances(end=NOVEMBER.end)}

    assert (rows["luo"]["earned"], rows["luo"]["paid"]) == (
        Decimal("25.00"),
        Decimal("30.00"),
    )
    assert (rows["luo"]["owed"], rows["luo"]["overpaid"]) == (
        Decimal("0.00"),
        Decimal("5.00"),
    )
