"""The workspace through its URLs: each social worker sees and acts on his own
households' parcels, statements and payouts only."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sellers import services
from sellers.models import (
    Consent,
    EntryKind,
    LedgerEntry,
    Parcel,
    Payout,
    ReportExport,
)
from tests import factories
from tests.sellers import helpers

pytestmark = pytest.mark.usefixtures("stripe_settings")


@pytest.fixture
def shop(db):
    """A mixed order: 罗大哥 and 王阿姨 (worker A), 陈叔 (worker B); paid."""
    (fish, eggs, bacon), (luo, _wang, chen), (a, b) = helpers.two_caseloads()
    order = helpers.paid_order((fish, 2), (eggs, 1), (bacon, 1))
    parcels = {p.household.slug: p for p in Parcel.objects.filter(order=order)}
    return {
        "a": a,
        "b": b,
        "order": order,
        "parcels": parcels,
        "chen": chen,
        "luo": luo,
    }


def test_a_social_worker_lists_only_his_households_parcels(client, shop):
    # given
    client.force_login(shop["a"])

    # when
    page = client.get("/workspace/parcels/")

    # then
    html = page.content.decode()
    assert page.status_code == 200
    # newest order first, then the parcel made last
    assert [p.household.slug for p in page.context["page"].object_list] == [
        "wang",
        "luo",
    ]
    assert "罗大哥" in html and "王阿姨" in html
    assert "陈叔" not in html and "chen" not in html and "腊肉" not in html
    assert (
        page["Cache-Control"]
        == "max-age=0, no-cache, no-store, must-revalidate, private"
    )


def test_the_parcel_list_filters_by_state(client, shop):
    services.parcel_mark_shipped(
        parcel=shop["parcels"]["luo"],
        carrier="EMS",
        tracking_number="E1",
        acting_user=shop["a"],
    )
    client.force_login(shop["a"])

    shipped = client.get("/workspace/parcels/?status=shipped")
    to_pack = client.get("/workspace/parcels/?status=to_pack")

    assert [p.household.slug for p in shipped.context["page"].object_list] == ["luo"]
    assert [p.household.slug for p in to_pack.context["page"].object_list] == ["wang"]
    assert shipped.context["counts"] == {
        "to_pack": 1,
        "shipped": 1,
        "delivered": 0,
        "cancelled": 0,
    }


def test_the_packing_slip_has_what_to_deliver_and_nothing_else(client, shop):
    # given
    client.force_login(shop["a"])
    parcel = shop["parcels"]["luo"]

    # when
    html = client.get(f"/workspace/parcels/{parcel.pk}/slip/").content.decode()

    # then: recipient, phone, address and this parcel's produce
    for text in ("张三", "13912345678", "龙塔街道新牌坊一路88号", "草鱼", "罗大哥"):
        assert text in html
    # not the other households, their produce, the order's total or any price
    for text in ("王阿姨", "土鸡蛋", "陈叔", "腊肉", "215.00", "¥"):
        assert text not in html


def test_social_worker_a_can_neither_see_nor_act_on_b_s_parcel(client, shop):
    # given
    client.force_login(shop["a"])
    chen = shop["parcels"]["chen"]
    entries = LedgerEntry.objects.count()

    # when / then: every parcel URL is a 404 and nothing changes
    for url in (
        f"/workspace/parcels/{chen.pk}/",
        f"/workspace/parcels/{chen.pk}/slip/",
    ):
        assert client.get(url).status_code == 404, url
    for url, data in (
        (
            f"/workspace/parcels/{chen.pk}/ship/",
            {"carrier": "EMS", "tracking_number": "1"},
        ),
        (f"/workspace/parcels/{chen.pk}/deliver/", {}),
        (f"/workspace/parcels/{chen.pk}/cancel/", {"reason": "不想卖了"}),
    ):
        assert client.post(url, data).status_code == 404, url
    chen.refresh_from_db()
    assert (chen.status, chen.carrier, chen.refunded) == ("to_pack", "", Decimal("0"))
    assert LedgerEntry.objects.count() == entries
    assert client.get(f"/workspace/parcels/?order={shop['order'].number}").context[
        "page"
    ].object_list[0].household.slug in ("luo", "wang")


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


def test_anonymous_visitors_are_sent_to_sign_in(client, shop):
    parcel = shop["parcels"]["luo"]
    for url in (
        "/workspace/",
        "/workspace/parcels/",
        f"/workspace/parcels/{parcel.pk}/",
        f"/workspace/parcels/{parcel.pk}/slip/",
        "/workspace/households/luo/statement/",
        "/workspace/households/luo/statement.csv",
        "/workspace/household/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/shop/accounts/login/?next="), url


def test_a_consumer_without_caseload_is_refused(client, shop, django_user_model):
    consumer = django_user_model.objects.create_user(
        username="c@example.com", email="c@example.com", password="x-pass-2026"
    )
    client.force_login(consumer)
    assert client.get("/workspace/parcels/").status_code == 403
    assert client.get("/workspace/household/").status_code == 403
    assert client.get("/workspace/households/luo/statement/").status_code == 404


def test_shipping_through_the_workspace(
    client, shop, django_capture_on_commit_callbacks
):
    # given
    client.force_login(shop["a"])
    parcel = shop["parcels"]["luo"]
    mail.outbox.clear()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/workspace/parcels/{parcel.pk}/ship/",
            {"carrier": "顺丰", "tracking_number": "SF100"},
        )

    # then
    parcel.refresh_from_db()
    assert response.status_code == 302
    assert (parcel.status, parcel.carrier, parcel.tracking_number) == (
        "shipped",
        "顺丰",
        "SF100",
    )
    assert parcel.events.last().actor == shop["a"]
    assert [m.to for m in mail.outbox] == [["buyer@example.com"]]


def test_shipping_without_a_carrier_says_so_and_changes_nothing(client, shop):
    client.force_login(shop["a"])
    parcel = shop["parcels"]["luo"]

    response = client.post(
        f"/workspace/parcels/{parcel.pk}/ship/", {"carrier": " "}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == ["请填写快递公司。"]
    parcel.refresh_from_db()
    assert parcel.status == "to_pack"


def test_cancelling_through_the_workspace_refunds_the_parcel(client, shop):
    client.force_login(shop["a"])
    parcel = shop["parcels"]["luo"]

    response = client.post(
        f"/workspace/parcels/{parcel.pk}/cancel/", {"reason": "鱼塘缺氧"}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        "包裹已取消，已向买家退款 ¥40.00。"
    ]
    parcel.refresh_from_db()
    assert (parcel.status, parcel.refunded) == ("cancelled", Decimal("40.00"))


def test_the_buyer_sees_each_parcel_s_status(client, shop):
    order = shop["order"]
    services.parcel_mark_shipped(
        parcel=shop["parcels"]["luo"],
        carrier="顺丰",
        tracking_number="SF777",
        acting_user=shop["a"],
    )
    services.parcel_cancel(
        parcel=shop["parcels"]["chen"], reason="路断了", acting_user=shop["b"]
    )

    # the guest proves he is the buyer with his e-mail address, as Oscar asks
    path = f"{order.number}/{order.verification_hash()}/"
    client.post(
        f"/shop/accounts/order-status-form/{path}", {"email": "buyer@example.com"}
    )
    html = client.get(f"/shop/accounts/order-status/{path}").content.decode()

    assert "罗大哥" in html and "已发货" in html and "SF777" in html
    assert "王阿姨" in html and "待打包" in html
    assert "陈叔" in html and "已取消" in html and "¥120.00" in html


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


def test_the_dashboard_sends_a_social_worker_to_his_parcels_only(client, shop):
    # given
    client.force_login(shop["a"])
    order = shop["order"]

    # when / then
    assert client.get("/shop/dashboard/orders/")["Location"] == "/workspace/parcels/"
    detail = client.get(f"/shop/dashboard/orders/{order.number}/")
    assert detail.status_code == 302
    assert detail["Location"] == f"/workspace/parcels/?order={order.number}"
    staff_only = (
        f"/shop/dashboard/orders/{order.number}/lines/{order.lines.first().pk}/",
        f"/shop/dashboard/orders/{order.number}/shipping-address/",
        "/shop/dashboard/orders/statistics/",
    )
    assert [client.get(url).status_code for url in staff_only] == [403, 403, 403]
    posted = client.post(
        f"/shop/dashboard/orders/{order.number}/",
        {"order_action": "change_order_status", "new_status": "cancelled"},
    )
    assert posted.status_code == 403
    order.refresh_from_db()
    assert order.status == "paid"


def test_the_dashboard_hides_an_order_without_his_households(client, shop):
    # given: an order of 陈叔 only
    bacon = shop["parcels"]["chen"].lines.first().product
    only_b = helpers.paid_order((bacon, 1))
    client.force_login(shop["a"])

    assert client.get(f"/shop/dashboard/orders/{only_b.number}/").status_code == 404


def test_the_dashboard_home_shows_a_social_worker_no_whole_order_figures(
    client, shop, django_user_model
):
    client.force_login(shop["a"])

    response = client.get("/shop/dashboard/")

    assert response.status_code == 302
    assert response["Location"] == "/workspace/parcels/"
    # administrators still get Oscar's dashboard and whole orders
    staff = django_user_model.objects.create_superuser(
        username="staff", email="staff@example.com", password="x-pass-2026"
    )
    client.force_login(staff)
    assert client.get("/shop/dashboard/").status_code == 200
    assert client.get("/shop/dashboard/orders/").status_code == 200
    order_page = client.get(f"/shop/dashboard/orders/{shop['order'].number}/")
    assert order_page.status_code == 200
    assert (
        "陈叔" in order_page.content.decode() or "chen" in order_page.content.decode()
    )


# Every workspace URL, with B's objects in it, as A: the table must name each
# URL pattern, so a new one cannot be added without deciding who may use it.
B_OBJECT = {
    "home": None,
    "parcels": None,
    "parcel": "parcel",
    "slip": "parcel",
    "ship": "parcel",
    "deliver": "parcel",
    "cancel": "parcel",
    "statement": "household",
    "statement-csv": "household",
    "payout-create": "household",
    "payout-proof": "payout",
    "household": None,
    "campaigns": None,
    "campaign-poster": "campaign",
    "household-record": "household",
    "consent": "household",
    "consent-withdraw": "household",
    "consent-scan": "consent",
    "caseloads": None,
    "caseload-remove": "caseload",
    "audit": None,
    "bureau": None,
    "bureau-export": "export",
    "bureau-parcels": None,
    "bureau-export-detail": "report-export",
    "bureau-export-download": "report-export",
}


POST_ONLY = {"ship", "deliver", "cancel", "consent-withdraw", "caseload-remove"}
# A is neither an organisation administrator nor a bureau officer: refused
# before any lookup.
NOT_FOUND_BUT = {
    "caseload-remove": 403,
    "bureau-export": 403,
    "bureau-export-detail": 403,
    "bureau-export-download": 403,
}


def test_every_workspace_url_keeps_b_s_households_from_a(client, shop):
    # given: B's parcel, household and payout
    from django.urls import reverse

    from sellers.urls import urlpatterns

    chen = shop["chen"]
    payout = helpers.payout(chen, "10.00", shop["b"], reference="C1", method="cash")
    other_agency = helpers.social_worker(
        "c@other.example", factories.household_create()
    )
    their_campaign = services.campaign_create(
        organisation=other_agency.memberships.get().organisation,
        name="陈叔的抖音视频",
        channel="douyin_video",
        starts_on=datetime.date(2026, 11, 1),
        ends_on=datetime.date(2026, 12, 31),
        acting_user=other_agency,
    )
    consent = factories.consent_create(chen, by=shop["b"])
    export = ReportExport.objects.create(
        requested_by=shop["b"],
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 11, 30),
        status="done",
    )
    args = {
        "consent": {"pk": consent.pk, "which": "signed"},
        "export": {"table": "income", "fmt": "csv"},
        "report-export": {"pk": export.pk},
        "caseload": {"slug": chen.slug, "user_id": shop["b"].pk},
        "campaign": {"pk": their_campaign.pk},
        "parcel": {"pk": shop["parcels"]["chen"].pk},
        "household": {"slug": chen.slug},
        "payout": {"pk": payout.pk},
    }
    assert {p.name for p in urlpatterns} == set(B_OBJECT)
    client.force_login(shop["a"])
    entries = LedgerEntry.objects.count()

    # when / then
    for name, kind in B_OBJECT.items():
        url = reverse(f"workspace:{name}", kwargs=args.get(kind, {}))
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            body = b"".join(response) if hasattr(response, "__iter__") else b""
            if kind is None:
                continue  # A's own pages: checked for B's names below
            # the posting-only views refuse a GET before looking anything up
            expected = 405 if method == "get" and name in POST_ONLY else 404
            expected = (
                NOT_FOUND_BUT.get(name, expected) if expected == 404 else expected
            )
            assert response.status_code == expected, (method, url)
            assert "陈叔" not in body.decode(), (method, url)
    for url in ("/workspace/parcels/", "/workspace/parcels/?status=to_pack"):
        html = client.get(url).content.decode()
        assert "陈叔" not in html and "chen" not in html and "腊肉" not in html
    chen_parcel = Parcel.objects.get(pk=shop["parcels"]["chen"].pk)
    assert chen_parcel.status == "to_pack"
    assert (LedgerEntry.objects.count(), Payout.objects.count()) == (entries, 1)
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is None
    assert set(chen.partner.users.all()) == {shop["b"]}


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
    services.parcel_cancel(
        parcel=shop["parcels"]["luo"], reason="鱼死了", acting_user=shop["a"]
    )
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
