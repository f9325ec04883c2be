"""`check --deploy` refuses an SMS provider that lacks what it needs to send
every event's text."""

from django.core import checks

from sellers.checks import sms_provider_check
from sellers.notifications import SMS_PARAMS

ALIBABA = "sellers.notifications.AlibabaSms"


def configured(settings):
    settings.BANGFU_SMS_BACKEND = ALIBABA
    settings.ALIBABA_SMS_ACCESS_KEY_ID = "LTAI-not-real"
    settings.ALIBABA_SMS_ACCESS_KEY_SECRET = "not-real"
    settings.BANGFU_SMS_SIGN_NAME = "帮扶集市"
    settings.BANGFU_SMS_TEMPLATES = dict.fromkeys(SMS_PARAMS, "SMS_000000")


def test_a_provider_with_its_keys_sign_and_templates_passes(settings):
    configured(settings)

    assert sms_provider_check() == []


def test_a_provider_missing_anything_is_an_error_naming_each_setting(settings):
    # given: no secret, a blank sign name, and the receipt's template not approved
    configured(settings)
    settings.ALIBABA_SMS_ACCESS_KEY_SECRET = ""
    settings.BANGFU_SMS_SIGN_NAME = " "
    del settings.BANGFU_SMS_TEMPLATES["order_receipt"]

    # when
    found = sms_provider_check()

    # then
    assert [(m.level, m.id, m.msg) for m in found] == [
        (
            checks.ERROR,
            "sellers.E002",
            "AlibabaSms sends the store's texts, but ALIBABA_SMS_ACCESS_KEY_SECRET, "
            "BANGFU_SMS_SIGN_NAME, ALIBABA_SMS_TEMPLATE_ORDER_RECEIPT are not set: "
            "no text could be sent.",
        )
    ]


def test_each_event_the_store_texts_needs_its_template(settings):
    configured(settings)
    settings.BANGFU_SMS_TEMPLATES = {"sms_code": "SMS_000000"}

    [found] = sms_provider_check()

    assert found.msg == (
        "AlibabaSms sends the store's texts, but "
        + ", ".join(
            f"ALIBABA_SMS_TEMPLATE_{event.upper()}"
            for event in SMS_PARAMS
            if event != "sms_code"
        )
        + " are not set: no text could be sent."
    )


def test_an_unknown_backend_is_an_error(settings):
    settings.BANGFU_SMS_BACKEND = "sellers.notifications.TencentSms"

    assert [(m.level, m.id) for m in sms_provider_check()] == [
        (checks.ERROR, "sellers.E001")
    ]


def test_the_local_sink_is_a_warning_where_deployed(settings):
    settings.BANGFU_SMS_BACKEND = "sellers.notifications.SmsSink"

    assert [(m.level, m.id) for m in sms_provider_check()] == [
        (checks.WARNING, "sellers.W001")
    ]


def test_the_check_runs_with_the_deployment_checks_only(settings):
    registered = checks.registry.registry

    assert sms_provider_check in registered.get_checks(include_deployment_checks=True)
    assert sms_provider_check not in registered.get_checks()
