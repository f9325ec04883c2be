"""Content-Security-Policy (django-csp).

The store's own pages run only scripts from this site, Stripe.js, and inline
scripts carrying the request's nonce; nothing else (no inline handlers, no
eval, no plugins, no framing). Three back offices write inline scripts of
their own that cannot carry a nonce (Wagtail's choosers and date widgets,
Oscar's dashboard, Django admin): there, inline scripts are allowed and no
nonce is sent, since a nonce would make browsers ignore 'unsafe-inline'.
"""

from urllib.parse import urlsplit

from csp.constants import SELF, UNSAFE_EVAL, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings

BACK_OFFICE_PREFIXES = ("/cms/", "/shop/dashboard/", "/django-admin/")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def stripe_origins() -> list[str]:
    """Where Stripe.js comes from and talks to: Stripe, or the Stripe-compatible
    server of development and tests (read per request, as settings say)."""
    return sorted(
        {
            _origin(settings.STRIPE_JS_URL),
            _origin(settings.STRIPE_API_BASE or "https://api.stripe.com"),
        }
    )


def media_origins() -> list[str]:
    """Where public uploads come from when not from this site: the media
    bucket, or the CDN in front of it (settings/storage.py)."""
    if settings.MEDIA_URL.startswith("/"):
        return []
    return [_origin(settings.MEDIA_URL)]


class StoreCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if media := media_origins():
            parts.update = {**(parts.update or {}), "img-src": media}
        if request.path_info.startswith(BACK_OFFICE_PREFIXES):
            parts.nonce = None
            parts.replace = {
                **(parts.replace or {}),
                "script-src": [SELF, UNSAFE_INLINE, UNSAFE_EVAL],
                "style-src": [SELF, UNSAFE_INLINE],
            }
            return parts
        stripe = stripe_origins()
        parts.update = {
            **(parts.update or {}),
            "script-src": stripe,
            "connect-src": stripe,
            "frame-src": [*stripe, "https://hooks.stripe.com"],
        }
        return parts
