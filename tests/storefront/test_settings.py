"""Settings chosen by environment variables: production guards and Redis."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "storefront.settings.production",
    "DJANGO_SECRET_KEY": "x" * 64 + "-not-a-real-secret-but-long-and-random-enough",
    "DJANGO_ALLOWED_HOSTS": "bangfu.example",
    "STRIPE_SECRET_KEY": "sk_live_not_real",
    "STRIPE_PUBLISHABLE_KEY": "pk_live_not_real",
    "STRIPE_WEBHOOK_SECRET": "whsec_not_real",
}
SMS_EVENTS = (
    "SMS_CODE",
    "PARCEL_NEW",
    "PARCEL_SHIPPED",
    "PARCEL_DELIVERED",
    "PARCEL_CANCELLED",
    "PARCEL_REFUNDED",
    "ORDER_RECEIPT",
    "PREORDER_SETTLED",
    "PREORDER_DELAYED",
)
PRODUCTION_SMS_ENV = {
    "ALIBABA_SMS_ACCESS_KEY_ID": "LTAI-not-real",
    "ALIBABA_SMS_ACCESS_KEY_SECRET": "not-real",
    **{f"ALIBABA_SMS_TEMPLATE_{event}": "SMS_000000" for event in SMS_EVENTS},
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}

    result = manage("check", env=env)

    assert result.returncode == 1
    assert "KeyError: 'DJANGO_SECRET_KEY'" in result.stderr


def test_production_passes_the_deployment_checklist():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=PRODUCTION_ENV | PRODUCTION_SMS_ENV,
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_its_sms_keys_fails_the_deployment_checklist():
    env = PRODUCTION_ENV | {
        k: v
        for k, v in PRODUCTION_SMS_ENV.items()
        if k
        not in ("ALIBABA_SMS_ACCESS_KEY_SECRET", "ALIBABA_SMS_TEMPLATE_ORDER_RECEIPT")
    }

    result = manage("check", "--deploy", env=env)

    assert result.returncode == 1
    assert (
        "?: (sellers.E002) AlibabaSms sends the store's texts, but "
        "ALIBABA_SMS_ACCESS_KEY_SECRET, ALIBABA_SMS_TEMPLATE_ORDER_RECEIPT are not "
        "set: no text could be sent.\n"
    ) in result.stderr


def test_database_url_selects_postgresql():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], "
        "settings.DATABASES['default']['CONN_MAX_AGE'])"
    )
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=clean
        | {
            "DJANGO_SETTINGS_MODULE": "storefront.settings.dev",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.split() == ["django.db.backends.postgresql", "600"]


def _redis_or_skip():
    url = os.environ.get("REDIS_URL")
    if not url:
        if os.environ.get("REQUIRE_REDIS"):
            pytest.fail("REQUIRE_REDIS is set but REDIS_URL is not")
        pytest.skip("REDIS_URL is not set: the Redis settings are checked in CI")
    import redis

    return redis.Redis.from_url(url)


def test_redis_url_moves_cache_and_sessions_to_redis(client, db):
    # given
    server = _redis_or_skip()
    from django.core.cache import cache

    # when
    cache.set("bangfu-probe", "鱼", 30)
    session = client.session
    session["probe"] = 1
    session.save()

    # then
    session_key = cache.make_key(f"django.contrib.sessions.cache{session.session_key}")
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cache"
    assert server.exists(cache.make_key("bangfu-probe")) == 1
    assert server.exists(session_key) == 1
    assert cache.get("bangfu-probe") == "鱼"


def test_make_run_on_another_address_links_notices_to_it():
    """`make run ADDR=…` gives the server and the task worker a SITE_URL of
    that address (links in the social workers' notices), unless one is set."""
    dry = subprocess.run(
        ["make", "-n", "run", "ADDR=127.0.0.1:8101"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    chosen = subprocess.run(
        ["make", "-n", "run", "ADDR=0.0.0.0:80", "SITE_URL=https://bangfu.example"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    started = [line for line in dry.splitlines() if "manage.py runserver" in line]
    assert started and all("SITE_URL=http://127.0.0.1:8101 " in s for s in started)
    assert "SITE_URL=http://127.0.0.1:8101 .venv/bin/python manage.py db_worker" in dry
    assert "SITE_URL=https://bangfu.example " in chosen
    assert "SITE_URL=http://0.0.0.0:80" not in chosen
