"""Per household up to a day: earned, paid out, owed, or paid more than earned."""

import datetime

from django.db.models import F, Sum

from sellers.models import (
    IncomeDay,
)

from .periods import INCOME, ZERO, Period, money, span_filter


def household_balances(*, end: datetime.date) -> list[dict]:
    """Per household up to the end date: earned (income), paid out, owed."""
    rows = (
        IncomeDay.objects.filter(span_filter(Period(datetime.date(2000, 1, 1), end)))
        .values(
            "household_id",
            slug=F("household__slug"),
            town=F("household__town"),
            village=F("household__village"),
        )
        .annotate(earned=Sum(INCOME), paid=Sum("payouts"))
        .order_by("town", "village", "slug")
    )
    out = []
    for row in rows:
        balance = money(row["earned"]) - money(row["paid"])
        # A refund after a payout leaves a household paid more than it
        # earned: a figure of its own, never a negative "owed".
        out.append(
            {
                **row,
                "earned": money(row["earned"]),
                "paid": money(row["paid"]),
                "owed": max(balance, ZERO),
                "overpaid": max(-balance, ZERO),
            }
        )
    return out
