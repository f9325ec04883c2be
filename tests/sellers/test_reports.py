"""The bureau's figures on a hand-built month with known answers."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from sellers import reports, services
from sellers.models import HouseholdRecord
from tests.sellers import helpers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_settings")]
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOVEMBER = reports.Period(datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))


def at(clock, month, day):
    clock[0] = datetime.datetime(2026, month, day, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def months(ledger_clock):
    """罗大哥 (4 people), 王阿姨 (2), 陈叔 (3).
    10 Oct: 2 fish of 罗 (¥30 + ¥10 delivery), eggs of 王 (¥45 + ¥10).
    5 Nov: 1 fish of 罗 (¥15 + ¥10), bacon of 陈 (¥120, delivered free).
    6 Nov: 陈's parcel cancelled and refunded. 20 Nov: ¥30 paid out to 罗."""
    (fish, eggs, bacon), (luo, wang, chen), (a, b) = helpers.two_caseloads()
    for household, members in ((luo, 4), (wang, 2), (chen, 3)):
        HouseholdRecord.objects.filter(household=household).update(members=members)
    at(ledger_clock, 10, 10)
    helpers.paid_order((fish, 2), (eggs, 1))
    at(ledger_clock, 11, 5)
    second = helpers.paid_order((fish, 1), (bacon, 1))
    at(ledger_clock, 11, 6)
    services.parcel_cancel(
        parcel=second.parcels.get(household=chen), reason="腊肉坏了", acting_user=b
    )
    at(ledger_clock, 11, 20)
    helpers.payout(luo, "30.00", a, reference="N1", method="cash")
    return luo, wang, chen


def test_the_months_headline_figures(months):
    figures = reports.income_totals(period=NOVEMBER)

    assert figures == {
        "income": Decimal("25.00"),
        "sales": Decimal("145.00"),
        "refunds": Decimal("120.00"),
        "corrections": Decimal("0.00"),
        "payouts": Decimal("30.00"),
        "parcels": 2,
        "households": 1,  # 陈's sale was refunded in full: no income
        "people": 4,
        "per_household": Decimal("25.00"),
    }


def test_against_the_previous_period(months):
    figures = reports.income_totals_with_change(period=NOVEMBER)

    assert NOVEMBER.previous() == reports.Period(
        datetime.date(2026, 10, 2), datetime.date(2026, 10, 31)
    )
    assert figures["previous"]["income"] == Decimal("95.00")
    assert (figures["previous"]["households"], figures["previous"]["people"]) == (2, 6)
    assert figures["change"] == {
        "income": Decimal("-70.00"),
        "households": -1,
        "people": -2,
        "per_household": Decimal("-22.50"),
    }


def test_by_place_and_by_organisation(months):
    luo, _wang, chen = months

    rows = reports.income_by_place(period=NOVEMBER)

    assert [(r["slug"], r["income"], r["sales"], r["refunds"]) for r in rows] == [
        ("chen", Decimal("0"), Decimal("120"), Decimal("120")),
        ("luo", Decimal("25"), Decimal("25"), Decimal("0")),
    ]
    assert [(r["town"], r["village"]) for r in rows] == [("统景镇", "西新村")] * 2
    assert reports.income_by_organisation(period=NOVEMBER) == [
        {
            "organisation": luo.organisation.name,
            "income": Decimal("25"),
            "households": 2,
        }
    ]


def test_earned_paid_and_owed_per_household(months):
    rows = reports.household_balances(end=datetime.date(2026, 11, 30))

    assert [(r["slug"], r["earned"], r["paid"], r["owed"]) for r in rows] == [
        ("chen", Decimal("0"), Decimal("0"), Decimal("0.00")),
        ("luo", Decimal("65"), Decimal("30"), Decimal("35.00")),
        ("wang", Decimal("55"), Decimal("0"), Decimal("55.00")),
    ]


@pytest.fixture
def bureau_officer(db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username="officer@mca.example", email="officer@mca.example", password="pw"
    )
    services.bureau_officer_grant(user=user)
    return user


NOVEMBER_QUERY = "?period=custom&start=2026-11-01&end=2026-11-30"


def test_the_bureau_reads_the_month_and_nobody_else_does(
    client, months, bureau_officer
):
    luo, _wang, _chen = months
    client.force_login(bureau_officer)

    response = client.get("/workspace/bureau/" + NOVEMBER_QUERY)

    assert response.status_code == 200
    assert response.context["figures"]["current"]["income"] == Decimal("25.00")
    html = response.content.decode()
    assert "¥25.00" in html and "¥95.00" in html
    assert "罗某" not in html  # legal names never: the record is not read
    assert response["Cache-Control"].startswith("max-age=0, no-cache, no-store")
    client.force_login(helpers.social_worker("x@agency.example", luo))
    assert client.get("/workspace/bureau/").status_code == 403
    assert client.get("/workspace/bureau/income.csv").status_code == 403


def test_exports_open_in_excel_with_the_period_and_time_on_top(
    client, months, bureau_officer
):
    from openpyxl import load_workbook

    client.force_login(bureau_officer)

    csv_body = client.get("/workspace/bureau/income.csv" + NOVEMBER_QUERY).content
    xlsx = client.get("/workspace/bureau/income.xlsx" + NOVEMBER_QUERY)

    lines = csv_body.decode("utf-8-sig").splitlines()
    assert lines[0] == "2026-11-01 至 2026-11-30 各户收入"
    assert lines[1].startswith("生成于 ")
    assert lines[2:] == [
        "镇,村,农户,销售额（元）,退款（元）,收入（元）,包裹",
        "统景镇,西新村,chen,120.00,120.00,0.00,1",
        "统景镇,西新村,luo,25.00,0.00,25.00,1",
    ]
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[4]] == ["统景镇", "西新村", "chen", 120, 120, 0, 1]
    assert xlsx["Content-Disposition"] == (
        'attachment; filename="income-2026-11-01-2026-11-30.xlsx"'
    )


def test_a_custom_period_that_ends_before_it_starts_is_refused(client, bureau_officer):
    client.force_login(bureau_officer)

    response = client.get(
        "/workspace/bureau/?period=custom&start=2026-11-30&end=2026-11-01"
    )

    assert response.context["form"].non_field_errors() == ["结束日期不能早于开始日期。"]


def test_the_period_fields_are_labelled_as_dates(client, bureau_officer):
    client.force_login(bureau_officer)

    html = client.get("/workspace/bureau/").content.decode()

    assert '<label for="id_start">开始日期:</label>' in html
    assert '<label for="id_end">结束日期:</label>' in html
