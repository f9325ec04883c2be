import pytest

from storefront.checkout.stripe_api import stripe_client


@pytest.fixture
def client(stripe_settings, clean_stripe):
    return stripe_client()
