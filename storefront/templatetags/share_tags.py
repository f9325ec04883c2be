"""Sharing a page in WeChat: a QR code of its address and share metadata."""

import segno
from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def share_qr(context) -> str:
    """An inline SVG QR code of the current page's address (scan it in WeChat)."""
    request = context["request"]
    url = request.build_absolute_uri(request.path)
    # segno draws the SVG from the address alone: nothing else reaches it.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=4))


@register.simple_tag(takes_context=True)
def page_address(context) -> str:
    request = context["request"]
    return request.build_absolute_uri(request.path)
