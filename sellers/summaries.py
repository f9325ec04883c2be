"""The ledger summed for reports, written in the ledger's own transaction.

Three summaries, each with a row per day, per calendar month and per
calendar year (Asia/Shanghai), so that a report reads the longest rows that
fit its period and only the days at its ends:

- IncomeDay: per household: sales, refunds, corrections, payouts, parcels
  credited, units sold less units refunded.
- SalesCell: per household, product category and certification (as they
  were when the parcel was first credited, recorded on its lines): sales,
  refunds, units; the delivery charges are rows of their own.
- OrderCell: per buyer and campaign: orders paid (counted at the first
  credit of an order), sales, refunds, units.

summaries_add() is called with the entries the ledger services have just
written, under their household locks; summaries_rebuild() recomputes
everything from the ledger (migration 0010, the benchmark's generator) and is
what reconcile_ledger compares the stored rows with.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.apps import apps as global_apps
from django.db import connection
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import salted_hmac

DAY, MONTH, YEAR = "d", "m", "y"
MONEY = ("sales", "refunds", "corrections", "payouts")


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


def _parcel_facts(parcel_ids, apps):
    """Per parcel: its order, buyer, campaign, and its lines as (category,
    certified, units, amount). A line's category and certification are those
    recorded when its parcel was first credited; lines without them (being
    credited now) get the product's, which are then recorded. At most five
    queries however many parcels."""
    Parcel = apps.get_model("sellers", "Parcel")
    ParcelLine = apps.get_model("sellers", "ParcelLine")
    ProductCategory = apps.get_model("catalogue", "ProductCategory")
    Certificate = apps.get_model("catalogue", "ProductCertificate")
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
    lines = list(
        ParcelLine.objects.filter(parcel_id__in=parcel_ids).values_list(
            "pk",
            "parcel_id",
            Coalesce("line__product__parent_id", "line__product_id"),
            "line__quantity",
            "line__line_price_incl_tax",
            "category_id",
            "certified",
        )
    )
    new = [line for line in lines if line[6] is None]
    products = {line[2] for line in new}
    category = {}
    # The deepest category a product is in names it best (鲜鱼, not 农产品).
    for product, category_id, _depth in (
        ProductCategory.objects.filter(product_id__in=products)
        .order_by("product_id", "-category__depth", "category_id")
        .values_list("product_id", "category_id", "category__depth")
    ):
        category.setdefault(product, category_id)
    certificates = defaultdict(list)
    for product, start, end in Certificate.objects.filter(
        product_id__in=products
    ).values_list("product_id", "valid_from", "valid_until"):
        certificates[product].append((start, end))
    for row in parcels.values():
        row["buyer"] = buyer_key(row["user_id"], row["email"])
        row["lines"] = []
    recorded = []
    for pk, parcel_id, product, quantity, amount, category_id, certified in lines:
        row = parcels[parcel_id]
        if certified is None:
            placed = timezone.localdate(row["placed"])
            category_id = category.get(product)
            certified = any(s <= placed <= e for s, e in certificates.get(product, ()))
            recorded.append(
                ParcelLine(pk=pk, category_id=category_id, certified=certified)
            )
        row["lines"].append((category_id, certified, quantity, amount))
    ParcelLine.objects.bulk_update(recorded, ["category", "certified"], batch_size=2000)
    return parcels


def _collect(entries, apps, first_orders=True) -> _Facts:
    """Sum the entries into the rows they change.

    entries: (household_id, kind, amount, created_at, parcel_id, pk,
    payout_id) tuples. A payout counts on the day it was paid, not the day
    it was recorded.
    An order is counted on the day its first sale is credited: with
    first_orders, orders some of whose parcels were credited by earlier
    entries are left out (one query).
    """
    LedgerEntry = apps.get_model("sellers", "LedgerEntry")
    facts = _Facts()
    parcels = _parcel_facts({e[4] for e in entries if e[1] in ("sale", "refund")}, apps)
    Payout = apps.get_model("sellers", "Payout")
    paid_on = dict(
        Payout.objects.filter(
            pk__in=[e[6] for e in entries if e[1] == "payout"]
        ).values_list("pk", "paid_on")
    )
    first_sale: dict[int, tuple] = {}
    for household, kind, amount, created_at, parcel_id, _pk, payout in entries:
        day = paid_on[payout] if kind == "payout" else timezone.localdate(created_at)
        if kind in ("sale", "refund"):
            parcel = parcels[parcel_id]
            sign = 1 if kind == "sale" else -1
            field = "sales" if kind == "sale" else "refunds"
            rest = abs(amount)
            split = defaultdict(lambda: [Decimal(0), 0])
            for category, certified, quantity, line_amount in parcel["lines"]:
                split[(category, certified, False)][0] += line_amount
                split[(category, certified, False)][1] += quantity
                rest -= line_amount
            # What is left is the delivery charge credited to the household.
            if rest:
                split[(None, False, True)][0] += rest
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
            if kind == "sale":
                order = parcel["order_id"]
                if order not in first_sale or created_at < first_sale[order][0]:
                    first_sale[order] = (created_at, parcel)
        else:
            field = "payouts" if kind == "payout" else "corrections"
            value = -amount if kind == "payout" else amount
            for span_day in spans_of(day):
                facts.income[(household, *span_day)][field] += value
    if first_orders and first_sale:
        earlier = set(
            LedgerEntry.objects.filter(
                kind="sale", parcel__order_id__in=list(first_sale)
            )
            .exclude(pk__in=[e[5] for e in entries])
            .values_list("parcel__order__id", flat=True)
        )
    else:
        earlier = set()
    if not first_orders:
        return facts  # summaries_rebuild counts orders over the whole ledger
    for order, (created_at, parcel) in first_sale.items():
        if order in earlier:
            continue
        for span_day in spans_of(timezone.localdate(created_at)):
            facts.orders[(*span_day, parcel["buyer"], parcel["campaign"])][
                "orders"
            ] += 1
    return facts


def _write(facts: _Facts, apps, fresh=False) -> None:
    """Add the facts to the stored rows (or, fresh, create them all)."""
    IncomeDay = apps.get_model("sellers", "IncomeDay")
    SalesCell = apps.get_model("sellers", "SalesCell")
    OrderCell = apps.get_model("sellers", "OrderCell")
    households = {key[0] for key in facts.income}
    days = {key[2] for key in facts.income}

    def upsert(model, deltas, names, key_of, make):
        existing = {}
        if not fresh and deltas:
            rows = model.objects.filter(household_id__in=households, day__in=days)
            existing = {key_of(row): row for row in rows if key_of(row) in deltas}
        for key, row in existing.items():
            for name in names:
                setattr(row, name, getattr(row, name) + deltas[key][name])
        if existing:
            model.objects.bulk_update(existing.values(), names, batch_size=1000)
        model.objects.bulk_create(
            (make(key, delta) for key, delta in deltas.items() if key not in existing),
            batch_size=2000,
        )

    upsert(
        IncomeDay,
        facts.income,
        [*MONEY, "parcels", "units"],
        lambda row: (row.household_id, row.span, row.day),
        lambda key, d: IncomeDay(household_id=key[0], span=key[1], day=key[2], **d),
    )
    upsert(
        SalesCell,
        facts.cells,
        ["sales", "refunds", "units"],
        lambda row: (
            row.household_id,
            row.span,
            row.day,
            row.category_id,
            row.certified,
            row.delivery,
        ),
        lambda key, d: SalesCell(
            household_id=key[0],
            span=key[1],
            day=key[2],
            category_id=key[3],
            certified=key[4],
            delivery=key[5],
            **d,
        ),
    )
    if fresh:
        OrderCell.objects.bulk_create(
            (
                OrderCell(span=s, day=d, buyer=b, campaign_id=c, **n)
                for (s, d, b, c), n in facts.orders.items()
            ),
            batch_size=2000,
        )
        return
    # Not under one household's lock: lock the buyers (in order, so that two
    # writers cannot deadlock) before reading their rows.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for buyer in sorted({key[2] for key in facts.orders}):
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [buyer])
    if not facts.orders:
        return
    wanted = Q()
    for span, day, buyer, campaign in facts.orders:
        wanted |= Q(span=span, day=day, buyer=buyer, campaign_id=campaign)
    found = {
        (span, day, buyer, campaign): pk
        for pk, span, day, buyer, campaign in OrderCell.objects.filter(
            wanted
        ).values_list("pk", "span", "day", "buyer", "campaign_id")
    }
    # A day's, month's and year's rows get the same additions: one UPDATE.
    same = defaultdict(list)
    for key, n in facts.orders.items():
        if key in found:
            same[tuple(n.items())].append(found[key])
    for n, pks in same.items():
        OrderCell.objects.filter(pk__in=pks).update(
            **{name: F(name) + value for name, value in n}
        )
    OrderCell.objects.bulk_create(
        OrderCell(span=s, day=d, buyer=b, campaign_id=c, **n)
        for (s, d, b, c), n in facts.orders.items()
        if (s, d, b, c) not in found
    )


def summaries_add(entries) -> None:
    """Add ledger entries just written to the summaries, in the caller's
    transaction and under its household locks."""
    if not entries:
        return
    rows = [
        (
            e.household_id,
            e.kind,
            e.amount,
            e.created_at,
            e.parcel_id,
            e.pk,
            e.payout_id,
        )
        for e in entries
    ]
    _write(_collect(rows, global_apps), global_apps)


def summaries_rebuild(apps=global_apps, chunk=200) -> None:
    """Recompute every summary from the ledger, a few hundred households at a
    time (buyers' rows gathered over all of them, orders counted once at the
    end). For a migration or a generated data set; the live store keeps them
    with summaries_add."""
    LedgerEntry = apps.get_model("sellers", "LedgerEntry")
    Household = apps.get_model("sellers", "Household")
    for model in ("IncomeDay", "SalesCell", "OrderCell"):
        apps.get_model("sellers", model).objects.all().delete()
    ids = list(Household.objects.order_by("pk").values_list("pk", flat=True))
    buyers = _Facts()
    for start in range(0, len(ids), chunk):
        entries = list(
            LedgerEntry.objects.filter(household_id__in=ids[start : start + chunk])
            .order_by("pk")
            .values_list(
                "household_id",
                "kind",
                "amount",
                "created_at",
                "parcel_id",
                "pk",
                "payout_id",
            )
        )
        facts = _collect(entries, apps, first_orders=False)
        for key, values in facts.orders.items():
            for name, value in values.items():
                buyers.orders[key][name] += value
        facts.orders.clear()
        _write(facts, apps, fresh=True)
    _count_orders(buyers, apps)
    _write(buyers, apps, fresh=True)


def _count_orders(facts: _Facts, apps) -> None:
    """Each order once, on the day its first parcel was credited."""
    from django.db.models import Min

    Order = apps.get_model("order", "Order")
    CampaignOrder = apps.get_model("sellers", "CampaignOrder")
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
