"""Settings shared by every environment; each value comes from the environment."""

import datetime
from decimal import Decimal
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from storefront.checkout.statuses import OrderStatus

from .environment import env, env_bool, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env("DJANGO_SECRET_KEY", "insecure-dev-key-never-used-in-production")
DEBUG = False
ALLOWED_HOSTS = [h for h in (env("DJANGO_ALLOWED_HOSTS", "") or "").split(",") if h]

# Applications

INSTALLED_APPS = [
    # Our apps come first so that their templates and translations win.
    "storefront.accounts",
    "storefront",
    "sellers",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_prometheus",
    # Oscar; the catalogue is our fork (package "catalog", label "catalogue").
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "storefront.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "storefront.shipping.apps.ShippingConfig",
    "catalog.apps.CatalogConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "oscar.apps.partner.apps.PartnerConfig",
    "storefront.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "oscar.apps.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "storefront.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "storefront.dashboard.orders.apps.OrdersDashboardConfig",
    "storefront.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before the page cache: cached pages get this request's nonce.
    "storefront.csp.StoreCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise (static files come compressed already), before everything
    # that writes the body (the page cache puts each visitor's token back).
    "storefront.compression.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After auth and messages: they answer with a message to the user.
    "storefront.admin_guard.AdminBadInputMiddleware",
    "storefront.admin_guard.WorkflowActionOnceMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "storefront.basket_middleware.BasketMiddleware",
    # After auth, CSRF and locale: it needs the language and hands out tokens.
    "storefront.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a lockout into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "storefront.urls"
WSGI_APPLICATION = "storefront.wsgi.application"
SITE_ID = 1
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses every attempt while an account and address are locked out.
    "storefront.accounts.backends.LockoutBackend",
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "customer:login"
# Login lockout (django-axes): five failures for one account from one address
# lock that pair for 30 minutes; a success resets the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes_lockout.html"
AXES_VERBOSE = False
# Recorded attempts carry no address, e-mail or password, under any form's
# field names (Oscar prefixes its fields).
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "login-username",
    "login-password",
    "registration-email",
    "registration-password1",
    "registration-password2",
]
# E-mail addresses match whatever their case: so does the failure count.
AXES_USERNAME_CALLABLE = "storefront.accounts.backends.lockout_username"
LOGIN_REDIRECT_URL = "/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
                "sellers.context_processors.workspace_roles",
            ],
        },
    },
]

# Database: DATABASE_URL selects PostgreSQL; SQLite otherwise.

DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=600, conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # Parameters sent apart from the query (the extended protocol) rather
        # than quoted into it by psycopg's client-side cursor, in Python, for
        # every query: a shopper's basket page (ten queries) took a quarter
        # less time (docs/performance.md). Nothing is prepared (Django leaves
        # psycopg's prepare_threshold at None), so pgbouncer's transaction
        # pooling is unaffected. DATABASE_SERVER_SIDE_BINDING=0 turns it off.
        DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = (
            env_bool("DATABASE_SERVER_SIDE_BINDING", True)
        )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # IMMEDIATE transactions and WAL keep concurrent writers from
            # failing with "database is locked".
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and sessions: REDIS_URL moves both to Redis.

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "bangfu",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    # Pages, fragments, thumbnail URLs and sorl's key-value store share it: at
    # Django's default of 300 entries a catalogue of a few hundred products
    # keeps evicting its own thumbnails, and every render redraws their URLs.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# Language and time

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Our strings first, then the translations Oscar's and Wagtail's own zh_Hans
# catalogues lack.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "oscar"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static files and uploads

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Public uploads under MEDIA_URL are served by storefront.media (product
# photos, renditions, thumbnails only) unless the web server in front serves
# them itself (README, "Media in production").
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
# Payout receipts and other papers of households: outside MEDIA_ROOT, never
# served as static files, only through views that check who asks.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))

# Object storage (storage.py): S3_BUCKET and S3_PRIVATE_BUCKET move uploads
# (STORAGES "default" and "private") and MEDIA_URL off this machine's disk.

from .storage import *  # noqa: E402,F403
from .storage import UPLOAD_STORAGES  # noqa: E402

STORAGES = {
    **UPLOAD_STORAGES,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# E-mail

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Bangfu Market <noreply@bangfu.example>")

# Oscar

from oscar.defaults import *  # noqa: E402,F403

OSCAR_SHOP_NAME = _("Bangfu Market")
OSCAR_SHOP_TAGLINE = _("Buy from rural households; the money reaches them")
OSCAR_DEFAULT_CURRENCY = "CNY"
OSCAR_CURRENCY_FORMAT = {"CNY": {"format": "¥#,##0.00", "currency_digits": False}}
OSCAR_SLUG_ALLOW_UNICODE = True
OSCAR_HOMEPAGE = "/"
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_PRODUCTS_PER_PAGE = 24
# Chinese addresses: province (state), city (line4), district (line3), street
# and number (line1), recipient (first_name), mobile.
OSCAR_REQUIRED_ADDRESS_FIELDS = (
    "state",
    "line4",
    "line3",
    "line1",
    "first_name",
    "phone_number",
)
PHONENUMBER_DEFAULT_REGION = "CN"
# Orders of the demo's sales history (storefront.demo.history) are numbered
# so, and the bureau's report says it shows demo data while any exist.
BANGFU_DEMO_ORDER_PREFIX = "DEMO-"
# An order is placed awaiting payment (its stock held), then paid, or
# cancelled when it is not paid in time. "authorised" is the status of orders
# placed before payment came first (card authorised, then captured).
OSCAR_INITIAL_ORDER_STATUS = OrderStatus.PENDING
# A paid order is never cancelled as a whole: its parcels are, one by one,
# each refunded and debited from its household's ledger
# (sellers.fulfilment.services.parcel_cancel).
OSCAR_ORDER_STATUS_PIPELINE = {
    OrderStatus.PENDING: (OrderStatus.PAID, OrderStatus.CANCELLED),
    OrderStatus.AUTHORISED: (OrderStatus.PAID, OrderStatus.CANCELLED),
    OrderStatus.PAID: (),
    OrderStatus.CANCELLED: (),
}
# An order not paid within this many minutes is cancelled and its stock
# released; the heal task compares Stripe's intents with the orders this often.
BANGFU_ORDER_PAY_MINUTES = int(env("BANGFU_ORDER_PAY_MINUTES", "15"))
BANGFU_PAYMENT_HEAL_MINUTES = int(env("BANGFU_PAYMENT_HEAL_MINUTES", "5"))
# Order look-ups by number and mobile that found nothing, allowed in an hour
# from one address (mobile networks share addresses) and for one order number.
BANGFU_ORDER_LOOKUPS_PER_IP_HOUR = int(env("BANGFU_ORDER_LOOKUPS_PER_IP_HOUR", "20"))
BANGFU_ORDER_LOOKUPS_PER_ORDER_HOUR = int(
    env("BANGFU_ORDER_LOOKUPS_PER_ORDER_HOUR", "5")
)
# Delivery: each household's parcel costs a flat fee, free above a threshold.
BANGFU_PARCEL_DELIVERY_FEE = Decimal(env("BANGFU_PARCEL_DELIVERY_FEE", "10.00"))
BANGFU_FREE_DELIVERY_THRESHOLD = Decimal(env("BANGFU_FREE_DELIVERY_THRESHOLD", "99.00"))
# Notices of parcels and sign-in codes go through these channels
# (sellers.notifications); a WeChat channel is one more class here.
# WeChat Pay and Alipay through Stripe (offered to merchants in Stripe's
# supported countries): on unless the Stripe account lacks them.
BANGFU_WECHAT_PAY_ENABLED = env_bool("BANGFU_WECHAT_PAY_ENABLED", True)
BANGFU_ALIPAY_ENABLED = env_bool("BANGFU_ALIPAY_ENABLED", True)
BANGFU_NOTIFICATION_CHANNELS = [
    "sellers.notifications.EmailChannel",
    "sellers.notifications.SmsChannel",
]
# Refunds of a cancelled parcel's share: a function (order_number, amount,
# reference) -> refund id.
BANGFU_REFUND_BACKEND = "storefront.checkout.refunds.payment_refund"
BANGFU_PAYOUT_PROOF_MAX_BYTES = 10 * 1024 * 1024
BANGFU_PHOTO_MAX_BYTES = 10 * 1024 * 1024
OSCAR_MISSING_IMAGE_URL = "image_not_found.jpg"
# Oscar's search app needs a haystack connection to import; our listings and
# search never query it (see catalog/views.py).
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"
HAYSTACK_CONNECTIONS = {
    "default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}
}

# SMS: texts to households and buyers (sms.py).

from .sms import *  # noqa: E402,F403

# Stripe: real keys talk to Stripe; STRIPE_API_BASE points at a
# Stripe-compatible server (localstripe in development and tests).

STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = env("STRIPE_API_BASE", "")
STRIPE_JS_URL = env("STRIPE_JS_URL", "https://js.stripe.com/v3/")
# One call waits at most STRIPE_TIMEOUT seconds, twice (one retry, after
# 0.5–1 s); a buyer's request waits at most STRIPE_REQUEST_BUDGET seconds on
# all its calls together (storefront.checkout.stripe_api.stripe_deadline).
STRIPE_TIMEOUT = float(env("STRIPE_TIMEOUT", "6"))
STRIPE_REQUEST_BUDGET = float(env("STRIPE_REQUEST_BUDGET", "15"))
STRIPE_WEBHOOK_TOLERANCE = 300

# Background tasks (django-tasks): imports and long exports, and Wagtail's own
# (search and reference indexes). A database queue, worked by
# `manage.py db_worker` (make run starts one); the tests run tasks at once.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Content-Security-Policy (storefront/csp.py adds Stripe's origins from the
# STRIPE_* settings): scripts from this site and inline ones with the
# request's nonce; no plugins, no framing by other sites.


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # Oscar's basket and checkout hide forms with style attributes; style
        # elements stay limited to this site's stylesheets.
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", *env_list("CSP_IMG_ORIGINS")],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}

# Wagtail (wagtail.py)

from .wagtail import *  # noqa: E402,F403

# Logging: warnings and errors to the console; no request bodies.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# Operations: health, request ids, JSON logs, metrics (operations.py).

from .operations import *  # noqa: E402,F403
from .operations import OPERATIONS_MIDDLEWARE_FIRST, OPERATIONS_MIDDLEWARE_LAST  # noqa: E402

MIDDLEWARE = [*OPERATIONS_MIDDLEWARE_FIRST, *MIDDLEWARE, *OPERATIONS_MIDDLEWARE_LAST]
