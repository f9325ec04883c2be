"""Campaigns: a short link and QR poster; orders through the link count for it."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from sellers.campaigns.services import campaign_create
from sellers.models import Campaign, CampaignOrder
from tests import factories
from tests.sellers import helpers
from tests.storefront.checkout import helpers as checkout

pytestmark = pytest.mark.usefixtures("stripe_settings")


@pytest.fixture
def worker(db):
    household = factories.household_create(slug="zhang")
    return helpers.social_worker("a@agency.example", household)


def campaign_of(user, *, starts=-1, ends=30, organisation=None):
    today = timezone.localdate()
    return campaign_create(
        organisation=organisation or user.memberships.get().organisation,
        name="西新村鲜鱼群接龙",
        channel="wechat_group",
        starts_on=today + datetime.timedelta(days=starts),
        ends_on=today + datetime.timedelta(days=ends),
        acting_user=user,
    )


def test_a_social_worker_makes_a_campaign_and_gets_its_poster(client, worker):
    # given
    client.force_login(worker)
    today = timezone.localdate()

    # when
    response = client.post(
        "/workspace/campaigns/",
        {
            "name": "西新村鲜鱼群接龙",
            "channel": "wechat_group",
            "starts_on": today.isoformat(),
            "ends_on": (today + datetime.timedelta(days=14)).isoformat(),
        },
        follow=True,
    )

    # then
    campaign = Campaign.objects.get()
    html = response.content.decode()
    assert re.fullmatch(r"[a-z2-9]{6}", campaign.code)
    assert f"http://testserver/c/{campaign.code}/" in html
    assert "<svg" in html and "西新村鲜鱼群接龙" in html
    assert campaign.organisation == worker.memberships.get().organisation


def test_a_campaign_ending_before_it_starts_is_refused(client, worker):
    client.force_login(worker)

    response = client.post(
        "/workspace/campaigns/",
        {
            "name": "x",
            "channel": "douyin_video",
            "starts_on": "2026-12-10",
            "ends_on": "2026-12-01",
        },
    )

    assert response.status_code == 400
    assert "活动结束日期不能早于开始日期。" in response.content.decode()
    assert Campaign.objects.count() == 0


def test_an_order_placed_after_the_link_counts_for_the_campaign(client, worker):
    # given: the buyer opened the campaign's link in WeChat
    campaign = campaign_of(worker)
    fish, eggs = checkout.two_households()
    landing = client.get(f"/c/{campaign.code}/")

    # when: he buys
    checkout.checkout_to_payment(client, fish, eggs)
    checkout.buy(client)

    # then
    assert landing.status_code == 302 and landing["Location"] == "/"
    recorded = CampaignOrder.objects.get()
    assert recorded.campaign == campaign
    assert recorded.order.total_incl_tax == Decimal("80.00")
    client.force_login(worker)
    listed = client.get("/workspace/campaigns/").context["campaigns"]
    assert [(c.code, c.order_count, c.takings) for c in listed] == [
        (campaign.code, 1, Decimal("80.00"))
    ]


@pytest.mark.parametrize("case", ["ended", "not started", "unknown"])
def test_an_order_after_a_dead_link_counts_for_nothing(client, worker, case):
    campaign = campaign_of(worker, starts=-30, ends=-1)
    if case == "not started":
        campaign = campaign_of(worker, starts=2, ends=9)
    code = "zzzzzz" if case == "unknown" else campaign.code
    fish, eggs = checkout.two_households()

    client.get(f"/c/{code}/")
    checkout.checkout_to_payment(client, fish, eggs)
    checkout.buy(client)

    assert CampaignOrder.objects.count() == 0
    assert "bangfu_campaign" not in client.cookies


def test_another_organisation_s_campaign_is_not_shown(client, worker):
    # given: a campaign of another agency
    other = helpers.social_worker("b@other.example", factories.household_create())
    theirs = campaign_of(other)
    client.force_login(worker)

    # when / then
    assert client.get(f"/workspace/campaigns/{theirs.pk}/poster/").status_code == 404
    assert list(client.get("/workspace/campaigns/").context["campaigns"]) == []
