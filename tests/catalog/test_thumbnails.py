"""Product cards take their thumbnail URLs (JPEG and WebP) from one cached
entry per photo and size: sorl-thumbnail draws and names them once."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from PIL import Image
from sorl.thumbnail import get_thumbnail
from sorl.thumbnail.base import ThumbnailBackend

from catalog import selectors
from catalog import services as catalog_services
from tests import factories

CATALOGUE = "/shop/catalogue/"


def photo(colour):
    out = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(out, "JPEG")
    return SimpleUploadedFile("fish.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def household(db):
    return factories.household_create(slug="luo")


def product_with_photo(household, title, colour="green"):
    return catalog_services.product_create(
        household=household,
        title=title,
        category=create_from_breadcrumbs("鲜鱼"),
        unit="斤",
        price=Decimal("15.00"),
        available=10,
        photo=photo(colour),
    )


@pytest.fixture
def sorl_asks(monkeypatch):
    """How many thumbnails sorl-thumbnail was asked for."""
    asks = []
    ask = ThumbnailBackend.get_thumbnail

    def counted(self, file_, geometry_string, **options):
        asks.append((geometry_string, options.get("format", "JPEG")))
        return ask(self, file_, geometry_string, **options)

    monkeypatch.setattr(ThumbnailBackend, "get_thumbnail", counted)
    return asks


def card_urls(client) -> list[tuple[str, str]]:
    html = client.get(CATALOGUE).content.decode()
    return re.findall(
        r'<source srcset="([^"]*)" type="image/webp">\s*<img src="([^"]*)"', html
    )


def test_a_card_offers_the_photos_webp_and_jpeg_thumbnails(client, household):
    # given
    product = product_with_photo(household, "草鱼")
    original = product.primary_image().original

    # then: as sorl names them for the card's size and crop
    assert card_urls(client) == [
        (
            get_thumbnail(original, "400x300", crop="center", format="WEBP").url,
            get_thumbnail(original, "400x300", crop="center").url,
        )
    ]


def test_thumbnails_are_asked_for_once_per_photo_and_size(client, household, sorl_asks):
    # given: three cards
    for title in ("草鱼", "鲫鱼", "花鲢"):
        product_with_photo(household, title)

    # when
    first = card_urls(client)
    asked_first = list(sorl_asks)
    second = card_urls(client)

    # then: both formats of each photo drawn once, and never asked for again
    assert asked_first == [("400x300", "JPEG"), ("400x300", "WEBP")] * 3
    assert (len(sorl_asks), second) == (6, first)
    assert len({url for pair in first for url in pair}) == 6


def test_a_replaced_photo_gets_its_own_thumbnails(
    client, household, settings, django_user_model, django_capture_on_commit_callbacks
):
    # given: a card shown with a green photo
    product = product_with_photo(household, "草鱼", "green")
    card_urls(client)

    # when: its photo is replaced by a red one, uploaded as fish.jpg again
    # (committed: the cached pages are retired)
    with django_capture_on_commit_callbacks(execute=True):
        catalog_services.product_update(
            product=product,
            household=household,
            acting_user=django_user_model.objects.create_user(username="worker"),
            photo=photo("red"),
            **selectors.listing_values(product=product, household=household),
        )

    # then: the card's thumbnail is the red photo's
    (_webp, jpeg), *_others = card_urls(client)
    path = settings.MEDIA_ROOT / jpeg.removeprefix(settings.MEDIA_URL)
    red, green, _blue = Image.open(path).convert("RGB").getpixel((200, 150))
    assert (red > 200, green < 50) == (True, True)
