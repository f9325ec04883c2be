"""Oscar's dashboard prints the buyer's address in Chinese order: 省 市 区 街道
收件人 电话, no country, no +86."""

import pytest
from oscar.core.loading import get_model

from tests import factories
from tests.sellers import helpers

UserAddress = get_model("address", "UserAddress")

PRINTED = "重庆市 渝北区 龙塔街道新牌坊一路88号 张三 13912345678"


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        username="staff", email="staff@example.com", password="x-pass-2026"
    )
    client.force_login(user)
    return user


@pytest.fixture
def order(db):
    household = factories.household_create(slug="luo")
    return helpers.place_order((factories.product_create(household=household), 1))


def test_the_order_list_prints_the_shipping_address_in_chinese_order(
    client, staff, order
):
    html = client.get("/shop/dashboard/orders/").content.decode()

    assert f'<td class="order-address">{PRINTED}</td>' in html
    assert '<td class="order-address">-</td>' in html  # no billing address
    assert "中国" not in html
    assert "+86" not in html


def test_the_order_page_prints_the_shipping_address_in_chinese_order(
    client, staff, order
):
    html = client.get(f"/shop/dashboard/orders/{order.number}/").content.decode()

    assert f'<address class="order-address">{PRINTED}</address>' in html
    assert "中国" not in html
    assert "+86" not in html


def test_a_customer_s_saved_addresses_print_in_chinese_order(
    client, staff, django_user_model
):
    # given: a buyer whose address book holds the address he checked out with
    buyer = django_user_model.objects.create_user(username="buyer", password="x")
    UserAddress.objects.create(
        user=buyer,
        first_name="张三",
        phone_number="+8613912345678",
        state="重庆市",
        line4="重庆市",
        line3="渝北区",
        line1="龙塔街道新牌坊一路88号",
        country_id="CN",
    )

    # when
    html = client.get(f"/shop/dashboard/users/{buyer.pk}/").content.decode()

    # then
    assert f'<li class="card card-body bg-info order-address">{PRINTED}</li>' in html
    assert "中国" not in html
    assert "+86" not in html
