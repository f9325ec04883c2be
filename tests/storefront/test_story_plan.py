"""A household's story page shows its season's plan as buyers would want to
see it: what it grows, when it is harvested, and how far the goal is reached,
in percent only (its income is not among what it consented to show); a
produce line naming what its consent withholds is left out."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from sellers.plans import services as plan_services
from tests import factories
from tests.sellers import helpers as seller_helpers
from tests.storefront.checkout import helpers

pytestmark = pytest.mark.usefixtures("stripe_settings")


def plan_section(html: str) -> str:
    found = re.search(r'<section class="story-plan".*?</section>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0))).strip()


def test_the_story_shows_the_plans_produce_and_progress_in_percent(client, pages):
    # given: 罗大哥's story, and his winter plan: 2,000 fish for ¥100
    _home, index = pages
    fish, _eggs = helpers.two_households()
    luo = fish.stockrecords.get().partner.household
    story = factories.story_create(index=index, household=luo)
    worker = seller_helpers.social_worker("w@agency.example", luo)
    today = timezone.localdate()
    plan_services.plan_create(
        household=luo,
        acting_user=worker,
        season="2026年冬季",
        starts_on=today - datetime.timedelta(days=10),
        ends_on=datetime.date(2027, 1, 31),
        target_income=Decimal("100.00"),
        items=[
            {
                "product": fish,
                "quantity": Decimal("2000"),
                "unit": "条",
                "harvest_from": datetime.date(2026, 12, 20),
                "harvest_until": datetime.date(2027, 1, 10),
            },
            {"produce": "罗某银家的鲫鱼", "quantity": Decimal("300"), "unit": "斤"},
        ],
    )

    # when: a buyer pays for a fish (¥15 and ¥10 delivery go to the household)
    helpers.checkout_to_payment(client, fish)
    assert helpers.buy(client).status_code == 200
    html = client.get(story.url).content.decode()

    # then: a quarter of the goal, no money figure, the legal name nowhere
    assert plan_section(html) == (
        "罗大哥的2026年冬季销售计划 草鱼 2000 条 · 12月20日至1月10日采收 "
        "已售出和已预订的达到本季目标的 25%（截至2027年1月31日）。 25%"
    )
    assert "罗某银" not in html


def test_a_household_without_a_running_plan_shows_none(client, pages):
    # given
    _home, index = pages
    household = factories.household_create(slug="wang", public_name="王阿姨")
    story = factories.story_create(index=index, household=household)

    # when
    html = client.get(story.url).content.decode()

    # then
    assert 'class="story-plan"' not in html
