"""Running the store on several machines: health, request ids, logs, metrics.

Read by base.py in a block of its own (storefront/operations/)."""

from .environment import env, env_list

# Requests straight from these networks (not relayed by nginx) may read the
# health details and /metrics; BANGFU_METRICS_TOKEN lets a scraper elsewhere in.
BANGFU_INTERNAL_NETWORKS = env_list("BANGFU_INTERNAL_NETWORKS") or [
    "127.0.0.0/8",
    "::1/128",
]
BANGFU_METRICS_TOKEN = env("BANGFU_METRICS_TOKEN", "")
# /health/ fails when a task due to run has waited this long for a worker.
BANGFU_HEALTH_QUEUE_MINUTES = int(env("BANGFU_HEALTH_QUEUE_MINUTES", "10"))

# Around every other middleware: the metrics time the whole request, and the
# request id is set before anything can log.
OPERATIONS_MIDDLEWARE_FIRST = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "storefront.operations.requests.RequestIdMiddleware",
]
OPERATIONS_MIDDLEWARE_LAST = ["django_prometheus.middleware.PrometheusAfterMiddleware"]

# Production's logs (production.py): one JSON object per line, each with the
# request id, and one line per request (storefront.operations.requests).
JSON_LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "storefront.operations.requests.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "{asctime}{levelname}{name}{message}{request_id}",
            "style": "{",
            "rename_fields": {"asctime": "time", "levelname": "level"},
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Its 4xx warnings repeat the full path (an order-status link's hash):
        # the request line above says the same without it.
        "django.request": {"level": "ERROR"},
        "bangfu.request": {
            "level": env("LOG_REQUESTS_LEVEL", "INFO"),
            "handlers": ["console"],
            "propagate": False,
        },
    },
}
