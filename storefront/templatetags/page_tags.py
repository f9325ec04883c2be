"""Parts of every page that cost one query or none: the header's basket count,
the catalogue's category menu."""

from django import template
from oscar.templatetags.category_tags import get_annotated_list

from storefront.basket_middleware import basket_item_count
from storefront.page_cache import fragment_get_or_set

register = template.Library()


@register.simple_tag(takes_context=True)
def basket_count(context) -> int:
    """How many items the visitor's basket holds (one query at most)."""
    request = context.get("request")
    return basket_item_count(request) if request is not None else 0


@register.simple_tag(takes_context=True)
def category_menu(context) -> list[dict]:
    """Oscar's category tree as the listings' menu shows it (pk, name, url),
    shared by every visitor until the catalogue changes."""
    return fragment_get_or_set(context.get("request"), "category-menu", _menu)


def _menu() -> list[dict]:
    return [
        {"pk": info.pk, "name": info.category.name, "url": info["url"]}
        for info in get_annotated_list()
    ]
