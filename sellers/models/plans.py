"""Sales plans: what a household means to sell in a season, and for how much."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .campaigns import Campaign
from .households import Household, Organisation


class SalesPlan(models.Model):
    """A household's plan for one season, written by its social worker: the
    target income, the produce behind it and the channels to sell it through.

    It belongs to the household's organisation. Each change is a new version
    (`version` counts them) and a line in the audit trail saying what changed;
    one household's plans never overlap in time, so each sale counts towards
    one plan at most.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="sales_plans"
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="sales_plans"
    )
    season = models.CharField(_("season"), max_length=60)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    target_income = models.DecimalField(
        _("target income (¥)"), max_digits=12, decimal_places=2
    )
    campaigns = models.ManyToManyField(
        Campaign, blank=True, related_name="sales_plans", verbose_name=_("campaigns")
    )
    # Channels in the social worker's words (微信群, 抖音, 社区团购…), beside
    # the campaigns with links of their own.
    channels = models.JSONField(_("channels"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sales plan")
        verbose_name_plural = _("sales plans")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="sales_plan_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(target_income__gt=0), name="sales_plan_target_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["household", "starts_on"], name="sales_plan_dates")
        ]

    def __str__(self) -> str:
        return f"{self.household.slug} {self.season}"


class SalesPlanItem(models.Model):
    """One produce of a plan: how much of it, in which unit, harvested when."""

    plan = models.ForeignKey(SalesPlan, on_delete=models.CASCADE, related_name="items")
    # One of the household's products, or produce not listed yet.
    product = models.ForeignKey(
        "catalogue.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product"),
    )
    produce = models.CharField(_("produce"), max_length=80, blank=True)
    quantity = models.DecimalField(
        _("expected quantity"), max_digits=10, decimal_places=2
    )
    unit = models.CharField(_("unit"), max_length=10)
    harvest_from = models.DateField(_("harvest from"), null=True, blank=True)
    harvest_until = models.DateField(_("harvest until"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="sales_plan_item_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.quantity}{self.unit}"

    @property
    def name(self) -> str:
        return self.produce or (self.product.title if self.product_id else "")
