"""Lighthouse mobile scores of the buyer's pages, as issue 16 measures them.

    .venv/bin/python bench/lighthouse.py [--runs 3] [--pages home story ...]
        [--json FILE] [--reports DIR]

A store of its own, started as bench/load.py starts it: a SQLite file in a
temporary folder, migrations, the demo store (`manage.py load_demo`),
collectstatic, production settings, gunicorn on a free port. A shopper's
basket is made over HTTP (bench/load.py's `shopper_session`: three products of
three households through the add-to-basket form, the mobile number at the
checkout's gateway); the basket page is measured with that shopper's cookies,
the other pages as a cookie-less first visit from a shared link.

Each page is run RUNS times through `npx --yes lighthouse@LIGHTHOUSE`
(mobile form factor, its default simulated throttling) in Debian's Chromium
(`CHROME_PATH`, /usr/bin/chromium unless set), headless. Printed: the median
of each category's score per page, and the audits that failed (score < 1) in
any run, with how many runs they failed in.

Lighthouse is a measuring tool only: it is fetched by npx when this runs, and
is neither in requirements.txt nor in `make test`.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import PYTHON, free_port, gunicorn, prepare, probe, run, serve  # noqa: E402
from bench.load import cookie_header, shopper_session  # noqa: E402

LIGHTHOUSE = "12.8.2"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PAGES = ["home", "story", "product", "basket"]
# Measured with the shopper's cookies: an empty basket is no buyer's page.
SHOPPER_PAGES = {"basket"}
ATTEMPTS = 3


def lighthouse(url: str, cookie: str, report: Path) -> dict:
    """One Lighthouse run of `url`; its JSON report (also written to `report`)."""
    command = [
        "npx",
        "--yes",
        f"lighthouse@{LIGHTHOUSE}",
        url,
        f"--chrome-path={CHROME}",
        "--chrome-flags=--no-sandbox --headless=new",
        "--form-factor=mobile",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    for attempt in range(1, ATTEMPTS + 1):
        # On a busy machine Lighthouse now and then loses the trace of the load
        # (NO_NAVSTART, NO_FCP): that run is made again, not counted.
        done = subprocess.run(command, env=os.environ | {"CHROME_PATH": CHROME})
        if done.returncode == 0:
            result = json.loads(report.read_text())
            if not result.get("runtimeError"):
                return result
        print(f"lighthouse failed on {url} (attempt {attempt})", file=sys.stderr)
    raise RuntimeError(f"lighthouse failed {ATTEMPTS} times on {url}")


def failed_audits(result: dict) -> list[str]:
    """The ids of the audits counted in a category that scored below 1."""
    counted = {
        ref["id"]
        for category in result["categories"].values()
        for ref in category["auditRefs"]
    }
    return sorted(
        audit_id
        for audit_id, audit in result["audits"].items()
        if audit_id in counted
        and audit.get("score") is not None
        and audit["scoreDisplayMode"] in ("binary", "numeric", "metricSavings")
        and audit["score"] < 1
    )


def measure(pages: list[str], runs: int, reports: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="bangfu-lighthouse-") as workdir:
        env = prepare("sqlite", Path(workdir), build=False)
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        run([PYTHON, "manage.py", "load_demo", "-v0"], env)
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        urls = probe(env, "urls")
        products = probe(env, "shopper")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        results = {}
        with serve(gunicorn(port), env, "/", port):
            cookies = shopper_session(base, products)
            shopper = cookie_header(cookies)
            lines, households = probe(env, "basket", json.dumps(cookies))
            print(f"shopper's basket: {lines} lines of {households} households")
            for page in pages:
                cookie = shopper if page in SHOPPER_PAGES else ""
                results[page] = {"url": urls[page], "runs": []}
                for number in range(runs):
                    report = reports / f"{page}-{number + 1}.json"
                    result = lighthouse(base + urls[page], cookie, report)
                    results[page]["runs"].append(
                        {
                            "scores": {
                                name: result["categories"][name]["score"]
                                for name in CATEGORIES
                            },
                            "failed": failed_audits(result),
                        }
                    )
    return results


def summary(results: dict) -> str:
    lines = [
        "| page | " + " | ".join(CATEGORIES) + " |",
        "| --- |" + " ---: |" * len(CATEGORIES),
    ]
    for page, measured in results.items():
        medians = [
            statistics.median(r["scores"][name] for r in measured["runs"]) * 100
            for name in CATEGORIES
        ]
        lines.append(f"| {page} | " + " | ".join(f"{m:.0f}" for m in medians) + " |")
    lines.append("")
    for page, measured in results.items():
        counts: dict[str, int] = {}
        for result in measured["runs"]:
            for audit_id in result["failed"]:
                counts[audit_id] = counts.get(audit_id, 0) + 1
        failed = ", ".join(
            f"{a} ({n}/{len(measured['runs'])})" for a, n in sorted(counts.items())
        )
        lines.append(f"{page} ({measured['url']}) failed: {failed or 'none'}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", nargs="+", choices=PAGES, default=PAGES)
    parser.add_argument("--json", type=Path, help="also write the scores here")
    parser.add_argument(
        "--reports", type=Path, help="keep Lighthouse's JSON reports in this folder"
    )
    args = parser.parse_args(argv)
    if not shutil.which("npx"):
        sys.exit("npx (Node.js) is needed: apt-get install npm")
    if not Path(CHROME).exists():
        sys.exit(f"no Chromium at {CHROME}: apt-get install chromium")
    with tempfile.TemporaryDirectory(prefix="bangfu-lighthouse-reports-") as kept:
        reports = args.reports or Path(kept)
        reports.mkdir(parents=True, exist_ok=True)
        results = measure(args.pages, args.runs, reports)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    load = os.getloadavg()
    print(
        f"\nLighthouse {LIGHTHOUSE}, mobile, {CHROME}; median of {args.runs} runs; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print(summary(results))


if __name__ == "__main__":
    main()
