"""Throughput of one web node against two behind nginx, in one run, on
PostgreSQL and Redis (sessions and the page cache shared by the nodes).

    .venv/bin/python bench/nodes.py [--duration 5] [--rounds 3]
        [--connections 16] [--redis redis://127.0.0.1:6379/0]

A database of its own (bangfu_bench_<pid>, created, then dropped) with the
demo and generated data as bench/load.py prepares it; two nodes (gunicorn, 2
sync workers each, as bench/load.py's one) and one nginx running
deploy/nginx/bangfu.conf with two sites: one whose upstream is node A alone,
one over A and B. wrk loads each site in turn, round after round, so both
share the machine's noise: the cached catalogue for a cookie-less visitor and
for a shopper (session and basket in Redis), and the shopper's product page
rendered whole (the page cache bypassed, bench/load.py's "rendered"). The
table gives medians over rounds and the two-node/one-node ratio.

Redis: --redis, else REDIS_URL; the page cache's keys are versioned by the
run's own database, so a Redis shared with other work is left as it was but
for those keys (they expire in 5 minutes).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    WORKERS,
    database,
    free_port,
    gunicorn,
    nginx_conf,
    prepare,
    probe,
    serve,
)
from bench.load import (  # noqa: E402
    BARE,
    TIMEOUT,
    cookie_header,
    drain,
    rendered,
    shopper_session,
    warm,
    wrk,
)

NGINX = "/usr/sbin/nginx"


def loads(pages: dict[str, str], shopper: str) -> list[tuple[str, str, str]]:
    """(label, url, cookie) of each load: the cached catalogue for a visitor
    and a shopper, the shopper's product page rendered whole."""
    return [
        ("catalogue visitor", pages["catalogue"], ""),
        ("catalogue shopper", pages["catalogue"], shopper),
        ("product rendered", rendered(pages["product"]), shopper),
    ]


def bench(duration: int, rounds: int, connections: int, redis_url: str) -> list:
    with (
        tempfile.TemporaryDirectory(prefix="bangfu-bench-nodes-") as workdir,
        database("postgres") as name,
    ):
        env = prepare("postgres", Path(workdir), name) | {"REDIS_URL": redis_url}
        pages = probe(env, "urls")
        products = probe(env, "shopper")
        nodes = [free_port(), free_port()]
        sites = {"one": free_port(), "two": free_port()}
        conf = nginx_conf(Path(workdir), {sites["one"]: nodes[:1], sites["two"]: nodes})
        bases = {n: f"http://127.0.0.1:{port}" for n, port in sites.items()}
        node_bases = [f"http://127.0.0.1:{port}" for port in nodes]
        with (
            serve(gunicorn(nodes[0]), env, BARE, nodes[0]),
            serve(gunicorn(nodes[1]), env, BARE, nodes[1]),
            serve([NGINX, "-p", workdir, "-c", str(conf)], env, BARE, sites["two"]),
        ):
            shopper = cookie_header(shopper_session(bases["two"], products))
            runs = loads(pages, shopper)
            for _label, url, cookie in runs:
                for base in node_bases:  # every worker's connections and cache
                    warm(base, url, cookie)
            measured = {(label, n): [] for label, _u, _c in runs for n in sites}
            for _ in range(rounds):
                for label, url, cookie in runs:
                    for site, base in bases.items():
                        figures = wrk(base + url, duration, connections, cookie)
                        measured[label, site].append(figures)
                        for node in node_bases:
                            drain(node)
    rows = []
    for label, _url, _cookie in runs:
        one, two = (
            statistics.median(f["rps"] for f in measured[label, site]) for site in sites
        )
        rows.append(
            {
                "load": label,
                "one_rps": one,
                "two_rps": two,
                "ratio": two / one,
                "rounds": {
                    site: [round(f["rps"]) for f in measured[label, site]]
                    for site in sites
                },
                "errors": sum(
                    f["errors"] for site in sites for f in measured[label, site]
                ),
            }
        )
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        f"{'load':<20} {'1 node req/s':>13} {'2 nodes req/s':>14} {'ratio':>6} "
        f"{'errors':>6}"
    ]
    for row in rows:
        lines.append(
            f"{row['load']:<20} {row['one_rps']:>13.0f} {row['two_rps']:>14.0f} "
            f"{row['ratio']:>6.2f} {row['errors']:>6}"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL"))
    args = parser.parse_args(argv)
    for tool in ("wrk", NGINX):
        if subprocess.run(["which", tool], capture_output=True).returncode:
            sys.exit(f"{tool} is needed (apt-get install wrk nginx)")
    if not args.redis:
        sys.exit("Redis is needed: --redis redis://… or REDIS_URL")
    rows = bench(args.duration, args.rounds, args.connections, args.redis)
    print(
        f"\n{args.rounds} rounds × {args.duration} s, wrk -t2 -c{args.connections} "
        f"--timeout {TIMEOUT}s through nginx; each node gunicorn with {WORKERS} "
        f"sync workers; {os.cpu_count()} cores; PostgreSQL + Redis"
    )
    print(table(rows))
    print("\nreq/s per round (1 node | 2 nodes):")
    for row in rows:
        print(f"  {row['load']:<20} {row['rounds']['one']} | {row['rounds']['two']}")


if __name__ == "__main__":
    main()
