"""Sales plans: written, checked, versioned and audited; their progress read
from the ledger (on the hand-built months of tests/sellers/months.py)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone, translation

from sellers.models import AuditAction, AuditEvent, LedgerEntry, SalesPlan
from sellers.plans import selectors, services
from sellers.preorders.services import parcel_settle_weights
from tests import factories
from tests.sellers import helpers
from tests.sellers.preorders.helpers import fish_offer, parcel_of, weights

pytestmark = [pytest.mark.django_db]

D = datetime.date


def plan_for(household, *, start, end, target="100.00", **extra):
    return services.plan_create(
        household=household,
        acting_user=household.partner.users.first(),
        season=extra.pop("season", "冬季"),
        starts_on=start,
        ends_on=end,
        target_income=Decimal(target),
        **extra,
    )


def ledger_income(household, start, end) -> Decimal:
    """Sales − refunds ± corrections credited in [start, end], straight from
    the ledger's entries (Beijing days)."""
    total = Decimal("0.00")
    for entry in LedgerEntry.objects.filter(
        household=household, kind__in=["sale", "refund", "correction"]
    ):
        if start <= timezone.localdate(entry.created_at) <= end:
            total += entry.amount
    return total


@pytest.mark.usefixtures("stripe_settings")
def test_progress_is_the_ledgers_income_within_each_plans_dates(
    months, django_assert_num_queries
):
    # given: two plans of 罗 (October, then November–December), 王 from
    # 11 October, 陈 in November (his sale refunded)
    luo, wang, chen = months
    october = plan_for(luo, start=D(2026, 10, 1), end=D(2026, 10, 31))
    winter = plan_for(luo, start=D(2026, 11, 1), end=D(2026, 12, 31), target="200")
    eggs = plan_for(wang, start=D(2026, 10, 11), end=D(2026, 11, 30))
    bacon = plan_for(chen, start=D(2026, 11, 1), end=D(2026, 11, 30))
    plans = [october, winter, eggs, bacon]

    # when: the ledger's summaries, then the pending pre-orders
    with django_assert_num_queries(2):
        progress = selectors.plan_progress(plans=plans, today=D(2026, 11, 15))

    # then
    assert {p.pk: progress[p.pk].sold for p in plans} == {
        october.pk: Decimal("40.00"),
        winter.pk: Decimal("25.00"),
        eggs.pk: Decimal("135.00"),
        bacon.pk: Decimal("0.00"),
    }
    for plan in plans:
        assert progress[plan.pk].sold == ledger_income(
            plan.household, plan.starts_on, plan.ends_on
        )
    # 15 of the winter plan's 61 days gone: ¥200 × 15/61 expected by now
    assert progress[winter.pk].expected == Decimal("49.18")
    assert progress[winter.pk].behind is True
    assert progress[winter.pk].to_go == Decimal("175.00")
    assert progress[winter.pk].percent == 12
    assert progress[winter.pk].preordered == Decimal("0.00")
    assert progress[eggs.pk].to_go == Decimal("0.00")
    assert progress[eggs.pk].percent == 135
    assert progress[eggs.pk].bar == 100
    assert progress[eggs.pk].behind is False
    assert progress[october.pk].behind is True  # ended ¥60 short


@pytest.mark.usefixtures("stripe_settings")
def test_the_whole_ledger_falls_into_plans_covering_it(months):
    # given: plans covering every day of the months, in pieces
    luo, wang, chen = months
    pieces = [(D(2026, 1, 1), D(2026, 10, 9)), (D(2026, 10, 10), D(2026, 11, 5))]
    pieces.append((D(2026, 11, 6), D(2027, 3, 1)))
    plans = [
        plan_for(household, start=start, end=end, season=f"{start}")
        for household in (luo, wang, chen)
        for start, end in pieces
    ]

    # when
    progress = selectors.plan_progress(plans=plans, today=D(2026, 12, 1))

    # then: the pieces add up to each household's whole ledger of sales
    for household in (luo, wang, chen):
        sold = sum(progress[p.pk].sold for p in plans if p.household_id == household.pk)
        income = LedgerEntry.objects.filter(
            household=household, kind__in=["sale", "refund", "correction"]
        ).aggregate(total=Sum("amount"))["total"]
        assert sold == income
    assert [progress[p.pk].sold for p in plans if p.household_id == luo.pk] == [
        Decimal("0.00"),
        Decimal("65.00"),
        Decimal("0.00"),
    ]


def test_a_plan_is_audited_when_written_and_when_changed(organisation):
    # given
    household = factories.household_create(organisation=organisation, slug="luo")
    worker = _worker(household)
    product = factories.product_create(household=household, title="草鱼")

    # when
    plan = services.plan_create(
        household=household,
        acting_user=worker,
        season="2026年冬季出塘",
        starts_on=D(2026, 9, 1),
        ends_on=D(2026, 12, 31),
        target_income=Decimal("5000"),
        channels=services.channels_parse("微信群、抖音，社区团购"),
        items=[{"product": product, "quantity": Decimal("2000"), "unit": "条"}],
    )
    changed = services.plan_update(
        plan=plan,
        acting_user=worker,
        season="2026年冬季出塘",
        starts_on=D(2026, 9, 1),
        ends_on=D(2026, 12, 31),
        target_income=Decimal("6000.00"),
        channels=["微信群", "抖音", "社区团购"],
        items=[{"product": product, "quantity": Decimal("2000.00"), "unit": "条"}],
    )

    # then
    assert plan.organisation == organisation
    assert plan.channels == ["微信群", "抖音", "社区团购"]
    events = AuditEvent.objects.filter(household=household).order_by("id")
    assert [e.action for e in events if e.action.startswith("plan")] == [
        AuditAction.PLAN_CREATED,
        AuditAction.PLAN_CHANGED,
    ]
    created, last = [e for e in events if e.action.startswith("plan")]
    assert created.actor == worker
    assert created.changes["produce"] == [None, "草鱼 2000条"]
    assert created.changes["target_income"] == [None, "5000"]
    assert last.changes == {"target_income": ["5000.00", "6000.00"]}
    assert last.subject == "2026年冬季出塘 v2"
    assert changed.version == 2
    assert changed.updated_by == worker


def test_an_unchanged_plan_is_neither_versioned_nor_audited(organisation):
    # given
    household = factories.household_create(organisation=organisation)
    worker = _worker(household)
    plan = plan_for(
        household,
        start=D(2026, 9, 1),
        end=D(2026, 12, 31),
        items=[{"produce": "鸭蛋", "quantity": Decimal("300"), "unit": "枚"}],
    )
    before = AuditEvent.objects.count()

    # when
    services.plan_update(
        plan=plan,
        acting_user=worker,
        season="冬季",
        starts_on=D(2026, 9, 1),
        ends_on=D(2026, 12, 31),
        target_income=Decimal("100"),
        items=[{"produce": " 鸭蛋 ", "quantity": Decimal("300.00"), "unit": "枚"}],
    )

    # then
    plan.refresh_from_db()
    assert plan.version == 1
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        (
            {"ends_on": D(2026, 9, 1)},
            {"ends_on": ["The plan must end after it starts."]},
        ),
        (
            {"target_income": Decimal("0")},
            {"target_income": ["The target income must be more than ¥0."]},
        ),
        (
            {"starts_on": D(2026, 12, 31), "ends_on": D(2027, 2, 1)},
            {
                "starts_on": [
                    "This household already has a plan from 2026-09-01 to "
                    "2026-12-31 (冬季): one household's plans may not overlap."
                ]
            },
        ),
    ],
)
def test_a_bad_plan_is_refused_with_a_clear_message_and_changes_nothing(
    organisation, change, errors
):
    # given: the household's winter plan
    household = factories.household_create(organisation=organisation)
    _worker(household)
    plan_for(household, start=D(2026, 9, 1), end=D(2026, 12, 31))
    fields = {"starts_on": D(2026, 9, 1), "ends_on": D(2026, 12, 31)}
    fields["target_income"] = Decimal("100")
    if "starts_on" not in change:  # the other household-level checks
        fields.update(starts_on=D(2027, 9, 1), ends_on=D(2027, 12, 31))
    fields.update(change)

    # when
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.plan_create(
            household=household,
            acting_user=household.partner.users.first(),
            season="明年",
            **fields,
        )

    # then
    assert error.value.message_dict == errors
    assert SalesPlan.objects.filter(household=household).count() == 1


def test_items_must_be_the_households_own_products(organisation):
    # given: a product of another household
    household = factories.household_create(organisation=organisation)
    neighbour = factories.household_create(organisation=organisation)
    _worker(household)
    theirs = factories.product_create(household=neighbour, title="土鸡蛋")

    # when
    with translation.override("en"), pytest.raises(ValidationError) as error:
        plan_for(
            household,
            start=D(2026, 9, 1),
            end=D(2026, 12, 31),
            items=[
                {"product": theirs, "quantity": Decimal("10"), "unit": "枚"},
                {"produce": "", "quantity": Decimal("0"), "unit": "斤"},
                {
                    "produce": "草鱼",
                    "quantity": Decimal("1"),
                    "unit": "斤",
                    "harvest_from": D(2026, 12, 1),
                    "harvest_until": D(2026, 11, 1),
                },
            ],
        )

    # then
    assert error.value.messages == [
        "“土鸡蛋” is not one of this household's products.",
        "Choose a product or write the produce's name.",
        "The expected quantity must be more than 0.",
        "The harvest cannot end before it starts.",
    ]
    assert not SalesPlan.objects.exists()


def test_channels_are_read_as_a_social_worker_writes_them():
    assert services.channels_parse("微信群、抖音，社区团购/微信群\n 集市 ") == [
        "微信群",
        "抖音",
        "社区团购",
        "集市",
    ]


def test_the_current_plan_is_the_running_one_else_the_next_else_the_last(
    organisation,
):
    # given
    household = factories.household_create(organisation=organisation)
    _worker(household)
    spring = plan_for(household, start=D(2026, 3, 1), end=D(2026, 5, 31))
    autumn = plan_for(household, start=D(2026, 9, 1), end=D(2026, 11, 30))

    # when
    def current(day):
        return selectors.plan_current_by_household(households=[household], today=day)[
            household.pk
        ]

    # then
    assert current(D(2026, 4, 1)) == spring
    assert current(D(2026, 7, 1)) == autumn
    assert current(D(2027, 1, 1)) == autumn


def _worker(household):
    return helpers.social_worker(f"w{household.pk}@agency.example", household)


@pytest.mark.usefixtures("stripe_settings", "clean_stripe")
def test_pre_orders_count_as_pre_ordered_until_settled_then_as_sold(
    django_capture_on_commit_callbacks,
):
    # given: 罗大哥's winter plan of ¥200 and a paid pre-order of 2 fish
    # (¥72 estimated + ¥10 delivery, his to ship)
    offer, product, worker = fish_offer()
    luo = offer.household
    today = timezone.localdate()
    plan = plan_for(
        luo,
        start=today - datetime.timedelta(days=5),
        end=today + datetime.timedelta(days=30),
        target="200",
    )

    order = helpers.paid_order((product, 2))

    def progress():
        found = selectors.plan_progress(plans=[plan], today=today)[plan.pk]
        return found.sold, found.preordered, found.to_go

    # then: waiting for the harvest, nothing of it in the ledger
    assert progress() == (Decimal("0.00"), Decimal("82.00"), Decimal("118.00"))

    # when: the two fish weigh 5.4 jin (¥64.80; ¥7.20 refunded)
    parcel = parcel_of(order)
    with django_capture_on_commit_callbacks(execute=True):
        parcel_settle_weights(
            parcel=parcel, weights=weights(parcel, "5.4"), acting_user=worker
        )

    # then: sold what the ledger credited, nothing pre-ordered
    assert progress() == (Decimal("74.80"), Decimal("0.00"), Decimal("125.20"))
    assert progress()[0] == ledger_income(luo, plan.starts_on, plan.ends_on)
