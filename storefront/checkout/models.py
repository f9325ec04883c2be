from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    """A Stripe PaymentIntent's status, as far as this store cares."""

    REQUIRES_PAYMENT_METHOD = "requires_payment_method", _("Awaiting payment")
    REQUIRES_CONFIRMATION = "requires_confirmation", _("Awaiting confirmation")
    REQUIRES_ACTION = "requires_action", _("Awaiting the buyer's action")
    PROCESSING = "processing", _("Processing")
    REQUIRES_CAPTURE = "requires_capture", _("Authorised")
    SUCCEEDED = "succeeded", _("Paid")
    CANCELED = "canceled", _("Cancelled")


# Intents in these states may still take the buyer's money.
LIVE_STATUSES = (
    PaymentStatus.REQUIRES_PAYMENT_METHOD,
    PaymentStatus.REQUIRES_CONFIRMATION,
    PaymentStatus.REQUIRES_ACTION,
    PaymentStatus.PROCESSING,
    PaymentStatus.REQUIRES_CAPTURE,
)

# A webhook event never moves a status back to one before it; the last two
# are final. (A status read back from Stripe is the present and always wins.)
STATUS_RANK = {
    PaymentStatus.REQUIRES_PAYMENT_METHOD: 0,
    PaymentStatus.REQUIRES_CONFIRMATION: 0,
    PaymentStatus.REQUIRES_ACTION: 1,
    PaymentStatus.PROCESSING: 2,
    PaymentStatus.REQUIRES_CAPTURE: 2,
    PaymentStatus.SUCCEEDED: 3,
    PaymentStatus.CANCELED: 3,
}


class StripePayment(models.Model):
    """An order's payment: its current PaymentIntent, however often the buyer
    clicks, and the moment the order expires unpaid."""

    order_number = models.CharField(_("order number"), max_length=128, unique=True)
    # NULL until the intent exists: unique, yet many payments may lack one.
    payment_intent_id = models.CharField(  # noqa: DJ001
        max_length=255, unique=True, null=True
    )
    amount_fen = models.PositiveBigIntegerField(_("amount (fen)"))
    currency = models.CharField(max_length=3, default="cny")
    status = models.CharField(
        _("status"),
        max_length=32,
        choices=PaymentStatus.choices,
        default=PaymentStatus.REQUIRES_PAYMENT_METHOD,
    )
    # Bumped before each new intent: its idempotency key, and the claim that
    # lets only the latest of two simultaneous clicks record its intent.
    attempt = models.PositiveIntegerField(default=0)
    # NULL for payments of orders placed before payment came first.
    expires_at = models.DateTimeField(_("pay before"), null=True, blank=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Stripe payment")
        verbose_name_plural = _("Stripe payments")

    def __str__(self) -> str:
        return f"{self.order_number} · {self.payment_intent_id} · {self.status}"

    def is_expired(self, now) -> bool:
        """Past its deadline at `now` (a payment of the old model has none)."""
        return self.expires_at is not None and self.expires_at <= now


class StripeEvent(models.Model):
    """A webhook event, recorded once: a second delivery of the same id is ignored."""

    id = models.CharField(primary_key=True, max_length=255)
    type = models.CharField(max_length=100)
    payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    created = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    changed_status = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")

    def __str__(self) -> str:
        return f"{self.id} {self.type}"


class RepairAction(models.TextChoices):
    """What the heal did about an intent that did not match its order."""

    MARK_PAID = "mark_paid", _("Marked the order paid")
    CAPTURE = "capture", _("Captured an authorised order")
    CANCEL = "cancel", _("Cancelled a live intent without an open order")
    REFUND = "refund", _("Refunded a payment for a released order")
    EXPIRE = "expire", _("Released an order not paid in time")


class PaymentRepair(models.Model):
    """One repair of one intent (or order), done once however many heals run.

    The row is claimed (inserted) before the action and marked done after it:
    a second heal finds it and leaves it alone; one that died half-way leaves
    it undone, and a later heal takes it over once it is stale.
    """

    action = models.CharField(max_length=16, choices=RepairAction.choices)
    payment_intent_id = models.CharField(max_length=255)
    order_number = models.CharField(max_length=128, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    detail = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment repair")
        verbose_name_plural = _("payment repairs")
        constraints = [
            models.UniqueConstraint(
                # An order released without an intent has "" for one.
                fields=["action", "payment_intent_id", "order_number"],
                name="one_repair_per_intent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.payment_intent_id} ({self.order_number})"


class HealSchedule(models.Model):
    """The one row that says when the periodic heal runs next.

    Each run claims it with a guarded UPDATE before enqueuing the next, so a
    second chain of heal tasks (two machines, a restart) dies out at once.
    """

    next_run_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"next heal at {self.next_run_at:%Y-%m-%d %H:%M:%S}"
