"""Deployment checks of what the domain's channels need in production
(`manage.py check --deploy`, which CI runs with the production settings)."""

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string


@checks.register("sms", deploy=True)
def sms_provider_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The SMS provider has everything it needs to send every event's text:
    otherwise sign-in codes, receipts and parcel notices fail one by one at
    send time, each merely logged."""
    from .notifications import SMS_PARAMS, SmsSink

    path = settings.BANGFU_SMS_BACKEND
    try:
        provider = import_string(path)
    except ImportError:
        return [
            checks.Error(
                f"BANGFU_SMS_BACKEND is {path!r}, which cannot be imported.",
                hint="Name a provider class, e.g. sellers.notifications.AlibabaSms.",
                id="sellers.E001",
            )
        ]
    if provider is SmsSink:
        return [
            checks.Warning(
                "Texts are kept in the database by the local SMS sink, never "
                "sent: buyers get no sign-in code, receipt or parcel notice.",
                hint="Set BANGFU_SMS_BACKEND to a provider, e.g. "
                "sellers.notifications.AlibabaSms, with its keys.",
                id="sellers.W001",
            )
        ]
    missing_settings = getattr(provider, "missing_settings", None)
    missing = missing_settings(events=list(SMS_PARAMS)) if missing_settings else []
    if not missing:
        return []
    return [
        checks.Error(
            f"{provider.__name__} sends the store's texts, but "
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not "
            "set: no text could be sent.",
            hint="Set them in the environment (README, SMS): the keys of an "
            "account allowed to send, the approved sign name and one approved "
            "template code per event.",
            id="sellers.E002",
        )
    ]
