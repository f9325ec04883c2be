"""gunicorn for one web node: `gunicorn -c deploy/gunicorn.conf.py`."""

import multiprocessing
import os
import shutil

wsgi_app = "storefront.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Requests wait on PostgreSQL, Redis and Stripe: threads cover the waits,
# processes the cores.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# Above STRIPE_REQUEST_BUDGET (15 s), so a checkout is never cut mid-payment.
timeout = 30
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
# Only nginx may say the request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# The app writes one JSON line per request with its id and redacted path
# (storefront.operations.requests); gunicorn's own access log would write
# query strings (mobile numbers of order look-ups), so it is off unless asked.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = (
    '{"time": "%(t)s", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_us": %(D)s, '
    '"request_id": "%({x-request-id}o)s"}'
)
errorlog = "-"


def on_starting(server):
    # Metrics of exited workers must not linger (django-prometheus, multiprocess).
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
