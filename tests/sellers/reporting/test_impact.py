"""The public impact page: aggregates only, no group small enough to point
to a household."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from sellers.fulfilment.services import parcel_cancel
from sellers.models import HouseholdRecord, Organisation
from sellers.reporting.impact import public_impact
from tests import factories
from tests.sellers import helpers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_settings")]
SHANGHAI = ZoneInfo("Asia/Shanghai")
User = get_user_model()
TODAY = datetime.date(2026, 12, 3)  # November is the last whole month


def sell(clock, month, *products):
    clock[0] = datetime.datetime(2026, month, 10, 10, 0, tzinfo=SHANGHAI)
    return helpers.paid_order(*((product, 1) for product in products))


@pytest.fixture
def six_households(db):
    """Five households of 统景镇 and one of 大盛镇, ¥100 fish each (free
    delivery above ¥99), three people in each."""
    organisation = factories.OrganisationFactory()
    products = []
    for n, town in enumerate(["统景镇"] * 5 + ["大盛镇"]):
        household = factories.household_create(
            organisation=organisation, slug=f"h{n}", town=town, village=f"{town}一村"
        )
        HouseholdRecord.objects.filter(household=household).update(members=3)
        products.append(
            factories.product_create(household=household, price=Decimal("100.00"))
        )
    return products


def test_totals_and_towns_without_a_group_under_five(ledger_clock, six_households):
    sell(ledger_clock, 11, *six_households)

    figures = public_impact(today=TODAY)

    assert (figures["income"], figures["households"]) == (Decimal("600.00"), 6)
    assert "people" not in figures  # a total that grows by one household's members
    assert figures["orders"] == 1
    # 大盛镇's one household cannot be shown alone, nor 统景镇 beside the
    # total (the difference would be 大盛镇's): both are counted together.
    assert figures["towns"] == [
        {"name": "其他镇（合并）", "households": 6, "income": Decimal("600.00")}
    ]
    assert figures["chart"][-1] == {"label": "2026-11", "income": Decimal("600.00")}
    assert figures["chart"][0]["label"] == "2025-12"
    assert len(figures["chart"]) == 12 and figures["months_hidden"] == 0


def test_a_month_of_one_household_is_blank_and_so_is_the_one_that_gives_it_away(
    ledger_clock, six_households
):
    sell(ledger_clock, 10, six_households[0])
    sell(ledger_clock, 11, *six_households)

    figures = public_impact(today=TODAY)

    # October had one household; November shown would give October away as
    # the total less November.
    assert figures["income"] == Decimal("700.00")
    assert [m["income"] for m in figures["chart"][-2:]] == [Decimal("0.00")] * 2
    assert figures["months_hidden"] == 2


def test_the_page_shows_nothing_until_five_households_have_sold(
    client, ledger_clock, six_households
):
    # (today is 29 November: the page shows October, the last whole month)
    sell(ledger_clock, 10, *six_households[:4])
    # This month's sales (all six) are not published until it ends.
    ledger_clock[0] = timezone.now()
    helpers.paid_order(*((product, 1) for product in six_households))
    last_month_end = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    waiting = client.get("/impact/").content.decode()
    assert (
        f"数字只按整月公布，截至上个月底（{last_month_end}），"
        "并且要在这些月份里至少有 5 户农户卖出过商品，这样谁也不会被认出来。"
        "本月的销售在本月结束后才会显示在这里。"
    ) in waiting

    sell(ledger_clock, 10, six_households[4], six_households[5])
    html = client.get("/impact/").content.decode()

    assert "¥600.00" in html and "其他镇（合并）" in html
    assert "大盛镇" not in html and "h5" not in html
    assert Organisation.objects.get().name not in html


def test_a_month_with_one_households_refund_alone_is_blank(
    ledger_clock, six_households
):
    order = sell(ledger_clock, 10, *six_households)
    ledger_clock[0] = datetime.datetime(2026, 11, 3, 10, 0, tzinfo=SHANGHAI)
    parcel_cancel(
        parcel=order.parcels.get(household__slug="h0"),
        reason="鱼死了",
        acting_user=User.objects.create_user(username="w@agency.example"),
    )

    figures = public_impact(today=TODAY)

    # November's −¥100 would be 罗's refund; October beside the total would
    # give it away too.
    assert figures["income"] == Decimal("500.00")
    assert [m["income"] for m in figures["chart"][-2:]] == [Decimal("0.00")] * 2
    assert figures["months_hidden"] == 2
