from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sellers.models import PrivateStorage


class ProductCertificate(models.Model):
    """A consumption-assistance product certificate (消费帮扶产品认定) of a product.

    The storefront shows its badge only between valid_from and valid_until;
    the evidence (a scan) is private.
    """

    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="certificates"
    )
    number = models.CharField(_("certificate number"), max_length=60)
    issuer = models.CharField(_("issuing body"), max_length=120)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    evidence = models.FileField(
        _("evidence"),
        storage=PrivateStorage(),
        upload_to="certificates/%Y/",
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("product certificate")
        verbose_name_plural = _("product certificates")
        ordering = ["-valid_until"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number"], name="certificate_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")),
                name="certificate_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.number}"


class FishState(models.TextChoices):
    """How a fish travels: alive in water, or killed and kept on ice."""

    LIVE = "live", pgettext_lazy("fish", "Live")
    CHILLED = "chilled", pgettext_lazy("fish", "Chilled")


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Checking…")
    REFUSED = "refused", _("The file did not pass the checks")
    PREVIEWED = "previewed", _("Checked, not imported")
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Stopped by an error")


class ProductImport(models.Model):
    """A spreadsheet of products and stock for one household: checked row by
    row first (nothing saved), then imported; both off the request, by tasks."""

    household = models.ForeignKey(
        "sellers.Household", on_delete=models.PROTECT, related_name="imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(storage=PrivateStorage(), upload_to="imports/%Y/")
    file_name = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    # [{"row": 2, "action": "create"|"update", "values": {...}, "errors": [...]}]
    preview = models.JSONField(default=list)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("product import")
        verbose_name_plural = _("product imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def error_rows(self) -> int:
        return sum(1 for row in self.preview if row["errors"])

    @property
    def percent(self) -> int:
        return round(100 * self.rows_done / self.rows_total) if self.rows_total else 0


# Oscar's models are imported last so that any model defined above replaces
# Oscar's default of the same name.
from oscar.apps.catalogue.models import *  # noqa: E402,F403
