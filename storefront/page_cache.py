"""Whole-page cache of the public pages, shared by visitors and shoppers.

Most visitors arrive from a WeChat or Douyin link with no cookies, and everyone
about to buy has a session and a basket; the catalogue, product, story and home
pages are the same for all of them but for a few small parts. Those pages are
cached per URL and language under a version that every change to what they
show increments (receivers in storefront/receivers.py). On the way out each
response gets its visitor's own CSRF token and CSP nonce, and its personal
regions (basket count, account links, messages, recently viewed products;
storefront/personal.py) rendered for its request.

The basket page of a guest is cached too, per basket: under the lines it
holds, the site's offers in force and the same version (guest_basket_state in
storefront/basket_middleware.py), so that looking at one's basket again does
not load and price it again.

Not shared: staff's pages (Oscar's edit links), signed-in users' product
pages (wish lists, stock alerts and reviews there depend on the user), pages
behind a Wagtail view restriction, and any response but a plain 200.
"""

import hashlib
import re
import time
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language
from oscar.apps.customer.history import CustomerHistoryManager

from storefront.basket_middleware import guest_basket_state
from storefront.personal import regions_empty, regions_fill

CACHE_SECONDS = 300
CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
PLACEHOLDER = b"__bangfu_csrf_token__"
# Inline scripts carry the request's CSP nonce: a cached page gets the new one.
NONCE_VALUE = re.compile(rb'(<script nonce=")[^"]*(")')
NONCE_PLACEHOLDER = b"__bangfu_csp_nonce__"
CACHEABLE_VIEWS = {
    "catalogue:index",
    "catalogue:category",
    "catalogue:household",
    "catalogue:village",
    "catalogue:detail",
    "wagtail_serve",
}
# Cookies that make a visitor a shopper: a session (signed in, or messages),
# a basket, flash messages, products viewed. Their pages differ only in the
# personal regions.
PERSONAL_COOKIES = {
    settings.SESSION_COOKIE_NAME,
    settings.OSCAR_BASKET_COOKIE_OPEN,
    "messages",
    settings.OSCAR_RECENTLY_VIEWED_COOKIE_NAME,
}
# Cookies a response stored in the cache may set: the CSRF cookie (each visitor
# gets his own token on the way out) and the shopper's own cookies, which
# only the regions show.
HARMLESS_COOKIES = {settings.CSRF_COOKIE_NAME, *PERSONAL_COOKIES}


def _version_model():
    # Through the registry: the page models cache fragments through this module.
    return apps.get_model("storefront", "PublicVersion")


def version_get() -> int:
    return (
        _version_model().objects.filter(pk=1).values_list("value", flat=True).first()
        or 0
    )


def version_for_request(request) -> int:
    """The version, read once per request."""
    if not hasattr(request, "_public_version"):
        request._public_version = version_get()
    return request._public_version


def fragment_get_or_set(request, name: str, compute):
    """A piece of a public page shared by every visitor (the category menu, the
    after-sales link), cached under the same version as whole pages and in the
    request's language: any change to what public pages show, a household's
    consent included, bumps the version and so retires it in every process."""
    if request is None:
        return compute()
    key = f"fragment:{version_for_request(request)}:{get_language()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def version_bump() -> None:
    """Invalidate every cached page, once the current transaction commits."""
    # robust: a failure here must never surface in the request whose
    # transaction (an order, say) has already committed.
    transaction.on_commit(_increment, robust=True)


def _increment() -> None:
    # Time-based, so that a database restored from a backup never reuses a
    # version that cached pages were stored under.
    now = time.time_ns() // 1000
    PublicVersion = _version_model()
    if not PublicVersion.objects.filter(pk=1).update(
        value=Greatest(F("value") + 1, Value(now))
    ):
        PublicVersion.objects.get_or_create(pk=1, defaults={"value": now})


# The query parameters pages understand; any other makes the request uncached,
# so made-up URLs cannot fill the cache.
KNOWN_PARAMETERS = {"q", "sort", "page", "town", "village"}
# What WeChat appends to every link shared in a chat or in Moments: the page is
# the same with or without it, so it is left out of the key (with only these
# values: nothing else a link carries is echoed into a shared page).
WECHAT_PARAMETERS = {
    "from": {"singlemessage", "groupmessage", "timeline"},
    "isappinstalled": {"0", "1"},
}


def _wechat_parameter(request, name: str) -> bool:
    values = WECHAT_PARAMETERS.get(name)
    return values is not None and set(request.GET.getlist(name)) <= values


def is_cacheable(request) -> bool:
    match = request.resolver_match
    if request.method != "GET" or match is None:
        return False
    if not all(
        name in KNOWN_PARAMETERS or _wechat_parameter(request, name)
        for name in request.GET
    ):
        return False
    if match.view_name not in CACHEABLE_VIEWS:
        return False
    if not PERSONAL_COOKIES & request.COOKIES.keys():
        return True
    # A shopper: only staff (Oscar's edit links) and a signed-in user's
    # product page (wish lists, stock alert, review links) differ outside the
    # regions.
    user = request.user
    if user.is_staff:
        return False
    return not (match.view_name == "catalogue:detail" and user.is_authenticated)


def page_restricted_mark(request) -> None:
    """The page served is behind a view restriction (a password, signed-in
    users or groups): its response is for this visitor only."""
    request._page_restricted = True


def cache_key(request, version: int) -> str:
    query = sorted(
        (k, request.GET.get(k)) for k in request.GET if k in KNOWN_PARAMETERS
    )
    path = hashlib.sha1(f"{request.path}?{query}".encode()).hexdigest()
    # The day is part of the key: a certificate's badge must go when it expires.
    return f"page:{version}:{timezone.localdate()}:{get_language()}:{path}"


def basket_cache_key(request) -> str | None:
    """The guest's basket page's key: his lines as they are, the site's offers
    in force now and the version (products, prices, stock, households and
    offers); None when it is not cached."""
    match = request.resolver_match
    if (
        request.method != "GET"
        or request.GET
        or match is None
        or match.view_name != "basket:summary"
    ):
        return None
    lines = guest_basket_state(request)
    if lines is None:
        return None
    state = repr((lines, site_offers_in_force(request))).encode()
    digest = hashlib.sha1(state).hexdigest()
    return f"basket:{version_for_request(request)}:{get_language()}:{digest}"


def site_offers_in_force(request) -> tuple[int, ...]:
    """The site's offers that apply now, as Oscar's applicator finds them: the
    open ones are read once a version (a change to an offer bumps it), their
    dates applied at each request, so that an offer starting or ending changes
    the basket page's key without any change saved."""
    offers = fragment_get_or_set(request, "site-offers", _site_offers_open)
    now = timezone.now()
    return tuple(
        pk
        for pk, start, end in offers
        if (start is None or start <= now) and (end is None or end >= now)
    )


def _site_offers_open() -> list[tuple]:
    ConditionalOffer = apps.get_model("offer", "ConditionalOffer")
    return list(
        ConditionalOffer.objects.filter(
            offer_type=ConditionalOffer.SITE, status=ConditionalOffer.OPEN
        ).values_list("pk", "start_datetime", "end_datetime")
    )


def page_key(request) -> str | None:
    """The key this request's page is cached under, None if it is not."""
    if is_cacheable(request):
        return cache_key(request, version_for_request(request))
    return basket_cache_key(request)


class AnonymousPageCacheMiddleware:
    """Serve and store whole public pages for visitors and shoppers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        if (
            key
            and response.status_code == 200
            and not response.streaming
            and not getattr(request, "_page_restricted", False)
            and response.cookies.keys() <= HARMLESS_COOKIES
        ):
            content = CSRF_VALUE.sub(rb"\1" + PLACEHOLDER + rb"\2", response.content)
            content = NONCE_VALUE.sub(rb"\1" + NONCE_PLACEHOLDER + rb"\2", content)
            content = regions_empty(content)
            cache.set(key, (content, response["Content-Type"]), CACHE_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request._page_cache_key = page_key(request)
        if request._page_cache_key is None:
            return None
        cached = cache.get(request._page_cache_key)
        if cached is None:
            return None
        request._page_cache_key = None
        content, content_type = cached
        content = regions_fill(
            content, request, cookieless=not PERSONAL_COOKIES & request.COOKIES.keys()
        )
        token = get_token(request).encode()
        content = content.replace(PLACEHOLDER, token)
        if NONCE_PLACEHOLDER in content:
            # Reading the nonce puts it in this response's CSP header.
            content = content.replace(
                NONCE_PLACEHOLDER, str(request.csp_nonce).encode()
            )
        response = HttpResponse(content, content_type=content_type)
        if request.resolver_match.view_name == "catalogue:detail":
            # As Oscar's product view does: the product joins the visitor's
            # recently viewed (the cached page exists, so the product does).
            CustomerHistoryManager.update(
                SimpleNamespace(id=int(view_kwargs["pk"])), request, response
            )
        return response
