"""The summaries' rows written: what a batch of ledger entries adds to them
(sellers.ledger.summaries) added to the stored rows, the buyers' under
locks, or every row created afresh by a rebuild."""

from collections import defaultdict
from collections.abc import Iterable
from operator import attrgetter

from django.db import connection
from django.db.models import F, Q

from sellers.models import IncomeDay, OrderCell, SalesCell

# The key fields of each summary's rows, in the order of the facts' keys.
INCOME_KEY = ("household_id", "span", "day")
CELL_KEY = ("household_id", "span", "day", "category_id", "certified", "delivery")
ORDER_KEY = ("span", "day", "buyer", "campaign_id")


def write_facts(facts, *, fresh=False) -> None:
    """Add the facts (sellers.ledger.summaries._Facts) to the stored rows, or,
    fresh, create them all."""
    where = None
    if not fresh:
        where = {
            "household_id__in": {key[0] for key in facts.income},
            "day__in": {key[2] for key in facts.income},
        }
    _upsert(IncomeDay, INCOME_KEY, facts.income, where)
    _upsert(SalesCell, CELL_KEY, facts.cells, where)
    if fresh:
        OrderCell.objects.bulk_create(
            _new_rows(OrderCell, ORDER_KEY, facts.orders), batch_size=2000
        )
    else:
        _add_orders(facts.orders)


def _upsert(model, key_fields, deltas: dict, where: dict | None) -> None:
    """Add the deltas to the rows among `where` that have their keys, and
    create the others (all of them where `where` is None)."""
    existing = {}
    if where is not None and deltas:
        key_of = attrgetter(*key_fields)
        rows = model.objects.filter(**where)
        existing = {key_of(row): row for row in rows if key_of(row) in deltas}
    for key, row in existing.items():
        for name, value in deltas[key].items():
            setattr(row, name, getattr(row, name) + value)
    if existing:
        names = list(next(iter(deltas.values())))
        model.objects.bulk_update(existing.values(), names, batch_size=1000)
    model.objects.bulk_create(
        _new_rows(model, key_fields, deltas, skip=existing), batch_size=2000
    )


def _new_rows(model, key_fields, deltas: dict, skip=()) -> Iterable:
    return (
        model(**dict(zip(key_fields, key, strict=True)), **delta)
        for key, delta in deltas.items()
        if key not in skip
    )


def _add_orders(orders: dict) -> None:
    """Add to the buyers' rows, which are not under one household's lock."""
    _lock_buyers({key[2] for key in orders})
    if not orders:
        return
    wanted = Q()
    for span, day, buyer, campaign in orders:
        wanted |= Q(span=span, day=day, buyer=buyer, campaign_id=campaign)
    found = {
        (span, day, buyer, campaign): pk
        for pk, span, day, buyer, campaign in OrderCell.objects.filter(
            wanted
        ).values_list("pk", "span", "day", "buyer", "campaign_id")
    }
    # A day's, month's and year's rows get the same additions: one UPDATE.
    same = defaultdict(list)
    for key, n in orders.items():
        if key in found:
            same[tuple(n.items())].append(found[key])
    for n, pks in same.items():
        OrderCell.objects.filter(pk__in=pks).update(
            **{name: F(name) + value for name, value in n}
        )
    OrderCell.objects.bulk_create(_new_rows(OrderCell, ORDER_KEY, orders, skip=found))


def _lock_buyers(buyers) -> None:
    """Lock the buyers (in order, so that two writers cannot deadlock) before
    their rows are read; on PostgreSQL (SQLite writes one at a time)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for buyer in sorted(buyers):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [buyer])
