"""A buyer's address book: out of his account's tabs (Oscar's address form is
street-first, with country and postcode), its addresses in Chinese order."""

import pytest
from oscar.core.loading import get_model

UserAddress = get_model("address", "UserAddress")

PRINTED = "重庆市 渝北区 龙塔街道新牌坊一路88号 张三 13912345678"


@pytest.fixture
def buyer(client, django_user_model):
    user = django_user_model.objects.create_user(username="buyer", password="x")
    client.force_login(user)
    return user


@pytest.fixture
def address(buyer):
    return UserAddress.objects.create(
        user=buyer,
        first_name="张三",
        phone_number="+8613912345678",
        state="重庆市",
        line4="重庆市",
        line3="渝北区",
        line1="龙塔街道新牌坊一路88号",
        country_id="CN",
        is_default_for_shipping=True,
    )


def test_the_account_s_tabs_leave_the_address_book_out(client, buyer):
    html = client.get("/shop/accounts/orders/").content.decode()

    assert 'href="/shop/accounts/orders/"' in html
    assert "/shop/accounts/addresses/" not in html
    assert "地址簿" not in html


def test_saved_addresses_print_in_chinese_order_without_a_street_first_form(
    client, address
):
    html = client.get("/shop/accounts/addresses/").content.decode()

    assert f'<address class="order-address">{PRINTED}</address>' in html
    assert "中国" not in html
    assert "+86" not in html
    assert "/shop/accounts/addresses/add/" not in html
    assert f"/shop/accounts/addresses/{address.pk}/" not in html.replace(
        f"/shop/accounts/addresses/{address.pk}/delete/", ""
    )


def test_deleting_an_address_names_it_in_chinese_order(client, address):
    html = client.get(f"/shop/accounts/addresses/{address.pk}/delete/").content

    assert f'<strong class="order-address">{PRINTED}</strong>' in html.decode()
