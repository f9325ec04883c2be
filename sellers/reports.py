"""The bureau's figures, read from the ledger's daily sums (IncomeDay).

Every amount here is income that reached households: sales less refunds,
with corrections. Periods are inclusive date ranges in Asia/Shanghai. The
queries read IncomeDay rows (one per household and day with ledger entries),
never order lines, so their cost follows households × days, not sales.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Sum

from .models import HouseholdRecord, IncomeDay

ZERO = Decimal("0.00")
INCOME = F("sales") - F("refunds") + F("corrections")


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of the same length just before this one."""
        end = self.start - datetime.timedelta(days=1)
        return Period(end - datetime.timedelta(days=self.days - 1), end)


def money(value) -> Decimal:
    """A sum as yuan and fen (a database sum may come back as None or 120)."""
    return (value or ZERO).quantize(Decimal("0.01"))


def _in(period: Period):
    return IncomeDay.objects.filter(day__gte=period.start, day__lte=period.end)


def income_totals(*, period: Period) -> dict:
    """The headline figures of a period: income, sales, refunds, households
    the period brought income to, the people in them, income per household."""
    rows = _in(period)
    sums = rows.aggregate(
        sales=Sum("sales"),
        refunds=Sum("refunds"),
        corrections=Sum("corrections"),
        payouts=Sum("payouts"),
        parcels=Sum("parcels"),
    )
    # Households the period brought income to (a sale refunded in full brings none).
    selling = (
        rows.values("household_id")
        .annotate(income=Sum(INCOME))
        .filter(income__gt=0)
        .values("household_id")
    )
    households = selling.count()
    people = (
        HouseholdRecord.objects.filter(household_id__in=selling).aggregate(
            n=Sum("members")
        )["n"]
        or 0
    )
    income = money(sums["sales"]) - money(sums["refunds"]) + money(sums["corrections"])
    return {
        "income": income,
        "sales": money(sums["sales"]),
        "refunds": money(sums["refunds"]),
        "corrections": money(sums["corrections"]),
        "payouts": money(sums["payouts"]),
        "parcels": sums["parcels"] or 0,
        "households": households,
        "people": people,
        "per_household": money(income / households) if households else ZERO,
    }


def income_totals_with_change(*, period: Period) -> dict:
    """The period's figures beside the previous period's, with the change."""
    now, before = income_totals(period=period), income_totals(period=period.previous())
    change = {
        key: now[key] - before[key]
        for key in ("income", "households", "people", "per_household")
    }
    return {"current": now, "previous": before, "change": change}


def income_by_place(*, period: Period) -> list[dict]:
    """Income per household with its town and village (public profile only),
    ordered town → village → household; households without entries are left
    out."""
    return list(
        _in(period)
        .values(
            "household_id",
            town=F("household__town"),
            village=F("household__village"),
            slug=F("household__slug"),
        )
        .annotate(
            income=Sum(INCOME),
            sales=Sum("sales"),
            refunds=Sum("refunds"),
            parcels=Sum("parcels"),
        )
        .order_by("town", "village", "slug")
    )


def income_by_organisation(*, period: Period) -> list[dict]:
    return list(
        _in(period)
        .values(organisation=F("household__organisation__name"))
        .annotate(
            income=Sum(INCOME),
            households=Count("household_id", distinct=True),
        )
        .order_by("organisation")
    )


def household_balances(*, end: datetime.date) -> list[dict]:
    """Per household up to the end date: earned (income), paid out, owed."""
    rows = (
        IncomeDay.objects.filter(day__lte=end)
        .values("household_id", slug=F("household__slug"))
        .annotate(earned=Sum(INCOME), paid=Sum("payouts"))
        .order_by("slug")
    )
    return [{**row, "owed": money(row["earned"]) - money(row["paid"])} for row in rows]


def is_bureau(user) -> bool:
    """Bureau officers (and superusers) read the reports."""
    from .roles import BUREAU, ROLE_GROUPS

    return user.is_active and (
        user.is_superuser or user.groups.filter(name=ROLE_GROUPS[BUREAU]).exists()
    )


def period_named(name: str, today: datetime.date) -> Period:
    """this-month, last-month, this-quarter, last-quarter, this-year."""
    month_start = today.replace(day=1)
    if name == "last-month":
        end = month_start - datetime.timedelta(days=1)
        return Period(end.replace(day=1), end)
    quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    if name == "this-quarter":
        return Period(quarter_start, today)
    if name == "last-quarter":
        end = quarter_start - datetime.timedelta(days=1)
        return Period(end.replace(month=(end.month - 1) // 3 * 3 + 1, day=1), end)
    if name == "this-year":
        return Period(today.replace(month=1, day=1), today)
    return Period(month_start, today)
