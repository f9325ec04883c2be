"""Parcels: one household's share of an order, its lines and history; pickup points."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import clock
from .households import Household, Organisation


class PickupPoint(models.Model):
    """A community point where buyers collect their parcels (free of charge)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="pickup_points"
    )
    name = models.CharField(_("name"), max_length=80)
    address = models.CharField(_("address"), max_length=200)
    opening_hours = models.CharField(_("opening hours"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("pickup point")
        verbose_name_plural = _("pickup points")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ParcelStatus(models.TextChoices):
    TO_PACK = "to_pack", _("To pack")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class Parcel(models.Model):
    """One household's share of an order: its lines, packed and sent by it.

    Its status changes only through the services in sellers.fulfilment.services, each a
    guarded UPDATE recorded as a ParcelEvent.
    """

    order = models.ForeignKey(
        "order.Order", on_delete=models.PROTECT, related_name="parcels"
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="parcels"
    )
    lines = models.ManyToManyField("order.Line", through="ParcelLine", related_name="+")
    goods_total = models.DecimalField(_("goods total"), max_digits=12, decimal_places=2)
    delivery_charge = models.DecimalField(
        _("delivery charge"), max_digits=12, decimal_places=2
    )
    # Whether the household itself is credited the delivery charge, as it
    # stood when the order was placed.
    household_ships = models.BooleanField(_("shipped by the household"), default=True)
    # Holds pre-ordered produce (sellers.HarvestOffer): credited when it is
    # settled by its real weight, not when the order is paid.
    preorder = models.BooleanField(_("pre-order"), default=False, editable=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ParcelStatus.choices,
        default=ParcelStatus.TO_PACK,
    )
    carrier = models.CharField(_("carrier"), max_length=40, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=40, blank=True)
    cancel_reason = models.CharField(
        _("reason for cancelling"), max_length=200, blank=True
    )
    refund_id = models.CharField(_("refund reference"), max_length=255, blank=True)
    refunded = models.DecimalField(
        _("refunded"), max_digits=12, decimal_places=2, default=0
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")
        ordering = ["order_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "household"], name="one_parcel_per_household"
            )
        ]
        indexes = [models.Index(fields=["household", "status"])]

    def __str__(self) -> str:
        return f"{self.order.number} · {self.household.slug}"

    @property
    def total(self):
        return self.goods_total + self.delivery_charge

    @property
    def household_share(self):
        """What the household is credited for this parcel once it is paid."""
        return self.goods_total + (self.delivery_charge if self.household_ships else 0)


class ParcelLine(models.Model):
    """An order line in its household's parcel: every line is in exactly one."""

    parcel = models.ForeignKey(Parcel, on_delete=models.PROTECT, related_name="+")
    line = models.OneToOneField(
        "order.Line", on_delete=models.PROTECT, related_name="parcel_line"
    )
    # The product's category, and whether it was certified on the day it was
    # bought, as they stood when the parcel was first credited: a refund is
    # reported under the same ones, however the product changed since.
    category = models.ForeignKey(
        "catalogue.Category",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    certified = models.BooleanField(null=True, editable=False)

    class Meta:
        verbose_name = _("parcel line")
        verbose_name_plural = _("parcel lines")

    def __str__(self) -> str:
        return f"{self.parcel_id}:{self.line_id}"


class Settlement(models.TextChoices):
    """How a parcel that has left is refunded: the produce is on its way, so
    the household is not simply debited its whole share."""

    RETURNED = (
        "returned",
        _("It came back: refund the buyer in full, off the household's share"),
    )
    PARTIAL = "partial", _("The buyer keeps it: refund part, off the household's share")
    ABSORBED = (
        "absorbed",
        _(
            "The agency bears it: refund the buyer in full, the household keeps "
            "its share"
        ),
    )


class ParcelEvent(models.Model):
    """A parcel's change of status (or a part refunded): who acted, when, and
    what was recorded."""

    parcel = models.ForeignKey(Parcel, on_delete=models.PROTECT, related_name="events")
    status = models.CharField(_("status"), max_length=20, choices=ParcelStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    settlement = models.CharField(
        _("settled by"), max_length=20, choices=Settlement.choices, blank=True
    )
    refunded = models.DecimalField(
        _("refunded"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(_("at"), default=clock.now)

    class Meta:
        verbose_name = _("parcel event")
        verbose_name_plural = _("parcel events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.parcel_id} {self.status} {self.created_at:%Y-%m-%d %H:%M}"
