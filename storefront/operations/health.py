"""/health/ for monitoring: database, cache, storage and the task queue;
/health/node/ for the load balancer: the same without the queue."""

import dataclasses
import datetime

from django.conf import settings
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from .internal import request_is_internal


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """The workers keep up: no task due to run has waited longer than allowed.

    django-health-check has no check for django-tasks' database queue. A task
    deferred to later (an order's expiry) counts from when it became due.
    """

    def run(self):
        if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db."):
            return
        from django_tasks_db.models import DBTaskResult, get_date_max

        cutoff = timezone.now() - datetime.timedelta(
            minutes=settings.BANGFU_HEALTH_QUEUE_MINUTES
        )
        stalled = DBTaskResult.objects.ready().filter(
            Q(run_after=get_date_max(), enqueued_at__lt=cutoff)
            | Q(run_after__lt=cutoff)
        )
        if stalled.exists():
            raise ServiceUnavailable("Tasks wait longer than allowed")


class HealthView(HealthCheckView):
    """200 "ok" or 503 "unavailable" for anyone; which check failed only for
    staff and for requests straight from the internal network (not through
    nginx), since error texts name hosts and services."""

    checks = (
        "health_check.checks.Database",
        "health_check.checks.Cache",
        "health_check.checks.Storage",
        "storefront.operations.health.TaskQueue",
    )

    async def get(self, request, *args, **kwargs):
        self.details = request_is_internal(request) or await _is_staff(request)
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:
            # What a load balancer reads as "take this node out".
            response.status_code = 503
        return response

    def render_to_response(self, context, **response_kwargs):
        return self.render_to_response_json(response_kwargs.get("status", 200))

    def render_to_response_json(self, status):
        if self.details_allowed():
            return super().render_to_response_json(status)
        return self.render_plain(status)

    def render_to_response_text(self, status):
        if self.details_allowed():
            return super().render_to_response_text(status)
        return self.render_plain(status)

    def render_plain(self, status):
        return HttpResponse(
            "ok\n" if status == 200 else "unavailable\n",
            content_type="text/plain; charset=utf-8",
            status=status,
        )

    def render_to_response_atom(self):
        return self.render_plain(self.status())

    render_to_response_rss = render_to_response_atom
    render_to_response_openmetrics = render_to_response_atom

    def status(self):
        return 500 if any(result.error for result in self.results) else 200

    def details_allowed(self) -> bool:
        return self.details


class NodeHealthView(HealthView):
    """What the load balancer probes: can this node serve pages. The task queue
    is shared by every node, so a stalled queue would fail them all at once and
    leave the store with none; /health/ still reports it to monitoring."""

    checks = tuple(
        check for check in HealthView.checks if not check.endswith(".TaskQueue")
    )


async def _is_staff(request) -> bool:
    try:
        user = await request.auser()
    except Exception:
        # The session store may be what is down: answer, without details.
        return False
    return user.is_staff
