"""The ledger proved against orders, payouts, Stripe's refunds and the summaries."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from oscar.core.loading import get_model

from sellers.models import (
    EntryKind,
    Household,
    IncomeDay,
    LedgerEntry,
    OrderCell,
    Parcel,
    ParcelEvent,
    ParcelStatus,
    Payout,
    SalesCell,
    Settlement,
    Span,
)
from sellers.reporting.periods import money

Line = get_model("order", "Line")
Order = get_model("order", "Order")


@dataclass
class LedgerReconciliation:
    problems: list[str] = field(default_factory=list)
    households_checked: int = 0
    entries_checked: int = 0


def _by_household(rows) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for household_id, amount in rows:
        totals[household_id] += money(amount)
    return totals


def ledger_reconcile(
    *, paid_order_numbers, stripe_refunds: dict[str, Decimal]
) -> LedgerReconciliation:
    """The ledger against the order records and the payment provider, per household.

    `paid_order_numbers` (a query set or a set) are the orders whose payment
    the provider captured;
    `stripe_refunds` the amounts it refunded per reference ("parcel-<id>").
    Checks: each household's entries are numbered 1…n with balances that add
    up; sales = the paid orders' line amounts (+ delivery where the household
    ships) by household; refunds = the shares of cancelled parcels (but
    those whose loss the agency bore); at the provider, each parcel refunded
    what it records (a cancelled one its total, in one refund or with parts
    refunded before) and nothing else; payouts = the payouts recorded; every
    paid order's parcels add up to the order's total.
    """
    report = LedgerReconciliation()
    problem = report.problems.append
    zero = Decimal("0.00")

    # 1. The chain: 1, 2, 3… with balance = previous balance + amount, and
    # payouts so far = previous + this payout.
    previous: tuple[int, int, Decimal, Decimal] | None = None
    entries = LedgerEntry.objects.order_by("household_id", "seq").values_list(
        "household_id", "seq", "kind", "amount", "balance", "payouts_total"
    )
    for household_id, seq, kind, amount, balance, paid in entries.iterator(
        chunk_size=5000
    ):
        report.entries_checked += 1
        payout = -amount if kind == EntryKind.PAYOUT else Decimal("0.00")
        expected = (1, amount, payout)
        if previous and previous[0] == household_id:
            expected = (previous[1] + 1, previous[2] + amount, previous[3] + payout)
        if (seq, balance, paid) != expected:
            problem(
                f"household {household_id}: entry {seq} breaks the chain "
                f"(expected no. {expected[0]}, balance {expected[1]}, paid out "
                f"{expected[2]}; found balance {balance}, paid out {paid})"
            )
        previous = (household_id, seq, balance, paid)

    # 2. Sales against paid order lines (and delivery the household keeps).
    paid_lines = Line.objects.filter(order__number__in=paid_order_numbers)
    line_totals = _by_household(
        paid_lines.values("partner_id")
        .annotate(total=Sum("line_price_incl_tax"))
        .values_list("partner_id", "total")
    )
    paid_parcels = Parcel.objects.filter(order__number__in=paid_order_numbers)
    delivery_kept = _by_household(
        paid_parcels.filter(household_ships=True)
        .values("household_id")
        .annotate(total=Sum("delivery_charge"))
        .values_list("household_id", "total")
    )
    households = dict(Household.objects.values_list("id", "partner_id"))
    report.households_checked = len(households)
    kinds = (
        LedgerEntry.objects.values("household_id", "kind")
        .annotate(total=Sum("amount"))
        .values_list("household_id", "kind", "total")
    )
    ledger: dict[tuple[int, str], Decimal] = {
        (household_id, kind): money(total) for household_id, kind, total in kinds
    }
    cancelled = paid_parcels.filter(status=ParcelStatus.CANCELLED)
    absorbed = set(
        ParcelEvent.objects.filter(
            parcel__in=cancelled,
            status=ParcelStatus.CANCELLED,
            settlement=Settlement.ABSORBED,
        ).values_list("parcel_id", flat=True)
    )
    refunded_shares = _by_household(
        (parcel.household_id, parcel.household_share)
        for parcel in cancelled
        if parcel.pk not in absorbed
    )
    payouts = _by_household(
        Payout.objects.values("household_id")
        .annotate(total=Sum("amount"))
        .values_list("household_id", "total")
    )
    for household_id, partner_id in sorted(households.items()):
        expected = {
            EntryKind.SALE: line_totals.get(partner_id, zero)
            + delivery_kept.get(household_id, zero),
            EntryKind.REFUND: -refunded_shares.get(household_id, zero),
            EntryKind.PAYOUT: -payouts.get(household_id, zero),
        }
        for kind, amount in expected.items():
            found = ledger.get((household_id, kind), zero)
            if found != amount:
                problem(
                    f"household {household_id}: {kind} entries total {found}, "
                    f"the records say {amount}"
                )

    # 3. Refunds at the provider: each parcel (references "parcel-<id>" and
    # "parcel-<id>-part-<n>") refunded what it records, a cancelled one its
    # total; no refund for a parcel that records none.
    at_provider: dict[str, Decimal] = defaultdict(lambda: zero)
    for reference, amount in stripe_refunds.items():
        at_provider["-".join(reference.split("-")[:2])] += amount
    refunded_parcels = {
        f"parcel-{p.pk}": p
        for p in paid_parcels.filter(
            Q(status=ParcelStatus.CANCELLED) | Q(refunded__gt=0)
        ).select_related("order")
    }
    for reference, parcel in refunded_parcels.items():
        should = parcel.total if parcel.status == ParcelStatus.CANCELLED else None
        if at_provider[reference] != parcel.refunded or should not in (
            None,
            parcel.refunded,
        ):
            problem(
                f"parcel {parcel.pk} (order {parcel.order.number}): refunded "
                f"{at_provider[reference]} at the provider and {parcel.refunded} "
                f"recorded, its total is {parcel.total}"
            )
    for reference in sorted(set(at_provider) - set(refunded_parcels)):
        problem(f"refund {reference} at the provider has no refunded paid parcel")

    # 4. Every paid order is split into parcels without a fen lost.
    orders = (
        Order.objects.filter(number__in=paid_order_numbers)
        .annotate(
            parcels_total=Sum("parcels__goods_total") + Sum("parcels__delivery_charge")
        )
        .values_list("number", "total_incl_tax", "parcels_total")
    )
    for number, total, parcels_total in orders:
        parcels_total = money(parcels_total)
        if parcels_total != total:
            problem(f"order {number}: parcels add up to {parcels_total}, not {total}")

    # 5. The day and month sums the reports read agree with the ledger, and
    # the sales cells and order counts with them.
    # Parcels sold: credited less refunded in full (as units are).
    sale_counts = dict(
        LedgerEntry.objects.filter(kind__in=(EntryKind.SALE, EntryKind.REFUND))
        .values("household_id")
        .annotate(
            n=Count("id", filter=Q(kind=EntryKind.SALE))
            - Count("id", filter=Q(kind=EntryKind.REFUND))
        )
        .values_list("household_id", "n")
    )
    for span, word in (
        (Span.DAY, "daily"),
        (Span.MONTH, "monthly"),
        (Span.YEAR, "yearly"),
    ):
        summed = (
            IncomeDay.objects.filter(span=span)
            .values("household_id")
            .annotate(
                sales=Sum("sales"),
                refunds=Sum("refunds"),
                corrections=Sum("corrections"),
                payouts=Sum("payouts"),
                parcels=Sum("parcels"),
            )
        )
        days = {row["household_id"]: row for row in summed}
        cells = {
            row["household_id"]: row
            for row in SalesCell.objects.filter(span=span)
            .values("household_id")
            .annotate(sales=Sum("sales"), refunds=Sum("refunds"))
        }
        for household_id in sorted(households):
            row = days.get(household_id, {})
            expected = {
                "sales": ledger.get((household_id, EntryKind.SALE), zero),
                "refunds": -ledger.get((household_id, EntryKind.REFUND), zero),
                "corrections": ledger.get((household_id, EntryKind.CORRECTION), zero),
                "payouts": -ledger.get((household_id, EntryKind.PAYOUT), zero),
                "parcels": sale_counts.get(household_id, 0),
            }
            for name, amount in expected.items():
                found = row.get(name) or 0
                found = found if name == "parcels" else money(found)
                if found != amount:
                    problem(
                        f"household {household_id}: {word} {name} total {found}, "
                        f"the ledger says {amount}"
                    )
            for name in ("sales", "refunds"):
                found = money(cells.get(household_id, {}).get(name))
                if found != expected[name]:
                    problem(
                        f"household {household_id}: {word} {name} by category "
                        f"{found}, the ledger says {expected[name]}"
                    )
        paid_orders = (
            LedgerEntry.objects.filter(kind=EntryKind.SALE)
            .values("parcel__order_id")
            .distinct()
            .count()
        )
        counted = OrderCell.objects.filter(span=span).aggregate(
            n=Sum("orders"), sales=Sum("sales"), refunds=Sum("refunds")
        )
        if (counted["n"] or 0) != paid_orders:
            problem(
                f"{word} orders {counted['n'] or 0}, the ledger credits {paid_orders}"
            )
        for name, kind, sign in (
            ("sales", EntryKind.SALE, 1),
            ("refunds", EntryKind.REFUND, -1),
        ):
            expected = sign * sum(
                (v for (_h, k), v in ledger.items() if k == kind), zero
            )
            if money(counted[name]) != expected:
                problem(
                    f"{word} {name} by buyer {money(counted[name])}, "
                    f"the ledger says {expected}"
                )
    return report
