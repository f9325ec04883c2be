"""The parts of a public page that are each visitor's own.

Public pages are cached whole and shared (storefront/page_cache.py). What
differs from one visitor to the next — the basket count and account links in
the header, flash messages, the products this visitor viewed — is rendered
into a marked region. The cache stores each region empty, and every response
served from it gets its regions rendered for its own request: a shopper with a
basket gets the shared page plus a few small fragments, not a whole render.

A region is rendered the same way whether the page is rendered whole or
filled from the cache, by one function per region below, so the two cannot
drift apart.
"""

import re

from django.contrib.auth.context_processors import PermWrapper
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from oscar.apps.customer.history import CustomerHistoryManager
from oscar.core.loading import get_model

from storefront.basket_middleware import basket_item_count

Product = get_model("catalogue", "Product")

# Only our templates write these markers: what visitors type is escaped
# ("<" becomes "&lt;") and rich text is cleaned of comments.
REGION = re.compile(rb"<!--personal:([a-z-]+)-->.*?<!--/personal-->", re.S)


def _basket(request, **given) -> str:
    return render_to_string(
        "includes/header_basket.html", {"count": basket_item_count(request)}
    )


def _account(request, **given) -> str:
    user = request.user
    return render_to_string(
        "includes/header_account.html", {"user": user, "perms": PermWrapper(user)}
    )


def _messages(request, **given) -> str:
    return render_to_string(
        "includes/messages.html", {"messages": get_messages(request)}
    )


def _alerts(request, **given) -> str:
    # Oscar's pages (the product page among them) show messages its own way.
    return render_to_string(
        "includes/alert_messages.html", {"messages": get_messages(request)}
    )


def _recently_viewed(request, products=None, **given) -> str:
    if products is None:
        # Filled from the cache: the page's own product is left out, as
        # Oscar's tag leaves out the product being viewed.
        current = int(request.resolver_match.kwargs.get("pk", 0))
        ids = [
            id_
            for id_ in CustomerHistoryManager.extract(request)
            if isinstance(id_, int) and id_ != current
        ]
        found = Product.objects.browsable().select_related("product_class").in_bulk(ids)
        products = [found[id_] for id_ in reversed(ids) if id_ in found]
    # With the request: the cards' add-to-basket forms need its CSRF token.
    return render_to_string(
        "includes/recently_viewed.html", {"products": products}, request=request
    )


RENDERERS = {
    "basket": _basket,
    "account": _account,
    "messages": _messages,
    "alerts": _alerts,
    "recently-viewed": _recently_viewed,
}


def region_render(request, name: str, **given) -> SafeString:
    """The region for this request, between its markers."""
    html = RENDERERS[name](request, **given)
    return mark_safe(f"<!--personal:{name}-->{html}<!--/personal-->")


def regions_empty(content: bytes) -> bytes:
    """The page as the cache keeps it: every region empty."""
    return REGION.sub(rb"<!--personal:\1--><!--/personal-->", content)


def regions_fill(content: bytes, request, *, cookieless: bool = False) -> bytes:
    """A cached page with its regions rendered for this request.

    A visitor without cookies has no basket, session, messages or history:
    his regions depend on the language alone and are rendered once a process.
    """
    if cookieless:
        return REGION.sub(
            lambda match: _cookieless_region(request, match[1].decode()), content
        )
    return REGION.sub(
        lambda match: region_render(request, match[1].decode()).encode(), content
    )


_COOKIELESS: dict[tuple[str, str], bytes] = {}


def _cookieless_region(request, name: str) -> bytes:
    key = (name, get_language())
    if key not in _COOKIELESS:
        _COOKIELESS[key] = region_render(request, name).encode()
    return _COOKIELESS[key]
