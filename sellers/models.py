import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from . import clock


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
    # The household's public code, in its URLs: random, never a name
    # (sellers.services.household_code_new).
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
    # (sellers.services.consent_record / consent_withdraw); read through
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
    # household's social workers (sellers.services.caseload_assign).
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
        from .public import household_withheld_terms, text_names

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
        from .public import household_public

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
    """One household's share of an order: its lines, packed and sent by it.

    Its status changes only through the services in sellers.services, each a
    guarded UPDATE recorded as a ParcelEvent.
    """

    order = models.ForeignKey(
        "order.Order", on_delete=models.PROTECT, related_name="parcels"
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="parcels"
    )
    lines = models.ManyToManyField("order.Line", through="ParcelLine", related_name="+")
    goods_total = models.DecimalField(_("goods total"), max_digits=12, decimal_places=2)
    delivery_charge = models.DecimalField(
        _("delivery charge"), max_digits=12, decimal_places=2
    )
    # Whether the household itself is credited the delivery charge, as it
    # stood when the order was placed.
    household_ships = models.BooleanField(_("shipped by the household"), default=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ParcelStatus.choices,
        default=ParcelStatus.TO_PACK,
    )
    carrier = models.CharField(_("carrier"), max_length=40, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=40, blank=True)
    cancel_reason = models.CharField(
        _("reason for cancelling"), max_length=200, blank=True
    )
    refund_id = models.CharField(_("refund reference"), max_length=255, blank=True)
    refunded = models.DecimalField(
        _("refunded"), max_digits=12, decimal_places=2, default=0
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")
        ordering = ["order_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "household"], name="one_parcel_per_household"
            )
        ]
        indexes = [models.Index(fields=["household", "status"])]

    def __str__(self) -> str:
        return f"{self.order.number} · {self.household.slug}"

    @property
    def total(self):
        return self.goods_total + self.delivery_charge

    @property
    def household_share(self):
        """What the household is credited for this parcel once it is paid."""
        return self.goods_total + (self.delivery_charge if self.household_ships else 0)


class ParcelLine(models.Model):
    """An order line in its household's parcel: every line is in exactly one."""

    parcel = models.ForeignKey(Parcel, on_delete=models.PROTECT, related_name="+")
    line = models.OneToOneField(
        "order.Line", on_delete=models.PROTECT, related_name="parcel_line"
    )
    # The product's category, and whether it was certified on the day it was
    # bought, as they stood when the parcel was first credited: a refund is
    # reported under the same ones, however the product changed since.
    category = models.ForeignKey(
        "catalogue.Category",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    certified = models.BooleanField(null=True, editable=False)

    class Meta:
        verbose_name = _("parcel line")
        verbose_name_plural = _("parcel lines")

    def __str__(self) -> str:
        return f"{self.parcel_id}:{self.line_id}"


class Settlement(models.TextChoices):
    """How a parcel that has left is refunded: the produce is on its way, so
    the household is not simply debited its whole share."""

    RETURNED = (
        "returned",
        _("It came back: refund the buyer in full, off the household's share"),
    )
    PARTIAL = "partial", _("The buyer keeps it: refund part, off the household's share")
    ABSORBED = (
        "absorbed",
        _(
            "The agency bears it: refund the buyer in full, the household keeps "
            "its share"
        ),
    )


class ParcelEvent(models.Model):
    """A parcel's change of status (or a part refunded): who acted, when, and
    what was recorded."""

    parcel = models.ForeignKey(Parcel, on_delete=models.PROTECT, related_name="events")
    status = models.CharField(_("status"), max_length=20, choices=ParcelStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    settlement = models.CharField(
        _("settled by"), max_length=20, choices=Settlement.choices, blank=True
    )
    refunded = models.DecimalField(
        _("refunded"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(_("at"), default=clock.now)

    class Meta:
        verbose_name = _("parcel event")
        verbose_name_plural = _("parcel events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.parcel_id} {self.status} {self.created_at:%Y-%m-%d %H:%M}"


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Where payout receipts go: PRIVATE_MEDIA_ROOT, never under MEDIA_URL; they
    are served only by a view that checks who asks."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


private_storage = PrivateStorage()


class PayoutMethod(models.TextChoices):
    BANK = "bank", _("Bank transfer")
    WECHAT = "wechat", _("WeChat transfer")
    CASH = "cash", _("Cash")


class AppendOnlyQuerySet(models.QuerySet):
    """Rows are added, never changed or removed: corrections are new rows."""

    def update(self, **kwargs):
        raise models.ProtectedError(_("Ledger rows cannot be changed."), set())

    def delete(self):
        raise models.ProtectedError(_("Ledger rows cannot be deleted."), set())

    def bulk_update(self, objs, fields, batch_size=None):
        raise models.ProtectedError(_("Ledger rows cannot be changed."), set())


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise models.ProtectedError(_("Ledger rows cannot be changed."), {self})
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise models.ProtectedError(_("Ledger rows cannot be deleted."), {self})


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


class Span(models.TextChoices):
    """How long a summary row sums: a day, a calendar month or a calendar
    year (Asia/Shanghai)."""

    DAY = "d", _("day")
    MONTH = "m", _("month")
    YEAR = "y", _("year")


class IncomeDay(models.Model):
    """A household's ledger summed per day, month and year (Asia/Shanghai).

    Written by sellers.summaries in the transaction that adds the entries,
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


class CampaignChannel(models.TextChoices):
    WECHAT_GROUP = "wechat_group", _("WeChat group")
    WECHAT_ARTICLE = "wechat_article", _("WeChat article")
    DOUYIN_VIDEO = "douyin_video", _("Douyin video")
    MARKET_STALL = "market_stall", _("Market stall")
    OTHER = "other", _("Other")


class Campaign(models.Model):
    """A way the agency shares the store (a WeChat group, a Douyin video, a
    market stall…): a short link and QR code whose orders are counted for it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="campaigns"
    )
    name = models.CharField(_("name"), max_length=80)
    channel = models.CharField(
        _("channel"), max_length=20, choices=CampaignChannel.choices
    )
    code = models.SlugField(_("code"), max_length=12, unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="campaign_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CampaignOrder(models.Model):
    """An order placed by a visitor who came through a campaign's link."""

    order = models.OneToOneField(
        "order.Order", on_delete=models.PROTECT, related_name="campaign_order"
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="orders"
    )

    class Meta:
        verbose_name = _("campaign order")
        verbose_name_plural = _("campaign orders")

    def __str__(self) -> str:
        return f"{self.campaign.code}:{self.order_id}"


class AuditAction(models.TextChoices):
    PRODUCT_CREATED = "product_created", _("Product listed")
    PRODUCT_CHANGED = "product_changed", _("Product changed")
    PRODUCT_DEACTIVATED = "product_deactivated", _("Product taken off sale")
    PRODUCT_REACTIVATED = "product_reactivated", _("Product back on sale")
    PRODUCTS_IMPORTED = "products_imported", _("Products imported")
    RECORD_CHANGED = "record_changed", _("Protected record changed")
    CONSENT_RECORDED = "consent_recorded", _("Consent recorded")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    STORY_SUBMITTED = "story_submitted", _("Story submitted for review")
    STORY_PUBLISHED = "story_published", _("Story published")
    STORY_UNPUBLISHED = "story_unpublished", _("Story taken down")
    CASELOAD_ASSIGNED = "caseload_assigned", _("Household assigned")
    CASELOAD_REMOVED = "caseload_removed", _("Household unassigned")


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
