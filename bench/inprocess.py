"""One page for a real shopper, measured in one process, this checkout against
a baseline commit, interleaved in the same run.

    .venv/bin/python bench/inprocess.py --baseline f781937 [--db postgres]
        [--page /shop/basket/] [--batches 3] [--requests 150]

A database of its own (bench/harness.py: the demo plus 200 households and
2,000 products), then, in turn, a fresh Python process per batch for this
checkout and for the baseline (a `git worktree` of it, with its own static
files): Django set up with the benchmark's settings, a shopper made through
the test client (three products of three households in the basket), ten
requests to warm, then `--requests` timed. No server, no network, no load
generator: what is left is the page's own Python and its queries, which is
what the change under test touches. The baseline reads the same database, so
it must not need a migration that this checkout adds for the page measured.
Prints each batch's milliseconds a request and the medians and their ratio.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve()


def child(page: str, requests: int) -> None:
    """Runs inside the prepared environment: one batch, its figure on stdout."""
    import time

    import django

    django.setup()
    from django.test import Client
    from oscar.core.loading import get_model

    product_model = get_model("catalogue", "Product")
    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/shop/catalogue/")
    households = set()
    for product in product_model.objects.filter(
        stockrecords__num_in_stock__gt=5
    ).order_by("id")[:400]:
        record = product.stockrecords.first()
        if record.partner_id in households:
            continue
        households.add(record.partner_id)
        added = client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
        assert added.status_code == 302, added.status_code
        if len(households) == 3:
            break
    for _ in range(10):
        assert client.get(page).status_code == 200
    start = time.perf_counter()
    for _ in range(requests):
        client.get(page)
    elapsed = time.perf_counter() - start
    print(json.dumps({"ms": elapsed / requests * 1000}))


def batch(root: Path, env: dict, page: str, requests: int) -> float:
    """One batch in a fresh process, this file's child() run with `root`'s
    code (its path first, the working directory)."""
    out = subprocess.run(
        [sys.executable, str(HERE), "--child", page],
        env=env | {"PYTHONPATH": str(root), "BENCH_REQUESTS": str(requests)},
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])["ms"]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="a commit to compare with")
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--page", default="/shop/basket/")
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--requests", type=int, default=150)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE.parent.parent))
    from bench import harness

    with (
        tempfile.TemporaryDirectory() as tmp,
        harness.database(args.db) as name,
    ):
        workdir = Path(tmp)
        env = harness.prepare(args.db, workdir, name)
        baseline = workdir / "baseline"
        harness.run(
            ["git", "worktree", "add", "--detach", str(baseline), args.baseline],
            env,
            stdout=subprocess.DEVNULL,
        )
        try:
            for command in (["compilemessages"], ["collectstatic", "--noinput"]):
                subprocess.run(
                    [harness.PYTHON, "manage.py", *command, "-v0"],
                    env=env | {"PYTHONPATH": str(baseline)},
                    cwd=baseline,
                    check=True,
                )
            figures = {"this checkout": [], f"baseline {args.baseline}": []}
            for _ in range(args.batches):
                for label, root in zip(figures, (harness.ROOT, baseline), strict=True):
                    figures[label].append(batch(root, env, args.page, args.requests))
        finally:
            harness.run(
                ["git", "worktree", "remove", "--force", str(baseline)],
                env,
            )
    print(f"{args.db}, {args.page}, {args.batches} batches of {args.requests}")
    for label, values in figures.items():
        shown = ", ".join(f"{value:.1f}" for value in values)
        print(
            f"  {label:<24} ms/request [{shown}] median {statistics.median(values):.1f}"
        )
    ours, theirs = (statistics.median(values) for values in figures.values())
    print(f"  this checkout / baseline: {ours / theirs:.2f}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        import os

        child(sys.argv[2], int(os.environ.get("BENCH_REQUESTS", "150")))
    else:
        main()
