"""Pages go gzipped to browsers that accept it; photos, already compressed,
go as they are."""

import gzip

from oscar.core.loading import get_model
from sorl.thumbnail import get_thumbnail

from tests import factories
from tests.sellers.helpers import photo_with_gps, upload

ProductImage = get_model("catalogue", "ProductImage")


def test_a_page_goes_gzipped_to_a_browser_that_accepts_it(client, db):
    fish = factories.product_create(household=factories.household_create())

    zipped = client.get(fish.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, br")
    plain = client.get(fish.get_absolute_url())

    assert zipped.status_code == 200
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert "<h1>草鱼</h1>" in gzip.decompress(zipped.content).decode()
    assert plain.status_code == 200
    assert plain.has_header("Content-Encoding") is False
    assert "<h1>草鱼</h1>" in plain.content.decode()


def test_a_photo_goes_as_it_is(client, db, settings):
    fish = factories.product_create(household=factories.household_create())
    photo = ProductImage.objects.create(product=fish, original=upload(photo_with_gps()))
    thumbnail = get_thumbnail(photo.original, "96x96", crop="center")

    answer = client.get(thumbnail.url, HTTP_ACCEPT_ENCODING="gzip")

    assert answer.status_code == 200
    assert answer.has_header("Content-Encoding") is False
    assert (
        b"".join(answer.streaming_content)
        == (settings.MEDIA_ROOT / thumbnail.name).read_bytes()
    )
