"""The bureau's report pages and their downloads, on the hand-built month."""

import io
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from sellers.campaigns.services import campaign_create, order_campaign_record
from tests import factories
from tests.sellers import helpers
from tests.sellers.months import NOVEMBER_QUERY, at

Product = get_model("catalogue", "Product")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_settings")]


def test_names_that_look_like_formulas_stay_text_in_excel(
    client, months, bureau_officer, ledger_clock
):
    from openpyxl import load_workbook

    luo, _wang, _chen = months
    # The sale falls in the report's default period, the current month (the
    # hand-built months leave the ledger's clock in November).
    ledger_clock[0] = timezone.now()
    today = timezone.localdate()
    campaign = campaign_create(
        organisation=luo.organisation,
        name='=HYPERLINK("http://x.example","点我")',
        channel="wechat_group",
        starts_on=today,
        ends_on=today,
        acting_user=luo.partner.users.first(),
    )
    order = helpers.place_order((Product.objects.get(title="草鱼"), 1))
    order_campaign_record(order=order, code=campaign.code)
    helpers.pay(order)
    client.force_login(bureau_officer)

    csv_body = client.get("/workspace/bureau/campaigns.csv").content.decode("utf-8-sig")
    xlsx = client.get("/workspace/bureau/campaigns.xlsx")

    assert '\'=HYPERLINK(""http://x.example"",""点我"")' in csv_body
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A4"].value == '\'=HYPERLINK("http://x.example","点我")'
    assert sheet["A4"].data_type == "s"


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
    assert len(workbook.sheetnames) == 16  # 11, and the 5 of the sales plans
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
