from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from sellers.models import ConsentScope, DisplayLevel, HouseholdRecord

register = template.Library()

# Fields of a listing and of a consent, as the audit trail names them.
AUDIT_FIELDS = {
    "title": _("Product name"),
    "category": _("Category"),
    "unit": _("Unit"),
    "price": _("Price per unit (¥)"),
    "available": _("Available to sell"),
    "harvest_date": _("Harvest date"),
    "description": _("Description"),
    "photo": _("Photo"),
    "display_level": _("consented display level"),
    "scope": _("scope"),
    # A sales plan's
    "season": _("Season"),
    "starts_on": _("Starts on"),
    "ends_on": _("Ends on"),
    "target_income": _("Target income (¥)"),
    "campaigns": _("Campaigns"),
    "channels": _("Other channels"),
    "produce": _("What the household will produce"),
    "notes": _("Notes"),
}


@register.filter
def audit_field(name: str) -> str:
    """A changed field's name in the reader's language."""
    if name in AUDIT_FIELDS:
        return AUDIT_FIELDS[name]
    try:
        return HouseholdRecord._meta.get_field(name).verbose_name
    except FieldDoesNotExist:
        return name


# Fields whose audit values are codes, and the labels of those codes.
AUDIT_CODES = {"display_level": DisplayLevel, "scope": ConsentScope}


@register.filter
def audit_value(value, field: str):
    """A changed value in the reader's language: a consent's display level and
    scope are stored as codes ("anonymous", "story,village")."""
    choices = AUDIT_CODES.get(field)
    if choices is None or not value:
        return value
    labels = dict(choices.choices)
    return pgettext("list separator", ", ").join(
        str(labels.get(code, code)) for code in str(value).split(",")
    )
