"""The summaries rebuilt from the ledger, frozen for migrations 0010 and 0012.

A copy of sellers.summaries.summaries_rebuild as each migration ran it when it
was written, against the historical models: later changes to the live code
(sellers.ledger.summaries) never change what these migrations do. Do not edit
it; a later migration that rebuilds the summaries gets a copy of its own.

The two differ in two rules, both introduced by 0012 (whose IncomeDay.parcels
may be negative, where 0010's is a PositiveIntegerField):
- 0010: a payout counts on the day it was recorded; parcels credited.
- 0012: a payout counts on the day it was paid; parcels credited less those
  refunded in full (a day with a refund alone has a negative count).

Django does not load this module as a migration: its name starts with "_".
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import F, Min
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import salted_hmac

DAY, MONTH, YEAR = "d", "m", "y"
MONEY = ("sales", "refunds", "corrections", "payouts")


def rebuild_0010(apps, schema_editor):
    _rebuild(apps, settled=False)


def rebuild_0012(apps, schema_editor):
    _rebuild(apps, settled=True)


def _buyer_key(user_id, email):
    value = f"u:{user_id}" if user_id else f"e:{(email or '').strip().lower()}"
    digest = salted_hmac("bangfu.buyer", value, algorithm="sha256").digest()
    return int.from_bytes(digest[:8], "big") >> 1


def _spans_of(day):
    return (
        (DAY, day),
        (MONTH, day.replace(day=1)),
        (YEAR, day.replace(month=1, day=1)),
    )


class _Facts:
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
    """Per parcel: its buyer, campaign and lines as (category, certified,
    units, amount); lines credited before 0010 are given their product's
    deepest category and its certification on the day the order was placed,
    which are recorded on them."""
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
        row["buyer"] = _buyer_key(row["user_id"], row["email"])
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


def _collect(entries, apps, settled):
    """Sum (household_id, kind, amount, created_at, parcel_id, payout_id)
    entries into the rows they change; orders are counted by _count_orders."""
    facts = _Facts()
    parcels = _parcel_facts({e[4] for e in entries if e[1] in ("sale", "refund")}, apps)
    paid_on = {}
    if settled:
        Payout = apps.get_model("sellers", "Payout")
        paid_on = dict(
            Payout.objects.filter(
                pk__in=[e[5] for e in entries if e[1] == "payout"]
            ).values_list("pk", "paid_on")
        )
    for household, kind, amount, created_at, parcel_id, payout in entries:
        if settled and kind == "payout":
            day = paid_on[payout]
        else:
            day = timezone.localdate(created_at)
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
            if rest:
                split[(None, False, True)][0] += rest
            units = sum(quantity for _c, _x, quantity, _a in parcel["lines"])
            for span_day in _spans_of(day):
                income = facts.income[(household, *span_day)]
                income[field] += abs(amount)
                income["units"] += sign * units
                income["parcels"] += sign if settled else kind == "sale"
                for (category, certified, delivery), (part, quantity) in split.items():
                    key = (household, *span_day, category, certified, delivery)
                    facts.cells[key][field] += part
                    facts.cells[key]["units"] += sign * quantity
                order = facts.orders[(*span_day, parcel["buyer"], parcel["campaign"])]
                order[field] += abs(amount)
                order["units"] += sign * units
        else:
            field = "payouts" if kind == "payout" else "corrections"
            value = -amount if kind == "payout" else amount
            for span_day in _spans_of(day):
                facts.income[(household, *span_day)][field] += value
    return facts


def _create(facts, apps):
    IncomeDay = apps.get_model("sellers", "IncomeDay")
    SalesCell = apps.get_model("sellers", "SalesCell")
    OrderCell = apps.get_model("sellers", "OrderCell")
    IncomeDay.objects.bulk_create(
        (
            IncomeDay(household_id=h, span=s, day=d, **n)
            for (h, s, d), n in facts.income.items()
        ),
        batch_size=2000,
    )
    SalesCell.objects.bulk_create(
        (
            SalesCell(
                household_id=h,
                span=s,
                day=d,
                category_id=c,
                certified=x,
                delivery=delivery,
                **n,
            )
            for (h, s, d, c, x, delivery), n in facts.cells.items()
        ),
        batch_size=2000,
    )
    OrderCell.objects.bulk_create(
        (
            OrderCell(span=s, day=d, buyer=b, campaign_id=c, **n)
            for (s, d, b, c), n in facts.orders.items()
        ),
        batch_size=2000,
    )


def _count_orders(facts, apps):
    """Each order once, on the day its first parcel was credited."""
    Order = apps.get_model("order", "Order")
    CampaignOrder = apps.get_model("sellers", "CampaignOrder")
    campaigns = dict(CampaignOrder.objects.values_list("order_id", "campaign_id"))
    rows = (
        Order.objects.filter(parcels__ledger_entries__kind="sale")
        .values("pk", "user_id", "guest_email")
        .annotate(first=Min("parcels__ledger_entries__created_at"))
    )
    for row in rows.iterator(chunk_size=5000):
        buyer = _buyer_key(row["user_id"], row["guest_email"])
        for span_day in _spans_of(timezone.localdate(row["first"])):
            facts.orders[(*span_day, buyer, campaigns.get(row["pk"]))]["orders"] += 1


def _rebuild(apps, settled, chunk=200):
    """Every summary recomputed from the ledger, 200 households at a time;
    the buyers' rows gathered over all of them."""
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
                "payout_id",
            )
        )
        facts = _collect(entries, apps, settled)
        for key, values in facts.orders.items():
            for name, value in values.items():
                buyers.orders[key][name] += value
        facts.orders.clear()
        _create(facts, apps)
    _count_orders(buyers, apps)
    _create(buyers, apps)

