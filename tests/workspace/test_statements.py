"""Statements, payouts and a household login's home: each social worker reads
and pays his own households only."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sellers.fulfilment.services import parcel_cancel
from sellers.ledger.services import ledger_correct
from sellers.models import (
    EntryKind,
    LedgerEntry,
    Payout,
)
from tests.sellers import helpers

pytestmark = pytest.mark.usefixtures("stripe_settings")


def test_social_worker_a_can_neither_read_nor_pay_b_s_household(client, shop):
    # given: B pays 陈叔 and keeps the receipt
    payout = helpers.payout(
        shop["chen"], "20.00", shop["b"], reference="C1", method="cash"
    )
    client.force_login(shop["a"])

    # when / then
    for url in (
        "/workspace/households/chen/statement/",
        "/workspace/households/chen/statement.csv",
        "/workspace/households/chen/payouts/new/",
        f"/workspace/payouts/{payout.pk}/receipt/",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        "/workspace/households/chen/payouts/new/",
        {
            "amount": "10.00",
            "method": "cash",
            "reference": "X",
            "paid_on": str(timezone.localdate()),
            "proof": helpers.upload(helpers.photo_with_gps()),
        },
    )
    assert response.status_code == 404
    assert Payout.objects.count() == 1
    # and B can
    client.force_login(shop["b"])
    assert client.get(f"/workspace/payouts/{payout.pk}/receipt/").status_code == 200


def test_a_payout_above_the_balance_is_refused_in_the_form(client, shop):
    # given: 罗大哥 is owed ¥40
    client.force_login(shop["a"])

    # when
    response = client.post(
        "/workspace/households/luo/payouts/new/",
        {
            "amount": "40.01",
            "method": "bank",
            "reference": "B1",
            "paid_on": str(timezone.localdate()),
            "proof": helpers.upload(helpers.photo_with_gps()),
            "request_token": str(uuid.uuid4()),
        },
    )

    # then
    assert response.status_code == 400
    assert (
        "付款 ¥40.01 超过了应付给这户的 ¥40.00，没有记录。" in response.content.decode()
    )
    assert Payout.objects.count() == 0


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"amount": "-5"}, "amount", "确保该值大于或等于0.01。"),
        ({"amount": "abc"}, "amount", "输入一个数字。"),
        ({"paid_on": "2099-01-01"}, "paid_on", "日期不能晚于今天。"),
        (
            {"method": "bitcoin"},
            "method",
            "选择一个有效的选项。 bitcoin 不在可用的选项中。",
        ),
        ({"reference": ""}, "reference", "必需字段"),
    ],
)
def test_a_bad_payout_form_says_what_is_wrong(client, shop, data, field, message):
    client.force_login(shop["a"])
    form = {
        "amount": "10.00",
        "method": "bank",
        "reference": "B1",
        "paid_on": str(timezone.localdate()),
        "proof": helpers.upload(helpers.photo_with_gps()),
        "request_token": str(uuid.uuid4()),
    }

    response = client.post("/workspace/households/luo/payouts/new/", {**form, **data})

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert Payout.objects.count() == 0


def test_a_payout_through_the_form_appears_on_the_statement_once(client, shop):
    # given: the form as shown, with its one-time token
    client.force_login(shop["a"])
    form = client.get("/workspace/households/luo/payouts/new/").context["form"]
    token = str(form.initial["request_token"])

    # when: posted twice (a double tap on a slow connection)
    responses = [
        client.post(
            "/workspace/households/luo/payouts/new/",
            {
                "amount": "30.00",
                "method": "wechat",
                "reference": "WX1",
                "paid_on": str(timezone.localdate()),
                "proof": helpers.upload(helpers.photo_with_gps()),
                "request_token": token,
            },
        )
        for _ in range(2)
    ]
    statement = client.get("/workspace/households/luo/statement/")

    # then: one payout, one entry
    assert [r.status_code for r in responses] == [302, 302]
    assert Payout.objects.count() == 1
    assert statement.context["summary"] == {
        "earned": Decimal("40.00"),
        "paid_out": Decimal("30.00"),
        "owed": Decimal("10.00"),
        "overpaid": Decimal("0.00"),
    }
    assert [(e.seq, e.kind, e.balance) for e in statement.context["page"]] == [
        (2, "payout", Decimal("10.00")),
        (1, "sale", Decimal("40.00")),
    ]


def test_the_statement_csv_opens_in_excel(client, shop):
    client.force_login(shop["a"])

    response = client.get("/workspace/households/luo/statement.csv")

    body = b"".join(response.streaming_content).decode("utf-8")
    number = shop["order"].number
    date = LedgerEntry.objects.get(household=shop["luo"]).created_at
    local = date.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    assert body == (
        "\ufeff序号,日期,类型,订单,摘要,金额（元）,余额（元）\r\n"
        f"1,{local:%Y-%m-%d %H:%M},销售,{number},订单 {number},40.00,40.00\r\n"
    )


def test_the_statement_page_costs_the_same_queries_at_10000_entries(client, shop):
    # given: 罗大哥 with 150 entries (3 pages), then with 10,000
    client.force_login(shop["a"])
    url = "/workspace/households/luo/statement/?page=2"
    first = LedgerEntry.objects.get(household=shop["luo"])

    def add(seqs):
        LedgerEntry.objects.bulk_create(
            LedgerEntry(
                household=shop["luo"],
                seq=seq,
                kind=EntryKind.CORRECTION,
                amount=Decimal("1.00"),
                balance=Decimal("39.00") + seq,
                corrects=first,
            )
            for seq in seqs
        )

    add(range(2, 151))
    client.get(url)  # the session's first page makes its basket
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add(range(151, 10_001))

    # when
    with CaptureQueriesContext(connection) as large:
        page = client.get(url.replace("2", "3"))

    # then
    assert [q["sql"][:60] for q in large] == [q["sql"][:60] for q in small]
    assert [e.seq for e in page.context["page"]][:2] == [9900, 9899]
    assert page.context["summary"]["owed"] == Decimal("10039.00")


def test_a_household_login_sees_what_to_pack_and_its_earnings_only(
    client, shop, django_user_model
):
    # given
    login = django_user_model.objects.create_user(
        username="luo-login", email="", password="x-pass-2026"
    )
    luo = shop["luo"]
    luo.account = login
    luo.save()
    client.force_login(login)

    # when
    home = client.get("/workspace/", follow=True)

    # then
    html = home.content.decode()
    assert home.redirect_chain == [("/workspace/household/", 302)]
    assert "草鱼" in html and "¥40.00" in html
    assert "土鸡蛋" not in html and "张三" not in html and "13912345678" not in html
    assert client.get("/workspace/households/luo/statement/").status_code == 200
    answers = {
        url: client.get(url).status_code
        for url in (
            "/workspace/parcels/",
            f"/workspace/parcels/{shop['parcels']['luo'].pk}/",
            "/shop/dashboard/",
        )
    }
    assert list(answers.values()) == [403, 404, 403]
    assert client.get("/workspace/households/wang/statement/").status_code == 404
    assert client.get("/workspace/households/luo/payouts/new/").status_code == 404


def payout_form(**changes):
    return {
        "amount": "10.00",
        "method": "wechat",
        "reference": "WX9",
        "paid_on": str(timezone.localdate()),
        "proof": helpers.upload(helpers.photo_with_gps()),
        "request_token": str(uuid.uuid4()),
        **changes,
    }


def test_a_payout_form_reused_for_another_household_or_amount_is_refused(client, shop):
    # given: 罗大哥 (owed ¥40) and 王阿姨 (owed ¥55) are both worker A's
    client.force_login(shop["a"])
    token = str(uuid.uuid4())
    client.post(
        "/workspace/households/luo/payouts/new/",
        payout_form(request_token=token, amount="10.00"),
    )

    # when: the same form's token comes back for another amount, then for
    # another household
    other_amount = client.post(
        "/workspace/households/luo/payouts/new/",
        payout_form(request_token=token, amount="20.00"),
    )
    other_household = client.post(
        "/workspace/households/wang/payouts/new/",
        payout_form(request_token=token, amount="10.00"),
    )

    # then: refused, with a clear message; one payout only
    message = "这张表单已用于记录另一笔付款。本次没有记录：请重新打开付款表单。"
    for response in (other_amount, other_household):
        assert response.status_code == 400
        assert response.context["form"].non_field_errors() == [message]
    assert [(p.household.slug, p.amount) for p in Payout.objects.all()] == [
        ("luo", Decimal("10.00"))
    ]


def test_a_payout_cannot_be_dated_before_the_household_first_earned(client, shop):
    first = LedgerEntry.objects.get(household=shop["luo"]).created_at
    client.force_login(shop["a"])
    day_before = timezone.localdate(first) - datetime.timedelta(days=1)

    response = client.post(
        "/workspace/households/luo/payouts/new/",
        payout_form(paid_on=str(day_before)),
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        f"付款日期不能早于 {timezone.localdate(first)}，"
        "即这户第一次通过本店获得收入的日子。"
    ]
    assert Payout.objects.count() == 0


def test_a_household_paid_more_than_it_earned_is_shown_so(client, shop):
    # given: 罗大哥 paid ¥30 of his ¥40, then his parcel is cancelled
    helpers.payout(shop["luo"], "30.00", shop["a"])
    parcel_cancel(parcel=shop["parcels"]["luo"], reason="鱼死了", acting_user=shop["a"])
    client.force_login(shop["a"])

    statement = client.get("/workspace/households/luo/statement/")
    refused = client.post(
        "/workspace/households/luo/payouts/new/", payout_form(amount="5.00")
    )

    assert statement.context["summary"] == {
        "earned": Decimal("0.00"),
        "paid_out": Decimal("30.00"),
        "owed": Decimal("0.00"),
        "overpaid": Decimal("30.00"),
    }
    html = statement.content.decode()
    assert "<dt>多付</dt><dd><strong>¥30.00</strong></dd>" in html
    assert "−" not in html.split("<dl")[1].split("</dl>")[0]
    assert refused.context["form"].non_field_errors() == [
        "目前不欠这户任何款项：已付款比收入多 ¥30.00（付款后又有退款）。没有记录。"
    ]


def test_the_statement_csv_keeps_a_formula_in_a_memo_as_text(client, shop):
    # given: a correction whose memo Excel would run as a formula
    sale = LedgerEntry.objects.get(household=shop["luo"])
    correction = ledger_correct(
        entry=sale,
        amount=Decimal("-5.00"),
        memo='=HYPERLINK("http://evil.example","退款")',
        acting_user=shop["a"],
    )
    client.force_login(shop["a"])

    # when
    response = client.get("/workspace/households/luo/statement.csv")

    # then
    number = shop["order"].number
    beijing = datetime.timezone(datetime.timedelta(hours=8))
    sold = sale.created_at.astimezone(beijing)
    corrected = correction.created_at.astimezone(beijing)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        b"".join(response.streaming_content)
        == (
            "\ufeff序号,日期,类型,订单,摘要,金额（元）,余额（元）\r\n"
            f"1,{sold:%Y-%m-%d %H:%M},销售,{number},订单 {number},40.00,40.00\r\n"
            f"2,{corrected:%Y-%m-%d %H:%M},更正,,"
            '"\'=HYPERLINK(""http://evil.example"",""退款"")",-5.00,35.00\r\n'
        ).encode()
    )
