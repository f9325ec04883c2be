import datetime
import json
import socket
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import testcases
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from health_check.checks import Database
from health_check.exceptions import ServiceUnavailable

from storefront.operations.health import HealthView, TaskQueue

User = get_user_model()
PUBLIC = {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}
DETAILS_OK = {
    "Database(alias='default')": "OK",
    "Cache(alias='default')": "OK",
    "Storage(alias='default')": "OK",
    "TaskQueue()": "OK",
}


class _Without:
    def __init__(self, alias):
        self.alias = alias

    def __contains__(self, alias):
        return alias != self.alias and alias in connections


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_down(monkeypatch):
    """A second connection, to a PostgreSQL port where nothing listens."""
    configured = connections.configure_settings(
        {
            "default": connections.settings["default"],
            "unreachable": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "bangfu",
                "HOST": "127.0.0.1",
                "PORT": _closed_port(),
                "OPTIONS": {"connect_timeout": 2},
            },
        }
    )
    connections.settings["unreachable"] = configured["unreachable"]
    # Django's test case refuses connections to aliases it was not told of,
    # except those made at run time: this one is.
    monkeypatch.setattr(testcases, "connections", _Without("unreachable"))
    monkeypatch.setattr(
        HealthView,
        "checks",
        (*HealthView.checks, (Database, {"alias": "unreachable"})),
    )
    yield
    connections.settings.pop("unreachable")


@pytest.mark.django_db
def test_healthy_node_answers_ok_to_the_public(client):
    # when
    response = client.get("/health/", **PUBLIC)
    # then
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthy_node_lists_its_checks_to_an_internal_caller(client):
    # when: straight from loopback, not through nginx
    response = client.get("/health/", REMOTE_ADDR="127.0.0.1")
    # then
    assert response.status_code == 200
    assert json.loads(response.content) == DETAILS_OK


@pytest.mark.django_db
def test_database_down_takes_the_node_out_without_saying_why(client, database_down):
    # when
    response = client.get("/health/", **PUBLIC)
    # then
    assert response.status_code == 503
    assert response.content == b"unavailable\n"


@pytest.mark.django_db
def test_database_down_is_named_to_staff(client, database_down):
    # given
    client.force_login(
        User.objects.create_user("ops", email="o@example.com", is_staff=True)
    )
    # when
    response = client.get("/health/", **PUBLIC)
    # then
    assert response.status_code == 503
    details = json.loads(response.content)
    assert details["Database(alias='unreachable')"] == "Unavailable: connection failed"
    assert {k: v for k, v in details.items() if "unreachable" not in k} == DETAILS_OK


@pytest.mark.django_db
def test_signed_in_shopper_gets_the_plain_answer(client):
    # given
    client.force_login(User.objects.create_user("buyer", email="b@example.com"))
    # when
    response = client.get("/health/", **PUBLIC)
    # then
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_text_format_is_plain_for_the_public(client):
    # when
    response = client.get("/health/?format=openmetrics", **PUBLIC)
    # then
    assert response.content == b"ok\n"


def _task(*, enqueued_minutes_ago: int, run_after=None, status="READY"):
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="storefront.checkout.tasks.order_expire_task",
        backend_name="default",
        run_after=run_after or datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC),
        status=status,
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=enqueued_minutes_ago)
    )


DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db
def test_queue_healthy_while_tasks_wait_less_than_allowed(settings):
    # given
    settings.TASKS = DB_QUEUE
    settings.BANGFU_HEALTH_QUEUE_MINUTES = 10
    _task(enqueued_minutes_ago=9)
    # an expiry due in an hour, enqueued long ago, is not late
    _task(
        enqueued_minutes_ago=60,
        run_after=timezone.now() + datetime.timedelta(hours=1),
    )
    _task(enqueued_minutes_ago=60, status="SUCCESSFUL")
    # when / then
    assert TaskQueue().run() is None


@pytest.mark.django_db
def test_queue_unhealthy_when_a_due_task_waits_too_long(settings):
    # given
    settings.TASKS = DB_QUEUE
    settings.BANGFU_HEALTH_QUEUE_MINUTES = 10
    _task(enqueued_minutes_ago=11)
    # when / then
    with pytest.raises(ServiceUnavailable, match="Tasks wait longer than allowed"):
        TaskQueue().run()


@pytest.mark.django_db
def test_queue_unhealthy_when_a_deferred_task_is_overdue(settings):
    # given: due 11 minutes ago, enqueued an hour ago
    settings.TASKS = DB_QUEUE
    settings.BANGFU_HEALTH_QUEUE_MINUTES = 10
    _task(
        enqueued_minutes_ago=60,
        run_after=timezone.now() - datetime.timedelta(minutes=11),
    )
    # when / then
    with pytest.raises(ServiceUnavailable):
        TaskQueue().run()


# The checks run in threads of their own, with connections of their own: the
# stalled task must be committed for them to see it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_node_check_stays_ok_while_the_shared_queue_is_stalled(client, settings):
    # given: a due task waiting longer than allowed, on the queue every node shares
    settings.TASKS = DB_QUEUE
    settings.BANGFU_HEALTH_QUEUE_MINUTES = 10
    _task(enqueued_minutes_ago=11)
    # when: asked from a thread of its own. pytest-django runs transactional
    # tests last, after the browser tests, whose Playwright keeps an event
    # loop running in this thread, and the async view cannot be called from
    # a thread with a running loop.
    with ThreadPoolExecutor(max_workers=1) as thread:
        monitoring, balancer = (
            thread.submit(client.get, path, REMOTE_ADDR="127.0.0.1").result()
            for path in ("/health/", "/health/node/")
        )
    # then: monitoring hears of it; the load balancer keeps the node in
    assert monitoring.status_code == 503
    assert (balancer.status_code, json.loads(balancer.content)) == (
        200,
        {key: "OK" for key in DETAILS_OK if key != "TaskQueue()"},
    )
