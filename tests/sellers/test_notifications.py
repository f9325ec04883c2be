"""Parcel notices by SMS: to the buyer's number beside his e-mail, to social
workers with a phone; through the local sink here, Alibaba Cloud in production."""

import json
import logging
import sys
import types
from decimal import Decimal

import pytest
from django.core import mail

from sellers.fulfilment.services import (
    parcel_cancel,
    parcel_mark_delivered,
    parcel_mark_shipped,
)
from sellers.models import Parcel, SmsMessage
from sellers.notifications import (
    AlibabaSms,
    Recipient,
    SmsNotConfigured,
    SmsRefused,
    notify,
)
from storefront.accounts.phones import mainland_mobile
from storefront.accounts.services import order_phone_record
from tests.sellers import helpers

pytestmark = pytest.mark.usefixtures("stripe_settings")

BUYER = mainland_mobile("13812345678")


def texts():
    return list(
        SmsMessage.objects.order_by("created_at", "pk").values_list("phone", "text")
    )


@pytest.fixture
def shop(db):
    products, households, workers = helpers.two_caseloads()
    return {"products": products, "households": households, "workers": workers}


@pytest.fixture
def parcel(shop, django_capture_on_commit_callbacks):
    """罗大哥's parcel of a guest order placed with the buyer's number only."""
    fish = shop["products"][0]
    order = helpers.place_order((fish, 2), email="")
    order_phone_record(order=order, phone=BUYER)
    with django_capture_on_commit_callbacks(execute=True):
        helpers.pay(order)
    SmsMessage.objects.all().delete()
    mail.outbox.clear()
    return Parcel.objects.get(order=order)


def test_shipped_and_delivered_reach_the_buyer_s_phone(
    parcel, shop, django_capture_on_commit_callbacks
):
    worker = shop["workers"][0]
    number = parcel.order.number

    with django_capture_on_commit_callbacks(execute=True):
        parcel_mark_shipped(
            parcel=parcel, carrier="顺丰", tracking_number="SF123", acting_user=worker
        )
        parcel_mark_delivered(parcel=parcel, acting_user=worker)

    assert texts() == [
        (
            "+8613812345678",
            f"【帮扶集市】您订单{number}的包裹已由顺丰发出，运单号SF123。",
        ),
        (
            "+8613812345678",
            f"【帮扶集市】您订单{number}的包裹已送达，感谢您支持农户。",
        ),
    ]
    assert mail.outbox == []


def test_cancelled_and_refunded_reach_the_buyer_s_phone(
    parcel, shop, django_capture_on_commit_callbacks
):
    worker = shop["workers"][0]
    number = parcel.order.number
    with django_capture_on_commit_callbacks(execute=True):
        parcel_mark_shipped(
            parcel=parcel, carrier="顺丰", tracking_number="SF1", acting_user=worker
        )
    SmsMessage.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        parcel_cancel(
            parcel=parcel,
            reason="一条鱼坏了",
            settlement="partial",
            amount=Decimal("15.00"),
            acting_user=worker,
        )
        parcel_cancel(
            parcel=parcel, reason="退回", settlement="returned", acting_user=worker
        )

    assert [text for _phone, text in texts()] == [
        f"【帮扶集市】您订单{number}中一个包裹已退款¥15.00，将在几天内原路退回。",
        f"【帮扶集市】抱歉，您订单{number}中的一个包裹无法发货，¥25.00将在几天内原路退回。",
    ]


def test_a_buyer_with_e_mail_and_number_hears_on_both(
    shop, django_capture_on_commit_callbacks
):
    fish = shop["products"][0]
    order = helpers.paid_order((fish, 1))
    order_phone_record(order=order, phone=BUYER)
    parcel = Parcel.objects.get(order=order)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        parcel_mark_shipped(
            parcel=parcel,
            carrier="顺丰",
            tracking_number="SF1",
            acting_user=shop["workers"][0],
        )

    assert [m.to for m in mail.outbox] == [["buyer@example.com"]]
    assert [phone for phone, _text in texts()] == ["+8613812345678"]


def test_social_workers_with_a_phone_get_the_new_parcel_by_sms(
    shop, django_capture_on_commit_callbacks
):
    # given: social worker A has a phone, B none
    worker_a, _worker_b = shop["workers"]
    worker_a.phone = "+8613900001111"
    worker_a.save()
    fish, _eggs, bacon = shop["products"]

    # when
    with django_capture_on_commit_callbacks(execute=True):
        order = helpers.paid_order((fish, 1), (bacon, 1))

    # then: A hears of 罗大哥's parcel by SMS, with no household's name
    parcel = Parcel.objects.get(order=order, household__slug="luo")
    assert texts() == [
        (
            "+8613900001111",
            f"【帮扶集市】订单{order.number}有新包裹（编号{parcel.pk}）"
            "待打包，请到工作台查看。",
        )
    ]
    assert len([m for m in mail.outbox if m.to[0].endswith("agency.example")]) == 2


@pytest.fixture
def alibaba_sdk(monkeypatch, settings):
    """A stand-in for the Alibaba Cloud SDK's modules: records each request."""
    settings.BANGFU_SMS_BACKEND = "sellers.notifications.AlibabaSms"
    settings.ALIBABA_SMS_ACCESS_KEY_ID = "key-id"
    settings.ALIBABA_SMS_ACCESS_KEY_SECRET = "key-secret"
    settings.BANGFU_SMS_TEMPLATES = {"sms_code": "SMS_100001"}
    sent = []
    answer = {"code": "OK"}

    class Model:
        def __init__(self, **kwargs):
            self.__dict__.update(kwargs)

    class Client:
        def __init__(self, config):
            self.config = config

        def send_sms_with_options(self, request, runtime):
            sent.append((self.config.__dict__, request.__dict__, runtime.__dict__))
            return Model(body=Model(code=answer["code"]))

    modules = {
        "alibabacloud_dysmsapi20170525": types.ModuleType("a"),
        "alibabacloud_dysmsapi20170525.client": Model(Client=Client),
        "alibabacloud_dysmsapi20170525.models": Model(SendSmsRequest=Model),
        "alibabacloud_tea_openapi": types.ModuleType("b"),
        "alibabacloud_tea_openapi.utils_models": Model(Config=Model),
        "darabonba": types.ModuleType("c"),
        "darabonba.runtime": Model(RuntimeOptions=Model),
    }
    for name, module in modules.items():
        monkeypatch.setitem(sys.modules, name, module)
    return sent, answer


def test_alibaba_sends_the_event_s_template_with_its_parameters(alibaba_sdk):
    sent, _answer = alibaba_sdk

    AlibabaSms().send(
        phone="+8613812345678",
        event="sms_code",
        params={"code": "123456"},
        text="unused",
    )

    [(config, request, runtime)] = sent
    assert config == {
        "access_key_id": "key-id",
        "access_key_secret": "key-secret",
        "endpoint": "dysmsapi.aliyuncs.com",
    }
    assert request == {
        "phone_numbers": "13812345678",
        "sign_name": "帮扶集市",
        "template_code": "SMS_100001",
        "template_param": json.dumps({"code": "123456"}),
    }
    assert runtime == {
        "autoretry": False,
        "connect_timeout": 5000,
        "read_timeout": 5000,
    }


def test_alibaba_refuses_an_event_without_a_template(alibaba_sdk):
    with pytest.raises(SmsNotConfigured):
        AlibabaSms().send(
            phone="+8613812345678", event="parcel_new", params={}, text=""
        )


def test_a_provider_error_is_logged_without_the_number(
    alibaba_sdk, db, caplog, django_capture_on_commit_callbacks
):
    # given: Alibaba answers with an error code
    _sent, answer = alibaba_sdk
    answer["code"] = "isv.BUSINESS_LIMIT_CONTROL"
    caplog.set_level(logging.DEBUG)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            event="sms_code",
            recipients=[Recipient(phone="+8613812345678")],
            context={"code": "654321"},
        )

    # then
    assert [r.getMessage() for r in caplog.records] == [
        "Notice sms_code through SmsChannel failed: SmsRefused"
    ]
    assert SmsRefused.__name__ in caplog.text
    assert "13812345678" not in caplog.text and "654321" not in caplog.text


def test_no_log_record_carries_the_number_while_parcels_are_notified(
    parcel, shop, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)

    with django_capture_on_commit_callbacks(execute=True):
        parcel_mark_shipped(
            parcel=parcel,
            carrier="顺丰",
            tracking_number="SF123",
            acting_user=shop["workers"][0],
        )

    assert len(texts()) == 1
    logged = "\n".join(f"{r.getMessage()} {r.args}" for r in caplog.records)
    assert "13812345678" not in logged


def test_the_refund_e_mail_says_the_money_goes_back_the_way_it_was_paid(
    shop, django_capture_on_commit_callbacks
):
    # Buyers pay by WeChat Pay and Alipay too: "to your card" was wrong for them.
    fish = shop["products"][0]
    order = helpers.paid_order((fish, 1))
    parcel = Parcel.objects.get(order=order)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        parcel_cancel(
            parcel=parcel,
            reason="鱼死了",
            settlement="returned",
            acting_user=shop["workers"][0],
        )

    [message] = mail.outbox
    assert message.to == ["buyer@example.com"]
    assert "将在几天内原路退回（微信支付、支付宝或银行卡）。" in message.body
    assert "银行卡，几天内会显示在账单上" not in message.body
