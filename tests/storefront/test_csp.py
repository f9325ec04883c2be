"""Content-Security-Policy: the store's pages allow only their own scripts,
Stripe's and inline ones with the request's nonce, cached pages included."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.storefront.checkout import helpers

NONCE_IN_PAGE = re.compile(r'<script nonce="([^"]+)"')
# An inline event handler (onclick=…) in markup: the policy blocks every one.
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+=[^>]*>", re.IGNORECASE)


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


# The catalogue still runs Oscar's inline start-up script; the product page has
# no inline script.
def test_catalogue_page_policy_and_its_inline_script_nonce(product, settings):
    settings.STRIPE_JS_URL = "https://js.stripe.com/v3/"
    settings.STRIPE_API_BASE = ""
    response = Client().get(reverse("catalogue:index"))

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
    url = reverse("catalogue:index")
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


@pytest.mark.usefixtures("stripe_settings")
def test_no_page_a_buyer_sees_has_an_inline_handler(pages, django_user_model):
    # given: a guest's purchase, and a signed-in buyer with an address and a list
    fish, eggs = helpers.two_households()
    guest_pages = helpers.guest_buyer_path(Client(), fish, eggs)
    buyer = django_user_model.objects.create_user(
        username="b@example.com", email="b@example.com", password="pw-buyer-2026"
    )
    signed_in = Client()
    signed_in.force_login(buyer)
    account_urls = [
        "/shop/accounts/profile/",
        "/shop/accounts/profile/edit/",
        "/shop/accounts/change-password/",
        "/shop/accounts/addresses/",
        "/shop/accounts/addresses/add/",
        "/shop/accounts/orders/",
        "/shop/accounts/wishlists/",
        "/shop/accounts/wishlists/create/",
        f"/shop/accounts/wishlists/create/with-product/{fish.pk}/",
        f"{fish.get_absolute_url()}reviews/add/",
    ]

    # when
    account_pages = {}
    for url in account_urls:
        response = signed_in.get(url)
        assert response.status_code == 200, url
        account_pages[url] = response.content.decode()
    login = Client().get("/shop/accounts/login/").content.decode()

    # then
    rendered = {**guest_pages, **account_pages, "login": login}
    assert {page: INLINE_HANDLER.findall(html) for page, html in rendered.items()} == {
        page: [] for page in rendered
    }
    assert 'class="button js-print"' in guest_pages["thank-you"]
    assert '<script src="/static/storefront/js/print.js">' in guest_pages["thank-you"]
