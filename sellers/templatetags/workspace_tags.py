from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from sellers.models import HouseholdRecord

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
