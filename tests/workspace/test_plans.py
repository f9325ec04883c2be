"""The sales plan screens, the progress on the workspace's pages and the
bureau's plan against actual (on the hand-built months of
tests/sellers/months.py)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from sellers.models import AuditAction, AuditEvent, SalesPlan
from sellers.plans import services
from tests import factories
from tests.sellers import helpers
from tests.sellers.months import NOVEMBER_QUERY

pytestmark = [pytest.mark.django_db]

D = datetime.date


def plan_post(**changes) -> dict:
    data = {
        "season": "2026年冬季出塘",
        "starts_on": "2026-11-01",
        "ends_on": "2026-11-30",
        "target_income": "100.00",
        "channels": "微信群、抖音",
        "notes": "",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-produce": "草鱼",
        "items-0-quantity": "2000",
        "items-0-unit": "条",
        "items-0-harvest_from": "2026-12-01",
        "items-0-harvest_until": "2026-12-31",
    }
    data.update(changes)
    return data


def plan_for(household, *, target="100.00"):
    return services.plan_create(
        household=household,
        acting_user=household.partner.users.first(),
        season="11月",
        starts_on=D(2026, 11, 1),
        ends_on=D(2026, 11, 30),
        target_income=Decimal(target),
    )


@pytest.fixture
def caseloads(organisation):
    """罗 (worker A's), and a worker of another organisation with his own."""
    luo = factories.household_create(organisation=organisation, slug="luo")
    a = helpers.social_worker("a@agency.example", luo)
    elsewhere = factories.household_create(slug="far")
    other = helpers.social_worker("c@elsewhere.example", elsewhere)
    return luo, a, other


def test_a_social_worker_writes_a_plan_with_its_produce(client, caseloads):
    # given
    luo, a, _other = caseloads
    client.force_login(a)

    # when
    response = client.post(f"/workspace/households/{luo.slug}/plans/new/", plan_post())

    # then
    assert response.status_code == 302
    plan = SalesPlan.objects.get(household=luo)
    assert (plan.season, plan.target_income, plan.channels) == (
        "2026年冬季出塘",
        Decimal("100.00"),
        ["微信群", "抖音"],
    )
    assert [(i.produce, i.quantity, i.unit) for i in plan.items.all()] == [
        ("草鱼", Decimal("2000.00"), "条")
    ]
    assert (
        AuditEvent.objects.filter(
            household=luo, action=AuditAction.PLAN_CREATED, actor=a
        ).count()
        == 1
    )


def test_a_changed_plan_is_a_new_version_in_the_audit_trail(client, caseloads):
    # given
    luo, a, _other = caseloads
    client.force_login(a)
    client.post(f"/workspace/households/{luo.slug}/plans/new/", plan_post())
    plan = SalesPlan.objects.get(household=luo)

    # when
    response = client.post(
        f"/workspace/plans/{plan.pk}/edit/",
        plan_post(target_income="150", **{"items-0-quantity": "2500"}),
    )

    # then
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.version == 2
    event = AuditEvent.objects.get(household=luo, action=AuditAction.PLAN_CHANGED)
    assert event.changes == {
        "target_income": ["100.00", "150.00"],
        "produce": [
            "草鱼 2000条 2026-12-01–2026-12-31",
            "草鱼 2500条 2026-12-01–2026-12-31",
        ],
    }


def test_a_bad_plan_is_refused_and_nothing_is_written(client, caseloads):
    # given
    luo, a, _other = caseloads
    client.force_login(a)

    # when
    response = client.post(
        f"/workspace/households/{luo.slug}/plans/new/",
        plan_post(ends_on="2026-10-01"),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    # then
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["ends_on"]
    assert not SalesPlan.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/workspace/households/luo/plans/",
        "/workspace/households/luo/plans/new/",
        "/workspace/plans/{pk}/edit/",
    ],
)
def test_nobody_outside_the_caseload_reads_or_writes_its_plans(
    client, caseloads, bureau_officer, path
):
    # given: 罗's plan; a social worker of another organisation, the bureau
    luo, _a, other = caseloads
    plan = plan_for(luo)

    # when
    answers = []
    for user in (other, bureau_officer):
        client.force_login(user)
        answers.append(client.get(path.format(pk=plan.pk)).status_code)
        answers.append(client.post(path.format(pk=plan.pk), plan_post()).status_code)

    # then
    assert answers == [403, 403, 403, 403]
    assert SalesPlan.objects.count() == 1


@pytest.mark.usefixtures("stripe_settings")
def test_progress_shows_on_the_households_list_and_the_household_login(client, months):
    # given: 王's November plan of ¥200; she sold ¥135 of eggs on 12 November
    luo, wang, _chen = months
    plan_for(wang, target="200.00")
    login = helpers.User.objects.create_user(username="wang-login", password="pw")
    wang.account = login
    wang.save(update_fields=["account"])

    # when
    client.force_login(wang.partner.users.first())
    listing = client.get("/workspace/listing/")
    client.force_login(login)
    home = client.get("/workspace/household/")

    # then
    progress = {h: h.plan_progress for h in listing.context["households"]}
    assert len([p for p in progress.values() if p]) == 1
    assert progress[wang].sold == Decimal("135.00")
    assert progress[wang].to_go == Decimal("65.00")
    assert progress[luo] is None
    assert home.context["progress"].sold == Decimal("135.00")
    assert home.context["progress"].to_go == Decimal("65.00")
    assert home.context["progress"].percent == 67
    assert 'value="67"' in home.content.decode()


def _csv(client, table: str) -> list[list[str]]:
    body = client.get(f"/workspace/bureau/{table}.csv" + NOVEMBER_QUERY)
    return list(csv.reader(io.StringIO(body.content.decode("utf-8-sig"))))[2:]


@pytest.mark.usefixtures("stripe_settings")
def test_the_bureau_reads_plan_against_actual_small_groups_merged_away(
    client, months, bureau_officer
):
    # given: November plans of 罗 (¥100), 王 (¥200), 陈 (¥50): three
    # households, fewer than 5 in their village, town and organisation
    luo, wang, chen = months
    for household, target in ((luo, "100"), (wang, "200"), (chen, "50")):
        plan_for(household, target=target)
    client.force_login(bureau_officer)

    # when
    plans = _csv(client, "plans")
    villages = _csv(client, "plans-villages")
    behind = _csv(client, "plans-behind")
    page = client.get("/workspace/bureau/" + NOVEMBER_QUERY)

    # then: per household by public code, sold = the ledger's November income
    assert plans[1:] == [
        ["统景镇", "西新村", "chen", luo.organisation.name, "11月", "2026-11-01",
         "2026-11-30", "50.00", "0.00", "0.00", "50.00", "0", "50.00", "是"],
        ["统景镇", "西新村", "luo", luo.organisation.name, "11月", "2026-11-01",
         "2026-11-30", "100.00", "25.00", "0.00", "75.00", "25", "100.00", "是"],
        ["统景镇", "西新村", "wang", luo.organisation.name, "11月", "2026-11-01",
         "2026-11-30", "200.00", "135.00", "0.00", "65.00", "67", "200.00", "是"],
    ]  # fmt: skip
    assert villages[1:] == []
    assert len(plans[0]) == 14  # the plan's figures are in the export
    assert [row[2] for row in behind[1:]] == ["chen", "luo", "wang"]
    tables = {t["key"]: t for t in page.context["tables"]}
    assert tables["plans-towns"]["rows"] == []
    assert tables["plans"]["rows"] == []  # one village at a time


@pytest.mark.usefixtures("stripe_settings")
def test_groups_of_five_households_with_a_plan_are_shown(
    client, months, bureau_officer
):
    # given: two more households of the village with plans and no sales
    luo, wang, chen = months
    others = [
        factories.household_create(organisation=luo.organisation, slug=slug)
        for slug in ("xu", "liu")
    ]
    for household in others:
        helpers.social_worker(f"{household.slug}@agency.example", household)
    for household in (luo, wang, chen, *others):
        plan_for(household, target="100")
    client.force_login(bureau_officer)

    # when
    towns = _csv(client, "plans-towns")
    organisations = _csv(client, "plans-organisations")

    # then: sold 25 + 135 + 0, as the ledger says; to go is each plan's own
    # (王's ¥35 over her target does not make up for the others)
    assert towns[1] == [
        "统景镇", "5", "500.00", "160.00", "0.00", "375.00", "32", "500.00", "4"
    ]  # fmt: skip
    assert organisations[1][1:] == towns[1][1:]


def test_the_households_list_reads_plans_in_the_same_queries_however_many(
    client, organisation
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # given: a worker with one household planned, then three
    first = factories.household_create(organisation=organisation)
    worker = helpers.social_worker("a@agency.example", first)
    plan_for(first)
    client.force_login(worker)
    with CaptureQueriesContext(connection) as one:
        client.get("/workspace/listing/")
    for _n in range(2):
        household = factories.household_create(organisation=organisation)
        helpers.caseload_assign(household=household, social_worker=worker)
        plan_for(household)

    # when
    with CaptureQueriesContext(connection) as three:
        response = client.get("/workspace/listing/")
    page = client.get(f"/workspace/listing/h/{first.slug}/")

    # then
    assert len(three) == len(one)
    assert [h.plan_progress.target for h in response.context["households"]] == [
        Decimal("100.00")
    ] * 3
    assert page.context["progress"].to_go == Decimal("100.00")


def test_the_audit_trail_shows_a_plans_changes_to_its_reviewers(client, caseloads):
    from sellers.households.services import membership_grant
    from sellers.models import MemberRole

    # given: 罗's plan written, then its target changed
    luo, a, _other = caseloads
    plan = plan_for(luo)
    services.plan_update(
        plan=plan,
        acting_user=a,
        season="11月",
        starts_on=D(2026, 11, 1),
        ends_on=D(2026, 11, 30),
        target_income=Decimal("150"),
    )
    reviewer = helpers.User.objects.create_user(username="rev", password="pw")
    membership_grant(
        user=reviewer, organisation=luo.organisation, role=MemberRole.REVIEWER
    )
    client.force_login(reviewer)

    # when
    response = client.get("/workspace/audit/")

    # then
    assert response.status_code == 200
    assert "100.00 → 150.00" in response.content.decode()
