"""Twenty buyers race for the last three units, in real threads.

Runs on whichever database the suite runs on: PostgreSQL in CI's second run,
file-based SQLite in the first.
"""

import threading
from decimal import Decimal

import pytest
from django.db import DatabaseError, close_old_connections, connection
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model

from sellers.models import LedgerEntry
from storefront.checkout import heal, payments
from storefront.checkout.models import PaymentRepair, StripePayment
from storefront.checkout.stock import stock_allocate
from storefront.checkout.stripe_api import stripe_client
from tests import factories
from tests.storefront.checkout import helpers

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

BUYERS = 20
LAST_UNITS = 3

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_data", "stripe_settings"),
]


def race(worker, count):
    """Run worker(i) in `count` threads released at once; their results in order."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = worker(index)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


class StockWatcher(threading.Thread):
    """Reads the stock record while the race runs; remembers the worst it saw."""

    def __init__(self, record_id):
        super().__init__(daemon=True)
        self.record_id = record_id
        self.stop = threading.Event()
        self.worst = 0

    def run(self):
        try:
            while not self.stop.is_set():
                record = StockRecord.objects.get(pk=self.record_id)
                over = (record.num_allocated or 0) - record.num_in_stock
                self.worst = max(self.worst, over)
        finally:
            connection.close()


@pytest.fixture
def last_eggs():
    household = factories.household_create(slug="wang", public_name="王阿姨")
    return factories.product_create(
        household=household,
        title="土鸡蛋",
        price=Decimal("45.00"),
        num_in_stock=LAST_UNITS,
        category="禽蛋",
    )


def test_twenty_buyers_for_three_units_make_exactly_three_orders(last_eggs):
    # given: twenty buyers, each reviewing his order
    buyers = [Client() for _ in range(BUYERS)]
    for buyer in buyers:
        helpers.checkout_to_payment(buyer, last_eggs)
    record = last_eggs.stockrecords.get()
    watcher = StockWatcher(record.pk)
    watcher.start()

    # when: they all submit their orders at once
    responses = race(lambda i: helpers.place_order(buyers[i]), BUYERS)
    watcher.stop.set()
    watcher.join()

    # then: three orders await payment, their stock held; seventeen were told
    winners = [
        r for r in responses if r.status_code == 302 and "/pay/" in r["Location"]
    ]
    losers = [i for i, r in enumerate(responses) if r not in winners]
    record.refresh_from_db()
    assert len(winners) == LAST_UNITS
    assert Order.objects.filter(status="pending").count() == LAST_UNITS
    assert Order.objects.count() == LAST_UNITS
    assert (record.num_in_stock, record.num_allocated) == (LAST_UNITS, LAST_UNITS)
    assert watcher.worst <= 0
    told = [sold_out_message(buyers[i], responses[i]) for i in losers]
    assert told == ["土鸡蛋"] * (BUYERS - LAST_UNITS)
    assert StripePayment.objects.count() == LAST_UNITS


def test_two_heals_at_once_repair_each_gap_once(last_eggs, clean_stripe, monkeypatch):
    # given: one order paid at Stripe but not marked paid (the save failed),
    # one released order paid late
    buyers = [Client(), Client()]
    numbers = []
    for buyer in buyers:
        helpers.checkout_to_payment(buyer, last_eggs)
        helpers.place_order(buyer)
        numbers.append(helpers.placed_number(buyer))
    real = payments.order_mark_paid

    def fails_once(**kwargs):
        monkeypatch.setattr(payments, "order_mark_paid", real)
        raise DatabaseError("the database went away")

    monkeypatch.setattr(payments, "order_mark_paid", fails_once)
    assert helpers.pay(buyers[0]).status_code == 503
    StripePayment.objects.filter(order_number=numbers[1]).update(
        expires_at=timezone.now()
    )
    payments.order_expire(order_number=numbers[1])
    late = stripe_client().v1.payment_intents.create(
        params={
            "amount": 4500,
            "currency": "cny",
            "payment_method": helpers.card_token(helpers.CARD_OK),
            "confirm": True,
            "metadata": {"order_number": numbers[1]},
        }
    )

    # when: two machines heal at the same moment
    race(lambda i: heal.payments_heal(), 2)

    # then
    refunds = [
        r.payment_intent
        for r in stripe_client().v1.refunds.list(params={"limit": 100}).data
    ]
    assert sorted(
        PaymentRepair.objects.filter(done_at__isnull=False).values_list(
            "action", "order_number"
        )
    ) == [("mark_paid", numbers[0]), ("refund", numbers[1])]
    assert PaymentRepair.objects.count() == 2
    assert refunds == [late.id]
    assert LedgerEntry.objects.count() == 1
    assert dict(Order.objects.values_list("number", "status")) == {
        numbers[0]: "paid",
        numbers[1]: "cancelled",
    }


def sold_out_message(buyer, response) -> str:
    """The product a losing buyer was told had sold out ('' if he was not told)."""
    if response.status_code == 200:  # lost at the guarded allocation
        text = response.content.decode()
        return "土鸡蛋" if "抱歉，“土鸡蛋”刚刚售完，未扣任何款项。" in text else ""
    page = buyer.get(response["Location"])  # lost at Oscar's pre-check
    messages = " ".join(str(m) for m in page.context["messages"])
    return "土鸡蛋" if "土鸡蛋" in messages else ""


def check_then_allocate(record_id, allocate, between: threading.Barrier):
    """Oscar's order of events: check availability, then allocate.

    Every buyer checks before any allocates (the barrier in between), the
    interleaving that a busy store eventually produces.
    """
    record = StockRecord.objects.get(pk=record_id)
    available = record.net_stock_level >= 1
    between.wait()
    return allocate(record) if available else False


def test_oscars_unguarded_allocation_oversells_the_same_race(last_eggs):
    # Oscar checks stock before payment and then allocates with an
    # unconditional increment: every buyer who passed the check gets an egg.
    record = last_eggs.stockrecords.get()

    def oscar(record):
        record.allocate(1)
        return True

    between = threading.Barrier(BUYERS)
    race(lambda i: check_then_allocate(record.pk, oscar, between), BUYERS)

    record.refresh_from_db()
    assert (record.num_in_stock, record.num_allocated) == (LAST_UNITS, BUYERS)


def test_the_guarded_allocation_wins_the_same_race(last_eggs):
    record = last_eggs.stockrecords.get()

    def guarded(record):
        return stock_allocate(stockrecord_id=record.pk, quantity=1)

    between = threading.Barrier(BUYERS)
    results = race(lambda i: check_then_allocate(record.pk, guarded, between), BUYERS)

    record.refresh_from_db()
    assert results.count(True) == LAST_UNITS
    assert record.num_allocated == LAST_UNITS
