import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests import factories

_SERIALIZED: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Keep the data migrations' rows (Wagtail's root page, China, the Stripe
    source type…) as serialized when the test database was made."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    _SERIALIZED["default"] = getattr(connection, "_test_serialized_contents", "")
    # Restoring those rows builds Wagtail task models, whose __init__ looks up
    # their content type; uncached, that lookup would insert a new row ahead of
    # the restored one (a unique-constraint failure). Cache them all now.
    with django_db_blocker.unblock():
        ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture
def migrated_data(transactional_db):
    """Put the data migrations' rows back for a transactional test.

    Django restores them from an attribute of the connection object, but in a
    full run (after the Chromium walkthrough and the checkout tests) a later
    transactional test found the connection without it, and the rows the
    previous transactional test flushed stayed gone.
    """
    from django.db import connection
    from wagtail.models import Page

    if not Page.objects.exists() and _SERIALIZED.get("default"):
        connection.creation.deserialize_db_from_string(_SERIALIZED["default"])
    connection._test_serialized_contents = _SERIALIZED.get("default", "")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads, thumbnails and private papers of a test go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the store's default language: a request in English
    (or translation.activate) leaves its language active in the thread."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (cached pages, thumbnails)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def pages(db):
    """(home, households index) with the default site pointing at home."""
    return factories.page_tree()


@pytest.fixture
def organisation(db):
    return factories.OrganisationFactory()


@pytest.fixture
def ledger_clock(monkeypatch):
    """Ledger entries dated by a clock the test sets."""
    from sellers.models import LedgerEntry

    clock = [None]
    created_at = LedgerEntry._meta.get_field("created_at")
    # Django caches a field's default on the field: clear it on both sides.
    created_at.__dict__.pop("_get_default", None)
    monkeypatch.setattr(created_at, "default", lambda: clock[0])
    yield clock
    created_at.__dict__.pop("_get_default", None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def localstripe(tmp_path_factory):
    """localstripe on a free loopback port for the whole run; its base URL."""
    port = free_port()
    state = tmp_path_factory.mktemp("localstripe")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "storefront.checkout.devstripe",
            "--port",
            str(port),
            "--state-dir",
            str(state),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/js.stripe.com/v3/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield base
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def clean_stripe(localstripe):
    """localstripe is shared by the run: start this test from an empty one."""
    import requests

    requests.delete(localstripe + "/_config/data", timeout=10).raise_for_status()


@pytest.fixture
def stripe_settings(settings, localstripe):
    """Point the store at the test run's localstripe."""
    settings.STRIPE_SECRET_KEY = "sk_test_bangfu"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_bangfu"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_bangfu"
    settings.STRIPE_API_BASE = localstripe
    settings.STRIPE_JS_URL = localstripe + "/js.stripe.com/v3/"
    return settings


class WebhookReceiver:
    """Stripe's webhook deliveries to a local HTTP server, verified on reading."""

    secret = "whsec_test_receiver"

    def __init__(self):
        self.deliveries: list[tuple[bytes, str]] = []

    def event(self, event_type: str, intent_id: str, seconds: float = 10):
        """The first delivered event of that type for the intent, its signature
        checked as the store checks it (stripe.SignatureVerificationError if bad)."""
        import stripe

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for payload, signature in list(self.deliveries):
                event = stripe.Webhook.construct_event(payload, signature, self.secret)
                if event.type == event_type and event.data.object.id == intent_id:
                    return event
            time.sleep(0.1)
        raise AssertionError(f"no {event_type} for {intent_id} within {seconds}s")


@pytest.fixture
def webhook_receiver(localstripe):
    """Every event localstripe sends during the test, received on a free port."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    import requests

    receiver = WebhookReceiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            receiver.deliveries.append((body, self.headers["Stripe-Signature"]))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Thread(target=server.serve_forever, daemon=True).start()
    hook = localstripe + "/_config/webhooks/test-receiver"
    requests.post(
        hook,
        data={
            "url": f"http://127.0.0.1:{server.server_port}/",
            "secret": receiver.secret,
        },
        timeout=10,
    ).raise_for_status()
    yield receiver
    requests.delete(hook, timeout=10).raise_for_status()
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def moto_s3():
    """moto's S3-compatible server on a free loopback port for the whole run
    (started by the first test that asks); its endpoint URL."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(endpoint + "/moto-api/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield endpoint
    server.terminate()
    server.wait(timeout=10)
