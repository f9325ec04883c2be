from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    """A Stripe PaymentIntent's status, as far as this store cares."""

    REQUIRES_PAYMENT_METHOD = "requires_payment_method", _("Awaiting a card")
    REQUIRES_ACTION = "requires_action", _("Awaiting 3-D Secure")
    REQUIRES_CAPTURE = "requires_capture", _("Authorised")
    SUCCEEDED = "succeeded", _("Paid")
    CANCELED = "canceled", _("Cancelled")


# A status never moves back to one before it; the last two are final.
STATUS_RANK = {
    PaymentStatus.REQUIRES_PAYMENT_METHOD: 0,
    PaymentStatus.REQUIRES_ACTION: 1,
    PaymentStatus.REQUIRES_CAPTURE: 2,
    PaymentStatus.SUCCEEDED: 3,
    PaymentStatus.CANCELED: 3,
}


class StripePayment(models.Model):
    """The one PaymentIntent of an order number, however often the buyer clicks."""

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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Stripe payment")
        verbose_name_plural = _("Stripe payments")

    def __str__(self) -> str:
        return f"{self.order_number} · {self.payment_intent_id} · {self.status}"


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
