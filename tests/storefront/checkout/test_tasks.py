"""The payments' background tasks on the database queue: each order's expiry at
its deadline, and one chain of periodic heals however many start it."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from storefront.checkout import tasks
from storefront.checkout.models import HealSchedule, StripePayment
from tests.storefront.checkout import helpers

pytestmark = pytest.mark.usefixtures("stripe_settings")

EXPIRE = "storefront.checkout.tasks.order_expire_task"
HEAL = "storefront.checkout.tasks.payments_heal_task"


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued():
    """The payments' tasks in the queue (Wagtail queues its own as well)."""
    return sorted(
        (row.task_path, row.args_kwargs["args"], row.run_after)
        for row in DBTaskResult.objects.filter(task_path__in=[EXPIRE, HEAL])
    )


def test_placing_queues_the_expiry_at_the_deadline_and_starts_the_heal(
    client, db, queue, django_capture_on_commit_callbacks
):
    helpers.checkout_to_payment(client, *helpers.two_households())

    with django_capture_on_commit_callbacks(execute=True):
        helpers.place_order(client)

    payment = StripePayment.objects.get()
    schedule = HealSchedule.objects.get()
    assert queued() == sorted(
        [
            (EXPIRE, [payment.order_number], payment.expires_at),
            (HEAL, [], schedule.next_run_at),
        ]
    )


def test_a_live_heal_chain_is_not_started_twice(db, queue):
    now = timezone.now()

    first = tasks.payments_heal_schedule(now=now)
    second = tasks.payments_heal_schedule(now=now + datetime.timedelta(minutes=1))

    assert (first, second) == (True, False)
    assert [path for path, _args, _at in queued()] == [HEAL]


def test_a_dead_chain_is_restarted(db, queue):
    now = timezone.now()
    HealSchedule.objects.create(pk=1, next_run_at=now - datetime.timedelta(hours=1))

    restarted = tasks.payments_heal_schedule(now=now)

    assert restarted is True
    assert queued() == [(HEAL, [], now)]


def test_of_two_chains_only_one_goes_on(db, queue, clean_stripe, monkeypatch):
    # given: two heal runs queued for the same moment (two machines)
    now = timezone.now()
    HealSchedule.objects.create(pk=1, next_run_at=now)
    monkeypatch.setattr(tasks.timezone, "now", lambda: now)

    # when: both run
    runs = [tasks.payments_heal_task.call(), tasks.payments_heal_task.call()]

    # then: the first healed and queued the next run; the second ended
    interval = datetime.timedelta(minutes=5)
    assert runs == [0, 0]
    assert queued() == [(HEAL, [], now + interval)]
    assert HealSchedule.objects.get().next_run_at == now + interval


def test_nothing_is_queued_where_tasks_run_at_once(client, db):
    helpers.checkout_to_payment(client, *helpers.two_households())

    helpers.place_order(client)

    assert HealSchedule.objects.count() == 0
