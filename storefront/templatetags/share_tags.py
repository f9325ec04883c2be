"""Sharing a page in WeChat: a QR code of its address and share metadata."""

import hashlib

import segno
from django import template
from django.utils.safestring import mark_safe

from storefront.page_cache import fragment_get_or_set

register = template.Library()


@register.simple_tag(takes_context=True)
def share_qr(context) -> str:
    """An inline SVG QR code of the current page's address (scan it in WeChat)."""
    request = context["request"]
    url = request.build_absolute_uri(request.path)
    # Drawing one takes longer than the rest of a product page: each address's
    # is kept under the public version, so a story's goes with its consent.
    svg = fragment_get_or_set(
        request, f"share-qr:{hashlib.sha1(url.encode()).hexdigest()}", lambda: _qr(url)
    )
    return mark_safe(svg)


def _qr(url: str) -> str:
    # segno draws the SVG from the address alone: nothing else reaches it.
    return segno.make(url, error="m").svg_inline(scale=4)


@register.simple_tag(takes_context=True)
def page_address(context) -> str:
    request = context["request"]
    return request.build_absolute_uri(request.path)
