"""An order released unpaid takes its parcels with it: cancelled, nothing
refunded, credited or told, and the workspace and the books unchanged."""

import datetime
import importlib
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from sellers.fulfilment.selectors import parcel_counts
from sellers.fulfilment.services import order_parcels_release
from sellers.models import LedgerEntry, Parcel, ParcelEvent, SmsMessage
from storefront.accounts.lookup import signed_order_path
from storefront.checkout import payments
from storefront.checkout.models import StripePayment
from tests.sellers import helpers

pytestmark = pytest.mark.usefixtures("stripe_settings")

REASON = "未在时限内付款"


@pytest.fixture
def shop(db):
    products, households, workers = helpers.two_caseloads()
    return {"products": products, "workers": workers}


def placed(shop):
    """An order of 罗大哥's fish and 王阿姨's eggs, awaiting payment."""
    fish, eggs, _bacon = shop["products"]
    order = helpers.place_order((fish, 2), (eggs, 1))
    payments.payment_open(order=order)
    return order


def expire(order) -> str:
    later = timezone.now() + datetime.timedelta(minutes=16)
    return payments.order_expire(order_number=order.number, now=later)


def history(order):
    return sorted(
        (e.parcel.household.slug, e.status, e.note, e.refunded, e.actor_id)
        for e in ParcelEvent.objects.filter(parcel__order=order)
    )


def test_an_expired_order_s_parcels_are_cancelled_with_nothing_refunded(
    shop, django_capture_on_commit_callbacks
):
    # given
    order = placed(shop)
    mail.outbox.clear()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        status = expire(order)

    # then
    assert status == "cancelled"
    assert sorted(
        Parcel.objects.filter(order=order).values_list(
            "household__slug", "status", "cancel_reason", "refunded", "refund_id"
        )
    ) == [
        ("luo", "cancelled", REASON, Decimal("0.00"), ""),
        ("wang", "cancelled", REASON, Decimal("0.00"), ""),
    ]
    assert history(order) == [
        ("luo", "cancelled", REASON, Decimal("0.00"), None),
        ("luo", "to_pack", "", None, None),
        ("wang", "cancelled", REASON, Decimal("0.00"), None),
        ("wang", "to_pack", "", None, None),
    ]
    assert LedgerEntry.objects.count() == 0
    assert mail.outbox == []
    assert SmsMessage.objects.count() == 0


def test_releasing_again_changes_nothing(shop):
    order = placed(shop)
    expire(order)

    again = expire(order)
    released = payments.order_release(order_number=order.number)
    cancelled = order_parcels_release(order=order)

    assert (again, released, cancelled) == ("cancelled", "cancelled", [])
    assert ParcelEvent.objects.filter(parcel__order=order).count() == 4


def test_the_reason_is_stored_in_the_store_s_language_whoever_releases(shop):
    from django.utils import translation

    order = placed(shop)

    with translation.override("en"):
        expire(order)

    assert set(
        Parcel.objects.filter(order=order).values_list("cancel_reason", flat=True)
    ) == {REASON}


def test_a_credited_parcel_is_left_to_parcel_cancel(shop):
    # given: an order paid and credited
    fish, _eggs, _bacon = shop["products"]
    order = helpers.paid_order((fish, 1))

    # when
    cancelled = order_parcels_release(order=order)

    # then
    assert cancelled == []
    assert list(Parcel.objects.filter(order=order).values_list("status")) == [
        ("to_pack",)
    ]


def test_the_workspace_and_the_books_see_only_the_paid_order(
    shop, clean_stripe, client
):
    # given: one order paid, one released unpaid
    fish, eggs, bacon = shop["products"]
    helpers.paid_order((fish, 1), (bacon, 1))
    expire(placed(shop))
    worker_a, _worker_b = shop["workers"]

    # when
    counts = parcel_counts(user=worker_a)
    client.force_login(worker_a)
    listed = client.get("/workspace/parcels/").context["page"].object_list
    out = StringIO()
    call_command("reconcile_ledger", stdout=out)

    # then
    assert counts == {"to_pack": 1, "shipped": 0, "delivered": 0, "cancelled": 0}
    assert [p.household.slug for p in listed] == ["luo"]
    assert out.getvalue() == (
        "The ledger reconciles: 2 entries of 3 households, 1 paid orders, 0 refunds.\n"
    )


def test_the_buyer_reads_cancelled_without_a_refund_of_nothing(shop):
    order = placed(shop)
    expire(order)

    # the signed link of his notices, opened in any browser
    html = Client().get(signed_order_path(order)).content.decode()

    assert html.count('class="parcel-item parcel-item--cancelled"') == 2
    assert "parcel-item__refund" not in html


def test_the_data_migration_cancels_parcels_of_orders_released_before(shop):
    # given: a database where release left the parcels to pack, and a paid order
    fish, _eggs, _bacon = shop["products"]
    released = placed(shop)
    paid = helpers.paid_order((fish, 1))
    StripePayment.objects.filter(order_number=released.number).update(
        expires_at=timezone.now()
    )
    released.set_status("cancelled")
    migration = importlib.import_module(
        "sellers.migrations.0018_released_orders_parcels_cancelled"
    )

    # when: it runs, twice (a second run finds nothing left)
    migration.cancel_released_parcels(apps, None)
    migration.cancel_released_parcels(apps, None)

    # then
    assert sorted(
        Parcel.objects.values_list("order__number", "status", "cancel_reason")
    ) == sorted(
        [
            (released.number, "cancelled", REASON),
            (released.number, "cancelled", REASON),
            (paid.number, "to_pack", ""),
        ]
    )
    assert history(released) == [
        ("luo", "cancelled", REASON, Decimal("0.00"), None),
        ("luo", "to_pack", "", None, None),
        ("wang", "cancelled", REASON, Decimal("0.00"), None),
        ("wang", "to_pack", "", None, None),
    ]
