"""The ledger proved against orders, payouts, Stripe's refunds and the summaries."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, Q, Sum
from oscar.core.loading import get_model

from sellers.models import (
    EntryKind,
    HarvestSettlement,
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
from sellers.reporting.periods import ZERO, money

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


class _Books:
    """What the checks compare: the records given, and the ledger's totals
    and the records' figures, each read once, when a check first asks."""

    def __init__(self, paid_order_numbers, stripe_refunds: dict[str, Decimal]):
        self.paid_order_numbers = paid_order_numbers
        self.stripe_refunds = stripe_refunds
        self.entries_checked = 0

    @cached_property
    def paid_parcels(self):
        return Parcel.objects.filter(order__number__in=self.paid_order_numbers)

    @cached_property
    def households(self) -> dict[int, int]:
        """Household id → its partner's id."""
        return dict(Household.objects.values_list("id", "partner_id"))

    @cached_property
    def ledger(self) -> dict[tuple[int, str], Decimal]:
        """The entries' total per household and kind."""
        kinds = (
            LedgerEntry.objects.values("household_id", "kind")
            .annotate(total=Sum("amount"))
            .values_list("household_id", "kind", "total")
        )
        return {
            (household_id, kind): money(total) for household_id, kind, total in kinds
        }


def chain_check(books: _Books) -> list[str]:
    """Each household's entries are numbered 1, 2, 3… with balance = previous
    balance + amount, and payouts so far = previous + this payout."""
    problems = []
    previous: tuple[int, int, Decimal, Decimal] | None = None
    entries = LedgerEntry.objects.order_by("household_id", "seq").values_list(
        "household_id", "seq", "kind", "amount", "balance", "payouts_total"
    )
    for household_id, seq, kind, amount, balance, paid in entries.iterator(
        chunk_size=5000
    ):
        books.entries_checked += 1
        payout = -amount if kind == EntryKind.PAYOUT else ZERO
        expected = (1, amount, payout)
        if previous and previous[0] == household_id:
            expected = (previous[1] + 1, previous[2] + amount, previous[3] + payout)
        if (seq, balance, paid) != expected:
            problems.append(
                f"household {household_id}: entry {seq} breaks the chain "
                f"(expected no. {expected[0]}, balance {expected[1]}, paid out "
                f"{expected[2]}; found balance {balance}, paid out {paid})"
            )
        previous = (household_id, seq, balance, paid)
    return problems


def records_check(books: _Books) -> list[str]:
    """Per household: sales = the paid orders' line amounts (+ delivery where
    the household ships), less what pre-ordered parcels were not credited
    (all of it until settled, the weight refunded once settled); refunds =
    the shares credited for cancelled parcels (but those whose loss the
    agency bore); payouts = the payouts recorded."""
    paid_lines = Line.objects.filter(order__number__in=books.paid_order_numbers)
    line_totals = _by_household(
        paid_lines.values("partner_id")
        .annotate(total=Sum("line_price_incl_tax"))
        .values_list("partner_id", "total")
    )
    delivery_kept = _by_household(
        books.paid_parcels.filter(household_ships=True)
        .values("household_id")
        .annotate(total=Sum("delivery_charge"))
        .values_list("household_id", "total")
    )
    refunded_shares = _refunded_shares(books.paid_parcels)
    not_credited = _preorders_not_credited(books.paid_parcels)
    payouts = _by_household(
        Payout.objects.values("household_id")
        .annotate(total=Sum("amount"))
        .values_list("household_id", "total")
    )
    problems = []
    for household_id, partner_id in sorted(books.households.items()):
        expected = {
            EntryKind.SALE: line_totals.get(partner_id, ZERO)
            + delivery_kept.get(household_id, ZERO)
            - not_credited.get(household_id, ZERO),
            EntryKind.REFUND: -refunded_shares.get(household_id, ZERO),
            EntryKind.PAYOUT: -payouts.get(household_id, ZERO),
        }
        for kind, amount in expected.items():
            found = books.ledger.get((household_id, kind), ZERO)
            if found != amount:
                problems.append(
                    f"household {household_id}: {kind} entries total {found}, "
                    f"the records say {amount}"
                )
    return problems


def _settled(parcels) -> dict[int, Decimal]:
    """Parcel id → what its settlement by weight refunded, for the pre-ordered
    parcels among these that are settled."""
    return dict(
        HarvestSettlement.objects.filter(
            parcel__in=parcels, done_at__isnull=False
        ).values_list("parcel_id", "refund")
    )


def _credited_share(parcel, settled: dict[int, Decimal]) -> Decimal:
    """What the household was credited for a parcel: its share, or for a
    pre-ordered one its settled share (nothing before it is settled)."""
    if not parcel.preorder:
        return parcel.household_share
    if parcel.pk not in settled:
        return ZERO
    return parcel.household_share - settled[parcel.pk]


def _preorders_not_credited(paid_parcels) -> dict[int, Decimal]:
    """Per household: what its paid pre-ordered parcels' shares hold beyond
    what they were credited."""
    preorders = list(paid_parcels.filter(preorder=True))
    settled = _settled(preorders)
    return _by_household(
        (p.household_id, p.household_share - _credited_share(p, settled))
        for p in preorders
    )


def _refunded_shares(paid_parcels) -> dict[int, Decimal]:
    """Per household: what was credited for the cancelled parcels, but those
    whose loss the agency bore."""
    cancelled = paid_parcels.filter(status=ParcelStatus.CANCELLED)
    absorbed = set(
        ParcelEvent.objects.filter(
            parcel__in=cancelled,
            status=ParcelStatus.CANCELLED,
            settlement=Settlement.ABSORBED,
        ).values_list("parcel_id", flat=True)
    )
    settled = _settled(cancelled.filter(preorder=True))
    return _by_household(
        (parcel.household_id, _credited_share(parcel, settled))
        for parcel in cancelled
        if parcel.pk not in absorbed
    )


def provider_refunds_check(books: _Books) -> list[str]:
    """At the provider, each parcel (references "parcel-<id>" and
    "parcel-<id>-part-<n>", "parcel-<id>-harvest") refunded what it records,
    a cancelled one its total (in one refund or with parts refunded before);
    no refund for a parcel that records none."""
    at_provider: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for reference, amount in books.stripe_refunds.items():
        at_provider["-".join(reference.split("-")[:2])] += amount
    refunded_parcels = {
        f"parcel-{p.pk}": p
        for p in books.paid_parcels.filter(
            Q(status=ParcelStatus.CANCELLED) | Q(refunded__gt=0)
        ).select_related("order")
    }
    problems = []
    for reference, parcel in refunded_parcels.items():
        should = parcel.total if parcel.status == ParcelStatus.CANCELLED else None
        if at_provider[reference] != parcel.refunded or should not in (
            None,
            parcel.refunded,
        ):
            problems.append(
                f"parcel {parcel.pk} (order {parcel.order.number}): refunded "
                f"{at_provider[reference]} at the provider and {parcel.refunded} "
                f"recorded, its total is {parcel.total}"
            )
    for reference in sorted(set(at_provider) - set(refunded_parcels)):
        problems.append(
            f"refund {reference} at the provider has no refunded paid parcel"
        )
    return problems


def order_split_check(books: _Books) -> list[str]:
    """Every paid order is split into parcels without a fen lost."""
    orders = (
        Order.objects.filter(number__in=books.paid_order_numbers)
        .annotate(
            parcels_total=Sum("parcels__goods_total") + Sum("parcels__delivery_charge")
        )
        .values_list("number", "total_incl_tax", "parcels_total")
    )
    problems = []
    for number, total, parcels_total in orders:
        parcels_total = money(parcels_total)
        if parcels_total != total:
            problems.append(
                f"order {number}: parcels add up to {parcels_total}, not {total}"
            )
    return problems


SPANS = ((Span.DAY, "daily"), (Span.MONTH, "monthly"), (Span.YEAR, "yearly"))


def income_summaries_check(books: _Books) -> list[str]:
    """The day, month and year sums the reports read agree with the ledger
    per household, and the sales by category with them."""
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
    problems = []
    for span, word in SPANS:
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
        for household_id in sorted(books.households):
            problems += _household_summaries(
                books,
                household_id,
                word,
                row=days.get(household_id, {}),
                cells=cells.get(household_id, {}),
                parcels=sale_counts.get(household_id, 0),
            )
        problems += _buyer_summaries(books, span, word)
    return problems


def _household_summaries(books, household_id, word, *, row, cells, parcels):
    """A household's summed rows of one span against its ledger."""
    ledger = books.ledger
    expected = {
        "sales": ledger.get((household_id, EntryKind.SALE), ZERO),
        "refunds": -ledger.get((household_id, EntryKind.REFUND), ZERO),
        "corrections": ledger.get((household_id, EntryKind.CORRECTION), ZERO),
        "payouts": -ledger.get((household_id, EntryKind.PAYOUT), ZERO),
        "parcels": parcels,
    }
    problems = []
    for name, amount in expected.items():
        found = row.get(name) or 0
        found = found if name == "parcels" else money(found)
        if found != amount:
            problems.append(
                f"household {household_id}: {word} {name} total {found}, "
                f"the ledger says {amount}"
            )
    for name in ("sales", "refunds"):
        found = money(cells.get(name))
        if found != expected[name]:
            problems.append(
                f"household {household_id}: {word} {name} by category "
                f"{found}, the ledger says {expected[name]}"
            )
    return problems


def _buyer_summaries(books, span, word) -> list[str]:
    """The buyers' rows of one span: orders paid, sales and refunds."""
    paid_orders = (
        LedgerEntry.objects.filter(kind=EntryKind.SALE)
        .values("parcel__order_id")
        .distinct()
        .count()
    )
    counted = OrderCell.objects.filter(span=span).aggregate(
        n=Sum("orders"), sales=Sum("sales"), refunds=Sum("refunds")
    )
    problems = []
    if (counted["n"] or 0) != paid_orders:
        problems.append(
            f"{word} orders {counted['n'] or 0}, the ledger credits {paid_orders}"
        )
    for name, kind, sign in (
        ("sales", EntryKind.SALE, 1),
        ("refunds", EntryKind.REFUND, -1),
    ):
        expected = sign * sum(
            (v for (_h, k), v in books.ledger.items() if k == kind), ZERO
        )
        if money(counted[name]) != expected:
            problems.append(
                f"{word} {name} by buyer {money(counted[name])}, "
                f"the ledger says {expected}"
            )
    return problems


def preorder_settlements_check(books: _Books) -> list[str]:
    """Every settlement by weight begun is finished: one left half-way (its
    refund made, its credit not) is finished by the next heal."""
    return [
        f"parcel {parcel_id}: its settlement by weight (refund {refund_id or '-'}) "
        "is not finished; the payments heal finishes it"
        for parcel_id, refund_id in HarvestSettlement.objects.filter(
            done_at__isnull=True
        )
        .order_by("parcel_id")
        .values_list("parcel_id", "refund_id")
    ]


# In the order their findings are reported.
CHECKS = [
    chain_check,
    records_check,
    provider_refunds_check,
    order_split_check,
    income_summaries_check,
    preorder_settlements_check,
]


def ledger_reconcile(
    *, paid_order_numbers, stripe_refunds: dict[str, Decimal]
) -> LedgerReconciliation:
    """The ledger against the order records and the payment provider, per
    household: every check of CHECKS, in order, and what each found.

    `paid_order_numbers` (a query set or a set) are the orders whose payment
    the provider captured; `stripe_refunds` the amounts it refunded per
    reference ("parcel-<id>").
    """
    books = _Books(paid_order_numbers, stripe_refunds)
    report = LedgerReconciliation()
    for check in CHECKS:
        report.problems += check(books)
    report.households_checked = len(books.households)
    report.entries_checked = books.entries_checked
    return report
