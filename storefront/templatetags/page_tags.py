"""Parts of every page that cost one query or none: the visitor's own regions
(basket count, account links, messages), the catalogue's category menu, a
page's body."""

from django import template
from django.utils.safestring import mark_safe
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


@register.simple_tag(takes_context=True)
def page_body(context, page):
    """The page's StreamField body as HTML, shared by every visitor until
    anything public changes: its images (a query) and their renditions are read
    once a version, not on every request. A preview is rendered afresh."""
    request = context.get("request")

    def render() -> str:
        return str(page.body.render_as_block(context={"request": request}))

    if request is None or getattr(request, "is_preview", False):
        return mark_safe(render())
    name = f"page-body:{page.pk}:{page.latest_revision_id}"
    return mark_safe(fragment_get_or_set(request, name, render))
