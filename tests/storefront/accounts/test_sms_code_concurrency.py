"""Taps at once on "send" and "sign in", in real threads: on PostgreSQL in
CI's second run, on file-based SQLite in the first.

On PostgreSQL, without the number's row lock eight simultaneous requests
sent several codes to one number within its minute, and without the code's
row lock one code signed in several times.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sellers.clock import pinned
from sellers.models import SmsMessage
from storefront.accounts.models import SmsCode
from storefront.accounts.services import sms_code_send, sms_code_verify
from tests.storefront.accounts.helpers import NUMBER, last_code
from tests.storefront.checkout.test_concurrency import race

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_data"),
]


def outcome(call):
    try:
        call()
    except ValidationError as error:
        return error.messages[0]
    return "ok"


def test_eight_taps_on_send_at_once_send_one_code():
    # given: the number had a code three minutes ago
    with pinned(timezone.now() - datetime.timedelta(minutes=3)):
        sms_code_send(phone=NUMBER, ip="203.0.113.5")

    # when
    results = race(
        lambda index: outcome(lambda: sms_code_send(phone=NUMBER, ip="203.0.113.5")),
        8,
    )

    assert (
        sorted(results)
        == ["ok"] + ["验证码刚刚已发送到这个号码，请1分钟后再获取。"] * 7
    )
    assert (SmsCode.objects.count(), SmsMessage.objects.count()) == (2, 2)


def test_the_right_code_entered_six_times_at_once_signs_in_once():
    sms_code_send(phone=NUMBER, ip="203.0.113.5")
    code = last_code()

    results = race(
        lambda index: outcome(lambda: sms_code_verify(phone=NUMBER, code=code)), 6
    )

    assert sorted(results) == ["ok"] + ["验证码不正确或已失效，请核对或重新获取。"] * 5
