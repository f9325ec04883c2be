"""An organisation's campaigns: short links with a poster to share them."""

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from sellers.campaigns import selectors as campaign_selectors
from sellers.campaigns import services as campaign_services
from sellers.households import selectors as household_selectors
from sellers.models import Campaign

from ..decorators import workspace_view
from ..forms.campaigns import CampaignForm


def campaign_link(request, campaign: Campaign) -> str:
    return request.build_absolute_uri(reverse("campaign", args=[campaign.code]))


@method_decorator(workspace_view, name="dispatch")
class CampaignListView(View):
    template_name = "sellers/workspace/campaigns.html"

    def organisation(self, request):
        organisation = household_selectors.organisation_list_for_member(
            user=request.user
        ).first()
        if organisation is None:
            raise PermissionDenied
        return organisation

    def get(self, request):
        self.organisation(request)
        return self.render(request, CampaignForm())

    def post(self, request):
        organisation = self.organisation(request)
        form = CampaignForm(request.POST)
        if form.is_valid():
            campaign = campaign_services.campaign_create(
                organisation=organisation, acting_user=request.user, **form.cleaned_data
            )
            messages.success(request, _("The campaign is ready to share."))
            return redirect("workspace:campaign-poster", pk=campaign.pk)
        return self.render(request, form, status=400)

    def render(self, request, form, status=200):
        return render(
            request,
            self.template_name,
            {
                "campaigns": campaign_selectors.campaign_list(user=request.user),
                "form": form,
            },
            status=status,
        )


@workspace_view
def campaign_poster(request, pk: int):
    try:
        campaign = campaign_selectors.campaign_get(user=request.user, pk=pk)
    except Campaign.DoesNotExist as error:
        raise Http404 from error
    link = campaign_link(request, campaign)
    qr = segno.make(link, error="m")
    return render(
        request,
        "sellers/workspace/campaign_poster.html",
        {
            "campaign": campaign,
            "link": link,
            # segno draws the SVG from the link alone: no user input in it.
            "qr_svg": mark_safe(qr.svg_inline(scale=8)),
        },
    )
