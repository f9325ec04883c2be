"""A hand-built month with known answers, for the bureau's figures and the
summaries: 罗大哥, 王阿姨 and 陈叔 selling in October and November 2026."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from catalog.models import ProductCertificate
from sellers.campaigns.services import campaign_create, order_campaign_record
from sellers.fulfilment.services import parcel_cancel
from sellers.households.services import bureau_officer_grant
from sellers.models import HouseholdRecord
from sellers.reporting.periods import Period
from tests.sellers import helpers

ProductCategory = get_model("catalogue", "ProductCategory")

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOVEMBER = Period(datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
NOVEMBER_QUERY = "?period=custom&start=2026-11-01&end=2026-11-30"


def at(clock, month, day):
    clock[0] = datetime.datetime(2026, month, day, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def months(ledger_clock):
    """罗大哥 (4 people, fish), 王阿姨 (2, eggs: certified), 陈叔 (3, bacon).
    10 Oct: 2 fish of 罗 (¥30 + ¥10 delivery), eggs of 王 (¥45 + ¥10).
    5 Nov: 1 fish of 罗 (¥15 + ¥10), bacon of 陈 (¥120, delivered free).
    6 Nov: 陈's parcel cancelled and refunded.
    12 Nov: another buyer, through a WeChat group's campaign: 3 eggs of 王
    (¥135, delivered free). 20 Nov: ¥30 paid out to 罗."""
    (fish, eggs, bacon), (luo, wang, chen), (a, b) = helpers.two_caseloads()
    for household, members in ((luo, 4), (wang, 2), (chen, 3)):
        HouseholdRecord.objects.filter(household=household).update(members=members)
    for product, name in ((eggs, "禽蛋"), (bacon, "腊肉")):
        ProductCategory.objects.filter(product=product).update(
            category=create_from_breadcrumbs(name)
        )
    ProductCertificate.objects.create(
        product=eggs,
        number="渝帮扶-001",
        issuer="渝北区农业农村委",
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2099, 12, 31),
    )
    at(ledger_clock, 10, 10)
    helpers.paid_order((fish, 2), (eggs, 1))
    at(ledger_clock, 11, 5)
    second = helpers.paid_order((fish, 1), (bacon, 1))
    at(ledger_clock, 11, 6)
    parcel_cancel(
        parcel=second.parcels.get(household=chen), reason="腊肉坏了", acting_user=b
    )
    at(ledger_clock, 11, 12)
    today = timezone.localdate()
    campaign = campaign_create(
        organisation=luo.organisation,
        name="西新村鸡蛋群",
        channel="wechat_group",
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=30),
        acting_user=a,
    )
    third = helpers.place_order((eggs, 3), email="other@example.com")
    order_campaign_record(order=third, code=campaign.code)
    helpers.pay(third)
    at(ledger_clock, 11, 20)
    helpers.payout(
        luo,
        "30.00",
        a,
        reference="N1",
        method="cash",
        paid_on=datetime.date(2026, 11, 20),
    )
    return luo, wang, chen


@pytest.fixture
def bureau_officer(db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username="officer@mca.example", email="officer@mca.example", password="pw"
    )
    bureau_officer_grant(user=user)
    return user
