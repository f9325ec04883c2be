"""Plan against actual for the bureau: every sales plan running in the
report's period, with its progress over its own dates
(sellers.plans.selectors: sold is the ledger's income within them), and the
same summed by village, town and organisation.

Groups of fewer than 5 households with a plan are merged by the report
(merge_small_groups), as the assistance categories are; households are named
by their public code only, as in the report's other per-household tables.
"""

import datetime

from sellers.plans.selectors import plan_list_overlapping, plan_progress

from .periods import ZERO, Period

SUMMED = ("target", "sold", "preordered", "to_go", "expected")


def plan_rows(period: Period, today: datetime.date) -> list[dict]:
    """Per plan running in the period: place, public code, organisation,
    season and dates, target, sold, pre-ordered, to go, percent, expected by
    today and whether it is behind."""
    plans = plan_list_overlapping(start=period.start, end=period.end)
    progress = plan_progress(plans=plans, today=today)
    rows = []
    for plan in plans:
        figures = progress[plan.pk]
        household = plan.household
        rows.append(
            {
                "household_id": household.pk,
                "town": household.town,
                "village": household.village,
                "slug": household.slug,
                "organisation": plan.organisation.name,
                "season": plan.season,
                "starts_on": plan.starts_on.isoformat(),
                "ends_on": plan.ends_on.isoformat(),
                **{name: getattr(figures, name) for name in SUMMED},
                "percent": figures.percent,
                "behind": figures.behind,
            }
        )
    return rows


def plan_groups(rows: list[dict], key) -> list[dict]:
    """The plans summed per group (`key` of a row): households with a plan,
    the figures, and how many are behind."""
    groups: dict = {}
    for row in rows:
        group = groups.setdefault(
            key(row),
            {"name": key(row), "households": 0, "behind": 0}
            | dict.fromkeys(SUMMED, ZERO),
        )
        group["households"] += 1
        group["behind"] += row["behind"]
        for name in SUMMED:
            group[name] += row[name]
    return list(groups.values())


def plan_percent(rows: list[dict]) -> list[dict]:
    """Each group's sold and pre-ordered as a whole percent of its target."""
    for row in rows:
        done = max(row["sold"] + row["preordered"], ZERO)
        row["percent"] = int(done * 100 / row["target"]) if row["target"] else 0
    return rows
