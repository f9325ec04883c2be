"""The ledger summed per day, month and year for the bureau's reports."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .households import Household


class Span(models.TextChoices):
    """How long a summary row sums: a day, a calendar month or a calendar
    year (Asia/Shanghai)."""

    DAY = "d", _("day")
    MONTH = "m", _("month")
    YEAR = "y", _("year")


class IncomeDay(models.Model):
    """A household's ledger summed per day, month and year (Asia/Shanghai).

    Written by sellers.ledger.summaries in the transaction that adds the entries,
    under the household's lock, so it never disagrees with the ledger
    (reconcile_ledger proves it). A report reads year rows for the whole
    years of its period, month rows for the whole months around them and day
    rows for the days at either end: a calendar year is one row per
    household, a year from any date at most twelve and a few days, however
    many orders it had.
    """

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="income_days"
    )
    span = models.CharField(max_length=1, choices=Span.choices, default=Span.DAY)
    # The day, or the first day of the month or year.
    day = models.DateField(_("day"))
    sales = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    # Refunds and payouts as positive amounts; corrections signed.
    refunds = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    corrections = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    payouts = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    # Parcels and units sold less those refunded in full (a refund on a
    # later day makes that day's figure negative).
    parcels = models.IntegerField(_("parcels sold"), default=0)
    units = models.IntegerField(_("units sold"), default=0)

    class Meta:
        verbose_name = _("income of a day")
        verbose_name_plural = _("income by day")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "span", "day"], name="income_day_unique"
            )
        ]
        indexes = [
            models.Index(fields=["span", "day", "household"], name="income_day_day")
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.span}{self.day}"

    @property
    def income(self):
        """What reached the household: sales less refunds, corrected."""
        return self.sales - self.refunds + self.corrections


class SalesCell(models.Model):
    """A household's sales and refunds of a day, month or year by product
    category, and whether the product was certified on the day it was
    bought. The delivery charges credited to the household are rows of their
    own, so the cells add up to the ledger's sales and refunds.

    Written with IncomeDay under the same household lock.
    """

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    span = models.CharField(max_length=1, choices=Span.choices)
    day = models.DateField()
    # No category: the product had none (or it was deleted since), or, with
    # delivery, the delivery charges.
    category = models.ForeignKey(
        "catalogue.Category", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    certified = models.BooleanField(default=False)
    delivery = models.BooleanField(default=False)
    sales = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    refunds = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    units = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("sales by category")
        verbose_name_plural = _("sales by category")
        indexes = [models.Index(fields=["span", "day"], name="sales_cell_day")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.span}{self.day} {self.category_id}"


class OrderCell(models.Model):
    """A buyer's orders of a day or month through a campaign (or none): the
    orders paid, their sales and refunds (refunds on the day they were made)
    and units. Orders and amounts add up; counting distinct buyers over the
    rows gives the period's buyers.

    The buyer is a keyed hash of his account or e-mail address, never the
    address itself. Not under one household's lock: writers take a lock on
    the buyer first (PostgreSQL advisory lock; SQLite serialises writes), so
    a buyer's row of a day is never written twice.
    """

    span = models.CharField(max_length=1, choices=Span.choices)
    day = models.DateField()
    buyer = models.BigIntegerField()
    campaign = models.ForeignKey(
        "Campaign", null=True, on_delete=models.PROTECT, related_name="+"
    )
    orders = models.PositiveIntegerField(default=0)
    sales = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    refunds = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    units = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("orders of a buyer")
        verbose_name_plural = _("orders by buyer")
        # Every column: a report's buyers and campaign sums are read from
        # the index alone (PostgreSQL's index-only scan), not the table.
        indexes = [
            models.Index(
                fields=[
                    "span",
                    "day",
                    "campaign",
                    "buyer",
                    "orders",
                    "sales",
                    "refunds",
                    "units",
                ],
                name="order_cell_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.span}{self.day} {self.buyer}"
