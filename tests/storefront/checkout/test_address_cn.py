"""Chinese addresses: picked from the national table, printed in Chinese order."""

import pytest
from django.core import mail
from oscar.core.loading import get_model

from storefront.templatetags.address_tags import address_cn
from tests.storefront.checkout import helpers

Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")

pytestmark = pytest.mark.usefixtures("stripe_settings")

CHONGQING = "重庆市 两江新区 龙塔街道新牌坊一路88号 张三 13912345678"


@pytest.fixture
def products(db):
    return helpers.two_households()


def at_address_step(client, product):
    helpers.add_to_basket(client, product)
    client.post(
        "/shop/checkout/", {"username": "buyer@example.com", "options": "anonymous"}
    )


def address_in_session(client):
    return client.session.get("checkout_data", {}).get("shipping", {})


def test_a_municipality_address_prints_its_name_once():
    # given
    address = ShippingAddress(
        state="重庆市",
        line4="重庆市",
        line3="两江新区",
        line1="龙塔街道新牌坊一路88号",
        first_name="张三",
        phone_number="+8613912345678",
        country_id="CN",
    )

    # when
    printed = address_cn(address)

    # then
    assert printed == CHONGQING


def test_a_provincial_address_prints_province_city_district():
    # given
    address = ShippingAddress(
        state="四川省",
        line4="成都市",
        line3="武侯区",
        line1="人民南路四段1号",
        line2="3栋2单元",
        first_name="李四",
        phone_number="+8613812345678",
        country_id="CN",
    )

    # when
    printed = address_cn(address)

    # then
    assert printed == "四川省 成都市 武侯区 人民南路四段1号3栋2单元 李四 13812345678"


def test_a_district_of_another_city_is_refused_and_nothing_is_kept(client, products):
    # given: 成都市 chosen, 两江新区 (重庆市) posted as its district
    fish, _eggs = products
    at_address_step(client, fish)

    # when
    response = client.post(
        "/shop/checkout/shipping-address/",
        helpers.ADDRESS | {"province": "510000", "city": "510100"},
    )

    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "district": ["所选区县不在所选城市内，请重新选择。"]
    }
    assert "所选区县不在所选城市内，请重新选择。" in response.content.decode()
    assert address_in_session(client) == {}


def test_a_city_of_another_province_is_refused(client, products):
    # given: 重庆市 chosen, 成都市 posted as its city
    fish, _eggs = products
    at_address_step(client, fish)

    # when
    response = client.post(
        "/shop/checkout/shipping-address/", helpers.ADDRESS | {"city": "510100"}
    )

    # then: the district cannot be checked against a city that is not there
    assert response.context["form"].errors == {
        "city": ["所选城市不在所选省份内，请重新选择。"],
        "district": ["所选区县不在所选城市内，请重新选择。"],
    }
    assert address_in_session(client) == {}


def test_without_javascript_a_chosen_province_reloads_its_cities(client, products):
    # given: the buyer typed his name, chose 四川省 and pressed its button
    fish, _eggs = products
    at_address_step(client, fish)

    # when
    response = client.post(
        "/shop/checkout/shipping-address/",
        {"first_name": "李四", "province": "510000", "choose_region": "province"},
    )

    # then: the same form, his input kept, the cities of 四川省 offered, no error
    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors == {}
    assert (form["first_name"].value(), form["province"].value()) == ("李四", "510000")
    assert form.fields["city"].choices[:3] == [
        ("", "请选择"),
        ("510100", "成都市"),
        ("510300", "自贡市"),
    ]
    assert len(form.fields["city"].choices) == 22
    assert form.fields["district"].choices == [("", "请选择")]
    assert '<option value="510100">成都市</option>' in response.content.decode()
    assert address_in_session(client) == {}


def test_without_javascript_a_chosen_city_reloads_its_districts(client, products):
    fish, _eggs = products
    at_address_step(client, fish)

    response = client.post(
        "/shop/checkout/shipping-address/",
        {"province": "500000", "city": "500000", "choose_region": "city"},
    )

    choices = response.context["form"].fields["district"].choices
    assert choices[:3] == [("", "请选择"), ("500101", "万州区"), ("500102", "涪陵区")]
    assert ("500157", "两江新区") in choices
    assert len(choices) == 38


def test_the_regions_endpoint_sends_one_province_with_its_districts(client, db):
    # when
    response = client.get("/shop/checkout/regions/310000/")

    # then
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=86400"
    assert response.json() == {
        "code": "310000",
        "name": "上海市",
        "cities": [
            {
                "code": "310000",
                "name": "上海市",
                "districts": [
                    {"code": code, "name": name}
                    for code, name in [
                        ("310101", "黄浦区"),
                        ("310104", "徐汇区"),
                        ("310105", "长宁区"),
                        ("310106", "静安区"),
                        ("310107", "普陀区"),
                        ("310109", "虹口区"),
                        ("310110", "杨浦区"),
                        ("310112", "闵行区"),
                        ("310113", "宝山区"),
                        ("310114", "嘉定区"),
                        ("310115", "浦东新区"),
                        ("310116", "金山区"),
                        ("310117", "松江区"),
                        ("310118", "青浦区"),
                        ("310120", "奉贤区"),
                        ("310151", "崇明区"),
                    ]
                ],
            }
        ],
    }


@pytest.mark.parametrize("code", ["999999", "810000", "500157", "abc"])
def test_the_regions_endpoint_knows_only_provinces_it_ships_to(client, db, code):
    assert client.get(f"/shop/checkout/regions/{code}/").status_code == 404


def test_the_form_shows_a_stored_address_with_its_choices(client, products):
    # given: an address entered, then the buyer comes back to change it
    fish, _eggs = products
    helpers.checkout_to_payment(client, fish)

    # when
    form = client.get("/shop/checkout/shipping-address/").context["form"]

    # then
    assert [
        form[name].value() for name in ("province", "city", "district", "phone_number")
    ] == ["500000", "500000", "500157", "13912345678"]
    assert len(form.fields["district"].choices) == 38


def test_a_chinese_address_prints_in_chinese_order_after_the_purchase(client, products):
    # given
    fish, eggs = products
    pay_page = helpers.checkout_to_payment(client, fish, eggs)

    # when
    helpers.buy(client)
    thank_you = client.get("/shop/checkout/thank-you/").content.decode()

    # then: stored by name, the mobile normalised; printed in Chinese order
    address = Order.objects.get().shipping_address
    assert (
        address.state,
        address.line4,
        address.line3,
        address.line1,
        address.first_name,
        address.phone_number.as_e164,
        address.country_id,
    ) == (
        "重庆市",
        "重庆市",
        "两江新区",
        "龙塔街道新牌坊一路88号",
        "张三",
        "+8613912345678",
        "CN",
    )
    printed = f'<address class="order-address">{CHONGQING}</address>'
    assert printed in pay_page.content.decode()
    assert printed in thank_you
    receipt = mail.outbox[-1]
    assert f"收货地址: {CHONGQING}\n" in receipt.body
    assert f'<p class="order-address">{CHONGQING}</p>' in receipt.alternatives[0][0]
