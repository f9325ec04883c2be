"""The statuses of an order, in their own module because the settings build
Oscar's pipeline from them before any model can be imported."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    """An order's status as Oscar stores it, and what it means to the buyer."""

    PENDING = "pending", _("Awaiting payment")
    # Orders placed when a card was authorised first, then captured.
    AUTHORISED = "authorised", _("Payment being confirmed")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")
