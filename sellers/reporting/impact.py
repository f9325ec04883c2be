"""The public impact page's figures: whole months only, no group that could
single a household out."""

import datetime
from collections import defaultdict

from django.utils.translation import gettext as _

from sellers.models import (
    IncomeDay,
    Span,
)

from .periods import ZERO, Period, _next_month, money
from .report import SMALLEST_GROUP, Report, merge_small_groups


def public_impact(*, today: datetime.date) -> dict | None:
    """What the public impact page shows, up to the end of the last whole
    month (figures that moved with each sale would show, day by day, what
    one household sold): totals since the store opened, by town, and income
    in each of the last twelve months. A group of fewer than SMALLEST_GROUP
    households is merged (towns) or left blank (months). None while fewer
    households than that have had income. No head counts: a total of people
    that grows by one household's members would tell them."""
    end = today.replace(day=1) - datetime.timedelta(days=1)
    report = Report(Period(datetime.date(2000, 1, 1), end))
    totals = report.totals
    if totals["households"] < SMALLEST_GROUP:
        return None
    towns: dict = {}
    for row in report.villages:
        town = towns.setdefault(
            row["town"], {"name": row["town"], "households": 0, "income": ZERO}
        )
        town["households"] += row["households"]
        town["income"] += row["income"]
    first = end.replace(day=1)
    for _month in range(11):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    month_rows = IncomeDay.objects.filter(
        span=Span.MONTH, day__gte=first, day__lte=end
    ).values_list("day", "household_id", "sales", "refunds", "corrections")
    months: dict = defaultdict(lambda: {"income": ZERO, "households": set()})
    for day, household, sales, refunds, corrections in month_rows:
        months[day]["income"] += sales - refunds + corrections
        # Any household whose money moved (a refund alone included).
        if sales or refunds or corrections:
            months[day]["households"].add(household)
    # Months of fewer households are left blank; and since the rest of the
    # total is theirs, enough other months join them that the blank ones
    # hold at least SMALLEST_GROUP households between them.
    hidden = {d for d, m in months.items() if 0 < len(m["households"]) < SMALLEST_GROUP}
    shown = sorted(
        (d for d in months if d not in hidden and months[d]["households"]),
        key=lambda d: len(months[d]["households"]),
    )
    while (
        hidden
        and shown
        and len(set().union(*(months[d]["households"] for d in hidden)))
        < SMALLEST_GROUP
    ):
        hidden.add(shown.pop(0))
    chart = []
    day = first
    while day <= end:
        chart.append(
            {
                "label": day.strftime("%Y-%m"),
                "income": ZERO if day in hidden else money(months[day]["income"]),
            }
        )
        day = _next_month(day)
    return {
        "end": end,
        "income": totals["income"],
        "households": totals["households"],
        "orders": totals["orders"],
        "towns": merge_small_groups(list(towns.values()), other=_("Other towns")),
        "chart": chart,
        "months_hidden": len(hidden),
    }
