"""reconcile_ledger proves the ledger against orders, payouts and Stripe."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from sellers.fulfilment.services import parcel_cancel
from sellers.models import LedgerEntry, Parcel
from storefront.checkout.models import StripePayment
from storefront.checkout.stripe_api import stripe_client
from tests.sellers import helpers

pytestmark = pytest.mark.usefixtures("stripe_settings", "clean_stripe")


def run():
    out = StringIO()
    try:
        call_command("reconcile_ledger", stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def trading(db):
    """Two paid orders; 陈叔's parcel cancelled and refunded; 罗大哥 paid ¥20."""
    fish, eggs, bacon = helpers.three_households()
    luo, wang, chen = (
        p.stockrecords.get().partner.household for p in (fish, eggs, bacon)
    )
    worker = helpers.social_worker("a@agency.example", luo, wang, chen)
    first = helpers.paid_order((fish, 2), (eggs, 1), (bacon, 1))
    second = helpers.paid_order((fish, 1), (eggs, 3))
    parcel_cancel(
        parcel=Parcel.objects.get(order=first, household=chen),
        reason="路断了",
        acting_user=worker,
    )
    helpers.payout(luo, "20.00", worker, reference="C1", method="cash")
    return {"orders": (first, second), "households": (luo, wang, chen)}


def test_a_consistent_ledger_reconciles(trading):
    code, out = run()

    assert (code, out) == (
        0,
        "The ledger reconciles: 7 entries of 3 households, 2 paid orders, 1 refunds.\n",
    )


def execute(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_lost_sale_credit_is_found(trading):
    # given: the credit of 王阿姨's second sale vanished behind the model's back
    _luo, wang, _chen = trading["households"]
    last = LedgerEntry.objects.filter(household=wang).order_by("-seq").first()
    execute("DELETE FROM sellers_ledgerentry WHERE id = %s", [last.pk])

    code, out = run()

    assert code == 1
    assert out == (
        f"household {wang.pk}: sale entries total 55.00, the records say 190.00\n"
        f"household {wang.pk}: daily sales total 190.00, the ledger says 55.00\n"
        f"household {wang.pk}: daily parcels total 2, the ledger says 1\n"
        f"household {wang.pk}: daily sales by category 190.00, the ledger says 55.00\n"
        "daily sales by buyer 375.00, the ledger says 240.00\n"
        f"household {wang.pk}: monthly sales total 190.00, the ledger says 55.00\n"
        f"household {wang.pk}: monthly parcels total 2, the ledger says 1\n"
        f"household {wang.pk}: monthly sales by category 190.00, "
        "the ledger says 55.00\n"
        "monthly sales by buyer 375.00, the ledger says 240.00\n"
        f"household {wang.pk}: yearly sales total 190.00, the ledger says 55.00\n"
        f"household {wang.pk}: yearly parcels total 2, the ledger says 1\n"
        f"household {wang.pk}: yearly sales by category 190.00, "
        "the ledger says 55.00\n"
        "yearly sales by buyer 375.00, the ledger says 240.00\n"
    )


def test_daily_sums_that_drift_from_the_ledger_are_found(trading):
    # given: the reports' daily sums of 罗大哥 changed behind the services' back
    luo, _wang, _chen = trading["households"]
    execute(
        "UPDATE sellers_incomeday SET sales = sales + 1"
        " WHERE household_id = %s AND span = 'd'",
        [luo.pk],
    )

    code, out = run()

    assert code == 1
    assert out.startswith(f"household {luo.pk}: daily sales total ")
    assert out.count("\n") == 1


def test_a_tampered_balance_breaks_the_chain(trading):
    luo, _wang, _chen = trading["households"]
    first = LedgerEntry.objects.get(household=luo, seq=1)
    execute(
        "UPDATE sellers_ledgerentry SET balance = %s WHERE id = %s",
        ["999.00", first.pk],
    )

    code, out = run()

    assert code == 1
    assert out.splitlines() == [
        f"household {luo.pk}: entry 1 breaks the chain (expected no. 1, "
        "balance 40.00, paid out 0.00; found balance 999.00, paid out 0.00)",
        f"household {luo.pk}: entry 2 breaks the chain (expected no. 2, "
        "balance 1024.00, paid out 0.00; found balance 65.00, paid out 0.00)",
    ]


def test_a_refund_in_stripe_without_a_cancelled_parcel_is_found(trading):
    # given: somebody refunded 王阿姨's parcel in Stripe's dashboard
    first, _second = trading["orders"]
    _luo, wang, _chen = trading["households"]
    parcel = Parcel.objects.get(order=first, household=wang)
    intent = StripePayment.objects.get(order_number=first.number).payment_intent_id
    stripe_client().v1.refunds.create(
        params={
            "payment_intent": intent,
            "amount": 5500,
            "metadata": {"reference": f"parcel-{parcel.pk}"},
        }
    )

    code, out = run()

    assert code == 1
    assert (
        out
        == f"refund parcel-{parcel.pk} at the provider has no refunded paid parcel\n"
    )


def test_an_order_split_that_loses_a_fen_is_found(trading):
    first, _second = trading["orders"]
    _luo, wang, _chen = trading["households"]
    parcel = Parcel.objects.get(order=first, household=wang)
    execute(
        "UPDATE sellers_parcel SET delivery_charge = %s WHERE id = %s",
        ["9.99", parcel.pk],
    )

    code, out = run()

    assert code == 1
    assert out.splitlines() == [
        f"household {wang.pk}: sale entries total 190.00, the records say 189.99",
        f"order {first.number}: parcels add up to 214.99, not 215.00",
    ]


def test_a_refund_made_outside_the_store_is_found(trading):
    # given: ¥5 refunded on the second order in Stripe's dashboard (no reference)
    _first, second = trading["orders"]
    intent = StripePayment.objects.get(order_number=second.number).payment_intent_id
    refund = stripe_client().v1.refunds.create(
        params={"payment_intent": intent, "amount": 500}
    )

    code, out = run()

    assert code == 1
    assert out == (
        f"refund {refund.id} of order {second.number} names no parcel "
        "(made outside the store?)\n"
    )


def test_stripe_out_of_reach_is_told_to_the_administrator_not_the_buyer(
    trading, settings
):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"

    code, out = run_with_error()

    assert code == 2
    assert out == (
        "Stripe could not be reached, so its refunds could not be read and "
        "nothing was checked; nothing was changed either. Run reconcile_ledger "
        "again once Stripe answers."
    )


def run_with_error():
    try:
        call_command("reconcile_ledger", stdout=StringIO())
    except CommandError as error:
        return error.returncode, str(error)
    return 0, ""
