"""Orders placed per second, end to end, against localstripe; per database.

    .venv/bin/python bench/orders.py [--db sqlite postgres] [--buyers 8] [--orders 80]

For each database: the data of bench/load.py, localstripe on loopback, and
gunicorn with 2 sync workers. Each buyer (a thread with its own cookies)
repeats the whole purchase: add two households' produce to the basket, guest
e-mail, address, delivery, review, submit the order (placed awaiting payment),
its pay page, card token (from localstripe, as Stripe.js would), pay. Prints
orders/s (median of rounds) and the median latency of each step.
"""

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import GUNICORN, PORT, PYTHON, prepare, probe, serve  # noqa: E402

STRIPE_PORT = 8766
ADDRESS = {
    "state": "重庆市",
    "line4": "重庆市",
    "line3": "渝北区",
    "line1": "龙塔街道新牌坊一路88号",
    "first_name": "张三",
    "phone_number": "13912345678",
}


def csrf(session, html):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else session.cookies.get("csrftoken")


def buy(base, products, timings):
    """One whole purchase; returns True when it ends on the thank-you page."""
    session = requests.Session()
    steps = []

    def step(name, call):
        started = time.perf_counter()
        response = call()
        steps.append((name, time.perf_counter() - started))
        return response

    page = step("product page", lambda: session.get(f"{base}/shop/catalogue/"))
    token = csrf(session, page.text)
    for product in products:
        step(
            "add to basket",
            lambda p=product: session.post(
                f"{base}/shop/basket/add/{p}/",
                {"quantity": 1, "csrfmiddlewaretoken": token},
            ),
        )
    step(
        "guest e-mail",
        lambda: session.post(
            f"{base}/shop/checkout/",
            {
                "username": "bench@example.com",
                "options": "anonymous",
                "csrfmiddlewaretoken": token,
            },
        ),
    )
    step(
        "address",
        lambda: session.post(
            f"{base}/shop/checkout/shipping-address/",
            ADDRESS | {"csrfmiddlewaretoken": token},
        ),
    )
    step(
        "delivery",
        lambda: session.post(
            f"{base}/shop/checkout/shipping-method/",
            {"method_code": "parcel-delivery", "csrfmiddlewaretoken": token},
        ),
    )
    review = step(
        "review", lambda: session.get(f"{base}/shop/checkout/payment-details/")
    )
    token = csrf(session, review.text)
    placed = step(
        "place order",
        lambda: session.post(
            f"{base}/shop/checkout/preview/",
            {"action": "place_order", "csrfmiddlewaretoken": token},
            allow_redirects=False,
        ),
    )
    pay_path = placed.headers.get("Location", "")
    if placed.status_code != 302 or "/pay/" not in pay_path:
        timings.extend(steps)
        return False
    pay_page = step("pay page", lambda: session.get(f"{base}{pay_path}"))
    token = csrf(session, pay_page.text)
    card = requests.post(
        f"http://127.0.0.1:{STRIPE_PORT}/v1/tokens",
        data={
            "card[number]": "4242424242424242",
            "card[exp_month]": 12,
            "card[exp_year]": 2030,
            "card[cvc]": "123",
        },
        auth=("sk_test_bench", ""),  # localstripe takes a token only with an sk_ key
        timeout=10,
    ).json()["card"]["id"]
    paid = step(
        "pay",
        lambda: session.post(
            f"{base}{pay_path}intent/",
            {"method": "card", "payment_method": card},
            headers={"X-CSRFToken": token, "Referer": base},
        ),
    )
    timings.extend(steps)
    return paid.status_code == 200 and paid.json().get("status") == "succeeded"


def round_of(base, products, buyers, orders):
    """`orders` purchases by `buyers` threads: (orders/s, failures, step timings)."""
    per_buyer = orders // buyers
    timings, results = [], []
    lock = threading.Lock()

    def run():
        local = []
        for _ in range(per_buyer):
            ok = buy(base, products, local)
            with lock:
                results.append(ok)
        with lock:
            timings.extend(local)

    threads = [threading.Thread(target=run) for _ in range(buyers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return results.count(True) / elapsed, results.count(False), timings


def bench(db, buyers, orders, rounds):
    workdir = Path(tempfile.mkdtemp(prefix=f"bangfu-orders-{db}-"))
    env = prepare(db, workdir)
    env |= {
        "STRIPE_SECRET_KEY": "sk_test_bench",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_bench",
        "STRIPE_WEBHOOK_SECRET": "whsec_bench",
        "STRIPE_API_BASE": f"http://127.0.0.1:{STRIPE_PORT}",
    }
    products = probe(env, "products")
    stripe = [PYTHON, "-m", "storefront.checkout.devstripe", "--port", str(STRIPE_PORT)]
    state = ["--state-dir", str(workdir / "stripe")]
    server = [PYTHON, "-m", "gunicorn", *GUNICORN, "storefront.wsgi"]
    base = f"http://127.0.0.1:{PORT}"
    with (
        serve([*stripe, *state], env, "/js.stripe.com/v3/", STRIPE_PORT),
        serve(server, env, "/bench/bare/", PORT),
    ):
        round_of(base, products, 2, 4)  # warm up
        rates, failures, timings = [], 0, []
        for _ in range(rounds):
            rate, failed, steps = round_of(base, products, buyers, orders)
            rates.append(rate)
            failures += failed
            timings += steps
    shutil.rmtree(workdir, ignore_errors=True)
    by_step: dict[str, list[float]] = {}
    for name, seconds in timings:
        by_step.setdefault(name, []).append(seconds * 1000)
    return (
        statistics.median(rates),
        failures,
        {name: statistics.median(values) for name, values in by_step.items()},
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--buyers", type=int, default=8)
    parser.add_argument("--orders", type=int, default=80)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    results = {db: bench(db, args.buyers, args.orders, args.rounds) for db in args.db}
    print(
        f"\n{args.rounds} rounds of {args.orders} orders by {args.buyers} buyers, "
        "2 sync workers, localstripe"
    )
    steps = list(next(iter(results.values()))[2])
    print("| database | orders/s (median) | failed | " + " | ".join(steps) + " |")
    print("| --- | ---: | ---: | " + " | ".join("---:" for _ in steps) + " |")
    for db, (rate, failures, medians) in results.items():
        cells = [f"{medians[name]:.0f} ms" for name in steps]
        print(f"| {db} | {rate:.1f} | {failures} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
