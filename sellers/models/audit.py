"""The audit trail: who changed what, when, for which household."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import clock
from .base import AppendOnlyModel
from .households import Household, Organisation


class AuditAction(models.TextChoices):
    PRODUCT_CREATED = "product_created", _("Product listed")
    PRODUCT_CHANGED = "product_changed", _("Product changed")
    PRODUCT_DEACTIVATED = "product_deactivated", _("Product taken off sale")
    PRODUCT_REACTIVATED = "product_reactivated", _("Product back on sale")
    DELIVERY_PROMISE_CHANGED = "delivery_promise_changed", _("Delivery promise changed")
    RECORD_CHANGED = "record_changed", _("Protected record changed")
    CONSENT_RECORDED = "consent_recorded", _("Consent recorded")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    STORY_SUBMITTED = "story_submitted", _("Story submitted for review")
    STORY_PUBLISHED = "story_published", _("Story published")
    STORY_UNPUBLISHED = "story_unpublished", _("Story taken down")
    CASELOAD_ASSIGNED = "caseload_assigned", _("Household assigned")
    CASELOAD_REMOVED = "caseload_removed", _("Household unassigned")
    PLAN_CREATED = "plan_created", _("Sales plan written")
    PLAN_CHANGED = "plan_changed", _("Sales plan changed")


class AuditEvent(AppendOnlyModel):
    """Who changed what, when, for which household: append-only.

    `changes` maps a field to [old, new]; for protected fields it holds the
    field's name only (null values), because reviewers read the trail and
    are not entitled to the protected facts themselves.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="audit_events"
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="audit_events",
        null=True,
        blank=True,
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    action = models.CharField(_("action"), max_length=30, choices=AuditAction.choices)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    at = models.DateTimeField(_("at"), default=clock.now, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "-at"], name="audit_org_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.subject}"
