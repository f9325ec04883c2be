from django import template

from storefront.accounts.phones import mask_phone as _mask_phone

register = template.Library()


@register.filter
def mask_phone(value) -> str:
    """A mobile number as anyone but its owner may see it: 138****5678."""
    return _mask_phone(value) if value else ""
