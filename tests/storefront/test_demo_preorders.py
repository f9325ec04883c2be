"""The demo's pre-order season: written through the store's services, settled
by weight with exact figures, and the ledger reconciles."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from sellers.models import HarvestOffer, HarvestSettlement, LedgerEntry, Parcel
from sellers.preorders.selectors import preorder_pending_by_household
from storefront.demo import preorders
from tests import factories
from tests.sellers import helpers

pytestmark = pytest.mark.usefixtures("stripe_settings", "clean_stripe")
TODAY = datetime.date(2026, 11, 20)


def test_the_demo_season_settles_one_harvest_and_waits_for_the_other(db):
    # given: the two fish households of the demo and their social worker
    luo = factories.household_create(slug="luo", public_name="罗大哥")
    luo.nickname = "luo-pond"
    luo.save(update_fields=["nickname"])
    xu = factories.household_create(slug="xu", public_name="徐二哥")
    xu.nickname = "xu-pond"
    xu.save(update_fields=["nickname"])
    worker = helpers.social_worker("a@agency.example", luo, xu)

    # when
    counts = preorders.preorder_season_load(
        today=TODAY, workers={luo.pk: worker, xu.pk: worker}
    )

    # then: 罗大哥's 6 fish paid ¥72+10, ¥36+10, ¥108+10; weighed at
    # 5.6 jin (¥67.20), 3.4 jin (¥36.00 kept), 8.7 jin (¥104.40; its delivery
    # was free)
    assert counts == {"offers": 2, "orders": 5, "settled": 3}
    assert HarvestOffer.objects.count() == 2
    settled = HarvestSettlement.objects.order_by("parcel__order__date_placed")
    assert [(s.settled_goods, s.refund) for s in settled] == [
        (Decimal("67.20"), Decimal("4.80")),
        (Decimal("36.00"), Decimal("0.00")),
        (Decimal("104.40"), Decimal("3.60")),
    ]
    assert [
        e.amount for e in LedgerEntry.objects.filter(household=luo).order_by("seq")
    ] == [Decimal("77.20"), Decimal("46.00"), Decimal("104.40")]
    assert LedgerEntry.objects.filter(household=xu).count() == 0
    assert preorder_pending_by_household(
        household_ids=[luo.pk, xu.pk],
        start=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        end=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC),
    ) == {xu.pk: Decimal("128.00")}
    assert Parcel.objects.filter(preorder=True).count() == 5
    assert mail.outbox == []
    out = StringIO()
    call_command("reconcile_ledger", stdout=out)
    assert "The ledger reconciles" in out.getvalue()
