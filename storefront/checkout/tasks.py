"""Background work of payments (django-tasks, as catalog.tasks): each order's
expiry, and the periodic heal.

django-tasks has no scheduler. The heal is a chain of tasks, each enqueuing
the next one interval later; the one HealSchedule row says when the next run
is due, and a run claims it with a guarded UPDATE first, so a second chain
(two machines, a restart, a placement that restarted a chain thought dead)
ends at its next run. Where the backend cannot defer tasks (the tests run
them at once), nothing is scheduled: the tests call the functions.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import heal, payments
from .models import HealSchedule


def _interval() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.BANGFU_PAYMENT_HEAL_MINUTES)


@task()
def order_expire_task(order_number: str) -> str:
    return payments.order_expire(order_number=order_number)


@task()
def payments_heal_task() -> int:
    now = timezone.now()
    with transaction.atomic():
        claimed = HealSchedule.objects.filter(pk=1, next_run_at__lte=now).update(
            next_run_at=now + _interval()
        )
        if not claimed:
            return 0  # another chain runs the heal: this one ends here
        # Enqueued with the claim, so a worker killed during the heal below
        # still leaves the next run queued.
        payments_heal_task.using(run_after=now + _interval()).enqueue()
    return len(heal.payments_heal(now=now))


def _deferrable(a_task) -> bool:
    return a_task.get_backend().supports_defer


def order_expire_schedule(*, order_number: str, at: datetime.datetime) -> bool:
    """Queue the order's expiry for its deadline; False where tasks cannot wait."""
    if not _deferrable(order_expire_task):
        return False
    order_expire_task.using(run_after=at).enqueue(str(order_number))
    return True


def payments_heal_schedule(*, now: datetime.datetime | None = None) -> bool:
    """Start the heal's chain unless it runs; True if a run was queued.

    Cheap enough for every placement: a live chain has its next run less than
    an interval overdue; one overdue by more has died with its worker.
    """
    if not _deferrable(payments_heal_task):
        return False
    now = now or timezone.now()
    schedule, created = HealSchedule.objects.get_or_create(
        pk=1, defaults={"next_run_at": now}
    )
    if not created:
        if schedule.next_run_at > now - _interval():
            return False
        if not HealSchedule.objects.filter(
            pk=1, next_run_at=schedule.next_run_at
        ).update(next_run_at=now):
            return False  # a simultaneous placement restarted it
    payments_heal_task.using(run_after=now).enqueue()
    return True
