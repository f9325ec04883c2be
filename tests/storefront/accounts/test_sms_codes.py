"""One-time sign-in codes: sent through the SMS channel, limited per number
and per address, valid five minutes, used once, dead after five wrong tries."""

import datetime
import logging

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sellers.clock import pinned
from sellers.models import SmsMessage
from storefront.accounts.models import SmsCode
from storefront.accounts.services import sms_code_send, sms_code_verify
from tests.storefront.accounts.helpers import NUMBER, OTHER_NUMBER, last_code, texts

T0 = timezone.make_aware(datetime.datetime(2026, 11, 30, 9, 0))


def at(**delta):
    return pinned(T0 + datetime.timedelta(**delta))


@pytest.fixture
def send(db, django_capture_on_commit_callbacks):
    def send(phone=NUMBER, ip="203.0.113.5", **delta):
        with at(**delta), django_capture_on_commit_callbacks(execute=True):
            sms_code_send(phone=phone, ip=ip)

    return send


def refusal(call) -> str:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.messages[0]


def verify(code, phone=NUMBER, **delta):
    with at(**delta):
        sms_code_verify(phone=phone, code=code)


def test_the_code_reaches_the_number_through_the_sms_channel(send):
    # when
    send()

    # then: one Chinese text, the code six digits, kept only as a hash
    code = last_code()
    assert texts() == [
        f"【帮扶集市】您的登录验证码为{code}，5分钟内有效，请勿告诉他人。"
    ]
    stored = SmsCode.objects.get()
    assert (stored.attempts, stored.used_at) == (0, None)
    assert stored.expires_at == T0 + datetime.timedelta(minutes=5)
    assert code not in stored.code_hash
    assert NUMBER.as_e164 not in stored.phone_key


def test_the_code_signs_in_once(send):
    send()
    code = last_code()

    verify(code, seconds=30)

    assert refusal(lambda: verify(code, seconds=40)) == (
        "验证码不正确或已失效，请核对或重新获取。"
    )


def test_a_code_expires_after_five_minutes(send):
    send()
    code = last_code()

    assert refusal(lambda: verify(code, minutes=5)) == (
        "验证码不正确或已失效，请核对或重新获取。"
    )


def test_a_code_is_still_good_just_before_five_minutes(send):
    send()

    verify(last_code(), minutes=4, seconds=59)

    assert SmsCode.objects.get().used_at == T0 + datetime.timedelta(
        minutes=4, seconds=59
    )


def test_a_second_code_within_a_minute_is_refused(send):
    send()

    message = refusal(lambda: send(seconds=59))

    assert message == "验证码刚刚已发送到这个号码，请1分钟后再获取。"
    assert len(texts()) == 1


def test_five_codes_an_hour_then_the_sixth_is_refused(send):
    for minute in range(0, 50, 10):
        send(minutes=minute)

    message = refusal(lambda: send(minutes=59))

    assert message == "这个号码一小时内获取验证码的次数过多，请稍后再试。"
    assert len(texts()) == 5
    send(minutes=60, seconds=1)  # the first has left the hour
    assert len(texts()) == 6


def test_ten_codes_a_day_then_the_eleventh_is_refused(send):
    for hour in range(10):
        send(hours=hour * 2)

    message = refusal(lambda: send(hours=22))

    assert message == "这个号码今天获取验证码的次数过多，请明天再试。"
    assert len(texts()) == 10


def test_one_address_asks_for_twenty_numbers_an_hour_then_is_refused(send):
    for n in range(20):
        send(phone=type(NUMBER).from_string(f"1390000{n:04d}", region="CN"))

    message = refusal(lambda: send(phone=OTHER_NUMBER, minutes=30))

    assert message == "您所在的网络获取验证码的次数过多，请稍后再试。"
    assert SmsMessage.objects.count() == 20
    send(phone=OTHER_NUMBER, ip="198.51.100.7", minutes=30)  # another network
    assert SmsMessage.objects.count() == 21


def test_five_wrong_codes_lock_the_code_even_for_the_right_one(send):
    send()
    code = last_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    messages = [refusal(lambda: verify(wrong, seconds=10)) for _ in range(5)]

    assert messages == ["验证码不正确或已失效，请核对或重新获取。"] * 4 + [
        "验证码输错次数过多，请重新获取。"
    ]
    assert refusal(lambda: verify(code, seconds=20)) == (
        "验证码输错次数过多，请重新获取。"
    )
    assert SmsCode.objects.get().attempts == 5


def test_a_new_code_after_the_lockout_works(send):
    send()
    for _ in range(5):
        refusal(lambda: verify("000000" if last_code() != "000000" else "111111"))

    send(minutes=1)
    verify(last_code(), minutes=1, seconds=30)

    assert SmsCode.objects.filter(used_at__isnull=False).count() == 1


def test_only_the_latest_code_counts(send):
    send()
    first = last_code()
    send(minutes=2)
    if last_code() == first:
        pytest.skip("the two random codes happen to be equal")

    assert refusal(lambda: verify(first, minutes=3)) == (
        "验证码不正确或已失效，请核对或重新获取。"
    )


def test_a_number_that_never_asked_is_told_the_same_as_a_wrong_code(db):
    assert refusal(lambda: verify("123456", phone=OTHER_NUMBER)) == (
        "验证码不正确或已失效，请核对或重新获取。"
    )


def test_codes_older_than_a_day_are_deleted(send):
    send(phone=OTHER_NUMBER)

    send(days=1)

    assert SmsCode.objects.count() == 1


def test_no_log_record_carries_the_number_or_the_code(send, caplog):
    caplog.set_level(logging.DEBUG)

    send()
    code = last_code()
    refusal(lambda: send(seconds=5))
    refusal(lambda: verify("000000" if code != "000000" else "111111"))
    verify(code, seconds=10)

    logged = "\n".join(
        f"{r.getMessage()} {r.args} {r.exc_text}" for r in caplog.records
    )
    assert "13812345678" not in logged and "5678" not in logged
    assert code not in logged
