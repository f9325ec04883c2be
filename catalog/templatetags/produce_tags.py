"""Template helpers for produce cards; they read only prefetched data."""

from django import template

from catalog import selectors

register = template.Library()


@register.filter
def product_household(product):
    """The household that sells this product (None if it has no stock record)."""
    return selectors.product_household(product)


@register.filter
def product_attribute(product, code):
    """One attribute's value (unit, origin village, harvest date) or ''."""
    for value in product.get_attribute_values():
        if value.attribute.code == code:
            return value.value
    return ""
