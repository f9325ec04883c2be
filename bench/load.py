"""Load run of the storefront's four pages under gunicorn (2 workers), per database.

    .venv/bin/python bench/load.py [--db sqlite postgres] [--duration 10] [--rounds 3]

For each database: a fresh database, migrations, the demo plus generated data
(200 households, 2,000 products), collectstatic, then gunicorn with 2 sync
workers on 127.0.0.1 and wrk (Debian package) as the load generator on the
same machine. The pages and a bare Django view (the baseline) are loaded in
turn, round after round, so that all of them share the machine's noise; the
table gives medians over rounds. Query counts per page come from Django's test
client on the same data. Prints a Markdown table for docs/performance.md.
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = 8765
PG_URL = "postgres://postgres@127.0.0.1:5432/bangfu_bench"

GUNICORN = ["-w", "2", "-b", f"127.0.0.1:{PORT}", "--log-level", "warning"]


@contextlib.contextmanager
def serve(command: list[str], env: dict, probe: str, port: int):
    """Run a server on 127.0.0.1:port until the block ends; wait for `probe`."""
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def run(args, env, **kwargs):
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


def prepare(db: str, workdir: Path, build: bool = True) -> dict:
    """The environment of a benchmark run; with build, a fresh database
    with migrations, the demo and generated data (else the one left by the
    last PostgreSQL run)."""
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_SECRET_KEY": "bench-" + "k" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "MEDIA_ROOT": str(workdir / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "STRIPE_SECRET_KEY": "sk_test_bench",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_bench",
        "STRIPE_WEBHOOK_SECRET": "whsec_bench",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    if db == "postgres":
        env["DATABASE_URL"] = PG_URL
        if not build:
            return env
        for sql in (
            "DROP DATABASE IF EXISTS bangfu_bench",
            "CREATE DATABASE bangfu_bench",
        ):
            run(
                [
                    "psql",
                    "-q",
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "-d",
                    "test",
                    "-c",
                    sql,
                ],
                env,
            )
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([PYTHON, "bench/generate.py", "--households", "200", "--products", "2000"], env)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    return env


def probe(env: dict, *args: str):
    """The JSON answer of bench/probes.py, run in the benchmark's environment."""
    out = subprocess.run(
        [PYTHON, "-m", "bench.probes", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def wrk(url: str, duration: int, cookie: str = "") -> dict:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{duration}s", "--latency", *headers, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "rps": rps,
        "p50_ms": to_ms(latency["50"]),
        "p99_ms": to_ms(latency["99"]),
        "errors": int(errors.group(1)) if errors else 0,
    }


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def bench(db: str, duration: int, rounds: int) -> list[tuple]:
    workdir = Path(tempfile.mkdtemp(prefix=f"bangfu-bench-{db}-"))
    env = prepare(db, workdir)
    category, product, story = probe(env, "urls")
    pages = {
        "catalogue browse": "/shop/catalogue/",
        "category": category,
        "product": product,
        "household story": story,
        "baseline: bare Django view": "/bench/bare/",
    }
    queries = probe(env, "queries", *pages.values())
    command = [PYTHON, "-m", "gunicorn", *GUNICORN, "--access-logfile", "-"]
    with serve([*command, "storefront.wsgi"], env, "/bench/bare/", PORT):
        base = f"http://127.0.0.1:{PORT}"
        for url in pages.values():  # warm both workers' caches
            for _ in range(10):
                urllib.request.urlopen(base + url, timeout=10)
        # Each page twice: as a first visit from a shared link (no cookies,
        # served from the page cache) and as a visitor with a session
        # (rendered every time).
        runs = [("baseline: bare Django view", "/bench/bare/", "")] + [
            (f"{name} ({kind})", url, cookie)
            for name, url in pages.items()
            if not name.startswith("baseline")
            for kind, cookie in (("cached", ""), ("rendered", "sessionid=bench"))
        ]
        results = {name: [] for name, _url, _cookie in runs}
        for _ in range(rounds):
            for name, url, cookie in runs:
                results[name].append(wrk(base + url, duration, cookie))
    shutil.rmtree(workdir, ignore_errors=True)
    rows = []
    for name, url, cookie in runs:
        measured = results[name]
        rows.append(
            (
                db,
                name,
                statistics.median(r["rps"] for r in measured),
                statistics.median(r["p50_ms"] for r in measured),
                statistics.median(r["p99_ms"] for r in measured),
                sum(r["errors"] for r in measured),
                queries[url][1] if cookie or url == "/bench/bare/" else 1,
            )
        )
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    rows = []
    for db in args.db:
        rows += bench(db, args.duration, args.rounds)
    print(f"\n{args.rounds} rounds × {args.duration} s, wrk -t2 -c8, 2 sync workers")
    print("| database | page | req/s (median) | p50 ms | p99 ms | errors | queries |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for db, name, rps, p50, p99, errors, count in rows:
        cells = [db, name, f"{rps:.0f}", f"{p50:.1f}", f"{p99:.1f}", errors, count]
        print("| " + " | ".join(str(cell) for cell in cells) + " |")


if __name__ == "__main__":
    main()
