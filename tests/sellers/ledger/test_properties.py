"""Random sequences of orders, cancellations, duplicate webhooks and payouts keep
the ledger's invariants: balances equal an independent model of what each
household is owed, no entry is lost or doubled, and reconcile finds nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sellers.fulfilment.services import parcel_cancel, parcel_mark_shipped
from sellers.ledger.reconcile import ledger_reconcile
from sellers.ledger.selectors import ledger_summary
from sellers.ledger.services import PayoutExceedsBalance
from sellers.models import EntryKind, LedgerEntry, Parcel
from storefront.checkout.models import StripePayment
from storefront.checkout.payments import order_mark_paid
from storefront.checkout.stripe_api import stripe_client
from tests.sellers import helpers

pytestmark = pytest.mark.usefixtures("stripe_settings")

FEE, FREE_FROM = Decimal("10.00"), Decimal("99.00")

order_op = st.tuples(
    st.just("order"),
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(1, 4)),
        min_size=1,
        max_size=4,
        unique_by=lambda item: item[0],
    ),
)
parcel_op = st.tuples(st.sampled_from(["cancel", "ship", "replay"]), st.integers(0, 30))
payout_op = st.tuples(
    st.just("payout"),
    st.integers(0, 2),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("150"), places=2),
)
operations = st.lists(st.one_of(order_op, parcel_op, payout_op), max_size=10)


@pytest.fixture
def market(db):
    """Fish ¥15, eggs ¥45, bacon ¥120; 陈叔 (bacon) does not post parcels himself."""
    products = helpers.three_households()
    households = [p.stockrecords.get().partner.household for p in products]
    households[2].ships_itself = False
    households[2].save()
    worker = helpers.social_worker("a@agency.example", *households)
    return products, households, worker


def share(product, quantity, household) -> Decimal:
    """What the model expects a household to be credited for one parcel."""
    goods = product.stockrecords.get().price * quantity
    delivery = FEE if goods < FREE_FROM else Decimal("0.00")
    return goods + (delivery if household.ships_itself else Decimal("0.00"))


def check_invariants(households, owed, parcels, cancelled, payouts):
    for household in households:
        summary = ledger_summary(household=household)
        # Owed, or (after a refund of money paid out) paid more than earned.
        assert summary["owed"] - summary["overpaid"] == owed[household.pk]
        assert min(summary["owed"], summary["overpaid"]) == 0
    assert LedgerEntry.objects.filter(kind=EntryKind.SALE).count() == len(parcels)
    assert LedgerEntry.objects.filter(kind=EntryKind.REFUND).count() == len(cancelled)
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYOUT).count() == payouts
    numbers = StripePayment.objects.filter(status="succeeded").values("order_number")
    intents = set(
        StripePayment.objects.filter(
            order_number__in=Parcel.objects.filter(pk__in=cancelled).values(
                "order__number"
            )
        ).values_list("payment_intent_id", flat=True)
    )
    refunds = {}
    for intent in intents:
        listing = stripe_client().v1.refunds.list(params={"payment_intent": intent})
        for refund in listing.data:
            reference = refund.metadata["reference"]
            refunds[reference] = (
                refunds.get(reference, 0) + Decimal(refund.amount) / 100
            )
    report = ledger_reconcile(paid_order_numbers=numbers, stripe_refunds=refunds)
    assert report.problems == []


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
# A parcel shipped, then back and refunded.
@example(ops=[("order", [(0, 1)]), ("ship", 0), ("cancel", 0)])
# Two parcels of one order cancelled, then the webhook replayed; and a payout
# of exactly the balance after a refund.
@example(ops=[("order", [(0, 1), (1, 1)]), ("cancel", 0), ("cancel", 1), ("replay", 0)])
# A parcel cancelled after its money was paid out: the household owes the
# difference, and no payout is possible until sales cover it.
@example(
    ops=[
        ("order", [(0, 1)]),
        ("payout", 0, Decimal("0.01")),
        ("cancel", 0),
        ("payout", 0, Decimal("0.01")),
    ]
)
@example(
    ops=[
        ("order", [(0, 2), (2, 1)]),
        ("cancel", 1),
        ("payout", 0, Decimal("40.00")),
        ("payout", 0, Decimal("0.01")),
    ]
)
def test_the_ledger_keeps_its_invariants(market, ops):
    products, households, worker = market
    with transaction.atomic():
        owed = {h.pk: Decimal("0.00") for h in households}
        parcels: list[Parcel] = []
        cancelled: list[int] = []
        payouts = 0
        for op in ops:
            if op[0] == "order":
                order = helpers.paid_order(*[(products[i], q) for i, q in op[1]])
                for index, quantity in op[1]:
                    owed[households[index].pk] += share(
                        products[index], quantity, households[index]
                    )
                parcels.extend(Parcel.objects.filter(order=order).order_by("id"))
            elif op[0] == "replay" and parcels:
                # Stripe's webhook for a payment already captured
                order_mark_paid(order_number=parcels[op[1] % len(parcels)].order.number)
            elif op[0] in ("cancel", "ship") and parcels:
                parcel = parcels[op[1] % len(parcels)]
                parcel.refresh_from_db()
                allowed = parcel.status in (
                    ("to_pack",) if op[0] == "ship" else ("to_pack", "shipped")
                )
                try:
                    if op[0] == "ship":
                        parcel_mark_shipped(
                            parcel=parcel,
                            carrier="EMS",
                            tracking_number="E1",
                            acting_user=worker,
                        )
                    else:
                        # A shipped parcel is refunded once it came back
                        # (the settlement is ignored before it leaves).
                        parcel_cancel(
                            parcel=parcel,
                            reason="无法发货",
                            settlement="returned",
                            acting_user=worker,
                        )
                        owed[parcel.household_id] -= parcel.household_share
                        cancelled.append(parcel.pk)
                except ValidationError:
                    assert not allowed
                else:
                    assert allowed
            elif op[0] == "payout":
                household, amount = households[op[1]], op[2]
                try:
                    helpers.payout(household, str(amount), worker, method="wechat")
                except PayoutExceedsBalance:
                    assert amount > owed[household.pk]
                else:
                    assert amount <= owed[household.pk]
                    owed[household.pk] -= amount
                    payouts += 1
            check_invariants(households, owed, parcels, cancelled, payouts)
        transaction.set_rollback(True)
