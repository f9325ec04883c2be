"""A household's consent to what the public may see of it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import private_storage
from .households import DisplayLevel, Household


class ConsentScope(models.TextChoices):
    STORY = "story", _("Story text")
    PHOTOS = "photos", _("Photos of the household")
    NAME = "name", _("The household's given name")
    VILLAGE = "village", _("The household's village")


# What a display level cannot be consented to without.
SCOPE_NEEDED = {
    DisplayLevel.ANONYMOUS: set(),
    DisplayLevel.VILLAGE: {ConsentScope.VILLAGE},
    DisplayLevel.GIVEN_NAME: {ConsentScope.VILLAGE, ConsentScope.NAME},
    DisplayLevel.FULL_STORY: {
        ConsentScope.VILLAGE,
        ConsentScope.NAME,
        ConsentScope.STORY,
    },
}
LEVEL_RANK = {level: rank for rank, level in enumerate(DisplayLevel.values)}


class Consent(models.Model):
    """A household's recorded consent to be shown, from a signed form.

    A story can go live only while the household has a consent in force; its
    withdrawal takes the story down and makes the household anonymous.
    Consents are never edited: a new level is a new consent, and withdrawal
    stamps the one in force.
    """

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="consents"
    )
    display_level = models.CharField(
        _("consented display level"), max_length=20, choices=DisplayLevel.choices
    )
    scope = models.JSONField(_("scope"), default=list)
    given_on = models.DateField(_("signed on"))
    signed_form = models.FileField(
        _("signed form"), storage=private_storage, upload_to="consents/%Y/"
    )
    witness = models.CharField(_("witness"), max_length=60)
    minors_appear = models.BooleanField(_("minors appear in the story or photos"))
    guardian_name = models.CharField(_("guardian"), max_length=60, blank=True)
    guardian_form = models.FileField(
        _("guardian's signed form"),
        storage=private_storage,
        upload_to="consents/%Y/",
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            # One consent in force per household at a time.
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_consent_in_force",
            ),
            models.CheckConstraint(
                condition=Q(minors_appear=False) | ~Q(guardian_name=""),
                name="consent_guardian_when_minors",
            ),
        ]

    def __str__(self) -> str:
        level = self.get_display_level_display()
        return f"{self.household.slug} · {level} · {self.given_on}"
