"""Mainland mobile numbers: read what a buyer types, show them masked."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import PhoneNumber
from phonenumbers import NumberParseException

MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")
NOT_A_MAINLAND_MOBILE = _(
    "Please enter a mainland China mobile number, e.g. 13912345678."
)


def mainland_mobile(value) -> PhoneNumber | None:
    """The mainland mobile number in `value` ("13912345678", "+86 139 1234
    5678"), or None if it is none."""
    try:
        number = PhoneNumber.from_string(str(value or "").strip(), region="CN")
    except NumberParseException:
        return None
    if number.country_code == 86 and MAINLAND_MOBILE.match(str(number.national_number)):
        return number
    return None


def phone_cn(number) -> str:
    """A mainland number as its owner writes it (13912345678); others as stored."""
    if not number:
        return ""
    if getattr(number, "country_code", None) == 86:
        return str(number.national_number)
    return str(number)


def mask_phone(value) -> str:
    """138****5678: enough for its owner to recognise, nothing for anyone else."""
    number = mainland_mobile(value)
    digits = str(number.national_number) if number else re.sub(r"\D", "", str(value))
    if len(digits) < 8:
        return "****"
    return f"{digits[:3]}****{digits[-4:]}"


class MainlandMobileField(forms.CharField):
    """A mainland mobile number, cleaned to a PhoneNumber (stored as E.164)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {
            **super().widget_attrs(widget),
            "type": "tel",
            "inputmode": "tel",
            "autocomplete": "tel",
        }

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        number = mainland_mobile(value)
        if number is None:
            raise forms.ValidationError(NOT_A_MAINLAND_MOBILE, code="invalid")
        return number
