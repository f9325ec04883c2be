"""The bureau's figures on a hand-built month with known answers."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.utils import timezone
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from catalog.models import ProductCertificate
from sellers import reports, selectors, services
from sellers.models import (
    HouseholdRecord,
    IncomeDay,
    LedgerEntry,
    OrderCell,
    Parcel,
    ReportExport,
    SalesCell,
)
from sellers.ledger.summaries import summaries_rebuild
from tests import factories
from tests.sellers import helpers

Line = get_model("order", "Line")
User = get_user_model()
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_settings")]
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOVEMBER = reports.Period(datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))


def at(clock, month, day):
    clock[0] = datetime.datetime(2026, month, day, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def months(ledger_clock):
    """罗大哥 (4 people, fish), 王阿姨 (2, eggs: certified), 陈叔 (3, bacon).
    10 Oct: 2 fish of 罗 (¥30 + ¥10 delivery), eggs of 王 (¥45 + ¥10).
    5 Nov: 1 fish of 罗 (¥15 + ¥10), bacon of 陈 (¥120, delivered free).
    6 Nov: 陈's parcel cancelled and refunded.
    12 Nov: another buyer, through a WeChat group's campaign: 3 eggs of 王
    (¥135, delivered free). 20 Nov: ¥30 paid out to 罗."""
    (fish, eggs, bacon), (luo, wang, chen), (a, b) = helpers.two_caseloads()
    for household, members in ((luo, 4), (wang, 2), (chen, 3)):
        HouseholdRecord.objects.filter(household=household).update(members=members)
    for product, name in ((eggs, "禽蛋"), (bacon, "腊肉")):
        ProductCategory.objects.filter(product=product).update(
            category=create_from_breadcrumbs(name)
        )
    ProductCertificate.objects.create(
        product=eggs,
        number="渝帮扶-001",
        issuer="渝北区农业农村委",
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2099, 12, 31),
    )
    at(ledger_clock, 10, 10)
    helpers.paid_order((fish, 2), (eggs, 1))
    at(ledger_clock, 11, 5)
    second = helpers.paid_order((fish, 1), (bacon, 1))
    at(ledger_clock, 11, 6)
    services.parcel_cancel(
        parcel=second.parcels.get(household=chen), reason="腊肉坏了", acting_user=b
    )
    at(ledger_clock, 11, 12)
    today = timezone.localdate()
    campaign = services.campaign_create(
        organisation=luo.organisation,
        name="西新村鸡蛋群",
        channel="wechat_group",
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=30),
        acting_user=a,
    )
    third = helpers.place_order((eggs, 3), email="other@example.com")
    services.order_campaign_record(order=third, code=campaign.code)
    helpers.pay(third)
    at(ledger_clock, 11, 20)
    helpers.payout(
        luo,
        "30.00",
        a,
        reference="N1",
        method="cash",
        paid_on=datetime.date(2026, 11, 20),
    )
    return luo, wang, chen


def test_the_months_headline_figures(months):
    figures = reports.income_totals(period=NOVEMBER)

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
    figures = reports.income_totals_with_change(period=NOVEMBER)

    assert NOVEMBER.previous() == reports.Period(
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
    report = reports.Report(NOVEMBER)

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
    report = reports.Report(NOVEMBER)
    assert report.social_workers == [
        {"name": "张敏", "households": 2, "income": Decimal("160.00"),
         "parcels": 2, "units": 4},
        {"name": f"社工 {b.pk} 号", "households": 0, "income": Decimal("0.00"),
         "parcels": 0, "units": 0},
    ]  # fmt: skip


def test_by_category_certified_or_not(months):
    rows = reports.Report(NOVEMBER).categories

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

    services.parcel_cancel(
        parcel=order.parcels.get(),
        reason="鱼死了",
        acting_user=luo.partner.users.first(),
    )

    day = datetime.date(2026, 11, 25)
    rows = reports.Report(reports.Period(day, day)).categories
    assert [(r["name"], r["sales"], r["refunds"], r["units"]) for r in rows] == [
        ("鲜鱼", Decimal("15.00"), Decimal("15.00"), 0),
        ("无分类", Decimal("30.00"), Decimal("30.00"), 0),
        ("配送费", Decimal("10.00"), Decimal("10.00"), 0),  # ¥45 of goods: ¥10
    ]


def test_names_that_look_like_formulas_stay_text_in_excel(
    client, months, bureau_officer
):
    from openpyxl import load_workbook

    luo, _wang, _chen = months
    today = timezone.localdate()
    campaign = services.campaign_create(
        organisation=luo.organisation,
        name='=HYPERLINK("http://x.example","点我")',
        channel="wechat_group",
        starts_on=today,
        ends_on=today,
        acting_user=luo.partner.users.first(),
    )
    order = helpers.place_order((Product.objects.get(title="草鱼"), 1))
    services.order_campaign_record(order=order, code=campaign.code)
    helpers.pay(order)
    client.force_login(bureau_officer)

    csv_body = client.get("/workspace/bureau/campaigns.csv").content.decode("utf-8-sig")
    xlsx = client.get("/workspace/bureau/campaigns.xlsx")

    assert '\'=HYPERLINK(""http://x.example"",""点我"")' in csv_body
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A4"].value == '\'=HYPERLINK("http://x.example","点我")'
    assert sheet["A4"].data_type == "s"


def test_by_campaign_and_channel(months):
    report = reports.Report(NOVEMBER)

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
    assert reports.Report(NOVEMBER).assistance == []


def test_small_groups_are_merged_until_none_can_be_singled_out():
    rows = [
        {"name": "低保", "households": 7, "income": Decimal("700")},
        {"name": "特困", "households": 5, "income": Decimal("500")},
        {"name": "边缘户", "households": 2, "income": Decimal("20")},
        {"name": "建档立卡", "households": 1, "income": Decimal("10")},
    ]

    merged = reports.merge_small_groups(rows, other="其他")

    # 2 + 1 households are too few to show even together: 特困 joins them.
    assert merged == [
        {"name": "低保", "households": 7, "income": Decimal("700")},
        {"name": "其他", "households": 8, "income": Decimal("530")},
    ]
    assert reports.merge_small_groups(rows[:2], other="其他") == rows[:2]
    assert reports.merge_small_groups(rows[2:], other="其他") == []


def test_income_by_week_and_by_month(months):
    weeks = reports.Report(NOVEMBER).chart
    year = reports.Report(
        reports.Period(datetime.date(2026, 1, 1), datetime.date(2026, 11, 30))
    ).chart

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
    period = reports.Period(
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

    figures = reports.income_totals(period=period)

    assert figures["income"] == reports.money(entries.exclude(kind="payout").aggregate(
        n=Sum("amount"))["n"])  # fmt: skip
    assert figures["sales"] == reports.money(sales.aggregate(n=Sum("amount"))["n"])
    assert figures["orders"] == sales.values("parcel__order").distinct().count()
    assert figures["buyers"] == (
        sales.values("parcel__order__guest_email").distinct().count()
    )
    assert figures["units"] == (lines.aggregate(n=Sum("quantity"))["n"] or 0) - (
        refunded.aggregate(n=Sum("quantity"))["n"] or 0
    )
    goods = reports.Report(period).categories
    assert sum(r["sales"] for r in goods if not r["key"][2]) == (
        reports.money(lines.aggregate(n=Sum("line_price_incl_tax"))["n"])
    )


def test_earned_paid_and_owed_per_household(months):
    rows = reports.household_balances(end=datetime.date(2026, 11, 30))

    assert [(r["slug"], r["earned"], r["paid"], r["owed"]) for r in rows] == [
        ("chen", Decimal("0.00"), Decimal("0.00"), Decimal("0.00")),
        ("luo", Decimal("65.00"), Decimal("30.00"), Decimal("35.00")),
        ("wang", Decimal("190.00"), Decimal("0.00"), Decimal("190.00")),
    ]


def test_the_summaries_rebuilt_from_the_ledger_are_the_ones_kept(months):
    def stored():
        return (
            sorted(IncomeDay.objects.values_list(
                "household_id", "span", "day", "sales", "refunds", "corrections",
                "payouts", "parcels", "units")),
            sorted(SalesCell.objects.values_list(
                "household_id", "span", "day", "category_id", "certified",
                "sales", "refunds", "units"), key=str),
            sorted(OrderCell.objects.values_list(
                "span", "day", "buyer", "campaign_id", "orders", "sales",
                "refunds", "units"), key=str),
        )  # fmt: skip

    kept = stored()
    summaries_rebuild()

    assert stored() == kept
    # Day, month and year rows; 陈's refund day has a buyer's row of its own.
    assert len(kept[0]) == 15 and len(kept[2]) == 9
    refunds = {
        f"parcel-{pk}": amount
        for pk, amount in Parcel.objects.filter(refunded__gt=0).values_list(
            "pk", "refunded"
        )
    }
    assert (
        selectors.ledger_reconcile(
            paid_order_numbers=get_model("order", "Order").objects.values("number"),
            stripe_refunds=refunds,
        ).problems
        == []
    )


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
    assert response.context["figures"]["current"]["income"] == Decimal("160.00")
    html = response.content.decode()
    assert "¥160.00" in html and "¥95.00" in html
    assert "罗某" not in html  # legal names never: the record is not read
    assert response["Cache-Control"].startswith("max-age=0, no-cache, no-store")
    # The site's search box is not filled with the report's period.
    assert 'name="q" value=""' in html
    # A chart of six weeks, and every table with its two downloads.
    assert html.count('<rect x="') == 6
    assert "<title>11-09: ¥135.00</title>" in html
    for key in (
        "chart", "villages", "income", "organisations", "social-workers",
        "categories", "campaigns", "channels", "assistance", "balances",
    ):  # fmt: skip
        query = NOVEMBER_QUERY[1:].replace("&", "&amp;")
        assert f'href="/workspace/bureau/{key}.xlsx?{query}"' in html
        assert f'href="/workspace/bureau/{key}.csv?{query}"' in html
    # Households one village at a time: its link in the village table.
    assert "选择" in html and ">wang<" not in html
    village = (
        NOVEMBER_QUERY.replace("&", "&amp;")
        + "&amp;town=%E7%BB%9F%E6%99%AF%E9%95%87"  # 统景镇
        + "&amp;village=%E8%A5%BF%E6%96%B0%E6%9D%91#income"  # 西新村
    )
    assert f'<a href="{village}">西新村</a>' in html
    drilled = client.get(
        "/workspace/bureau/" + NOVEMBER_QUERY + "&town=统景镇&village=西新村"
    ).content.decode()
    assert "<td>wang</td>" in drilled and "按农户 · 统景镇 西新村" in drilled
    client.force_login(helpers.social_worker("x@agency.example", luo))
    assert client.get("/workspace/bureau/").status_code == 403
    assert client.get("/workspace/bureau/income.csv").status_code == 403


def test_exports_open_in_excel_with_the_period_and_time_on_top(
    client, months, bureau_officer
):
    from openpyxl import load_workbook

    organisation = months[0].organisation.name
    client.force_login(bureau_officer)

    csv_body = client.get("/workspace/bureau/income.csv" + NOVEMBER_QUERY).content
    xlsx = client.get("/workspace/bureau/all.xlsx" + NOVEMBER_QUERY)

    lines = csv_body.decode("utf-8-sig").splitlines()
    assert lines[0] == "按农户，2026-11-01 至 2026-11-30（北京时间）"
    assert lines[1].startswith("生成于 ")
    assert lines[2:] == [
        "镇,村,农户,机构,销售额（元）,退款（元）,更正（元）,收入（元）,包裹,售出件数",
        f"统景镇,西新村,chen,{organisation},120.00,120.00,0.00,0.00,0,0",
        f"统景镇,西新村,luo,{organisation},25.00,0.00,0.00,25.00,1,1",
        f"统景镇,西新村,wang,{organisation},135.00,0.00,0.00,135.00,1,3",
    ]
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames[:3] == ["主要数字", "按周或按月的收入", "按镇和村"]
    assert len(workbook.sheetnames) == 11
    households = workbook["按农户"]
    assert households["A1"].value == "按农户，2026-11-01 至 2026-11-30（北京时间）"
    assert [c.value for c in households[4]] == [
        "统景镇", "西新村", "chen", organisation, 120, 120, 0, 0, 0, 0
    ]  # fmt: skip
    assert households["E4"].number_format == "#,##0.00"  # ¥120 shows as 120.00
    summary = workbook["主要数字"]
    assert [c.value for c in summary[3]] == [
        "指标",
        "本期",
        "上一期（2026-10-01 至 2026-10-31）",
        "变化",
        "去年同期（2025-11-01 至 2025-11-30）",
    ]
    assert [c.value for c in summary[4]] == [
        "农户收入（销售额 − 退款）",
        160,
        95,
        65,
        0,
    ]
    balances = workbook["应得、已付和未付"]
    assert balances["A1"].value == "应得、已付和未付，开店至 2026-11-30（北京时间）"
    assert xlsx["Content-Disposition"] == (
        'attachment; filename="all-2026-11-01-2026-11-30.xlsx"'
    )
    assert client.get("/workspace/bureau/nothing.csv").status_code == 404
    assert client.get("/workspace/bureau/all.csv").status_code == 404


def test_every_sale_and_refund_is_exported_off_the_request(
    client, months, bureau_officer, django_capture_on_commit_callbacks
):
    from openpyxl import load_workbook

    client.force_login(bureau_officer)
    page = client.get("/workspace/bureau/sales/" + NOVEMBER_QUERY)
    assert "准备工作簿" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/workspace/bureau/sales/" + NOVEMBER_QUERY)

    export = ReportExport.objects.get()
    assert response["Location"] == f"/workspace/bureau/exports/{export.pk}/"
    assert (export.status, export.rows_total, export.rows_done) == ("done", 4, 4)
    detail = client.get(response["Location"]).content.decode()
    assert "下载 4 行（Excel）" in detail and 'http-equiv="refresh"' not in detail
    download = client.get(f"/workspace/bureau/exports/{export.pk}/download/")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert [(r[1], r[5], r[7]) for r in rows] == [
        ("销售", "luo", 25),
        ("销售", "chen", 120),
        ("退款", "chen", -120),
        ("销售", "wang", 135),
    ]
    assert rows[3][8] == "西新村鸡蛋群"
    assert sum(r[7] for r in rows) == 160  # the report's income, bar corrections
    assert "罗某" not in str(rows)
    # Another officer cannot fetch it.
    other = get_user_model().objects.create_user(username="o2@mca.example")
    services.bureau_officer_grant(user=other)
    client.force_login(other)
    assert client.get(response["Location"]).status_code == 404


def test_a_long_export_shows_its_progress(client, bureau_officer):
    export = ReportExport.objects.create(
        requested_by=bureau_officer,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 11, 30),
        status="running",
        rows_total=12000,
        rows_done=5000,
    )
    client.force_login(bureau_officer)

    html = client.get(f"/workspace/bureau/exports/{export.pk}/").content.decode()

    assert '<meta http-equiv="refresh" content="2">' in html
    assert (
        '<progress id="export-progress" max="12000" value="5000">41%</progress>' in html
    )
    assert (
        client.get(f"/workspace/bureau/exports/{export.pk}/download/").status_code
        == 404
    )


def test_a_custom_period_that_ends_before_it_starts_is_refused(client, bureau_officer):
    client.force_login(bureau_officer)

    response = client.get(
        "/workspace/bureau/?period=custom&start=2026-11-30&end=2026-11-01"
    )

    assert response.context["form"].non_field_errors() == ["结束日期不能早于开始日期。"]


def test_a_period_beyond_the_calendar_the_store_knows_is_refused(
    client, bureau_officer
):
    client.force_login(bureau_officer)

    response = client.get(
        "/workspace/bureau/?period=custom&start=0001-01-01&end=0001-12-31"
    )

    assert response.context["form"].non_field_errors() == [
        "请选择 2000 年至 2100 年之间的日期。"
    ]


def test_an_export_whose_worker_died_is_shown_as_failed(client, bureau_officer):
    export = ReportExport.objects.create(
        requested_by=bureau_officer,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 11, 30),
        status="running",
    )
    ReportExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    client.force_login(bureau_officer)

    html = client.get(f"/workspace/bureau/exports/{export.pk}/").content.decode()

    assert 'http-equiv="refresh"' not in html
    assert "工作簿未能生成" in html


def test_the_period_fields_are_labelled_as_dates(client, bureau_officer):
    client.force_login(bureau_officer)

    html = client.get("/workspace/bureau/").content.decode()

    assert '<label for="id_start">开始日期:</label>' in html
    assert '<label for="id_end">结束日期:</label>' in html


def test_the_report_asks_the_same_queries_however_much_was_sold(
    client, months, bureau_officer, ledger_clock
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(bureau_officer)
    year = "?period=custom&start=2026-01-01&end=2026-11-30"

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/workspace/bureau/" + year).status_code == 200
        return len(captured)

    queries()  # the first request of a session reads what later ones cache
    before = queries()
    more = [factories.household_create(slug=f"more-{n}") for n in range(4)]
    products = [factories.product_create(household=h) for h in more]
    for day in (3, 14, 25):
        at(ledger_clock, 9, day)
        helpers.paid_order(*((p, 2) for p in products), email=f"b{day}@example.com")

    assert queries() == before


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
    period = reports.Period(day[0], day[1])

    assert period.previous() == reports.Period(day[2], day[3])
    assert period.year_before() == reports.Period(day[4], day[5])


def test_the_page_prints_the_compared_dates_and_the_time_zone(
    client, months, bureau_officer
):
    client.force_login(bureau_officer)

    html = client.get("/workspace/bureau/" + NOVEMBER_QUERY).content.decode()

    assert (
        "对比上一期：2026-10-01 至 2026-10-31；以及去年同期：2025-11-01 至 2025-11-30。"
    ) in html
    assert "日期和时间均为北京时间（Asia/Shanghai）。" in html
    # Three households had income: the assistance table says why it is empty.
    assert "不显示：这段期间有收入的农户少于 5 户" in html
    assert (
        "这段期间没有收入"
        not in html.split('id="assistance"')[1].split("</section>")[0]
    )


def test_a_household_paid_more_than_it_earned_is_not_owed_a_negative(
    client, months, bureau_officer
):
    # given: 罗 is paid ¥30 of his ¥65, then a ¥40 parcel of his is refunded
    luo, _wang, _chen = months
    parcel = Parcel.objects.filter(household=luo).order_by("pk").first()
    services.parcel_cancel(
        parcel=parcel,
        reason="鱼死了",
        settlement="returned",
        acting_user=User.objects.get(email="a@agency.example"),
    )

    rows = {r["slug"]: r for r in reports.household_balances(end=NOVEMBER.end)}

    assert (rows["luo"]["earned"], rows["luo"]["paid"]) == (
        Decimal("25.00"),
        Decimal("30.00"),
    )
    assert (rows["luo"]["owed"], rows["luo"]["overpaid"]) == (
        Decimal("0.00"),
        Decimal("5.00"),
    )
