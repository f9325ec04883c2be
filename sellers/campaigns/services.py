"""Campaigns: a short link per way of sharing the store; orders through it count."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from sellers.models import (
    Campaign,
    CampaignOrder,
    Organisation,
)

from .selectors import campaign_get_running

# Campaigns: a short link per way of sharing the store; orders through it count.

CAMPAIGN_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # nothing to misread


def campaign_create(
    *,
    organisation: Organisation,
    name: str,
    channel: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    acting_user,
) -> Campaign:
    """Start a campaign of the organisation, with a fresh short code."""
    if ends_on < starts_on:
        raise ValidationError(_("The campaign cannot end before it starts."))
    for _attempt in range(10):
        code = "".join(secrets.choice(CAMPAIGN_CODE_ALPHABET) for _ in range(6))
        if not Campaign.objects.filter(code=code).exists():
            break
    return Campaign.objects.create(
        organisation=organisation,
        name=name.strip(),
        channel=channel,
        code=code,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=acting_user,
    )


def order_campaign_record(*, order, code: str) -> CampaignOrder | None:
    """Count the order for the campaign whose link the buyer came through, if
    that campaign runs on the day the order is placed."""
    campaign = campaign_get_running(
        code=code, day=timezone.localdate(order.date_placed)
    )
    if campaign is None:
        return None
    return CampaignOrder.objects.create(order=order, campaign=campaign)
