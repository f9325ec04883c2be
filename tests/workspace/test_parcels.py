"""The parcel screens: each social worker sees and acts on his own
households' parcels only."""

from decimal import Decimal

import pytest
from django.core import mail

from sellers.fulfilment.services import parcel_cancel, parcel_mark_shipped
from sellers.models import (
    LedgerEntry,
)
from tests.storefront.checkout.helpers import parcel_states

pytestmark = pytest.mark.usefixtures("stripe_settings")


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
    parcel_mark_shipped(
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
    parcel_mark_shipped(
        parcel=shop["parcels"]["luo"],
        carrier="顺丰",
        tracking_number="SF777",
        acting_user=shop["a"],
    )
    parcel_cancel(
        parcel=shop["parcels"]["chen"], reason="路断了", acting_user=shop["b"]
    )

    # the guest opens the signed link from his notice
    path = f"{order.number}/{order.verification_hash()}/"
    html = client.get(f"/shop/accounts/order-status/{path}").content.decode()

    assert parcel_states(html) == {
        "罗大哥": "已发货",
        "王阿姨": "待发货",
        "陈叔": "已退款",
    }
    assert (
        '顺丰 运单号 <a href="https://www.kuaidi100.com/chaxun?com=shunfeng&amp;'
        'nu=SF777" rel="noopener noreferrer" target="_blank">SF777</a>'
    ) in html
    assert '<span class="parcel-item__refund">已退款 ¥120.00</span>' in html
