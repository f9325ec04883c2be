"""/accounts/phone/: a buyer signs in by SMS code, without a password, and
finds the orders he placed as a guest with his number."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.test import Client

from storefront.accounts.models import OrderPhone
from storefront.accounts.services import order_phone_record
from tests.sellers import helpers as seller_helpers
from tests.storefront.accounts.helpers import NUMBER, OTHER_NUMBER, last_code, texts

User = get_user_model()
PAGE = "/accounts/phone/"


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what the request leaves for after its commit (the SMS)."""

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def send(client, commit, number="13812345678"):
    return commit(lambda: client.post(PAGE, {"action": "send", "phone": number}))


def sign_in(client, commit, number="13812345678", phone=NUMBER):
    send(client, commit, number)
    return client.post(PAGE, {"action": "verify", "code": last_code(phone)})


def test_the_header_offers_sign_in_by_sms(client, pages):
    html = client.get("/").content.decode()

    assert '<li><a href="/accounts/phone/">登录</a></li>' in html


def test_asking_for_a_code_shows_the_number_masked_and_never_in_the_url(
    client, db, commit
):
    response = send(client, commit, "+86 138 1234 5678")

    assert (response.status_code, response["Location"]) == (302, PAGE)
    page = client.get(PAGE).content.decode()
    assert "验证码已发送至138****5678，5分钟内有效。" in page
    assert "13812345678" not in page
    assert len(texts()) == 1


def test_a_number_with_an_account_and_orders_is_answered_as_any_other(
    client, db, commit
):
    # given: 138 1234 5678 has an account and an order; 138 0000 5678 nothing
    User.objects.create_user(username="known", phone=NUMBER.as_e164)
    order = seller_helpers.place_order(
        (seller_helpers.three_households()[0], 1), email=""
    )
    order_phone_record(order=order, phone=NUMBER)

    # when
    pages = {}
    for number in ("13812345678", "13800005678"):
        browser = Client()
        sent = send(browser, commit, number)
        page = browser.get(PAGE).content.decode()
        pages[number] = (sent.status_code, re.sub(r'value="\w{64}"', "", page))

    # then: the same answer, word for word
    assert pages["13812345678"] == pages["13800005678"]
    assert len(texts(NUMBER)) == len(texts(OTHER_NUMBER)) == 1


def test_a_second_request_within_a_minute_is_refused_on_the_page(client, db, commit):
    send(client, commit)

    response = commit(lambda: client.post(PAGE, {"action": "resend"}))

    assert response.status_code == 200
    assert "验证码刚刚已发送到这个号码，请1分钟后再获取。" in response.content.decode()
    assert len(texts()) == 1


def test_a_number_outside_the_mainland_is_refused(client, db, commit):
    response = send(client, commit, "+1 202 555 0100")

    assert "请填写中国大陆手机号码，例如 13912345678。" in response.content.decode()
    assert texts() == []


def test_the_code_signs_a_new_buyer_in_without_a_password(client, db, commit):
    response = sign_in(client, commit)

    assert (response.status_code, response["Location"]) == (
        302,
        "/shop/accounts/orders/",
    )
    user = User.objects.get(phone=NUMBER.as_e164)
    assert (user.email, user.has_usable_password()) == ("", False)
    assert client.get("/shop/accounts/orders/").status_code == 200


def test_a_wrong_code_is_refused_with_one_message(client, db, commit):
    send(client, commit)
    wrong = "000000" if last_code() != "000000" else "111111"

    response = client.post(PAGE, {"action": "verify", "code": wrong})

    assert "验证码不正确或已失效，请核对或重新获取。" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signing_in_goes_back_where_the_buyer_was_going_on_this_site_only(
    client, db, commit
):
    send(client, commit)
    code = last_code()

    response = client.post(
        PAGE + "?next=https://evil.example/", {"action": "verify", "code": code}
    )

    assert response["Location"] == "/shop/accounts/orders/"


def test_a_staff_number_is_sent_to_the_password_sign_in(client, db, commit):
    User.objects.create_user(
        username="admin",
        email="admin@example.com",
        phone=NUMBER.as_e164,
        is_staff=True,
    )

    response = sign_in(client, commit)

    assert "这个号码属于工作人员账号，请用电子邮件地址和密码登录。" in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_signing_in_claims_the_guest_orders_of_that_number_only(client, db, commit):
    # given: two guest orders with the number, one with another, one by e-mail
    fish = seller_helpers.three_households()[0]
    mine = [seller_helpers.place_order((fish, 1), email="") for _ in range(2)]
    other = seller_helpers.place_order((fish, 1), email="")
    by_email = seller_helpers.place_order((fish, 1))
    for order in mine:
        order_phone_record(order=order, phone=NUMBER)
    order_phone_record(order=other, phone=OTHER_NUMBER)

    # when
    sign_in(client, commit)

    # then
    user = User.objects.get(phone=NUMBER.as_e164)
    assert sorted(user.orders.values_list("number", flat=True)) == sorted(
        o.number for o in mine
    )
    html = client.get("/shop/accounts/orders/").content.decode()
    assert all(o.number in html for o in mine)
    assert other.number not in html and by_email.number not in html


def test_the_dev_sms_page_is_missing_unless_debug(client, db, settings):
    settings.DEBUG = False

    assert client.get("/dev/sms/").status_code == 404


def test_the_dev_sms_page_lists_the_latest_texts_masked(client, db, settings, commit):
    send(client, commit)
    settings.DEBUG = True

    page = client.get("/dev/sms/")

    html = page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0, no-cache, no-store")
    assert f"您的登录验证码为{last_code()}，5分钟内有效，请勿告诉他人。" in html
    assert "<td>138****5678</td>" in html
    assert "13812345678" not in html


@pytest.mark.parametrize(
    "value,shown",
    [
        ("+8613812345678", "138****5678"),
        ("13812345678", "138****5678"),
        (NUMBER, "138****5678"),
        ("12345", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(value, shown):
    template = Template("{% load phone_tags %}{{ value|mask_phone }}")

    assert template.render(Context({"value": value})) == shown


def test_an_order_keeps_one_number(db):
    order = seller_helpers.place_order(
        (seller_helpers.three_households()[0], 1), email=""
    )

    order_phone_record(order=order, phone=NUMBER)
    order_phone_record(order=order, phone=None)

    assert list(OrderPhone.objects.values_list("phone", flat=True)) == [NUMBER]


def test_a_closed_account_is_not_signed_in_by_sms(client, db, commit):
    User.objects.create_user(username="gone", phone=NUMBER.as_e164, is_active=False)

    response = sign_in(client, commit)

    assert "这个号码的账号已停用。" in response.content.decode()
    assert "_auth_user_id" not in client.session
