"""Load run of the storefront's pages under gunicorn, per database: a real
shopper and a cookie-less visitor beside the one-query ceiling.

    .venv/bin/python bench/load.py [--db sqlite postgres] [--duration 10]
        [--rounds 3] [--connections 16] [--quick] [--pages basket product ...]

For each database: a database of its own (PostgreSQL: bangfu_bench_<pid>,
created, then dropped; SQLite: a file in a temporary folder), migrations, the
demo plus generated data (200 households, 2,000 products), collectstatic,
then gunicorn with 2 sync workers on a free port and wrk (`apt-get install
wrk`) as the load generator on the same machine, `-t2 -c16`.

Two kinds of visitor:

- **visitor**: no cookies, as a first visit from a shared link (the page
  cache serves what it can);
- **shopper**: a session made over HTTP as a buyer makes it: a catalogue page
  (CSRF cookie), three products of three households put in the basket through
  the real add-to-basket form, the mobile number posted at the checkout's
  first step; wrk then sends that shopper's cookies with every request. The
  page cache shares pages with shoppers, filling in their own regions;
- **rendered**: the same shopper with the page cache bypassed (a query
  parameter the pages do not know, as any made-up URL), i.e. what a shopper
  costs when a change has just retired the cached pages (the basket page:
  when his basket or a price has just changed).

Every round loads, in turn, the ceiling (a bare Django view that runs one ORM
query and renders a one-line template), the bare view (no query, no
template: the baseline of earlier runs), each page as visitor and as shopper,
and the ceiling again (`--pages` loads only the pages named, always beside
the ceiling and the bare view); a page's ratio is its req/s over the mean of its
round's two ceiling runs, so that both share the machine's noise. After each
run the bench waits until the requests wrk left queued are served (a slow page
would otherwise eat into the next run), and wrk waits 10 s for an answer
before counting a timeout (its default, 2 s, is short for a busy machine).
The table gives medians over rounds. Query counts per request come from Django's test
client in the same environment with the same cookies (the second request of
each, as wrk's steady state).
"""

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    WORKERS,
    database,
    free_port,
    gunicorn,
    prepare,
    probe,
    serve,
)

CEILING = "/bench/ceiling/"
BARE = "/bench/bare/"
# wrk's wait for an answer: a slower one is an error and left out of the
# latencies (wrk's default is 2 s, which a loaded machine exceeds).
TIMEOUT = 10
PHONE = "13800138000"  # a made-up buyer, on loopback only
# The basket page of a cookie-less visitor is empty and never a landing page.
SHOPPER_ONLY = {"basket"}
# The pages of bench/probes.py's `urls`, in the order they are loaded.
PAGES = [
    "home",
    "catalogue",
    "category",
    "household",
    "village",
    "search",
    "product",
    "story",
    "basket",
]


def rendered(url: str) -> str:
    """The URL with a parameter the page cache does not know: rendered whole."""
    return url + ("&" if "?" in url else "?") + "bench=render"


def csrf_token(session: requests.Session, html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else session.cookies.get("csrftoken", "")


def shopper_session(base: str, products: list[int]) -> dict[str, str]:
    """A buyer's cookies, made over HTTP: products in the basket through the
    add-to-basket form, the mobile number posted at the checkout's gateway."""
    session = requests.Session()
    page = session.get(f"{base}/shop/catalogue/", timeout=30)
    page.raise_for_status()
    token = csrf_token(session, page.text)
    for product in products:
        added = session.post(
            f"{base}/shop/basket/add/{product}/",
            {"quantity": 1, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=30,
        )
        if added.status_code != 302:
            raise RuntimeError(f"add to basket {product}: {added.status_code}")
    gateway = session.get(f"{base}/shop/checkout/", allow_redirects=False, timeout=30)
    if gateway.status_code == 200 and 'name="phone"' in gateway.text:
        posted = session.post(
            f"{base}/shop/checkout/",
            {
                "phone": PHONE,
                "options": "anonymous",
                "csrfmiddlewaretoken": csrf_token(session, gateway.text),
            },
            allow_redirects=False,
            timeout=30,
        )
        if posted.status_code != 302:
            raise RuntimeError(f"guest phone at the gateway: {posted.status_code}")
    return session.cookies.get_dict()


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def wrk(url: str, duration: int, connections: int, cookie: str = "") -> dict:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            f"--timeout={TIMEOUT}s",
            *headers,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return wrk_figures(out)


def drain(base: str) -> None:
    """Wait until the requests wrk left queued when it stopped are served: the
    next run must not start behind them. Sync workers take the queue in order,
    so one request per worker, answered, means the queue is empty."""
    for _ in range(WORKERS):
        requests.get(base + BARE, timeout=120)


def wrk_figures(out: str) -> dict:
    """req/s, p50 and p99 (ms) and errors (non-2xx/3xx answers and socket
    errors) from wrk's --latency report."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return {
        "rps": rps,
        "p50_ms": to_ms(latency["50"]),
        "p99_ms": to_ms(latency["99"]),
        "errors": (int(bad.group(1)) if bad else 0)
        + (sum(int(n) for n in sockets.groups()) if sockets else 0),
    }


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def warm(base: str, url: str, cookie: str, times: int = 10) -> None:
    headers = {"Cookie": cookie} if cookie else {}
    for _ in range(times):
        requests.get(base + url, headers=headers, timeout=30)


def bench(
    db: str, duration: int, rounds: int, connections: int, only: list[str] | None
) -> list[dict]:
    with (
        tempfile.TemporaryDirectory(prefix=f"bangfu-bench-{db}-") as workdir,
        database(db) as name,
    ):
        env = prepare(db, Path(workdir), name)
        pages = probe(env, "urls")
        if only:
            pages = {page: url for page, url in pages.items() if page in only}
        products = probe(env, "shopper")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with serve(gunicorn(port), env, BARE, port):
            cookies = shopper_session(base, products)
            shopper = cookie_header(cookies)
            runs = [("ceiling", CEILING, "visitor", ""), ("bare", BARE, "visitor", "")]
            for page, url in pages.items():
                if page not in SHOPPER_ONLY:
                    runs.append((page, url, "visitor", ""))
                runs.append((page, rendered(url), "rendered", shopper))
                runs.append((page, url, "shopper", shopper))
            for _page, url, _kind, cookie in runs:  # both workers' caches
                warm(base, url, cookie)
            measured = {(page, kind): [] for page, _url, kind, _cookie in runs}
            for _ in range(rounds):
                this_round = {}
                for page, url, kind, cookie in runs:
                    this_round[page, kind] = wrk(
                        base + url, duration, connections, cookie
                    )
                    drain(base)
                end = wrk(base + CEILING, duration, connections)
                drain(base)
                ceiling = (this_round["ceiling", "visitor"]["rps"] + end["rps"]) / 2
                for key, figures in this_round.items():
                    measured[key].append(figures | {"ratio": figures["rps"] / ceiling})
        basket = [*probe(env, "basket", json.dumps(cookies)), list(cookies)]
        urls = [url for _page, url, _kind, _cookie in runs]
        shopper_queries = probe(env, "queries", json.dumps(cookies), *urls)
        queries = {
            "visitor": probe(env, "queries", "{}", *urls),
            "shopper": shopper_queries,
            "rendered": shopper_queries,
        }
    rows = []
    for page, url, kind, _cookie in runs:
        figures = measured[page, kind]
        status, count = queries[kind][url]
        rows.append(
            {
                "db": db,
                "page": page,
                "kind": kind,
                "basket": basket if kind != "visitor" else None,
                "rounds_rps": [round(f["rps"]) for f in figures],
                "rps": statistics.median(f["rps"] for f in figures),
                "p50_ms": statistics.median(f["p50_ms"] for f in figures),
                "p99_ms": statistics.median(f["p99_ms"] for f in figures),
                "errors": sum(f["errors"] for f in figures),
                "status": status,
                "queries": count,
                "ratio": statistics.median(f["ratio"] for f in figures),
            }
        )
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| database | page | visitor | req/s (median) | p50 ms | p99 ms | errors "
        "| queries | × ceiling |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        cells = [
            row["db"],
            row["page"],
            row["kind"],
            f"{row['rps']:.0f}",
            f"{row['p50_ms']:.1f}",
            f"{row['p99_ms']:.1f}",
            row["errors"],
            row["queries"]
            if row["status"] == 200
            else f"{row['queries']} (HTTP {row['status']})",
            f"{row['ratio'] * 100:.1f}%",
        ]
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--duration", type=int, default=10, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--quick", action="store_true", help="one round of 3 s per page (a smoke run)"
    )
    parser.add_argument(
        "--pages",
        nargs="+",
        choices=PAGES,
        help="load only these pages (the ceiling and the bare view always run)",
    )
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.rounds = 3, 1
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    rows = []
    for db in args.db:
        rows += bench(db, args.duration, args.rounds, args.connections, args.pages)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    print(
        f"\n{args.rounds} rounds × {args.duration} s, wrk -t2 -c{args.connections} "
        f"--timeout {TIMEOUT}s, {WORKERS} sync workers"
    )
    for db in args.db:
        basket = next(r["basket"] for r in rows if r["db"] == db and r["basket"])
        print(
            f"{db}: shopper's basket {basket[0]} lines of {basket[1]} households; "
            f"cookies {', '.join(sorted(basket[2]))}"
        )
    print(table(rows))
    print("\nreq/s per round:")
    for row in rows:
        print(
            f"  {row['db']:<8} {row['page']:<10} {row['kind']:<8} {row['rounds_rps']}"
        )


if __name__ == "__main__":
    main()
