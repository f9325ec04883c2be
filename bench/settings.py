"""Production settings plus the benchmark's baseline URLs; for bench/load.py only."""

from storefront.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The load runs over plain HTTP on loopback: cookies must travel without TLS.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
OSCAR_BASKET_COOKIE_SECURE = False
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = False
