"""The bureau officer reads the month's report, prints it and takes the
sales workbook; a consumer reads the impact page."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from sellers.households.services import bureau_officer_grant
from tests import factories
from tests.browser.conftest import serious_violations
from tests.sellers import helpers

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_data", "stripe_settings"),
]


def watch_csp(page) -> list[str]:
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return violations


def test_the_bureau_reads_prints_and_downloads_the_month(live_server, chromium):
    # given: today's sales of 罗大哥 and 王阿姨, and a bureau officer
    (fish, eggs, _bacon), _households, _workers = helpers.two_caseloads()
    helpers.paid_order((fish, 2), (eggs, 1))
    officer = get_user_model().objects.create_user(
        username="officer@mca.example", email="officer@mca.example", password="pw-1"
    )
    bureau_officer_grant(user=officer)
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    csp = watch_csp(page)
    base = live_server.url

    # when: she signs in and the report opens
    page.goto(base + "/shop/accounts/login/?next=/workspace/bureau/")
    page.locator("#id_login-username").fill("officer@mca.example")
    page.locator("#id_login-password").fill("pw-1")
    page.locator("button[name=login_submit]").click()
    page.wait_for_url(base + "/workspace/bureau/")
    # the last five weeks: a bar a week, whatever day of the month it is
    today = timezone.localdate()
    start = today - datetime.timedelta(days=34)
    page.goto(
        f"{base}/workspace/bureau/?period=custom&start={start:%Y-%m-%d}&end={today:%Y-%m-%d}"
    )

    # then: the figures, a chart with the weeks' income, every table
    summary = page.locator(".summary").inner_text()
    assert "¥95.00" in summary  # ¥30 + ¥10 delivery, ¥45 + ¥10
    assert page.locator("svg.bars rect").count() >= 4
    assert page.locator("svg.bars rect title").all_inner_texts().count("") == 0
    # ten of sales, five of plans against what was sold
    assert page.locator("section.report-table").count() == 15
    assert serious_violations(page) == []
    # printed: no form, no links to downloads, tables whole
    page.emulate_media(media="print")
    assert not page.locator("form.inline-form").is_visible()
    assert not page.get_by_text("所有表格合为一个工作簿（Excel）").is_visible()
    assert (
        page.locator("#villages table").evaluate("t => getComputedStyle(t).display")
        == "table"
    )
    assert page.pdf(format="A4")[:4] == b"%PDF"
    page.emulate_media(media="screen")

    # and the sales workbook is prepared off the request, then downloaded
    page.get_by_role("link", name="本期每笔销售和退款（Excel）").click()
    page.get_by_role("button", name="准备工作簿").click()
    link = page.get_by_role("link", name="下载 2 行（Excel）")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith("sales-")
    assert csp == []
    context.close()


def test_a_consumer_reads_where_the_money_went(live_server, phone, ledger_clock):
    # Sales of last month: the page shows whole months only.
    today = timezone.localdate()
    ledger_clock[0] = timezone.make_aware(
        datetime.datetime.combine(today.replace(day=1), datetime.time(10))
    ) - datetime.timedelta(days=3)
    organisation = factories.OrganisationFactory()
    products = [
        factories.product_create(
            household=factories.household_create(organisation=organisation)
        )
        for _ in range(5)
    ]
    helpers.paid_order(*((p, 1) for p in products))
    csp = watch_csp(phone)

    phone.goto(live_server.url + products[0].get_absolute_url())
    phone.get_by_role("link", name="钱去了哪里").click()

    assert phone.locator("h1").inner_text() == "钱去了哪里"
    assert "¥125.00" in phone.locator(".summary").inner_text()  # 5 × (¥15 + ¥10)
    assert phone.locator("svg.bars").is_visible()
    assert serious_violations(phone) == []
    assert csp == []
