"""A guest finds his order by its number and his mobile number, or opens it
by the signed link from his notices; nobody finds another's."""

import re

import pytest
from django.test import Client

from sellers.fulfilment.services import parcel_mark_shipped
from storefront.accounts.services import order_phone_record
from tests.sellers import helpers
from tests.storefront.accounts.helpers import NUMBER, OTHER_NUMBER
from tests.storefront.checkout.helpers import parcel_states
from tests.test_i18n import english_words

NOT_FOUND = (
    '<p class="form-error" role="alert">没有找到用这个手机号下的这个订单号的订单，'
    "请核对后重试。</p>"
)
TOO_MANY = (
    '<p class="form-error" role="alert">查询失败次数过多，请一小时后再试，'
    "或用手机号登录查看全部订单。</p>"
)


@pytest.fixture
def order(db):
    """A guest's order of fish and eggs from two households, placed with
    13812345678 (the recipient on the address is 13912345678), not yet paid."""
    (fish, eggs, _bacon), _households, _workers = helpers.two_caseloads()
    order = helpers.place_order((fish, 1), (eggs, 1))
    order_phone_record(order=order, phone=NUMBER)
    return order


def signed_path(order) -> str:
    return f"/shop/accounts/order-status/{order.number}/{order.verification_hash()}/"


def look_up(client, number, phone):
    return client.post("/orders/lookup/", {"number": number, "phone": phone})


def test_the_right_number_and_mobile_open_the_order(client, order):
    # when: as he types it, with spaces and +86
    response = look_up(client, f" {order.number} ", "+86 138 1234 5678")
    page = client.get(response["Location"]).content.decode()

    # then: on its signed link, each parcel awaiting payment
    assert (response.status_code, response["Location"]) == (302, signed_path(order))
    assert '<dd class="order-status">待付款</dd>' in page
    assert parcel_states(page) == {"罗大哥": "待付款", "王阿姨": "待付款"}


def test_a_wrong_mobile_and_an_unknown_order_get_the_same_answer(client, order):
    wrong_phone = look_up(client, order.number, OTHER_NUMBER.as_e164).content.decode()
    unknown = look_up(client, "T999999-1", NUMBER.as_e164).content.decode()

    assert re.findall(r'<p class="form-error".*?</p>', wrong_phone) == [NOT_FOUND]
    assert re.findall(r'<p class="form-error".*?</p>', unknown) == [NOT_FOUND]


def test_the_miss_page_shows_nothing_of_the_order(client, order):
    html = look_up(client, order.number, "13900000000").content.decode()

    assert "138****5678" not in html
    assert "13812345678" not in html
    assert "罗大哥" not in html
    assert "龙塔街道" not in html


def test_a_number_that_is_no_mainland_mobile_is_refused_as_such(client, order):
    html = look_up(client, order.number, "12345").content.decode()

    assert "请填写中国大陆手机号码，例如 13912345678。" in html
    assert NOT_FOUND not in html


def test_five_misses_on_one_order_stop_its_look_ups_for_an_hour(client, order):
    # given: five wrong numbers for his order
    for tail in range(5):
        look_up(client, order.number, f"1380000000{tail}")

    # when: even the right number, from another address
    other = Client(REMOTE_ADDR="10.0.0.9")
    refused = look_up(other, order.number, NUMBER.as_e164)

    # then
    assert refused.status_code == 200
    assert re.findall(r'<p class="form-error".*?</p>', refused.content.decode()) == [
        TOO_MANY
    ]


def test_misses_from_one_address_are_limited_whatever_the_order(
    client, order, settings
):
    # given: one address tried three order numbers that do not exist
    settings.BANGFU_ORDER_LOOKUPS_PER_IP_HOUR = 3
    for n in range(3):
        look_up(client, f"T00000{n}", NUMBER.as_e164)

    # when: the right pair from that address, then from another
    refused = look_up(client, order.number, NUMBER.as_e164)
    elsewhere = look_up(Client(REMOTE_ADDR="10.0.0.9"), order.number, NUMBER.as_e164)

    # then
    assert TOO_MANY in refused.content.decode()
    assert elsewhere.status_code == 302


def test_an_unknown_order_number_is_limited_like_a_real_one(client, order):
    for tail in range(5):
        look_up(client, "T999999-1", f"1380000000{tail}")

    html = look_up(client, "T999999-1", NUMBER.as_e164).content.decode()

    assert TOO_MANY in html


def test_the_signed_link_opens_the_order_in_any_browser(order):
    response = Client().get(signed_path(order))

    assert response.status_code == 200
    assert '<dd class="order-status">待付款</dd>' in response.content.decode()


@pytest.mark.parametrize(
    "hash_of",
    [
        lambda order: order.verification_hash()[:-1] + "x",
        lambda order: f"{order.number}:forged",
        lambda order: order.number,
    ],
    ids=["one-character-changed", "forged-signature", "no-signature"],
)
def test_a_tampered_link_is_refused(client, order, hash_of):
    response = client.get(
        f"/shop/accounts/order-status/{order.number}/{hash_of(order)}/"
    )

    assert response.status_code == 404


def test_another_order_s_signature_opens_nothing(client, order):
    other = helpers.place_order((order.lines.first().product, 1))

    response = client.get(
        f"/shop/accounts/order-status/{order.number}/{other.verification_hash()}/"
    )

    assert response.status_code == 404


def test_oscar_s_old_e_mail_step_sends_the_link_to_the_order(client, order):
    path = f"{order.number}/{order.verification_hash()}/"

    response = client.get(f"/shop/accounts/order-status-form/{path}")

    assert (response.status_code, response["Location"]) == (302, signed_path(order))


def test_the_order_page_masks_every_phone(client, order):
    html = client.get(signed_path(order)).content.decode()

    assert '<dd class="order-phone">138****5678</dd>' in html
    assert "139****5678" in html  # the recipient's, on the address
    assert "13812345678" not in html
    assert "13912345678" not in html


def test_a_shipped_parcel_links_its_carrier_s_tracking_page_and_an_unknown_does_not(
    client, order, stripe_settings
):
    # given: the order paid, one parcel by SF, the other by a carrier we do not know
    helpers.pay(order)
    parcels = {p.household.public_name: p for p in order.parcels.all()}
    parcel_mark_shipped(
        parcel=parcels["罗大哥"],
        carrier="顺丰速运",
        tracking_number="SF1234",
        acting_user=None,
    )
    parcel_mark_shipped(
        parcel=parcels["王阿姨"],
        carrier="村口小卖部代发",
        tracking_number="CK42",
        acting_user=None,
    )

    # when
    html = client.get(signed_path(order)).content.decode()

    # then
    tracking = re.findall(r'<span class="parcel-item__tracking">(.*?)</span>', html)
    assert tracking == [
        '顺丰速运 运单号 <a href="https://www.kuaidi100.com/chaxun?com=shunfeng&amp;'
        'nu=SF1234" rel="noopener noreferrer" target="_blank">SF1234</a>',
        "村口小卖部代发 运单号 CK42",
    ]
    assert parcel_states(html) == {"罗大哥": "已发货", "王阿姨": "已发货"}


def test_the_look_up_and_order_pages_speak_only_chinese(client, order):
    pages = {
        "form": client.get("/orders/lookup/"),
        "miss": look_up(client, order.number, OTHER_NUMBER.as_e164),
        "order": client.get(signed_path(order)),
    }

    assert {name: r.status_code for name, r in pages.items()} == dict.fromkeys(
        pages, 200
    )
    assert {name: english_words(r.content.decode()) for name, r in pages.items()} == {
        name: set() for name in pages
    }


def test_a_guest_finds_the_look_up_in_the_header_and_on_the_sign_in_page(client, db):
    home = client.get("/shop/basket/").content.decode()
    sign_in = client.get("/accounts/phone/").content.decode()

    assert '<a href="/orders/lookup/">查询订单</a>' in home
    assert '<a href="/orders/lookup/">不登录，查询单个订单</a>' in sign_in


def test_my_orders_list_each_order_s_parcel_states_and_the_pay_link(
    client, order, django_user_model
):
    # given: the buyer signed in; his order awaits payment, another was released
    buyer = django_user_model.objects.create_user(username="m-1", phone=NUMBER)
    released = helpers.place_order((order.lines.first().product, 1))
    released.set_status("cancelled")
    type(order).objects.filter(pk__in=[order.pk, released.pk]).update(user=buyer)
    client.force_login(buyer)

    # when
    html = client.get("/shop/accounts/orders/").content.decode()

    # then
    assert f"/shop/checkout/orders/{order.number}/pay/?h=" in html
    assert re.findall(r'<span class="order-history__stages">(.*?)</span>\n', html) == [
        '包裹: <span class="parcel-stage parcel-stage--cancelled">已取消</span>',
        '包裹: <span class="parcel-stage parcel-stage--awaiting_payment">待付款</span>'
        ' · <span class="parcel-stage parcel-stage--awaiting_payment">待付款</span>',
    ]
    assert english_words(html) == set()
