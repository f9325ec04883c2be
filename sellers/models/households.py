"""Organisations, their members, households and each one's protected record."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class DisplayLevel(models.TextChoices):
    """How much of a household's identity its consent lets the public see."""

    ANONYMOUS = "anonymous", _("Anonymous")
    VILLAGE = "village", _("Village only")
    GIVEN_NAME = "given_name", _("Given name")
    FULL_STORY = "full_story", _("Full story")


class AssistanceCategory(models.TextChoices):
    """Registration categories of the civil-affairs system (protected)."""

    DIBAO = "dibao", _("Minimum living allowance (低保)")
    TEKUN = "tekun", _("Extreme-poverty support (特困)")
    JIANDANG = "jiandang", _("Registered poor household (建档立卡)")
    EDGE = "edge", _("At risk of returning to poverty (边缘户)")
    NONE = "none", _("None")


class MemberRole(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("Social worker")
    REVIEWER = "reviewer", _("Organisation reviewer")
    ADMINISTRATOR = "administrator", _("Organisation administrator")


# A service line as buyers dial it, once spaces, hyphens and brackets are gone:
# a mainland mobile (+86 allowed), a landline with its area code, or a 400/800
# number.
SERVICE_PHONE = re.compile(r"(?:(?:\+|00)86)?1[3-9]\d{9}|0\d{10,11}|[48]00\d{7}")
SERVICE_PHONE_SEPARATORS = re.compile(r"[\s()（）-]")
WECHAT_ID = re.compile(r"[A-Za-z][-_A-Za-z0-9]{5,19}")


def validate_service_phone(value: str) -> None:
    if not SERVICE_PHONE.fullmatch(SERVICE_PHONE_SEPARATORS.sub("", value)):
        raise ValidationError(
            _(
                "Enter a landline with its area code (023-67881234), a 400 or 800 "
                "number, or a mobile number (13912345678)."
            ),
            code="invalid",
        )


def validate_wechat_id(value: str) -> None:
    if not WECHAT_ID.fullmatch(value):
        raise ValidationError(
            _(
                "A WeChat ID has 6 to 20 letters, digits, underscores or hyphens "
                "and starts with a letter."
            ),
            code="invalid",
        )


class Organisation(models.Model):
    """A social-work agency that looks after households and sells for them."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    district = models.CharField(_("district"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)
    # The organisation's public business contact, printed on product and order
    # pages and in notices: never a household's or a social worker's own number.
    service_phone = models.CharField(
        _("customer-service phone"),
        max_length=24,
        blank=True,
        validators=[validate_service_phone],
        help_text=_(
            "The organisation's service line, shown to buyers: a landline with its "
            "area code, a 400 number or a work mobile; never a household's number."
        ),
    )
    service_wechat = models.CharField(
        _("customer-service WeChat ID"),
        max_length=20,
        blank=True,
        validators=[validate_wechat_id],
    )
    service_hours = models.CharField(
        _("customer-service hours"),
        max_length=60,
        blank=True,
        help_text=_("For example: 每天 9:00–21:00"),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def service_tel(self) -> str:
        """The service phone as a tel: link's target (tel:02367881234)."""
        digits = re.sub(r"[^\d+]", "", self.service_phone)
        return f"tel:{digits}" if digits else ""


class Membership(models.Model):
    """A user's role in an organisation (social worker, reviewer, administrator)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class HouseholdQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Household(models.Model):
    """A household's public profile; it sells through its own Oscar partner.

    Everything here may appear on public pages. The protected facts live in
    HouseholdRecord, which public code never loads.
    """

    partner = models.OneToOneField(
        "partner.Partner", on_delete=models.PROTECT, related_name="household"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="households"
    )
    # The household's public code, in its URLs: random, never a name
    # (sellers.households.services.household_code_new).
    slug = models.SlugField(_("code"), max_length=80, unique=True, allow_unicode=True)
    nickname = models.CharField(
        _("staff nickname"),
        max_length=40,
        blank=True,
        help_text=_(
            "How the social workers tell this household apart in the workspace; "
            "never shown to the public."
        ),
    )
    # The consent in force, mirrored here by the consent services only
    # (sellers.consent.services.consent_record / consent_withdraw); read through
    # sellers.public.household_public.
    display_level = models.CharField(
        _("display level"),
        max_length=20,
        choices=DisplayLevel.choices,
        default=DisplayLevel.ANONYMOUS,
        editable=False,
    )
    shows_village = models.BooleanField(
        _("village may be shown"), default=False, editable=False
    )
    shows_photo = models.BooleanField(
        _("photos may be shown"), default=False, editable=False
    )
    public_name = models.CharField(
        _("public name"),
        max_length=40,
        blank=True,
        help_text=_("A given name or pseudonym, shown only at a consented level."),
    )
    district = models.CharField(_("district"), max_length=40)
    town = models.CharField(_("town"), max_length=40, db_index=True)
    village = models.CharField(_("village"), max_length=40, db_index=True)
    introduction = models.CharField(_("short introduction"), max_length=200, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Shown on each of its products' cards and pages unless the product says
    # otherwise (catalog's delivery_promise attribute).
    delivery_promise = models.CharField(
        _("delivery promise"),
        max_length=60,
        blank=True,
        help_text=_(
            "When and how its parcels leave, e.g. 现捕现发，顺丰冷链，48小时内发货."
        ),
    )
    ships_itself = models.BooleanField(
        _("ships its own parcels"),
        default=True,
        help_text=_(
            "The household posts its parcels and is credited the delivery charge; "
            "otherwise the agency ships and keeps it."
        ),
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("household login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="household_account",
        help_text=_("Optional: lets the household see what to pack and its earnings."),
    )
    # Wagtail's page permissions are per group: this group holds the change
    # permission on the household's story page, and its members are the
    # household's social workers (sellers.households.services.caseload_assign).
    story_editors = models.OneToOneField(
        "auth.Group",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="household_stories",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["town", "village", "id"]

    def __str__(self) -> str:
        return f"{self.public.name} · {self.slug}"

    def clean(self):
        """The introduction is public: it names no more than the consent shows."""
        from ..public import household_withheld_terms, text_names

        found = text_names(self.introduction, household_withheld_terms(self))
        if found:
            raise ValidationError(
                {
                    "introduction": _(
                        "Leave out what the household has not agreed to show "
                        "(“%(words)s”)."
                    )
                    % {"words": "”、“".join(found)}
                }
            )

    @property
    def public(self):
        """What the public may see of this household (sellers.public)."""
        from ..public import household_public

        return household_public(self)

    @property
    def label(self) -> str:
        """How staff tell households apart: nickname and code, never public."""
        if self.nickname and self.nickname != self.slug:
            return f"{self.nickname} · {self.slug}"
        return f"{self.public.name} · {self.slug}"

    def delete(self, *args, **kwargs):
        raise models.ProtectedError(
            _("Households are deactivated, never deleted."), {self}
        )


# The protected record's facts (all but its links and timestamp).
HOUSEHOLD_RECORD_FIELDS = [
    "legal_name",
    "id_number",
    "phone",
    "address",
    "members",
    "assistance_category",
    "disability",
    "illness",
    "bank_name",
    "bank_account",
    "notes",
]


class HouseholdRecord(models.Model):
    """The protected facts of a household: its social workers and admins only."""

    household = models.OneToOneField(
        Household, on_delete=models.PROTECT, related_name="record"
    )
    legal_name = models.CharField(_("legal name"), max_length=60)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    members = models.PositiveSmallIntegerField(_("people in household"), default=1)
    assistance_category = models.CharField(
        _("assistance category"),
        max_length=20,
        choices=AssistanceCategory.choices,
        default=AssistanceCategory.NONE,
    )
    disability = models.CharField(_("disability"), max_length=200, blank=True)
    illness = models.CharField(_("illness"), max_length=200, blank=True)
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("protected household record")
        verbose_name_plural = _("protected household records")

    def __str__(self) -> str:
        return str(
            _("Protected record of household %(id)s") % {"id": self.household_id}
        )
