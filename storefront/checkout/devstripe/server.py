"""The stand-in's aiohttp application: localstripe's routes behind ours."""

import argparse
import logging
import pickle
import socket
import time
from pathlib import Path

from aiohttp import web
from localstripe import resources
from localstripe import server as localstripe
from localstripe.resources import PaymentIntent, store
from localstripe.webhooks import _webhooks, register_webhook

from storefront.checkout import devstripe

from . import authorize, errors, intents, patches, wallets

WEBHOOK_EVENTS = [
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
    "payment_intent.amount_capturable_updated",
]
CONFIRM_PARAMS = (
    "payment_method",
    "payment_method_data",
    "payment_method_options",
    "return_url",
    "off_session",
)


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


@web.middleware
async def authenticate(request, handler):
    """The buyer's test page and QR are opened without keys, as Stripe's are."""
    wallets.origin.set(str(request.url.origin()))
    if request.path.startswith("/devstripe/"):
        return await handler(request)
    return await localstripe.auth_middleware(request, handler)


async def _params(request, allowed=()):
    data = await localstripe.get_post_data(request) or {}
    expand = data.pop("expand", None)
    errors.refuse_unknown({k: v for k, v in data.items() if k not in allowed})
    return data, expand


def _respond(intent, expand):
    return localstripe.json_response(intent._export(expand=expand))


async def intent_confirm(request):
    data, expand = await _params(request, CONFIRM_PARAMS)
    data.pop("off_session", None)
    intent = PaymentIntent._api_retrieve(request.match_info["id"])
    return _respond(intents.intent_confirm(intent, **data), expand)


async def intent_cancel(request):
    data, expand = await _params(request, ("cancellation_reason",))
    intent = PaymentIntent._api_retrieve(request.match_info["id"])
    return _respond(intents.intent_cancel(intent, **data), expand)


async def intent_capture(request):
    data, expand = await _params(request, ("amount_to_capture",))
    intent = PaymentIntent._api_retrieve(request.match_info["id"])
    return _respond(intents.intent_capture(intent, **data), expand)


async def forget_webhook(request):
    _webhooks.pop(request.match_info["id"], None)
    return web.Response()


def build_app() -> web.Application:
    """localstripe's routes, with ours registered first so that they win."""
    patches.install()
    app = web.Application(
        middlewares=[
            localstripe.error_middleware,
            authenticate,
            localstripe.save_store_middleware,
        ]
    )
    app.on_response_prepare.append(localstripe.add_cors_headers)
    authorize.add_routes(app.router)
    app.router.add_post("/v1/payment_intents/{id}/confirm", intent_confirm)
    app.router.add_post("/v1/payment_intents/{id}/cancel", intent_cancel)
    app.router.add_post("/v1/payment_intents/{id}/capture", intent_capture)
    app.router.add_delete("/_config/webhooks/{id}", forget_webhook)
    ours = {(route.method, route.resource.canonical) for route in app.router.routes()}
    for route in localstripe.app.router.routes():
        if (route.method, route.resource.canonical) not in ours:
            app.router.add_route(route.method, route.resource.canonical, route.handler)
    return app


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=devstripe.__doc__.splitlines()[0])
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
    web.run_app(build_app(), host="127.0.0.1", port=args.port, print=None)
