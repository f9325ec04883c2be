"""The households' income ledger and the payouts it records."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import clock
from .base import AppendOnlyModel, private_storage
from .fulfilment import Parcel
from .households import Household


class PayoutMethod(models.TextChoices):
    BANK = "bank", _("Bank transfer")
    WECHAT = "wechat", _("WeChat transfer")
    CASH = "cash", _("Cash")


class Payout(AppendOnlyModel):
    """Money the agency handed to a household, with the proof of it."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="payouts"
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    method = models.CharField(_("method"), max_length=10, choices=PayoutMethod.choices)
    reference = models.CharField(_("reference"), max_length=80)
    paid_on = models.DateField(_("paid on"))
    proof = models.FileField(
        _("receipt"), storage=private_storage, upload_to="payouts/%Y/%m/"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The payout form's one-time token: a double click records one payout.
    request_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="payout_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household.slug} · ¥{self.amount} · {self.paid_on}"


class EntryKind(models.TextChoices):
    SALE = "sale", _("Sale")
    REFUND = "refund", _("Refund")
    PAYOUT = "payout", _("Payout")
    CORRECTION = "correction", _("Correction")


class LedgerEntry(AppendOnlyModel):
    """One line of a household's income ledger: what it is owed, and why.

    Append-only: entries are numbered 1, 2, 3… per household and carry the
    balance after them, so a statement page needs no running sum, a page is a
    range of numbers, and a fork in the numbering cannot happen (unique
    household + seq).
    """

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    seq = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    # Credits are positive, debits negative.
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    balance = models.DecimalField(_("balance"), max_digits=14, decimal_places=2)
    # Payouts up to and including this entry: with the balance, the last entry
    # gives what was earned and paid out without summing the ledger.
    payouts_total = models.DecimalField(
        _("paid out so far"), max_digits=14, decimal_places=2, default=0
    )
    parcel = models.ForeignKey(
        Parcel,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    payout = models.OneToOneField(
        Payout,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entry",
    )
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("date"), default=clock.now)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["household_id", "seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "seq"], name="ledger_seq_unique"
            ),
            # A parcel is credited once and refunded at most once.
            models.UniqueConstraint(
                fields=["parcel"],
                condition=Q(kind="sale"),
                name="ledger_one_sale_per_parcel",
            ),
            models.UniqueConstraint(
                fields=["parcel"],
                condition=Q(kind="refund"),
                name="ledger_one_refund_per_parcel",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="sale", amount__gte=0, parcel__isnull=False)
                    | Q(kind="refund", amount__lte=0, parcel__isnull=False)
                    | Q(kind="payout", amount__lt=0, payout__isnull=False)
                    | Q(kind="correction", corrects__isnull=False)
                ),
                name="ledger_kind_fits_amount",
            ),
        ]
        indexes = [models.Index(fields=["household", "created_at"])]

    def __str__(self) -> str:
        return f"{self.household_id}#{self.seq} {self.kind} {self.amount}"
