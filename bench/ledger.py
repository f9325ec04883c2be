"""What routing and the ledger cost per order, and a 10,000-entry statement page.

    .venv/bin/python bench/ledger.py [--db sqlite postgres] [--orders 40] [--rounds 5]

For each database: the data of bench/load.py (200 households, 2,000 products).

1. Orders of three households are placed in one transaction, as checkout
   places them, alternately without our work (Oscar's order_placed receiver
   for routing disconnected, nothing credited: the baseline) and with it
   (parcels, parcel lines and events, then one sale credit per household as
   capture writes them). Stripe is not called; bench/orders.py measures the
   whole purchase. Prints the median milliseconds and queries per order.
2. A household with 10,000 ledger entries: its statement page (first, middle
   and last page) and CSV, as its social worker gets them, beside a household
   with 10 entries and beside a naive statement that computes the running
   balance with a window over all entries (and pages with OFFSET). Median of
   20 requests each.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import PYTHON, ROOT, database, prepare  # noqa: E402


def inner(orders: int, rounds: int) -> dict:
    """Runs inside the prepared environment: measures and returns figures."""
    import django

    django.setup()
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.db import connection, transaction
    from django.db.models import F, Sum, Window
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from oscar.apps.order.signals import order_placed
    from oscar.apps.partner.strategy import Default
    from oscar.core.loading import get_model
    from oscar.test.factories import create_order

    from sellers.households.services import caseload_assign
    from sellers.ledger.selectors import ledger_page
    from sellers.ledger.services import order_credit_households
    from sellers.models import EntryKind, Household, LedgerEntry
    from storefront.checkout.receivers import route_order_to_households
    from storefront.shipping.methods import ParcelDelivery

    Basket = get_model("basket", "Basket")
    StockRecord = get_model("partner", "StockRecord")
    StockRecord.objects.update(num_in_stock=10**6, num_allocated=0)
    picks, seen = [], set()
    for record in StockRecord.objects.select_related("product").order_by("id"):
        if record.partner_id not in seen:
            seen.add(record.partner_id)
            picks.append(record.product)
        if len(picks) == 3:
            break

    counter = iter(range(1, 10**9))

    def place(ours: bool) -> tuple[float, int]:
        basket = Basket.objects.create()
        basket.strategy = Default()
        for product in picks:
            basket.add_product(product, 1)
        number = f"B{os.getpid()}-{next(counter)}"
        connection.queries_log.clear()  # its length is capped
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            with transaction.atomic():
                order = create_order(
                    number=number,
                    basket=basket,
                    shipping_method=ParcelDelivery(),
                    guest_email="bench@example.com",
                )
            if ours:
                order_credit_households(order=order)
            elapsed = time.perf_counter() - start
        return elapsed * 1000, len(queries)

    figures = {"baseline": [], "ours": [], "q_baseline": 0, "q_ours": 0}
    for _round in range(rounds):
        for ours in (False, True):
            if ours:
                order_placed.connect(route_order_to_households)
            else:
                order_placed.disconnect(route_order_to_households)
            times = []
            for _ in range(orders):
                elapsed, count = place(ours)
                times.append(elapsed)
            key = "ours" if ours else "baseline"
            figures[key].append(statistics.median(times))
            figures["q_" + key] = count
    order_placed.connect(route_order_to_households)

    # 2. Statements.
    user = get_user_model().objects.create_user(
        username=f"bench-sw-{os.getpid()}", email="", password="bench-pass-2026"
    )
    user.user_permissions.add(Permission.objects.get(codename="dashboard_access"))
    big, small = Household.objects.order_by("id")[3:5]
    for household, count in ((big, 10_000), (small, 60)):
        caseload_assign(household=household, social_worker=user)
        # The first entry is a real sale; the rest are bulk-written corrections
        # of it (only a benchmark writes a ledger in bulk).
        product = StockRecord.objects.filter(partner=household.partner).first().product
        basket = Basket.objects.create()
        basket.strategy = Default()
        basket.add_product(product, 1)
        order = create_order(
            number=f"S{household.pk}-{os.getpid()}",
            basket=basket,
            shipping_method=ParcelDelivery(),
            guest_email="bench@example.com",
        )
        sale = order_credit_households(order=order)[0]
        balance = sale.balance
        entries = []
        for seq in range(2, count + 1):
            amount = Decimal("12.50") if seq % 7 else Decimal("-30.00")
            balance += amount
            entries.append(
                LedgerEntry(
                    household=household,
                    seq=seq,
                    kind=EntryKind.CORRECTION,
                    amount=amount,
                    balance=balance,
                    memo=f"bench {seq}",
                    corrects=sale,
                )
            )
        LedgerEntry.objects.bulk_create(entries, batch_size=1000)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)

    def page(url: str) -> tuple[float, int]:
        client.get(url)  # warm
        times = []
        for _ in range(20):
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        return statistics.median(times), len(queries)

    statement = {}
    for label, household, number in (
        ("60 entries, page 1", small, 1),
        ("10,000 entries, page 1", big, 1),
        ("10,000 entries, page 100", big, 100),
        ("10,000 entries, page 200", big, 200),
    ):
        url = f"/workspace/households/{household.slug}/statement/?page={number}"
        statement[label] = page(url)
    statement["10,000 entries, CSV"] = page(
        f"/workspace/households/{big.slug}/statement.csv"
    )

    def naive(number: int) -> float:
        times = []
        for _ in range(20):
            start = time.perf_counter()
            list(
                LedgerEntry.objects.filter(household=big)
                .annotate(running=Window(Sum("amount"), order_by=F("seq").asc()))
                .order_by("-seq")[(number - 1) * 50 : number * 50]
            )
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)

    ours_query = []
    for number in (1, 100, 200):
        times = []
        for _ in range(20):
            start = time.perf_counter()
            list(ledger_page(household=big, number=number, size=50))
            times.append((time.perf_counter() - start) * 1000)
        ours_query.append((number, statistics.median(times), naive(number)))
    return {
        "orders": figures,
        "statement": statement,
        "page_query": ours_query,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--orders", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner:
        print(json.dumps(inner(args.orders, args.rounds)))
        return
    for db in args.db:
        with tempfile.TemporaryDirectory() as workdir, database(db) as name:
            env = prepare(db, Path(workdir), name)
            out = subprocess.run(
                [
                    PYTHON,
                    "bench/ledger.py",
                    "--inner",
                    "--orders",
                    str(args.orders),
                    "--rounds",
                    str(args.rounds),
                ],
                env=env,
                cwd=ROOT,
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            ).stdout
        report(db, json.loads(out.strip().splitlines()[-1]))


def report(db: str, figures: dict) -> None:
    orders = figures["orders"]
    base, ours = (
        statistics.median(orders["baseline"]),
        statistics.median(orders["ours"]),
    )
    print(f"\n== {db}: placing an order of three households (median of rounds)")
    print(
        f"  Oscar alone                    {base:7.1f} ms  "
        f"{orders['q_baseline']} queries"
    )
    print(
        f"  + routing and ledger credits   {ours:7.1f} ms  {orders['q_ours']} queries"
        f"  (+{ours - base:.1f} ms, ×{ours / base:.2f})"
    )
    print(f"\n== {db}: statement page as its social worker gets it (median of 20)")
    for label, (ms, queries) in figures["statement"].items():
        print(f"  {label:<28} {ms:7.1f} ms  {queries} queries")
    print(f"\n== {db}: one page of 50 entries of 10,000 (queries only, median of 20)")
    for number, stored, window in figures["page_query"]:
        print(
            f"  page {number:<4} number range, stored balances {stored:6.2f} ms · "
            f"window sum + OFFSET {window:6.2f} ms (×{window / stored:.1f})"
        )


if __name__ == "__main__":
    main()
