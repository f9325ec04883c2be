"""A repair of a payment done once, however many heals run at once: each is
claimed by a PaymentRepair row (unique per action and intent) first."""

import datetime
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import PaymentRepair

# A repair claimed by a heal that died is taken over after this long.
REPAIR_STALE_AFTER = datetime.timedelta(minutes=10)


class RepairLater(Exception):
    """Nothing could be done yet (Stripe is still processing): try next heal."""


def repair_once(
    *, action: str, intent_id: str, order_number: str, run: Callable
) -> bool:
    """Do `run` once for this action and intent; False if another heal has it.

    The claim (a row unique per action and intent) is committed before the
    action, so two heals at once do it once; if the action fails the claim is
    dropped (the next heal tries again); a heal killed half-way leaves a claim
    that is taken over once it is stale.
    """
    now = timezone.now()
    key = {
        "action": action,
        "payment_intent_id": intent_id,
        "order_number": order_number,
    }
    try:
        with transaction.atomic():
            repair = PaymentRepair.objects.create(**key)
    except IntegrityError:
        taken = PaymentRepair.objects.filter(
            **key, done_at__isnull=True, updated_at__lt=now - REPAIR_STALE_AFTER
        ).update(updated_at=now)
        if not taken:
            return False
        repair = PaymentRepair.objects.get(**key)
    try:
        detail = run()
    except Exception:
        # RepairLater included: the claim goes, so the next heal tries again.
        PaymentRepair.objects.filter(pk=repair.pk, done_at__isnull=True).delete()
        raise
    PaymentRepair.objects.filter(pk=repair.pk).update(
        done_at=timezone.now(), detail=str(detail or "")[:255]
    )
    return True
