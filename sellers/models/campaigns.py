"""Campaigns: a short link per way of sharing the store, and the orders through it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .households import Organisation


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
