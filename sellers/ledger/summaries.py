"""The ledger summed for reports, written in the ledger's own transaction.

Three summaries, each with a row per day, per calendar month and per
calendar year (Asia/Shanghai), so that a report reads the longest rows that
fit its period and only the days at its ends:

- IncomeDay: per household: sales, refunds, corrections, payouts, parcels
  sold (credited less refunded in full), units sold less units refunded.
- SalesCell: per household, product category and certification (as they
  were when the parcel was first credited, recorded on its lines): sales,
  refunds, units; the delivery charges are rows of their own.
- OrderCell: per buyer and campaign: orders paid (counted at the first
  credit of an order), sales, refunds, units.

summaries_add() is called with the entries the ledger services have just
written, under their household locks; summaries_rebuild() recomputes
everything from the ledger (the benchmark's generator) and is what
reconcile_ledger compares the stored rows with. The migrations that rebuilt
the summaries keep frozen copies of their own (sellers/migrations/).

A line's category and certification are the catalogue's to say: it registers
a function with line_facts_register() (catalog.apps), so that this package
never imports it.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.db.models import F, Min
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import salted_hmac
from oscar.core.loading import get_model

from sellers.models import (
    CampaignOrder,
    Household,
    IncomeDay,
    LedgerEntry,
    OrderCell,
    Parcel,
    ParcelLine,
    Payout,
    SalesCell,
)

from .summary_rows import write_facts

DAY, MONTH, YEAR = "d", "m", "y"
MONEY = ("sales", "refunds", "corrections", "payouts")
# What summaries_add and summaries_rebuild read of each ledger entry.
ENTRY_FIELDS = (
    "household_id",
    "kind",
    "amount",
    "created_at",
    "parcel_id",
    "pk",
    "payout_id",
)

# (product id, day of sale) → (category id or None, certified that day).
LineFacts = Callable[..., dict[tuple[int, datetime.date], tuple[int | None, bool]]]


def _uncatalogued(*, sales: set[tuple[int, datetime.date]]) -> dict:
    """Without a catalogue to ask, a line counts under no category, uncertified."""
    return dict.fromkeys(sales, (None, False))


_line_facts: LineFacts = _uncatalogued


def line_facts_register(function: LineFacts) -> None:
    """Let the catalogue say, for product lines being credited, the category
    each counts under and whether it was certified on the day of sale:
    function(*, sales={(product_id, day), …}) → {(product_id, day):
    (category_id, certified)}."""
    global _line_facts
    _line_facts = function


def buyer_key(user_id, email) -> int:
    """A stable number for a buyer (his account, else his e-mail address) from
    which neither can be read back: 63 bits of a keyed hash."""
    value = f"u:{user_id}" if user_id else f"e:{(email or '').strip().lower()}"
    digest = salted_hmac("bangfu.buyer", value, algorithm="sha256").digest()
    return int.from_bytes(digest[:8], "big") >> 1


def spans_of(day: datetime.date):
    """The day, month and year rows a day's figures are added to."""
    return (
        (DAY, day),
        (MONTH, day.replace(day=1)),
        (YEAR, day.replace(month=1, day=1)),
    )


class _Facts:
    """What a batch of ledger entries adds to each summary row."""

    def __init__(self):
        self.income = defaultdict(
            lambda: dict.fromkeys(MONEY, Decimal(0)) | {"parcels": 0, "units": 0}
        )
        self.cells = defaultdict(
            lambda: {"sales": Decimal(0), "refunds": Decimal(0), "units": 0}
        )
        self.orders = defaultdict(
            lambda: {
                "orders": 0,
                "sales": Decimal(0),
                "refunds": Decimal(0),
                "units": 0,
            }
        )


# Reading the parcels an entry credits or refunds.


def _parcel_facts(parcel_ids) -> dict[int, dict]:
    """Per parcel: its order, buyer, campaign, and its lines as (category,
    certified, units, amount). A line's category and certification are those
    recorded when its parcel was first credited; lines without them (being
    credited now) get the catalogue's, which are then recorded. At most five
    queries however many parcels."""
    parcels = _parcels(parcel_ids)
    lines = _lines_with_facts(_parcel_lines(parcel_ids), parcels)
    for parcel_id, category_id, certified, quantity, amount in lines:
        parcels[parcel_id]["lines"].append((category_id, certified, quantity, amount))
    return parcels


def _parcels(parcel_ids) -> dict[int, dict]:
    """The parcels with their order, buyer and campaign; no lines yet."""
    parcels = {
        row["pk"]: row
        for row in Parcel.objects.filter(pk__in=parcel_ids).values(
            "pk",
            "order_id",
            user_id=F("order__user_id"),
            email=F("order__guest_email"),
            placed=F("order__date_placed"),
            campaign=F("order__campaign_order__campaign_id"),
        )
    }
    for row in parcels.values():
        row["buyer"] = buyer_key(row["user_id"], row["email"])
        row["lines"] = []
    return parcels


def _parcel_lines(parcel_ids) -> list[tuple]:
    """(pk, parcel, product, units, amount, category, certified) per line; a
    variant's product is its parent."""
    return list(
        ParcelLine.objects.filter(parcel_id__in=parcel_ids).values_list(
            "pk",
            "parcel_id",
            Coalesce("line__product__parent_id", "line__product_id"),
            "line__quantity",
            # A pre-ordered line is sold at what its weight settled.
            Coalesce("harvest_weighing__amount", "line__line_price_incl_tax"),
            "category_id",
            "certified",
        )
    )


def _lines_with_facts(lines, parcels) -> list[tuple]:
    """(parcel, category, certified, units, amount) per line; the lines
    credited for the first time are given the catalogue's facts on the day
    their order was placed, and those are recorded on them."""
    sold_on = {
        parcel_id: timezone.localdate(row["placed"])
        for parcel_id, row in parcels.items()
    }
    new = {(line[2], sold_on[line[1]]) for line in lines if line[6] is None}
    facts = _line_facts(sales=new) if new else {}
    out, recorded = [], []
    for pk, parcel_id, product, quantity, amount, category_id, certified in lines:
        if certified is None:
            category_id, certified = facts[(product, sold_on[parcel_id])]
            recorded.append(
                ParcelLine(pk=pk, category_id=category_id, certified=certified)
            )
        out.append((parcel_id, category_id, certified, quantity, amount))
    ParcelLine.objects.bulk_update(recorded, ["category", "certified"], batch_size=2000)
    return out


# Summing entries into the rows they change.


def _collect(entries, first_orders=True) -> _Facts:
    """Sum the entries into the rows they change.

    entries: tuples of ENTRY_FIELDS. A payout counts on the day it was paid,
    not the day it was recorded.
    An order is counted on the day its first sale is credited: with
    first_orders, orders some of whose parcels were credited by earlier
    entries are left out (one query); without, no order is counted.
    """
    facts = _Facts()
    parcels = _parcel_facts({e[4] for e in entries if e[1] in ("sale", "refund")})
    paid_on = _payout_days(entries)
    first_sale: dict[int, tuple] = {}
    for household, kind, amount, created_at, parcel_id, _pk, payout in entries:
        if kind in ("sale", "refund"):
            parcel = parcels[parcel_id]
            day = timezone.localdate(created_at)
            _add_parcel_entry(facts, household, kind, amount, day, parcel)
            if kind == "sale":
                order = parcel["order_id"]
                if order not in first_sale or created_at < first_sale[order][0]:
                    first_sale[order] = (created_at, parcel)
        else:
            day = (
                paid_on[payout] if kind == "payout" else timezone.localdate(created_at)
            )
            _add_money_entry(facts, household, kind, amount, day)
    if first_orders:
        _count_first_sales(facts, first_sale, entries)
    return facts


def _payout_days(entries) -> dict[int, datetime.date]:
    """The day each payout among the entries was paid."""
    return dict(
        Payout.objects.filter(
            pk__in=[e[6] for e in entries if e[1] == "payout"]
        ).values_list("pk", "paid_on")
    )


def _split(parcel: dict, amount: Decimal) -> dict[tuple, list]:
    """A parcel's sale or refund as [amount, units] per (category, certified,
    delivery): its lines, and what is left over, the delivery charge credited
    to the household."""
    split = defaultdict(lambda: [Decimal(0), 0])
    rest = abs(amount)
    for category, certified, quantity, line_amount in parcel["lines"]:
        split[(category, certified, False)][0] += line_amount
        split[(category, certified, False)][1] += quantity
        rest -= line_amount
    if rest:
        split[(None, False, True)][0] += rest
    return split


def _add_parcel_entry(facts: _Facts, household, kind, amount, day, parcel) -> None:
    """A sale or refund of a parcel, on the household's rows, its category
    cells and its buyer's rows."""
    sign = 1 if kind == "sale" else -1
    field = "sales" if kind == "sale" else "refunds"
    split = _split(parcel, amount)
    units = sum(quantity for _c, _x, quantity, _a in parcel["lines"])
    for span_day in spans_of(day):
        income = facts.income[(household, *span_day)]
        income[field] += abs(amount)
        income["units"] += sign * units
        # Like units: a parcel refunded in full is not one sold.
        income["parcels"] += sign
        for (category, certified, delivery), (part, quantity) in split.items():
            key = (household, *span_day, category, certified, delivery)
            facts.cells[key][field] += part
            facts.cells[key]["units"] += sign * quantity
        order = facts.orders[(*span_day, parcel["buyer"], parcel["campaign"])]
        order[field] += abs(amount)
        order["units"] += sign * units


def _add_money_entry(facts: _Facts, household, kind, amount, day) -> None:
    """A payout (a positive amount paid) or a correction (signed)."""
    field = "payouts" if kind == "payout" else "corrections"
    value = -amount if kind == "payout" else amount
    for span_day in spans_of(day):
        facts.income[(household, *span_day)][field] += value


def _count_first_sales(facts: _Facts, first_sale: dict, entries) -> None:
    """Count each order whose first sale is among the entries, on that day;
    an order some of whose parcels earlier entries credited is counted."""
    if not first_sale:
        return
    earlier = set(
        LedgerEntry.objects.filter(kind="sale", parcel__order_id__in=list(first_sale))
        .exclude(pk__in=[e[5] for e in entries])
        .values_list("parcel__order__id", flat=True)
    )
    for order, (created_at, parcel) in first_sale.items():
        if order in earlier:
            continue
        for span_day in spans_of(timezone.localdate(created_at)):
            key = (*span_day, parcel["buyer"], parcel["campaign"])
            facts.orders[key]["orders"] += 1


# The two ways in.


def summaries_add(entries) -> None:
    """Add ledger entries just written to the summaries, in the caller's
    transaction and under its household locks."""
    if not entries:
        return
    rows = [tuple(getattr(e, name) for name in ENTRY_FIELDS) for e in entries]
    write_facts(_collect(rows))


def summaries_rebuild(*, chunk: int = 200) -> None:
    """Recompute every summary from the ledger, a few hundred households at a
    time (buyers' rows gathered over all of them, orders counted once at the
    end). For a generated data set; the live store keeps them with
    summaries_add."""
    for model in (IncomeDay, SalesCell, OrderCell):
        model.objects.all().delete()
    ids = list(Household.objects.order_by("pk").values_list("pk", flat=True))
    buyers = _Facts()
    for start in range(0, len(ids), chunk):
        entries = list(
            LedgerEntry.objects.filter(household_id__in=ids[start : start + chunk])
            .order_by("pk")
            .values_list(*ENTRY_FIELDS)
        )
        facts = _collect(entries, first_orders=False)
        for key, values in facts.orders.items():
            for name, value in values.items():
                buyers.orders[key][name] += value
        facts.orders.clear()
        write_facts(facts, fresh=True)
    _count_orders(buyers)
    write_facts(buyers, fresh=True)


def _count_orders(facts: _Facts) -> None:
    """Each order once, on the day its first parcel was credited."""
    Order = get_model("order", "Order")
    campaigns = dict(CampaignOrder.objects.values_list("order_id", "campaign_id"))
    rows = (
        Order.objects.filter(parcels__ledger_entries__kind="sale")
        .values("pk", "user_id", "guest_email")
        .annotate(first=Min("parcels__ledger_entries__created_at"))
    )
    for row in rows.iterator(chunk_size=5000):
        buyer = buyer_key(row["user_id"], row["guest_email"])
        for span_day in spans_of(timezone.localdate(row["first"])):
            facts.orders[(*span_day, buyer, campaigns.get(row["pk"]))]["orders"] += 1
