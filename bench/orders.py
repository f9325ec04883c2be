"""Orders placed and paid per second, end to end, against the local Stripe
stand-in; per database.

    .venv/bin/python bench/orders.py [--db sqlite postgres] [--buyers 8]
        [--orders 80] [--rounds 3] [--quick]

For each database: the data of bench/load.py in a database of its own, the
local Stripe stand-in (storefront.checkout.devstripe, sending its webhooks to
the store as `make run` does) and gunicorn with 2 sync workers, each on a free
port. Each buyer (a thread with its own cookies) repeats the whole purchase
as the place-first flow has it: a catalogue page, two households' produce into
the basket, the mobile number at the checkout's gateway, the address
(province, city, district by GB/T 2260 code), delivery, the review page, submit
the order (placed 待付款, its stock held; answered by a redirect to its pay
page), the pay page, a card token from the stand-in (as Stripe.js would get
it), pay (the pay page's JSON call: the intent confirmed, read back and the
order marked paid). A purchase counts when the payment answers "succeeded".
Prints orders/s (median of rounds) and the median latency of each step.
"""

import argparse
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402
    PYTHON,
    database,
    free_port,
    gunicorn,
    prepare,
    probe,
    serve,
)

# A made-up buyer (loopback only): 重庆市 两江新区, by GB/T 2260 code as the
# address pickers post it.
PHONE = "13912345678"
ADDRESS = {
    "province": "500000",
    "city": "500000",
    "district": "500157",
    "line1": "龙塔街道新牌坊一路88号",
    "first_name": "张三",
    "phone_number": PHONE,
}


def csrf(session, html):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else session.cookies.get("csrftoken")


def buy(base, stripe_base, products, timings):
    """One whole purchase; True when the payment answers "succeeded"."""
    session = requests.Session()
    steps = []

    def step(name, call, expect=(200, 302)):
        started = time.perf_counter()
        response = call()
        steps.append((name, time.perf_counter() - started))
        if response.status_code not in expect:
            raise StepFailed(f"{name}: HTTP {response.status_code}")
        return response

    def post(path, data, **kwargs):
        return session.post(
            f"{base}{path}", data, allow_redirects=False, timeout=60, **kwargs
        )

    try:
        page = step(
            "catalogue page", lambda: session.get(f"{base}/shop/catalogue/", timeout=60)
        )
        token = csrf(session, page.text)
        for product in products:
            step(
                "add to basket",
                lambda p=product: post(
                    f"/shop/basket/add/{p}/",
                    {"quantity": 1, "csrfmiddlewaretoken": token},
                ),
                expect=(302,),
            )
        step(
            "guest phone",
            lambda: post(
                "/shop/checkout/",
                {"phone": PHONE, "options": "anonymous", "csrfmiddlewaretoken": token},
            ),
            expect=(302,),
        )
        step(
            "address",
            lambda: post(
                "/shop/checkout/shipping-address/",
                ADDRESS | {"csrfmiddlewaretoken": token},
            ),
            expect=(302,),
        )
        step(
            "delivery",
            lambda: post(
                "/shop/checkout/shipping-method/",
                {"method_code": "parcel-delivery", "csrfmiddlewaretoken": token},
            ),
            expect=(302,),
        )
        review = step(
            "review",
            lambda: session.get(f"{base}/shop/checkout/payment-details/", timeout=60),
            expect=(200,),
        )
        token = csrf(session, review.text)
        placed = step(
            "place order",
            lambda: post(
                "/shop/checkout/preview/",
                {"action": "place_order", "csrfmiddlewaretoken": token},
            ),
            expect=(302,),
        )
        pay_path = placed.headers.get("Location", "")
        if "/pay/" not in pay_path:
            raise StepFailed(f"place order: sent to {pay_path!r}, not a pay page")
        pay_page = step(
            "pay page",
            lambda: session.get(f"{base}{pay_path}", timeout=60),
            expect=(200,),
        )
        token = csrf(session, pay_page.text)
        card = requests.post(
            f"{stripe_base}/v1/tokens",
            data={
                "card[number]": "4242424242424242",
                "card[exp_month]": 12,
                "card[exp_year]": 2030,
                "card[cvc]": "123",
            },
            auth=("sk_test_bench", ""),  # localstripe gives a token for an sk_ key
            timeout=10,
        ).json()["card"]["id"]
        paid = step(
            "pay",
            lambda: post(
                f"{pay_path}intent/",
                {"method": "card", "payment_method": card},
                headers={"X-CSRFToken": token, "Referer": base},
            ),
            expect=(200,),
        )
        return paid.json().get("status") == "succeeded"
    except (StepFailed, requests.RequestException) as error:
        print(f"purchase failed: {error}", file=sys.stderr)
        return False
    finally:
        timings.extend(steps)


class StepFailed(Exception):
    pass


def round_of(base, stripe_base, products, buyers, orders):
    """`orders` purchases by `buyers` threads: (orders/s, failures, step timings)."""
    per_buyer = orders // buyers
    timings, results = [], []
    lock = threading.Lock()

    def run():
        local = []
        for _ in range(per_buyer):
            ok = buy(base, stripe_base, products, local)
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
    with (
        tempfile.TemporaryDirectory(prefix=f"bangfu-orders-{db}-") as workdir,
        database(db) as name,
    ):
        env = prepare(db, Path(workdir), name)
        port, stripe_port = free_port(), free_port()
        while stripe_port == port:
            stripe_port = free_port()
        base = f"http://127.0.0.1:{port}"
        stripe_base = f"http://127.0.0.1:{stripe_port}"
        env |= {"STRIPE_API_BASE": stripe_base}
        products = probe(env, "products")
        stripe = [
            *[PYTHON, "-m", "storefront.checkout.devstripe"],
            *["--port", str(stripe_port), "--state-dir", f"{workdir}/stripe"],
            *["--webhook-url", f"{base}/shop/checkout/stripe/webhook/"],
            *["--webhook-secret", env["STRIPE_WEBHOOK_SECRET"]],
        ]
        with (
            serve(stripe, env, "/js.stripe.com/v3/", stripe_port),
            serve(gunicorn(port), env, "/bench/bare/", port),
        ):
            round_of(base, stripe_base, products, 2, 4)  # warm up
            rates, failures, timings = [], 0, []
            for _ in range(rounds):
                rate, failed, steps = round_of(
                    base, stripe_base, products, buyers, orders
                )
                rates.append(rate)
                failures += failed
                timings += steps
        paid = probe(env, "paid")
    by_step: dict[str, list[float]] = {}
    for step_name, seconds in timings:
        by_step.setdefault(step_name, []).append(seconds * 1000)
    return (
        statistics.median(rates),
        failures,
        {step: statistics.median(values) for step, values in by_step.items()},
        rates,
        paid,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--buyers", type=int, default=8)
    parser.add_argument("--orders", type=int, default=80, help="orders per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--quick", action="store_true", help="one round of 24 orders (a smoke run)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.orders, args.rounds = 24, 1
    results = {db: bench(db, args.buyers, args.orders, args.rounds) for db in args.db}
    print(
        f"\n{args.rounds} rounds of {args.orders} orders by {args.buyers} buyers, "
        "2 sync workers, the local Stripe stand-in (card), place → pay page → pay"
    )
    steps = list(next(iter(results.values()))[2])
    print("| database | orders/s (median) | failed | " + " | ".join(steps) + " |")
    print("| --- | ---: | ---: | " + " | ".join("---:" for _ in steps) + " |")
    for db, (rate, failures, medians, _rates, _paid) in results.items():
        cells = [f"{medians[name]:.0f} ms" for name in steps]
        print(f"| {db} | {rate:.1f} | {failures} | " + " | ".join(cells) + " |")
    print()
    for db, (_rate, _failures, _medians, rates, paid) in results.items():
        per_round = ", ".join(f"{rate:.2f}" for rate in rates)
        print(f"{db}: orders/s per round {per_round}; orders by status {paid}")


if __name__ == "__main__":
    main()
