"""Whole-page cache for visitors who are anonymous and have an empty basket.

Most visitors arrive from a WeChat or Douyin link with no cookies: for them the
catalogue, product, story and home pages are the same for everyone but for the
CSRF token of the add-to-basket forms. Those pages are cached per URL and
language under a version that every change to what they show increments
(receivers in storefront/receivers.py), and each visitor's own CSRF token is
put back into the forms on the way out.
"""

import hashlib
import re
import time

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
# Any of these cookies means the page may differ for this visitor: a session
# (signed in, or messages), a basket, or flash messages.
PERSONAL_COOKIES = {
    settings.SESSION_COOKIE_NAME,
    settings.OSCAR_BASKET_COOKIE_OPEN,
    "messages",
}
# The product page lists the visitor's recently viewed products.
PERSONAL_COOKIES_BY_VIEW = {
    "catalogue:detail": {settings.OSCAR_RECENTLY_VIEWED_COOKIE_NAME},
}
# Cookies a cacheable response may set: the CSRF cookie (each visitor gets his
# own token on the way out) and the recently-viewed list, which a cache hit
# does not update.
HARMLESS_COOKIES = {
    settings.CSRF_COOKIE_NAME,
    settings.OSCAR_RECENTLY_VIEWED_COOKIE_NAME,
}


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


def is_cacheable(request) -> bool:
    match = request.resolver_match
    if request.method != "GET" or match is None:
        return False
    if not request.GET.keys() <= KNOWN_PARAMETERS:
        return False
    if match.view_name not in CACHEABLE_VIEWS:
        return False
    personal = PERSONAL_COOKIES | PERSONAL_COOKIES_BY_VIEW.get(match.view_name, set())
    return not personal & request.COOKIES.keys()


def cache_key(request, version: int) -> str:
    query = sorted((k, request.GET.get(k)) for k in request.GET)
    path = hashlib.sha1(f"{request.path}?{query}".encode()).hexdigest()
    # The day is part of the key: a certificate's badge must go when it expires.
    return f"page:{version}:{timezone.localdate()}:{get_language()}:{path}"


class AnonymousPageCacheMiddleware:
    """Serve and store whole public pages for cookie-less visitors."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        if (
            key
            and response.status_code == 200
            and not response.streaming
            and response.cookies.keys() <= HARMLESS_COOKIES
        ):
            content = CSRF_VALUE.sub(rb"\1" + PLACEHOLDER + rb"\2", response.content)
            content = NONCE_VALUE.sub(rb"\1" + NONCE_PLACEHOLDER + rb"\2", content)
            cache.set(key, (content, response["Content-Type"]), CACHE_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_cacheable(request):
            return None
        request._page_cache_key = cache_key(request, version_for_request(request))
        cached = cache.get(request._page_cache_key)
        if cached is None:
            return None
        request._page_cache_key = None
        content, content_type = cached
        token = get_token(request).encode()
        content = content.replace(PLACEHOLDER, token)
        if NONCE_PLACEHOLDER in content:
            # Reading the nonce puts it in this response's CSP header.
            content = content.replace(
                NONCE_PLACEHOLDER, str(request.csp_nonce).encode()
            )
        return HttpResponse(content, content_type=content_type)
