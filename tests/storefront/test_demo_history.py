"""The demo's sales history: written through the store's services at past
moments, it reconciles and the bureau's figures add up to its ledger."""

import datetime
from collections import defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone
from oscar.core.loading import get_model

from sellers.households.services import bureau_officer_grant
from sellers.models import LedgerEntry, Parcel, Payout
from sellers.reporting.periods import Period
from sellers.reporting.report import Report
from storefront.demo import history
from tests.sellers import helpers

Order = get_model("order", "Order")
pytestmark = pytest.mark.usefixtures("stripe_settings", "clean_stripe")
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def written(db):
    products, households, (a, b) = helpers.two_caseloads()
    luo, wang, chen = households
    workers = {luo.pk: a, wang.pk: a, chen.pk: b}
    counts = history.history_load(today=TODAY, workers=workers, months=2)
    return counts, households


def test_the_history_is_marked_as_demo_and_tells_nobody(written):
    counts, _households = written

    orders = Order.objects.all()
    assert counts["orders"] == orders.count() > 20
    assert all(o.number.startswith("DEMO-") for o in orders)
    assert {o.guest_email.rsplit("@", 1)[1] for o in orders} == {"example.invalid"}
    assert mail.outbox == []


def test_everything_is_dated_in_its_past_and_payouts_on_their_day(written):
    counts, _households = written
    first, last = datetime.date(2026, 9, 1), datetime.date(2026, 11, 19)

    days = [timezone.localdate(e.created_at) for e in LedgerEntry.objects.all()]
    placed = [timezone.localdate(o.date_placed) for o in Order.objects.all()]

    assert min(days) >= first and max(days) <= last
    assert min(placed) >= first and max(placed) <= last
    assert counts["payouts"] == Payout.objects.count() > 0
    assert {p.paid_on.day for p in Payout.objects.all()} <= {5, 6}
    for payout in Payout.objects.all():
        entry = LedgerEntry.objects.get(payout=payout)
        assert timezone.localdate(entry.created_at) == payout.paid_on
    # Parcels of orders placed the day before "today" are not yet delivered.
    assert Parcel.objects.filter(status="delivered").exists()


def test_the_history_reconciles_and_the_bureau_adds_it_up(written):
    out = StringIO()
    call_command("reconcile_ledger", stdout=out)
    assert out.getvalue().startswith("The ledger reconciles:")

    # Income per month by hand, from the ledger: sales, refunds, corrections.
    by_month = defaultdict(Decimal)
    for entry in LedgerEntry.objects.exclude(kind="payout"):
        by_month[timezone.localdate(entry.created_at).replace(day=1)] += entry.amount
    for month in (9, 10, 11):
        start = datetime.date(2026, month, 1)
        end = (start + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(
            days=1
        )
        report = Report(Period(start, end))
        assert report.totals["income"] == by_month[start], month
    paid = Payout.objects.aggregate(total=Sum("amount"))["total"]
    whole = Report(Period(datetime.date(2026, 9, 1), datetime.date(2026, 11, 30)))
    assert whole.totals["payouts"] == paid


def test_the_bureau_is_told_it_reads_demo_data(client, written, django_user_model):

    officer = django_user_model.objects.create_user(username="bureau", password="x")
    bureau_officer_grant(user=officer)
    client.force_login(officer)

    html = client.get("/workspace/bureau/?period=last-month").content.decode()

    assert (
        "演示数据：编号为 DEMO-… 的订单是演示商店虚构的销售记录，不是真实销售。" in html
    )
