"""Template helpers for produce cards; they read only prefetched data."""

from django import template

from catalog import selectors
from sellers.selectors import household_for_partner_ids, order_household_shares

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


@register.filter
def forms_by_household(formset):
    """Basket line forms grouped by the household that packs them, in basket order."""
    forms = list(formset)
    households = household_for_partner_ids(
        partner_ids=[form.instance.stockrecord.partner_id for form in forms]
    )
    groups: dict = {}
    for form in forms:
        household = households.get(form.instance.stockrecord.partner_id)
        groups.setdefault(household, []).append(form)
    return list(groups.items())


@register.filter
def household_shares(order):
    """An order's parcels with their households and stories (the impact receipt)."""
    return order_household_shares(order=order)
