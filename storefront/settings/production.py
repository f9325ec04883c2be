"""Production: every secret from the environment, HTTPS only; fails fast."""

import os

from .base import *  # noqa: F403
from .base import JSON_LOGGING, env, env_bool

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = os.environ["DJANGO_ALLOWED_HOSTS"].split(",")
STRIPE_SECRET_KEY = os.environ["STRIPE_SECRET_KEY"]
STRIPE_PUBLISHABLE_KEY = os.environ["STRIPE_PUBLISHABLE_KEY"]
STRIPE_WEBHOOK_SECRET = os.environ["STRIPE_WEBHOOK_SECRET"]
# Texts go to Alibaba Cloud SMS unless told otherwise; its keys and templates
# come from the environment (sms.py): `check --deploy` fails without any of
# them (sellers/checks.py), and a notice it cannot send is logged.
BANGFU_SMS_BACKEND = env("BANGFU_SMS_BACKEND", "sellers.notifications.AlibabaSms")
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
OSCAR_BASKET_COOKIE_SECURE = True
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = True

# Operations: JSON log lines with request ids; the load balancer's health
# probe and Prometheus' scrape come over plain HTTP to the node itself.
LOGGING = JSON_LOGGING
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^health/node/$", r"^metrics$"]
