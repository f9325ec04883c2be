"""The site header's basket count."""

from django import template

from storefront.basket_middleware import basket_item_count

register = template.Library()


@register.simple_tag(takes_context=True)
def basket_count(context) -> int:
    """How many items the visitor's basket holds (one query at most)."""
    request = context.get("request")
    return basket_item_count(request) if request is not None else 0
