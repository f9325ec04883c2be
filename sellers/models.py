from django.conf import settings
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


class Organisation(models.Model):
    """A social-work agency that looks after households and sells for them."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    district = models.CharField(_("district"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


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
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)
    display_level = models.CharField(
        _("display level"),
        max_length=20,
        choices=DisplayLevel.choices,
        default=DisplayLevel.ANONYMOUS,
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
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["town", "village", "id"]

    def __str__(self) -> str:
        return str(self.display_name)

    @property
    def display_name(self) -> str:
        """The name the public sees, at the level the household consented to."""
        if self.display_level in (DisplayLevel.GIVEN_NAME, DisplayLevel.FULL_STORY):
            if self.public_name:
                return self.public_name
        if self.display_level == DisplayLevel.ANONYMOUS:
            return _("A farming household")
        return _("A household of %(village)s") % {"village": self.village}

    def delete(self, *args, **kwargs):
        raise models.ProtectedError(
            _("Households are deactivated, never deleted."), {self}
        )


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
    """One household's share of an order: its lines, packed and sent by it."""

    order = models.ForeignKey(
        "order.Order", on_delete=models.PROTECT, related_name="parcels"
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="parcels"
    )
    goods_total = models.DecimalField(_("goods total"), max_digits=12, decimal_places=2)
    delivery_charge = models.DecimalField(
        _("delivery charge"), max_digits=12, decimal_places=2
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ParcelStatus.choices,
        default=ParcelStatus.TO_PACK,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")
        ordering = ["order_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "household"], name="one_parcel_per_household"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order.number} · {self.household.slug}"

    @property
    def total(self):
        return self.goods_total + self.delivery_charge
