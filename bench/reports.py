"""The bureau's report on two years of sales: 1,000,000 order lines, 2,000 households.

    .venv/bin/python bench/reports.py [--db sqlite postgres] [--lines 1000000]
        [--keep | --reuse DATABASE]

For each database: the data of bench/load.py, then households up to 2,000
(bulk, with protected records) with two products each, and orders over the
two years before 2026-11-29 until there are --lines order lines: 1–3
households per order, 1–2 lines each, 40,000 buyers, one order in ten through
one of 20 campaigns, 2 % of parcels cancelled and refunded the next day.
Orders, lines, parcels and ledger entries are bulk-written as checkout and
capture write them; the summaries are then rebuilt from the ledger
(sellers.ledger.summaries.summaries_rebuild, timed), as migrations 0010 and
0012 do with their frozen copies of it. The data is made by bench/report_data.py.

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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import PYTHON, ROOT, database, prepare  # noqa: E402

END = datetime.date(2026, 11, 29)
MONTH = ("2026-10-01", "2026-10-31")
YEAR = ("2025-01-01", "2025-12-31")


def _counts() -> dict:
    from oscar.core.loading import get_model

    from sellers.models import LedgerEntry, Parcel

    return {
        "orders": get_model("order", "Order").objects.count(),
        "lines": get_model("order", "Line").objects.count(),
        "parcels": Parcel.objects.count(),
        "refunds": LedgerEntry.objects.filter(kind="refund").count(),
    }


def inner(lines: int, reuse: str = "") -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Sum
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from oscar.core.loading import get_model

    from bench.report_data import generate
    from sellers.ledger.summaries import summaries_rebuild

    if reuse:  # measure again on a database kept by an earlier run
        made, generated, rebuilt = _counts(), 0.0, 0.0
        get_user_model().objects.filter(username="bench-officer").delete()
    else:
        began = time.perf_counter()
        made = generate(lines, random.Random(2026), END)
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
        "--keep",
        action="store_true",
        help="PostgreSQL only: keep the run's database (its name is printed)",
    )
    parser.add_argument(
        "--reuse",
        metavar="DATABASE",
        default="",
        help="PostgreSQL only: measure again on a database kept with --keep",
    )
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner:
        print(json.dumps(inner(args.lines, args.reuse)))
        return
    for db in args.db:
        with (
            tempfile.TemporaryDirectory() as workdir,
            database(db, reuse=args.reuse, keep=args.keep) as name,
        ):
            env = prepare(db, Path(workdir), name, build=not args.reuse)
            reuse = ["--reuse", args.reuse] if args.reuse else []
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
