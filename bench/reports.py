"""The bureau's report on two years of sales: 1,000,000 order lines, 2,000 households.

    .venv/bin/python bench/reports.py [--db sqlite postgres] [--lines 1000000]

For each database: the data of bench/load.py, then households up to 2,000
(bulk, with protected records) with two products each, and orders over the
two years before 2026-11-29 until there are --lines order lines: 1–3
households per order, 1–2 lines each, 40,000 buyers, one order in ten through
one of 20 campaigns, 2 % of parcels cancelled and refunded the next day.
Orders, lines, parcels and ledger entries are bulk-written as checkout and
capture write them; the summaries are then rebuilt from the ledger
(sellers.summaries.summaries_rebuild, timed) exactly as migration 0010 does.

Measured, median of 5 after one warm-up, as a bureau officer gets them:
the month report and the year report (whole page, chart included), the
year's per-household XLSX; beside them the naive aggregate over order lines
(income per household for the year, without and with the household's name
joined). Prints the figures for docs/performance.md.
"""

import argparse
import datetime
import fcntl
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import PYTHON, ROOT, prepare  # noqa: E402

END = datetime.date(2026, 11, 29)
MONTH = ("2026-10-01", "2026-10-31")
YEAR = ("2025-01-01", "2025-12-31")


def generate(lines_wanted: int, rng: random.Random) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone
    from oscar.core.loading import get_model

    from sellers.models import (
        AssistanceCategory,
        Campaign,
        CampaignOrder,
        Household,
        HouseholdRecord,
        LedgerEntry,
        Organisation,
        Parcel,
        ParcelLine,
    )

    Partner = get_model("partner", "Partner")
    StockRecord = get_model("partner", "StockRecord")
    Product = get_model("catalogue", "Product")
    ProductCategory = get_model("catalogue", "ProductCategory")
    Order = get_model("order", "Order")
    Line = get_model("order", "Line")

    organisation = Organisation.objects.order_by("pk").first()
    others = [
        Organisation.objects.get_or_create(
            slug=f"bench-org-{n}", defaults={"name": f"基准社工机构{n}"}
        )[0]
        for n in range(3)
    ]
    towns = ["统景镇", "木耳镇", "兴隆镇", "大盛镇", "茨竹镇", "古路镇"]
    have = Household.objects.count()
    partners = Partner.objects.bulk_create(
        Partner(name=f"基准农户{n}", code=f"bench-p{n}") for n in range(have, 2000)
    )
    households = Household.objects.bulk_create(
        Household(
            partner=partner,
            organisation=[organisation, *others][n % 4],
            slug=f"bench-h{n}",
            district="渝北区",
            town=towns[n % len(towns)],
            village=f"{towns[n % len(towns)][:2]}{n % 25}村",
        )
        for n, partner in enumerate(partners)
    )
    categories = list(AssistanceCategory.values)
    HouseholdRecord.objects.bulk_create(
        HouseholdRecord(
            household=h,
            legal_name="测试",
            members=rng.randint(1, 6),
            assistance_category=rng.choice(categories),
        )
        for h in households
    )
    # Two products per new household, in the demo's categories and class.
    template = Product.objects.filter(stockrecords__isnull=False).order_by("pk").first()
    category_ids = list(
        ProductCategory.objects.values_list("category_id", flat=True).distinct()
    )
    products = Product.objects.bulk_create(
        Product(
            title=f"基准商品{h.pk}-{k}",
            slug=f"bench-r{h.pk}-{k}",
            product_class_id=template.product_class_id,
            is_public=True,
        )
        for h in households
        for k in range(2)
    )
    ProductCategory.objects.bulk_create(
        ProductCategory(product=p, category_id=rng.choice(category_ids))
        for p in products
    )
    StockRecord.objects.bulk_create(
        StockRecord(
            product=p,
            partner_id=households[i // 2].partner_id,
            partner_sku=f"bench-r{p.pk}",
            price_currency="CNY",
            price=Decimal(rng.randrange(800, 9000)) / 100,
            num_in_stock=10**6,
        )
        for i, p in enumerate(products)
    )
    offers: dict[int, list] = {}
    for record in StockRecord.objects.select_related("partner__household"):
        household = getattr(record.partner, "household", None)
        if household is not None:
            offers.setdefault(household.pk, []).append(record)
    household_ids = list(offers)
    officer = get_user_model().objects.filter(is_superuser=True).first()
    campaigns = Campaign.objects.bulk_create(
        Campaign(
            organisation=organisation,
            name=f"基准推广{n}",
            channel=["wechat_group", "wechat_article", "douyin_video", "market_stall"][
                n % 4
            ],
            code=f"bench{n:03d}",
            starts_on=END - datetime.timedelta(days=760),
            ends_on=END,
            created_by=officer,
        )
        for n in range(20)
    )

    # Orders in time order, so that each household's ledger runs 1, 2, 3…
    # with its balance.
    heads = {pk: (0, Decimal(0)) for pk in household_ids}
    start = timezone.make_aware(
        datetime.datetime.combine(END - datetime.timedelta(days=730), datetime.time())
    )
    seconds = 730 * 86400
    made = {"orders": 0, "lines": 0, "parcels": 0, "refunds": 0}
    # About 2.33 lines an order (1.75 households of 1.33 lines): order times
    # spread evenly over the two years for that many orders, jittered.
    expected = int(lines_wanted / 2.33) + 1
    step = seconds / expected
    times = [
        min(seconds - 1, int(i * step + rng.random() * step))
        for i in range(expected * 2)
    ]
    number = 0
    while made["lines"] < lines_wanted:
        chunk = times[number : number + 5000]
        if not chunk:
            break
        orders, order_lines, parcels, entries, links, refunds = [], [], [], [], [], []
        for offset in chunk:
            number += 1
            placed = start + datetime.timedelta(seconds=offset)
            basket = []
            for household in rng.sample(household_ids, rng.choice((1, 1, 2, 3))):
                for record in rng.sample(offers[household], rng.choice((1, 1, 2))):
                    basket.append((household, record, rng.choice((1, 1, 2, 3))))
            if made["lines"] + len(basket) > lines_wanted:
                basket = basket[: lines_wanted - made["lines"]]
            if not basket:
                break
            made["lines"] += len(basket)
            order = Order(
                number=f"B{number:08d}",
                currency="CNY",
                total_incl_tax=0,
                total_excl_tax=0,
                shipping_incl_tax=0,
                shipping_excl_tax=0,
                status="Paid",
                guest_email=f"buyer{rng.randrange(40000)}@example.com",
                date_placed=placed,
            )
            orders.append((order, basket))
        Order.objects.bulk_create([o for o, _b in orders])
        for order, basket in orders:
            per_household: dict[int, list] = {}
            for household, record, quantity in basket:
                line = Line(
                    order=order,
                    partner_id=record.partner_id,
                    partner_name=record.partner.name,
                    partner_sku=record.partner_sku,
                    stockrecord=record,
                    product_id=record.product_id,
                    title="基准商品",
                    quantity=quantity,
                    line_price_incl_tax=record.price * quantity,
                    line_price_excl_tax=record.price * quantity,
                    line_price_before_discounts_incl_tax=record.price * quantity,
                    line_price_before_discounts_excl_tax=record.price * quantity,
                    unit_price_incl_tax=record.price,
                    unit_price_excl_tax=record.price,
                    num_allocated=quantity,
                )
                order_lines.append(line)
                per_household.setdefault(household, []).append(line)
            total = Decimal(0)
            for household, its_lines in per_household.items():
                goods = sum(line.line_price_incl_tax for line in its_lines)
                delivery = Decimal(0) if goods >= 99 else Decimal(10)
                total += goods + delivery
                cancelled = rng.random() < 0.02
                parcel = Parcel(
                    order=order,
                    household_id=household,
                    goods_total=goods,
                    delivery_charge=delivery,
                    status="cancelled" if cancelled else "delivered",
                    refunded=goods + delivery if cancelled else 0,
                )
                parcels.append((parcel, its_lines, cancelled, order.date_placed))
            order.total_incl_tax = order.total_excl_tax = total
            if rng.random() < 0.1:
                links.append(CampaignOrder(order=order, campaign=rng.choice(campaigns)))
        Order.objects.bulk_update(
            [o for o, _b in orders], ["total_incl_tax", "total_excl_tax"]
        )
        Line.objects.bulk_create(order_lines, batch_size=2000)
        Parcel.objects.bulk_create([p for p, *_rest in parcels], batch_size=2000)
        parcel_lines = []
        for parcel, its_lines, cancelled, placed in parcels:
            parcel_lines += [ParcelLine(parcel=parcel, line=line) for line in its_lines]
            share = parcel.goods_total + parcel.delivery_charge
            seq, balance = heads[parcel.household_id]
            heads[parcel.household_id] = (seq + 1, balance + share)
            entries.append(
                LedgerEntry(
                    household_id=parcel.household_id,
                    seq=seq + 1,
                    kind="sale",
                    amount=share,
                    balance=balance + share,
                    parcel=parcel,
                    created_at=placed + datetime.timedelta(minutes=5),
                )
            )
            if cancelled:
                refunds.append((parcel, share, placed + datetime.timedelta(days=1)))
        for parcel, share, when in refunds:
            seq, balance = heads[parcel.household_id]
            heads[parcel.household_id] = (seq + 1, balance - share)
            entries.append(
                LedgerEntry(
                    household_id=parcel.household_id,
                    seq=seq + 1,
                    kind="refund",
                    amount=-share,
                    balance=balance - share,
                    parcel=parcel,
                    created_at=when,
                )
            )
        ParcelLine.objects.bulk_create(parcel_lines, batch_size=2000)
        with transaction.atomic():
            LedgerEntry.objects.bulk_create(entries, batch_size=2000)
        CampaignOrder.objects.bulk_create(links, batch_size=2000)
        made["orders"] += len(orders)
        made["parcels"] += len(parcels)
        made["refunds"] += len(refunds)
        print(f"  {made['lines']:,} lines", file=sys.stderr)
    return made


def _counts() -> dict:
    from oscar.core.loading import get_model

    from sellers.models import LedgerEntry, Parcel

    return {
        "orders": get_model("order", "Order").objects.count(),
        "lines": get_model("order", "Line").objects.count(),
        "parcels": Parcel.objects.count(),
        "refunds": LedgerEntry.objects.filter(kind="refund").count(),
    }


def inner(lines: int, reuse: bool = False) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Sum
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from oscar.core.loading import get_model

    from sellers.summaries import summaries_rebuild

    if reuse:  # measure again on the data of the last PostgreSQL run
        made, generated, rebuilt = _counts(), 0.0, 0.0
        get_user_model().objects.filter(username="bench-officer").delete()
    else:
        began = time.perf_counter()
        made = generate(lines, random.Random(2026))
        generated = time.perf_counter() - began
        began = time.perf_counter()
        summaries_rebuild()
        rebuilt = time.perf_counter() - began
        # Statistics and visibility, as PostgreSQL's autovacuum leaves them
        # after a bulk load (SQLite's statistics must be asked for): the same
        # for both sides.
        with connection.cursor() as cursor:
            cursor.execute(
                "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
            )

    # Runs for several databases may generate side by side; their
    # measurements take turns.
    lock = open(Path(tempfile.gettempdir()) / "bangfu-bench-reports.lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    officer = get_user_model().objects.create_superuser(
        username="bench-officer", email="officer@bench.example", password="x"
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(officer)

    def page(url: str) -> tuple[float, int, int]:
        client.get(url)  # warm
        times = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                body = response.content
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        return statistics.median(times), len(queries), len(body)

    def query(run) -> float:
        run()
        times = []
        for _ in range(5):
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)

    def period(first, last):
        return f"?period=custom&start={first}&end={last}"

    Line = get_model("order", "Line")
    year = Line.objects.filter(
        order__date_placed__date__gte=YEAR[0], order__date_placed__date__lte=YEAR[1]
    )
    return {
        "made": made,
        "generated_s": generated,
        "rebuilt_s": rebuilt,
        "month": page("/workspace/bureau/" + period(*MONTH)),
        "year": page("/workspace/bureau/" + period(*YEAR)),
        "year_xlsx": page("/workspace/bureau/income.xlsx" + period(*YEAR)),
        "naive": query(
            lambda: list(
                year.values("partner_id").annotate(revenue=Sum("line_price_incl_tax"))
            )
        ),
        "naive_names": query(
            lambda: list(
                year.values("partner_id", "partner__name").annotate(
                    revenue=Sum("line_price_incl_tax")
                )
            )
        ),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="PostgreSQL only: measure again on the last run's data",
    )
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner:
        print(json.dumps(inner(args.lines, args.reuse)))
        return
    for db in args.db:
        with tempfile.TemporaryDirectory() as workdir:
            env = prepare(db, Path(workdir), build=not args.reuse)
            reuse = ["--reuse"] if args.reuse else []
            out = subprocess.run(
                [PYTHON, "bench/reports.py", "--inner", "--lines", str(args.lines)]
                + reuse,
                env=env,
                cwd=ROOT,
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            ).stdout
        report(db, json.loads(out.strip().splitlines()[-1]))


def report(db: str, f: dict) -> None:
    made = f["made"]
    print(
        f"\n== {db}: {made['lines']:,} order lines, {made['orders']:,} orders, "
        f"{made['parcels']:,} parcels ({made['refunds']:,} refunded); generated in "
        f"{f['generated_s']:.0f} s, summaries rebuilt from the ledger in "
        f"{f['rebuilt_s']:.0f} s"
    )
    print("  (median of 5)                           ms   queries")
    for label, key in (
        (f"month report {MONTH[0][:7]}", "month"),
        (f"year report {YEAR[0][:4]}", "year"),
        ("year per-household XLSX", "year_xlsx"),
    ):
        ms, queries, _size = f[key]
        print(f"  {label:<34} {ms:8.1f}   {queries}")
    year_ms = f["year"][0]
    print(
        f"  naive: income per household over the year's order lines "
        f"{f['naive']:8.1f} ms (×{f['naive'] / year_ms:.2f} of the whole year page)"
    )
    print(
        f"  naive, with the household's name joined                  "
        f"{f['naive_names']:8.1f} ms (×{f['naive_names'] / year_ms:.2f})"
    )


if __name__ == "__main__":
    main()
