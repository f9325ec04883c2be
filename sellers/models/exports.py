"""The bureau's long exports, prepared off the request."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import PrivateStorage


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Stopped by an error")


class ReportExport(models.Model):
    """A long export for the bureau (every sale and refund of a period),
    written off the request by a task that reports its progress."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField(_("starts on"))
    end = models.DateField(_("ends on"))
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(
        storage=PrivateStorage(), upload_to="exports/%Y/", blank=True
    )
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.start}–{self.end} ({self.status})"

    @property
    def percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0
