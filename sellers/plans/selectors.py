"""Reading sales plans and how far each has come.

Sold is the income the ledger credited to the household within the plan's
dates — sales less refunds, corrected: the bureau's income
(sellers.reporting.periods.INCOME) — read from the ledger's summaries
(IncomeDay) in one query for any number of plans. Pre-ordered is what the
household's paid pre-orders of those dates still hold
(sellers.preorders.selectors). To go is what is left of the target after
both, never below zero.

Behind plan: sold + pre-ordered is less than the target times the share of
the plan's days gone by (today counted as gone). A plan not started is never
behind; an ended one is behind if it fell short.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from sellers.models import Household, IncomeDay, SalesPlan
from sellers.preorders.selectors import preorder_pending_list
from sellers.public import household_withheld_terms, text_names
from sellers.reporting.periods import INCOME, ZERO, Period, money, span_filter


@dataclass(frozen=True)
class PlanProgress:
    plan: SalesPlan
    target: Decimal
    sold: Decimal
    preordered: Decimal
    to_go: Decimal
    # Of the target: sold and pre-ordered together, in whole percent.
    percent: int
    # What the target asks for by today (the share of its days gone by).
    expected: Decimal
    behind: bool

    @property
    def bar(self) -> int:
        """The progress bar's width in percent (never past full)."""
        return min(self.percent, 100)


def plan_list(*, households) -> QuerySet:
    """The plans of these households, newest first, with their items and
    campaigns."""
    return (
        SalesPlan.objects.filter(household__in=households)
        .select_related("household", "created_by", "updated_by")
        .prefetch_related("items__product", "campaigns")
    )


def plan_get(*, pk: int) -> SalesPlan:
    """A plan by its number, with its household (SalesPlan.DoesNotExist
    otherwise); whoever asks checks the caseload."""
    return SalesPlan.objects.select_related("household").get(pk=pk)


def plan_current_by_household(
    *, households, today: datetime.date
) -> dict[int, SalesPlan]:
    """Per household id, its plan running today, or else the next one, or
    else the last one that ended."""
    plans = defaultdict(list)
    for plan in SalesPlan.objects.filter(household__in=households).order_by(
        "starts_on"
    ):
        plans[plan.household_id].append(plan)
    current = {}
    for household_id, own in plans.items():
        running = [p for p in own if p.starts_on <= today <= p.ends_on]
        coming = [p for p in own if p.starts_on > today]
        current[household_id] = (running or coming or [own[-1]])[0]
    return current


def _sold(plans: list[SalesPlan]) -> dict[int, Decimal]:
    """Income within each plan's dates, in one query of summary rows."""
    if not plans:
        return {}
    by_period = defaultdict(list)
    for plan in plans:
        by_period[(plan.starts_on, plan.ends_on)].append(plan.household_id)
    rows = Q(pk__in=[])
    for (start, end), household_ids in by_period.items():
        rows |= span_filter(Period(start, end)) & Q(household_id__in=household_ids)
    sums = (
        IncomeDay.objects.filter(rows)
        .values("household_id", "span", "day")
        .annotate(income=Sum(INCOME))
        .order_by()
    )
    # A household's plans never overlap: each row is within one of them.
    own = defaultdict(list)
    for plan in plans:
        own[plan.household_id].append(plan)
    sold = {plan.pk: ZERO for plan in plans}
    for row in sums:
        for plan in own[row["household_id"]]:
            if plan.starts_on <= row["day"] <= plan.ends_on:
                sold[plan.pk] += money(row["income"])
                break
    return sold


def _preordered(plans: list[SalesPlan]) -> dict[int, Decimal]:
    """Pending pre-orders placed within each plan's dates, in one query."""
    preordered = {plan.pk: ZERO for plan in plans}
    if not plans:
        return preordered
    rows = preorder_pending_list(
        household_ids={plan.household_id for plan in plans},
        start=min(plan.starts_on for plan in plans),
        end=max(plan.ends_on for plan in plans) + datetime.timedelta(days=1),
    )
    own = defaultdict(list)
    for plan in plans:
        own[plan.household_id].append(plan)
    # A household's plans never overlap: each parcel is within one of them.
    for household_id, day, share in rows:
        for plan in own[household_id]:
            if plan.starts_on <= day <= plan.ends_on:
                preordered[plan.pk] += money(share)
                break
    return preordered


def elapsed_share(plan: SalesPlan, today: datetime.date) -> Decimal:
    """The share of the plan's days gone by, today included (0 to 1)."""
    if today < plan.starts_on:
        return Decimal(0)
    if today >= plan.ends_on:
        return Decimal(1)
    days = (plan.ends_on - plan.starts_on).days + 1
    return Decimal((today - plan.starts_on).days + 1) / Decimal(days)


def plan_progress(*, plans, today: datetime.date) -> dict[int, PlanProgress]:
    """Per plan id: target, sold, pre-ordered, to go, percent, and whether
    it is behind (see the module's docstring)."""
    plans = list(plans)
    sold, preordered = _sold(plans), _preordered(plans)
    progress = {}
    for plan in plans:
        target = money(plan.target_income)
        done = sold[plan.pk] + preordered[plan.pk]
        expected = money(target * elapsed_share(plan, today))
        progress[plan.pk] = PlanProgress(
            plan=plan,
            target=target,
            sold=sold[plan.pk],
            preordered=preordered[plan.pk],
            to_go=max(target - done, ZERO),
            percent=int(max(done, ZERO) * 100 / target),
            expected=expected,
            behind=done < expected,
        )
    return progress


def plan_progress_by_household(
    *, households, today: datetime.date
) -> dict[int, PlanProgress]:
    """Per household id, the progress of its current plan
    (plan_current_by_household); households without a plan are left out."""
    current = plan_current_by_household(households=households, today=today)
    progress = plan_progress(plans=current.values(), today=today)
    return {household_id: progress[p.pk] for household_id, p in current.items()}


def plan_list_overlapping(*, start: datetime.date, end: datetime.date) -> list:
    """Every plan running at some time in [start, end], with its household's
    place and organisation, for the bureau."""
    return list(
        SalesPlan.objects.filter(starts_on__lte=end, ends_on__gte=start)
        .select_related("household", "organisation")
        .order_by("household__town", "household__village", "household__slug")
    )


def household_plan_list(*, household: Household) -> QuerySet:
    """One household's plans, newest first."""
    return plan_list(households=Household.objects.filter(pk=household.pk))


def plan_public_get(*, household: Household, today: datetime.date) -> dict | None:
    """What the household's story page shows of its current plan, or None:
    the season, what it grows and when it is harvested, and how far the
    target is reached in percent (sold and pre-ordered). No money figure: a
    household's income is not among what it consented to show."""
    current = plan_current_by_household(
        households=Household.objects.filter(pk=household.pk), today=today
    ).get(household.pk)
    if current is None or current.ends_on < today:
        return None
    progress = plan_progress(plans=[current], today=today)[current.pk]
    # Produce is free text a social worker writes: a row naming what the
    # household's consent withholds (its legal name, its village) is left out,
    # as the story page's own text is refused (storefront.models).
    withheld = household_withheld_terms(household)
    items = [
        item
        for item in current.items.select_related("product").order_by("pk")
        if not text_names(item.name, withheld)
    ]
    return {
        "season": current.season,
        "ends_on": current.ends_on,
        "percent": progress.percent,
        "bar": progress.bar,
        "produce": [
            {
                "name": item.name,
                "quantity": item.quantity,
                "unit": item.unit,
                "harvest_from": item.harvest_from,
                "harvest_until": item.harvest_until,
            }
            for item in items
        ],
    }
