"""Content-Security-Policy: the store's pages allow only their own scripts,
Stripe's and inline ones with the request's nonce, cached pages included."""

import re

import pytest
from django.test import Client

from tests import factories

NONCE_IN_PAGE = re.compile(r'<script nonce="([^"]+)"')


@pytest.fixture
def product(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        household = factories.household_create(slug="luo")
        return factories.product_create(household=household)


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split("; ") if part)
    }


def test_product_page_policy_and_its_inline_script_nonce(product, settings):
    settings.STRIPE_JS_URL = "https://js.stripe.com/v3/"
    settings.STRIPE_API_BASE = ""
    response = Client().get(product.get_absolute_url())

    policy = directives(response)
    nonce = NONCE_IN_PAGE.search(response.content.decode()).group(1)
    assert policy["script-src"] == [
        "'self'",
        f"'nonce-{nonce}'",
        "https://api.stripe.com",
        "https://js.stripe.com",
    ]
    assert policy["frame-src"] == [
        "'self'",
        "https://api.stripe.com",
        "https://js.stripe.com",
        "https://hooks.stripe.com",
    ]
    assert policy["object-src"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]


def test_a_cached_page_gets_a_fresh_nonce_that_matches_its_header(product):
    url = product.get_absolute_url()
    first = Client().get(url)

    second = Client().get(url)

    first_nonce = NONCE_IN_PAGE.search(first.content.decode()).group(1)
    second_nonce = NONCE_IN_PAGE.search(second.content.decode()).group(1)
    assert second_nonce != first_nonce
    assert f"'nonce-{second_nonce}'" in directives(second)["script-src"]
    assert "__bangfu_csp_nonce__" not in second.content.decode()


def test_stripe_origins_follow_the_settings(product, settings):
    settings.STRIPE_JS_URL = "http://127.0.0.1:8420/js.stripe.com/v3/"
    settings.STRIPE_API_BASE = "http://127.0.0.1:8420"

    response = Client().get(product.get_absolute_url())

    assert directives(response)["connect-src"] == ["'self'", "http://127.0.0.1:8420"]


def test_back_offices_allow_their_inline_scripts_without_a_nonce(admin_client):
    for url in ("/cms/", "/django-admin/", "/shop/dashboard/"):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert policy["script-src"] == ["'self'", "'unsafe-inline'", "'unsafe-eval'"], (
            url
        )
        assert "nonce" not in response["Content-Security-Policy"], url
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"], url
        assert policy["object-src"] == ["'none'"], url
