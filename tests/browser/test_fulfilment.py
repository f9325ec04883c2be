"""A social worker on a phone ships one of his parcels and records a payout."""

import pytest
from django.utils import timezone
from PIL import Image

from sellers.models import LedgerEntry, Parcel, Payout
from tests.browser.conftest import serious_violations
from tests.sellers import helpers

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_data", "stripe_settings"),
]


def sign_in(phone, base, email):
    phone.goto(base + "/shop/accounts/login/?next=/workspace/")
    phone.locator("#id_login-username").fill(email)
    phone.locator("#id_login-password").fill("pw-social-2026")
    phone.locator("button[name=login_submit]").click()
    phone.wait_for_url(base + "/workspace/parcels/")


def test_a_social_worker_ships_a_parcel_and_pays_the_household(
    live_server, phone, tmp_path
):
    # given: a paid order of 罗大哥 (worker A's) and 陈叔 (worker B's)
    fish, _eggs, bacon = helpers.three_households()
    luo = fish.stockrecords.get().partner.household
    chen = bacon.stockrecords.get().partner.household
    helpers.social_worker("a@agency.example", luo)
    helpers.social_worker("b@agency.example", chen)
    order = helpers.paid_order((fish, 2), (bacon, 1))
    base = live_server.url

    # when: A signs in, opens his one parcel and marks it shipped
    sign_in(phone, base, "a@agency.example")
    assert "陈叔" not in phone.content()
    phone.get_by_role("link", name=f"罗大哥 · luo · 订单 {order.number}").click()
    assert serious_violations(phone) == []
    phone.get_by_label("快递公司").fill("顺丰")
    phone.get_by_label("运单号").fill("SF2026112901")
    phone.get_by_role("button", name="标记为已发货").click()

    # then
    phone.get_by_text("包裹已标记为已发货，已通知买家。").wait_for()
    parcel = Parcel.objects.get(order=order, household=luo)
    assert (parcel.status, parcel.tracking_number) == ("shipped", "SF2026112901")

    # when: he records a ¥25 WeChat payout with a photo of the receipt
    photo = tmp_path / "receipt.jpg"
    Image.new("RGB", (60, 40), "white").save(photo, "JPEG")
    phone.goto(base + "/workspace/households/luo/statement/")
    phone.get_by_role("link", name="记录付款").click()
    phone.get_by_label("金额（元）").fill("25.00")
    phone.get_by_label("支付方式").select_option("wechat")
    phone.get_by_label("凭证号").fill("WX2026112901")
    phone.get_by_label("支付日期").fill(str(timezone.localdate()))
    phone.get_by_label("收据（照片或 PDF）").set_input_files(str(photo))
    phone.get_by_role("button", name="记录付款").click()

    # then: the statement shows the sale, the payout and ¥15 still owed
    phone.get_by_text("付款已记录。").wait_for()
    assert serious_violations(phone) == []
    assert Payout.objects.get().reference == "WX2026112901"
    rows = list(
        LedgerEntry.objects.filter(household=luo).values_list("kind", "balance")
    )
    assert [(kind, str(balance)) for kind, balance in rows] == [
        ("sale", "40.00"),
        ("payout", "15.00"),
    ]
    assert "¥15.00" in phone.locator(".summary").inner_text()
