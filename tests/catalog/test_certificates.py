"""The certificate badge shows while the certificate is valid, and only then."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from catalog.models import ProductCertificate
from tests import factories

BADGE = "消费帮扶认证产品"


@pytest.fixture
def fish(db):
    return factories.product_create(household=factories.household_create(slug="luo"))


def certify(product, *, starts: int, ends: int, number="XF-2026-0001"):
    today = timezone.localdate()
    return ProductCertificate.objects.create(
        product=product,
        number=number,
        issuer="重庆市渝北区消费帮扶认定办公室",
        valid_from=today + datetime.timedelta(days=starts),
        valid_until=today + datetime.timedelta(days=ends),
    )


@pytest.mark.parametrize(
    "starts,ends,shown",
    [(-30, 30, True), (0, 0, True), (-60, -1, False), (1, 60, False)],
)
def test_the_badge_shows_only_while_valid(client, fish, starts, ends, shown):
    # given
    certify(fish, starts=starts, ends=ends)

    # when
    listing = client.get("/shop/catalogue/").content.decode()
    page = client.get(fish.get_absolute_url()).content.decode()

    # then
    assert (BADGE in listing, BADGE in page) == (shown, shown)
    assert ("XF-2026-0001" in page) == shown


def test_an_uncertified_product_has_no_badge(client, fish):
    assert BADGE not in client.get("/shop/catalogue/").content.decode()


def test_a_cached_page_loses_the_badge_the_day_the_certificate_ends(
    client, fish, monkeypatch
):
    # given: a certificate ending today, the listing cached today with its badge
    certify(fish, starts=-10, ends=0)
    assert BADGE in client.get("/shop/catalogue/").content.decode()
    client.cookies.clear()

    # when: tomorrow (the clock moved; nothing was saved)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)

    # then
    assert BADGE not in client.get("/shop/catalogue/").content.decode()


def test_a_certificate_number_is_unique_per_issuer_and_dates_in_order(fish):
    certify(fish, starts=0, ends=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        certify(fish, starts=0, ends=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        certify(fish, starts=5, ends=1, number="XF-2026-0002")
