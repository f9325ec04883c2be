"""Harvest pre-orders: a product offered before its harvest, and each parcel's
settlement by the weight actually caught."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import clock
from .fulfilment import Parcel, ParcelLine
from .households import Household

FEN = Decimal("0.01")


def fen(amount: Decimal) -> Decimal:
    """An amount rounded to the fen, half up (as a scale reads)."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


class OverweightPolicy(models.TextChoices):
    """Who bears a parcel heavier than estimated. Asking the buyer for a second
    payment is not built (docs/architecture.md, "Harvest pre-orders"): the
    household absorbs it."""

    ABSORB = "absorb", _("The household absorbs it: the buyer pays nothing more")


class HarvestOffer(models.Model):
    """A household's product offered for pre-order before its harvest.

    The product's stock record holds the capacity in pieces (num_in_stock) and
    the estimated price of a piece (jin_per_piece × price_per_jin), so basket,
    checkout, the guarded allocation and payment work as for any product; the
    buyer pays the estimate and each parcel is settled by its real weight.
    """

    product = models.OneToOneField(
        "catalogue.Product", on_delete=models.PROTECT, related_name="harvest_offer"
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="harvest_offers"
    )
    window_start = models.DateField(_("harvest from"))
    window_end = models.DateField(_("harvest until"))
    price_per_jin = models.DecimalField(
        _("price per jin"), max_digits=10, decimal_places=2
    )
    jin_per_piece = models.DecimalField(
        _("estimated jin per piece"), max_digits=8, decimal_places=2
    )
    per_order_limit = models.PositiveIntegerField(_("pieces per order at most"))
    tolerance_percent = models.DecimalField(
        _("over-weight tolerance (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
    )
    overweight_policy = models.CharField(
        _("over weight beyond the tolerance"),
        max_length=20,
        choices=OverweightPolicy.choices,
        default=OverweightPolicy.ABSORB,
    )
    # The pieces actually caught, once the harvest is in (a short harvest
    # cancels the pre-orders it cannot fill).
    caught_pieces = models.PositiveIntegerField(_("pieces caught"), null=True)
    # When the window last moved: buyers may then cancel for a full refund.
    delayed_at = models.DateTimeField(_("delayed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("harvest pre-order")
        verbose_name_plural = _("harvest pre-orders")
        ordering = ["window_start", "pk"]

    def __str__(self) -> str:
        return f"{self.product_id} {self.window_start}–{self.window_end}"

    @property
    def piece_price(self) -> Decimal:
        """The estimated price of one piece, which the buyer pays at order time."""
        return fen(self.jin_per_piece * self.price_per_jin)


class HarvestSettlement(models.Model):
    """A parcel of pre-ordered produce settled by its real weight.

    The row is the settlement's claim, committed with its figures before the
    refund is made: a second attempt finds it and only finishes what the
    first left (refund with the same reference, then the ledger), so a crash
    between the provider's refund and the ledger cannot refund twice.
    """

    parcel = models.OneToOneField(
        Parcel, on_delete=models.PROTECT, related_name="harvest_settlement"
    )
    settled_goods = models.DecimalField(
        _("goods settled"), max_digits=12, decimal_places=2
    )
    refund = models.DecimalField(_("to refund"), max_digits=12, decimal_places=2)
    refund_id = models.CharField(_("refund reference"), max_length=255, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(default=clock.now)
    done_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("harvest settlement")
        verbose_name_plural = _("harvest settlements")

    def __str__(self) -> str:
        return f"{self.parcel_id}: {self.settled_goods}"


class HarvestWeighing(models.Model):
    """The real weight of one order line of a settled parcel, and what that
    line is settled at."""

    settlement = models.ForeignKey(
        HarvestSettlement, on_delete=models.PROTECT, related_name="weighings"
    )
    parcel_line = models.OneToOneField(
        ParcelLine, on_delete=models.PROTECT, related_name="harvest_weighing"
    )
    real_jin = models.DecimalField(
        _("real weight (jin)"), max_digits=10, decimal_places=2
    )
    amount = models.DecimalField(_("settled at"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("harvest weighing")
        verbose_name_plural = _("harvest weighings")

    def __str__(self) -> str:
        return f"{self.parcel_line_id}: {self.real_jin}"
