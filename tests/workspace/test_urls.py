"""Every workspace URL keeps one caseload's households from another."""

import datetime
from decimal import Decimal

import pytest

from sellers.campaigns.services import campaign_create
from sellers.models import (
    Consent,
    LedgerEntry,
    Parcel,
    Payout,
    ReportExport,
)
from sellers.plans.services import plan_create
from sellers.preorders.services import harvest_offer_create
from tests import factories
from tests.sellers import helpers

pytestmark = pytest.mark.usefixtures("stripe_settings")


# Every workspace URL, with B's objects in it, as A: the table must name each
# URL pattern, so a new one cannot be added without deciding who may use it.
B_OBJECT = {
    "home": None,
    "parcels": None,
    "parcel": "parcel",
    "slip": "parcel",
    "ship": "parcel",
    "deliver": "parcel",
    "cancel": "parcel",
    "statement": "household",
    "statement-csv": "household",
    "payout-create": "household",
    "payout-proof": "payout",
    "household": None,
    "campaigns": None,
    "campaign-poster": "campaign",
    "household-record": "household",
    "consent": "household",
    "consent-withdraw": "household",
    "consent-scan": "consent",
    "caseloads": None,
    "caseload-remove": "caseload",
    "audit": None,
    "bureau": None,
    "bureau-export": "export",
    "bureau-parcels": None,
    "bureau-export-detail": "report-export",
    "bureau-export-download": "report-export",
    "plans": "household",
    "plan-create": "household",
    "plan-edit": "plan",
    "harvests": None,
    "harvest-create": None,
    "harvest-catch": "harvest",
    "harvest-delay": "harvest",
    "weigh": "parcel",
}


POST_ONLY = {
    "ship",
    "deliver",
    "cancel",
    "consent-withdraw",
    "caseload-remove",
    "harvest-create",
    "harvest-catch",
    "harvest-delay",
    "weigh",
}
# A is neither an organisation administrator nor a bureau officer: refused
# before any lookup.
NOT_FOUND_BUT = {
    # Plans outside the caseload are refused, as the issue asks, not hidden.
    "plans": 403,
    "plan-create": 403,
    "plan-edit": 403,
    "caseload-remove": 403,
    "bureau-export": 403,
    "bureau-export-detail": 403,
    "bureau-export-download": 403,
}


def test_every_workspace_url_keeps_b_s_households_from_a(client, shop):
    # given: B's parcel, household and payout
    from django.urls import reverse

    from storefront.workspace.urls import urlpatterns

    chen = shop["chen"]
    payout = helpers.payout(chen, "10.00", shop["b"], reference="C1", method="cash")
    other_agency = helpers.social_worker(
        "c@other.example", factories.household_create()
    )
    their_campaign = campaign_create(
        organisation=other_agency.memberships.get().organisation,
        name="陈叔的抖音视频",
        channel="douyin_video",
        starts_on=datetime.date(2026, 11, 1),
        ends_on=datetime.date(2026, 12, 31),
        acting_user=other_agency,
    )
    consent = factories.consent_create(chen, by=shop["b"])
    export = ReportExport.objects.create(
        requested_by=shop["b"],
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 11, 30),
        status="done",
    )
    plan = plan_create(
        household=chen,
        acting_user=shop["b"],
        season="冬季",
        starts_on=datetime.date(2026, 11, 1),
        ends_on=datetime.date(2026, 12, 31),
        target_income=10,
    )
    offer = harvest_offer_create(
        product=factories.product_create(household=chen, title="鲫鱼（预售）"),
        window_start=datetime.date(2026, 12, 20),
        window_end=datetime.date(2026, 12, 27),
        price_per_jin=Decimal("12.00"),
        jin_per_piece=Decimal("1.50"),
        capacity=100,
        per_order_limit=5,
        acting_user=shop["b"],
    )
    args = {
        "harvest": {"pk": offer.pk},
        "plan": {"pk": plan.pk},
        "consent": {"pk": consent.pk, "which": "signed"},
        "export": {"table": "income", "fmt": "csv"},
        "report-export": {"pk": export.pk},
        "caseload": {"slug": chen.slug, "user_id": shop["b"].pk},
        "campaign": {"pk": their_campaign.pk},
        "parcel": {"pk": shop["parcels"]["chen"].pk},
        "household": {"slug": chen.slug},
        "payout": {"pk": payout.pk},
    }
    assert {p.name for p in urlpatterns} == set(B_OBJECT)
    client.force_login(shop["a"])
    entries = LedgerEntry.objects.count()

    # when / then
    for name, kind in B_OBJECT.items():
        url = reverse(f"workspace:{name}", kwargs=args.get(kind, {}))
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            body = b"".join(response) if hasattr(response, "__iter__") else b""
            if kind is None:
                continue  # A's own pages: checked for B's names below
            # the posting-only views refuse a GET before looking anything up
            expected = 405 if method == "get" and name in POST_ONLY else 404
            expected = (
                NOT_FOUND_BUT.get(name, expected) if expected == 404 else expected
            )
            assert response.status_code == expected, (method, url)
            assert "陈叔" not in body.decode(), (method, url)
    for url in ("/workspace/parcels/", "/workspace/parcels/?status=to_pack"):
        html = client.get(url).content.decode()
        assert "陈叔" not in html and "chen" not in html and "腊肉" not in html
    chen_parcel = Parcel.objects.get(pk=shop["parcels"]["chen"].pk)
    assert chen_parcel.status == "to_pack"
    assert (LedgerEntry.objects.count(), Payout.objects.count()) == (entries, 1)
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is None
    assert set(chen.partner.users.all()) == {shop["b"]}
