"""Public views outside Wagtail's page tree: a campaign's short link and the
impact page."""

import datetime

from django.shortcuts import redirect, render
from django.utils import timezone

from sellers.campaigns.cookie import cookie_set
from sellers.campaigns.selectors import campaign_get_running
from sellers.reporting import charts
from sellers.reporting.impact import public_impact


def campaign_landing(request, code: str):
    """A campaign's short link: remember the campaign for a week, go to the store."""
    response = redirect("/")
    if campaign_get_running(code=code) is not None:
        cookie_set(response, code)
    return response


def impact(request):
    """The public impact page: what the store has brought households, in
    aggregates that cannot single one out (sellers.reporting.impact)."""
    today = timezone.localdate()
    figures = public_impact(today=today)
    return render(
        request,
        "sellers/impact.html",
        {
            "figures": figures,
            # Only whole months are published: up to the end of the last one.
            "published_to": today.replace(day=1) - datetime.timedelta(days=1),
            "chart": charts.bars(figures["chart"]) if figures else None,
        },
    )
