"""The bureau's figures, read from the ledger's summaries
(sellers.ledger.summaries); by product category in .categories, by campaign
and channel in .buyers.

Every amount here is income that reached households: sales less refunds
(with corrections where the figure is per household). Periods are inclusive
date ranges in Asia/Shanghai. A report reads the year rows of the whole years
in its period, month rows for the whole months around them and day rows for
the days at either end (periods.span_filter), never order lines, so its cost
follows households × months, not sales; and it issues the same queries
whatever the data.

Protected facts (people in a household, assistance category) are read for
aggregates only and never leave this module beside a household.
"""

import datetime
from collections import defaultdict
from functools import cached_property

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sellers.models import (
    AssistanceCategory,
    Household,
    IncomeDay,
    MemberRole,
    OrderCell,
    Span,
)

from .balances import household_balances
from .buyers import BOUGHT, buyer_sets, campaign_rows, campaign_sums, channel_rows
from .categories import category_rows, sales_cells
from .periods import INCOME, ZERO, Period, _next_month, money, span_filter
from .plans import plan_groups, plan_percent, plan_rows

# Groups of fewer households than this are merged before anyone outside the
# bureau sees them, and assistance categories even for the bureau.
SMALLEST_GROUP = 5


def merge_small_groups(rows: list[dict], *, other: str) -> list[dict]:
    """Groups (dicts with households, income…) of fewer than SMALLEST_GROUP
    households merged into one row named `other`; if that row would still be
    too small, the smallest shown groups join it until it is not (else its
    figures could be read as the total less the rest). A single group that
    is too small on its own is dropped."""
    rows = sorted(rows, key=lambda r: (-r["households"], r["name"]))
    shown = [r for r in rows if r["households"] >= SMALLEST_GROUP]
    merged = [r for r in rows if r["households"] < SMALLEST_GROUP]
    while merged and shown and sum(r["households"] for r in merged) < SMALLEST_GROUP:
        merged.append(shown.pop())
    if not merged:
        return shown
    if sum(r["households"] for r in merged) < SMALLEST_GROUP:
        return shown
    rest = {"name": other}
    for key in merged[0]:
        if key != "name":
            rest[key] = sum(r[key] for r in merged)
    return [*shown, rest]


class Report:
    """Every figure of one period; each group of them is one query, read
    when first asked for."""

    def __init__(self, period: Period, detailed: bool = True):
        self.period = period
        self.rows = span_filter(period)
        # Only the totals are read of a report that is not detailed (the
        # previous period's): fewer rows fetched.
        self.detailed = detailed

    # Per household: the base of the totals and of every grouping by place,
    # organisation, social worker and assistance category.
    @cached_property
    def _household_rows(self) -> list[dict]:
        # Summed by household id alone, then joined to the households in
        # Python: grouping and sorting by their names in SQL costs more.
        sums = (
            IncomeDay.objects.filter(self.rows)
            .values("household_id")
            .annotate(
                sales=Sum("sales"),
                refunds=Sum("refunds"),
                corrections=Sum("corrections"),
                payouts=Sum("payouts"),
                parcels=Sum("parcels"),
                units=Sum("units"),
            )
            .order_by()
        )
        by_id = {row["household_id"]: row for row in sums}
        households = Household.objects.all()
        if len(by_id) < 900:  # else all of them: fewer than SQLite's variables
            households = households.filter(pk__in=list(by_id))
        households = households.values_list(
            "pk",
            "slug",
            "town",
            "village",
            "organisation__name",
            "record__members",
            "record__assistance_category",
        )
        out = []
        for pk, slug, town, village, organisation, members, assistance in households:
            row = by_id.get(pk)
            if row is None:
                continue
            for name in ("sales", "refunds", "corrections", "payouts"):
                row[name] = money(row[name])
            row.update(
                slug=slug,
                town=town,
                village=village,
                organisation=organisation,
                _members=members,
                _assistance=assistance,
                income=row["sales"] - row["refunds"] + row["corrections"],
            )
            out.append(row)
        return sorted(out, key=lambda r: (r["town"], r["village"], r["slug"]))

    @cached_property
    def households(self) -> list[dict]:
        """Per household, town → village → household: public profile only."""
        return [
            {k: v for k, v in row.items() if not k.startswith("_")}
            for row in self._household_rows
        ]

    @cached_property
    def _orders(self) -> dict:
        if not self.detailed:
            return OrderCell.objects.filter(self.rows).aggregate(
                paid=Sum("orders"), buyers=Count("buyer", distinct=True, filter=BOUGHT)
            )
        # The campaign tables need the buyers anyway: count them once.
        return {
            "paid": sum(row["paid"] or 0 for row in self._campaign_rows),
            "buyers": len(self._buyers["all"]),
        }

    @cached_property
    def totals(self) -> dict:
        """Income, sales, refunds, corrections, payouts, parcels, units;
        households the period brought income to (a sale refunded in full
        brings none) and the people in them; orders, buyers; per household."""
        rows = self._household_rows
        totals = {
            name: sum((r[name] for r in rows), ZERO)
            for name in ("income", "sales", "refunds", "corrections", "payouts")
        }
        earning = [r for r in rows if r["income"] > 0]
        totals.update(
            parcels=sum(r["parcels"] for r in rows),
            units=sum(r["units"] for r in rows),
            households=len(earning),
            # Fewer households than that: their head count is not shown
            # beside the table that names them.
            people=(
                sum(r["_members"] or 0 for r in earning)
                if len(earning) >= SMALLEST_GROUP
                else None
            ),
            orders=self._orders["paid"] or 0,
            buyers=self._orders["buyers"] or 0,
        )
        totals["per_household"] = (
            money(totals["income"] / len(earning)) if earning else ZERO
        )
        return totals

    def _grouped(self, key) -> list[dict]:
        groups: dict = {}
        for row in self._household_rows:
            for name in key(row):
                group = groups.setdefault(
                    name,
                    {
                        "name": name,
                        "households": 0,
                        "income": ZERO,
                        "parcels": 0,
                        "units": 0,
                    },
                )
                group["households"] += row["income"] > 0
                group["income"] += row["income"]
                group["parcels"] += row["parcels"]
                group["units"] += row["units"]
        return list(groups.values())

    @cached_property
    def villages(self) -> list[dict]:
        """Per town and village: households with income, income, parcels, units."""
        rows = self._grouped(lambda r: [(r["town"], r["village"])])
        for row in rows:
            row["town"], row["village"] = row.pop("name")
        return sorted(rows, key=lambda r: (r["town"], r["village"]))

    @cached_property
    def organisations(self) -> list[dict]:
        return sorted(
            self._grouped(lambda r: [r["organisation"]]), key=lambda r: r["name"]
        )

    @cached_property
    def social_workers(self) -> list[dict]:
        """Per social worker of the households (one household may have two:
        the rows then add up to more than the total)."""
        from oscar.core.loading import get_model

        Partner = get_model("partner", "Partner")
        workers = defaultdict(list)
        links = Partner.users.through.objects.filter(
            partner__household__in=[r["household_id"] for r in self._household_rows],
            user__memberships__role=MemberRole.SOCIAL_WORKER,
            user__memberships__organisation=F("partner__household__organisation"),
        ).values_list(
            "partner__household__id", "user_id", "user__first_name", "user__last_name"
        )
        # By name (never by e-mail address, which is personal); a worker
        # without one by his number in the store.
        for household, user, first, last in links:
            workers[household].append(
                f"{last}{first}".strip()
                or _("Social worker no. %(number)s") % {"number": user}
            )
        rows = self._grouped(
            lambda r: workers.get(r["household_id"]) or [_("No social worker")]
        )
        return sorted(rows, key=lambda r: r["name"])

    @cached_property
    def assistance(self) -> list[dict]:
        """Per assistance category: households with income, the people in
        them, income. Aggregates only, small groups merged."""
        labels = {key: str(label) for key, label in AssistanceCategory.choices}
        groups: dict = {}
        for row in self._household_rows:
            category = labels.get(row["_assistance"] or AssistanceCategory.NONE)
            group = groups.setdefault(
                category, {"name": category, "households": 0, "people": 0}
            )
            group["income"] = group.get("income", ZERO) + row["income"]
            if row["income"] > 0:
                group["households"] += 1
                group["people"] += row["_members"] or 0
        return merge_small_groups(
            list(groups.values()), other=_("Categories of fewer than 5 households")
        )

    @cached_property
    def _buyers(self) -> dict:
        return buyer_sets(self.rows)

    @cached_property
    def _cells(self) -> list[dict]:
        return sales_cells(self.rows)

    @cached_property
    def categories(self) -> list[dict]:
        """Per product category, certified (on the day of sale) or not: sales,
        refunds, their difference, units, households. The delivery charges
        credited to households are a row of their own."""
        return category_rows(self._cells)

    @cached_property
    def _campaign_rows(self) -> list[dict]:
        return campaign_sums(self.rows)

    @cached_property
    def campaigns(self) -> list[dict]:
        """Per campaign (and orders placed without one): orders, buyers,
        income (sales − refunds), units."""
        return campaign_rows(self._campaign_rows, self._buyers)

    @cached_property
    def channels(self) -> list[dict]:
        """Per channel (WeChat group, Douyin video…): orders, buyers, income."""
        return channel_rows(self.campaigns, self._buyers)

    # Plan against actual (sellers.reporting.plans): the plans running in the
    # period, each over its own dates.
    @cached_property
    def plans(self) -> list[dict]:
        """Per plan running in the period (by public code): target, sold,
        pre-ordered, to go, percent, expected by today, behind."""
        return plan_rows(self.period, timezone.localdate())

    def _plan_groups(self, key, other: str) -> list[dict]:
        return plan_percent(
            merge_small_groups(plan_groups(self.plans, key), other=other)
        )

    @cached_property
    def plans_by_village(self) -> list[dict]:
        return self._plan_groups(
            lambda r: f"{r['town']} {r['village']}",
            _("Villages of fewer than 5 households with a plan"),
        )

    @cached_property
    def plans_by_town(self) -> list[dict]:
        return self._plan_groups(
            lambda r: r["town"], _("Towns of fewer than 5 households with a plan")
        )

    @cached_property
    def plans_by_organisation(self) -> list[dict]:
        return self._plan_groups(
            lambda r: r["organisation"],
            _("Organisations of fewer than 5 households with a plan"),
        )

    @cached_property
    def plans_behind(self) -> list[dict]:
        """The plans behind (sold and pre-ordered short of the target times
        the share of their days gone by)."""
        return [row for row in self.plans if row["behind"]]

    @cached_property
    def with_change(self) -> dict:
        """The period's figures beside the previous period's (with the change)
        and those of the same period a year before."""
        return _with_change(self)

    @cached_property
    def balances(self) -> list[dict]:
        return household_balances(end=self.period.end)

    @cached_property
    def chart(self) -> list[dict]:
        """Income per week (periods up to 92 days) or per month: buckets with
        their first day, label and income, empty ones included."""
        weekly = self.period.days <= 92
        sums = (
            IncomeDay.objects.filter(
                Q(span=Span.DAY, day__gte=self.period.start, day__lte=self.period.end)
                if weekly
                else span_filter(self.period, longest=Span.MONTH)
            )
            .values("day")
            .annotate(income=Sum(INCOME))
        )

        def bucket(day: datetime.date) -> datetime.date:
            if weekly:
                return day - datetime.timedelta(days=day.weekday())
            return day.replace(day=1)

        buckets = {}
        day = self.period.start
        while day <= self.period.end:
            first = bucket(day)
            buckets.setdefault(first, ZERO)
            day = first + datetime.timedelta(days=7) if weekly else _next_month(first)
        for row in sums:
            first = bucket(row["day"])
            buckets[first] += money(row["income"])
        return [
            {
                "start": first,
                "label": first.strftime("%m-%d") if weekly else first.strftime("%Y-%m"),
                "income": income,
            }
            for first, income in sorted(buckets.items())
        ]


def _with_change(report: Report) -> dict:
    now = report.totals
    before = Report(report.period.previous(), detailed=False).totals
    year_before = Report(report.period.year_before(), detailed=False).totals
    change = {
        key: None if now[key] is None or before[key] is None else now[key] - before[key]
        for key in (
            "income",
            "households",
            "people",
            "per_household",
            "orders",
            "buyers",
            "units",
        )
    }
    return {
        "current": now,
        "previous": before,
        "change": change,
        "year_before": year_before,
        "periods": {
            "previous": report.period.previous(),
            "year_before": report.period.year_before(),
        },
    }
