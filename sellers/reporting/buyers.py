"""A report's orders and buyers, per campaign and per channel, read from the
OrderCell summary (sellers.reporting.report.Report.campaigns, .channels)."""

from collections import defaultdict

from django.db.models import F, Q, Sum
from django.utils.translation import gettext as _

from sellers.models import Campaign, CampaignChannel, OrderCell

from .periods import ZERO, money

# A buyer row of a day with a refund only: not a buyer of that period.
BOUGHT = Q(orders__gt=0)


def buyer_sets(rows: Q) -> dict:
    """The period's buyers, and per campaign (None: without one)."""
    pairs = (
        OrderCell.objects.filter(rows, BOUGHT)
        .values_list("campaign_id", "buyer")
        .distinct()
        .order_by()
    )
    everyone, by_campaign = set(), defaultdict(set)
    for campaign, buyer in pairs:
        everyone.add(buyer)
        by_campaign[campaign].add(buyer)
    return {"all": everyone, "campaigns": by_campaign}


def campaign_sums(rows: Q) -> list[dict]:
    """Orders paid, sales, refunds and units per campaign id (None: without)."""
    return list(
        OrderCell.objects.filter(rows)
        .values("campaign_id")
        .annotate(
            paid=Sum("orders"),
            sales=Sum("sales"),
            refunds=Sum("refunds"),
            units=Sum("units"),
        )
    )


def campaign_rows(sums: list[dict], buyers: dict) -> list[dict]:
    """Per campaign (and orders placed without one): orders, buyers,
    income (sales − refunds), units."""
    campaigns = {
        row["pk"]: row
        for row in Campaign.objects.filter(
            pk__in=[r["campaign_id"] for r in sums]
        ).values("pk", "name", "channel", organisation_name=F("organisation__name"))
    }
    rows = []
    for row in sums:
        campaign = campaigns.get(row["campaign_id"])
        sales, refunds = money(row["sales"]), money(row["refunds"])
        rows.append(
            {
                "key": row["campaign_id"],
                "name": campaign["name"] if campaign else _("Without a campaign"),
                "organisation": campaign["organisation_name"] if campaign else "",
                "channel": campaign["channel"] if campaign else None,
                "channel_label": (
                    str(CampaignChannel(campaign["channel"]).label) if campaign else ""
                ),
                "orders": row["paid"],
                "buyers": len(buyers["campaigns"][row["campaign_id"]]),
                "sales": sales,
                "refunds": refunds,
                "income": sales - refunds,
                "units": row["units"],
            }
        )
    return sorted(rows, key=lambda r: (r["key"] is None, r["name"]))


def channel_rows(campaigns: list[dict], buyers: dict) -> list[dict]:
    """Per channel (WeChat group, Douyin video…): orders, buyers, income."""
    channel_buyers: dict = defaultdict(set)
    for row in campaigns:
        channel_buyers[row["channel"]] |= buyers["campaigns"][row["key"]]
    groups: dict = {}
    for row in campaigns:
        channel = row["channel"]
        group = groups.setdefault(
            channel,
            {
                "name": row["channel_label"] or _("Without a campaign"),
                "orders": 0,
                "buyers": len(channel_buyers[channel]),
                "income": ZERO,
                "units": 0,
            },
        )
        group["orders"] += row["orders"]
        group["income"] += row["income"]
        group["units"] += row["units"]
    return sorted(groups.values(), key=lambda r: r["name"])
