"""Parts of every page that cost one query or none: the visitor's own regions
(basket count, account links, messages), the catalogue's category menu."""

from django import template
from oscar.templatetags.category_tags import get_annotated_list

from storefront.page_cache import fragment_get_or_set
from storefront.personal import region_render

register = template.Library()


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


@register.simple_tag(takes_context=True)
def personal(context, name: str, **given):
    """A part of the page that is this visitor's own (the basket count, the
    account links, messages), marked so that the shared page cache can keep
    the page without it and fill it in for each request."""
    return region_render(context["request"], name, **given)
