"""/metrics for Prometheus: only from the internal network, or with the token."""

import hmac

from django.conf import settings
from django.http import Http404
from django_prometheus.exports import ExportToDjangoView

from .internal import request_is_internal


def metrics(request):
    """django-prometheus' export, hidden (404) from everyone else."""
    token = settings.BANGFU_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if not (
        request_is_internal(request)
        or (token and hmac.compare_digest(given, f"Bearer {token}"))
    ):
        raise Http404
    return ExportToDjangoView(request)
