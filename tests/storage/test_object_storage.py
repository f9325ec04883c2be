"""Uploads in S3-compatible buckets (moto's server): public photos, renditions
and thumbnails readable at the bucket's URL without EXIF; households' papers in
a private bucket, read only through the workspace views that check the role."""

import io

import pytest
import requests
from django.urls import reverse
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model
from PIL import Image
from wagtail.images import get_image_model

from catalog.thumbnails import thumbnail_urls
from sellers.models import Consent, DisplayLevel
from tests.sellers.helpers import photo_with_gps, two_caseloads, upload

from .conftest import PRIVATE_BUCKET, PUBLIC_BUCKET

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=86400"


def stored(client, bucket: str, key: str) -> bytes:
    return client.get_object(Bucket=bucket, Key=key)["Body"].read()


def exif(data: bytes) -> dict:
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif())


def test_a_listed_photo_and_its_thumbnails_are_public_in_the_bucket_without_gps(
    client, s3, moto_s3
):
    # given
    create_from_breadcrumbs("鲜鱼")
    _products, _households, (worker_a, _b) = two_caseloads()
    client.force_login(worker_a)

    # when: social worker A lists 罗大哥's fish with a phone photo carrying GPS
    response = client.post(
        reverse("listing:create", args=["luo"]),
        {
            "title": "鲜活鲫鱼",
            "category": str(create_from_breadcrumbs("鲜鱼").pk),
            "unit": "斤",
            "price": "22.50",
            "available": "30",
            "harvest_date": "2026-11-28",
            "description": "今早现捞",
            "photo": upload(photo_with_gps(), name="罗某银家鱼塘.jpg"),
        },
    )

    # then: the photo is in the public bucket, under a random name, no EXIF
    assert response.status_code == 302
    photo = Product.objects.get(title="鲜活鲫鱼").images.get().original
    assert photo.name.startswith("images/products/")
    assert "罗某银" not in photo.name
    data = stored(s3, PUBLIC_BUCKET, photo.name)
    assert exif(data) == {}
    assert b"PhoneMaker" not in data
    assert photo.url == f"{moto_s3}/{PUBLIC_BUCKET}/{photo.name}"
    public = requests.get(photo.url, timeout=10)
    assert (public.status_code, public.content, public.headers["Cache-Control"]) == (
        200,
        data,
        REVALIDATE,
    )
    # and its thumbnails are drawn into the bucket and fetchable from it
    urls = thumbnail_urls(photo, "96x96")
    assert sorted(urls) == ["jpeg", "webp"]
    for kind, url in urls.items():
        assert url.startswith(f"{moto_s3}/{PUBLIC_BUCKET}/cache/"), url
        answer = requests.get(url, timeout=10)
        assert (answer.status_code, answer.headers["Cache-Control"]) == (
            200,
            IMMUTABLE,
        )
        with Image.open(io.BytesIO(answer.content)) as thumbnail:
            assert (thumbnail.format, thumbnail.size) == (kind.upper(), (96, 96))
        assert exif(answer.content) == {}
    # and the cached URLs are the same on the next ask, without sorl
    assert thumbnail_urls(photo, "96x96") == urls


def test_a_wagtail_rendition_is_public_in_the_bucket_and_its_original_is_not(
    s3, moto_s3
):
    # given
    image = get_image_model().objects.create(
        title="鱼塘", file=upload(photo_with_gps(6), name="罗某银家鱼塘.jpg")
    )

    # when
    rendition = image.get_rendition("fill-20x20")

    # then
    assert image.file.name.startswith("original_images/")
    assert exif(stored(s3, PUBLIC_BUCKET, image.file.name)) == {}
    assert rendition.url == f"{moto_s3}/{PUBLIC_BUCKET}/{rendition.file.name}"
    answer = requests.get(rendition.url, timeout=10)
    assert (answer.status_code, answer.headers["Cache-Control"]) == (200, IMMUTABLE)
    with Image.open(io.BytesIO(answer.content)) as drawn:
        assert drawn.size == (20, 20)
    # the full-size original is linked by no page: not readable by anyone
    original = requests.get(f"{moto_s3}/{PUBLIC_BUCKET}/{image.file.name}", timeout=10)
    assert original.status_code == 403


def test_a_consent_scan_is_private_and_only_its_social_worker_reads_it(
    client, s3, moto_s3
):
    # given
    _products, (luo, _wang, _chen), (worker_a, worker_b) = two_caseloads()
    client.force_login(worker_a)

    # when: social worker A records 罗大哥's consent with a scan of the form
    response = client.post(
        reverse("workspace:consent", args=["luo"]),
        {
            "display_level": DisplayLevel.FULL_STORY,
            "scope": ["story", "village", "name", "photos"],
            "given_on": "2026-11-20",
            "signed_form": upload(photo_with_gps(), name="罗某银-同意书.jpg"),
            "witness": "村主任",
        },
    )

    # then: the scan is in the private bucket, cleaned, not in the public one
    assert response.status_code == 302
    scan = Consent.objects.get(household=luo, withdrawn_at=None).signed_form
    assert scan.name.startswith("consents/2026/")
    data = stored(s3, PRIVATE_BUCKET, scan.name)
    assert exif(data) == {}
    assert s3.list_objects_v2(Bucket=PUBLIC_BUCKET)["KeyCount"] == 0
    # and no one reads it from the bucket without credentials
    plain = requests.get(f"{moto_s3}/{PRIVATE_BUCKET}/{scan.name}", timeout=10)
    assert plain.status_code == 403
    # and the workspace streams it to A, not to B
    url = reverse("workspace:consent-scan", args=[scan.instance.pk, "signed"])
    answer = client.get(url)
    assert (answer.status_code, answer["Content-Type"]) == (200, "image/jpeg")
    assert b"".join(answer.streaming_content) == data
    client.force_login(worker_b)
    assert client.get(url).status_code == 404
