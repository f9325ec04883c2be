"""localstripe, the Stripe-compatible test server, bound to 127.0.0.1 only.

    python -m storefront.checkout.devstripe --port 8420 --state-dir DIR \
        [--webhook-url URL --webhook-secret whsec_…]
    python -m storefront.checkout.devstripe --wait --port 8420

localstripe itself listens on every interface and keeps its state in
/tmp/localstripe.pickle; this wrapper keeps it on loopback, with its state in
DIR, and registers the store's webhook at start. Used by `make run` and the
tests; never in production.
"""

import argparse
import logging
import pickle
import socket
import time
from pathlib import Path

from aiohttp import web
from localstripe import resources
from localstripe.server import app, store
from localstripe.webhooks import register_webhook

WEBHOOK_EVENTS = [
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
    "payment_intent.amount_capturable_updated",
]


def keep_state_in(directory: Path) -> None:
    path = directory / "localstripe.pickle"

    def load(self):
        if path.exists():
            with path.open("rb") as handle:
                saved = pickle.load(handle)
            self.clear()
            self.update(saved)

    def dump(self):
        with path.open("wb") as handle:
            pickle.dump(self, handle, protocol=pickle.HIGHEST_PROTOCOL)

    resources.Store.try_load_from_disk = load
    resources.Store.dump_to_disk = dump


def wait_for(port: int, seconds: float = 30) -> bool:
    """True once something listens on 127.0.0.1:port (within `seconds`)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.2)
    return False


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--state-dir", type=Path)
    parser.add_argument("--webhook-url")
    parser.add_argument("--webhook-secret")
    parser.add_argument(
        "--wait", action="store_true", help="wait until the server answers, then exit"
    )
    args = parser.parse_args(argv)
    if args.wait:
        raise SystemExit(0 if wait_for(args.port) else "localstripe did not start")
    if args.state_dir is None:
        parser.error("--state-dir is required")
    args.state_dir.mkdir(parents=True, exist_ok=True)
    keep_state_in(args.state_dir)
    store.try_load_from_disk()
    if args.webhook_url:
        register_webhook(
            "bangfu", args.webhook_url, args.webhook_secret, WEBHOOK_EVENTS
        )
    logging.basicConfig(level=logging.WARNING)
    web.run_app(app, host="127.0.0.1", port=args.port, print=None)


if __name__ == "__main__":
    main()
