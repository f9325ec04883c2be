"""Public uploads under /media/ (SERVE_MEDIA, on unless the web server serves
them): product photos, renditions and thumbnails, with their type and cache
policy; never a private paper, an original, a document or a path out of
MEDIA_ROOT."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from oscar.core.loading import get_model
from sorl.thumbnail import get_thumbnail
from wagtail.images import get_image_model

from sellers.models import private_storage
from tests import factories
from tests.sellers.helpers import photo_with_gps, upload
from tests.storefront.test_settings import PRODUCTION_ENV

ProductImage = get_model("catalogue", "ProductImage")
Image = get_image_model()

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=86400"


@pytest.fixture
def uploads(db):
    """URLs of a product photo as the listing stores it, its thumbnail, a
    Wagtail original and rendition, a document, and a signed consent form in
    private storage."""
    product = factories.product_create(household=factories.household_create())
    photo = ProductImage.objects.create(
        product=product, original=upload(photo_with_gps(), name="鱼塘.jpg")
    )
    image = Image.objects.create(title="鱼塘", file=upload(photo_with_gps()))
    media = settings.MEDIA_ROOT
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "名单.jpg").write_bytes(photo_with_gps())
    (media / "images" / ".hidden.jpg").write_bytes(photo_with_gps())
    consent = private_storage.save("consents/2026/form.jpg", ContentFile(b"ID scan"))
    return {
        "photo": photo.original.url,
        "thumbnail": get_thumbnail(photo.original, "96x96", crop="center").url,
        "rendition": image.get_rendition("fill-20x20|format-webp").url,
        "original": image.file.url,
        "document": "/media/documents/名单.jpg",
        "hidden": "/media/images/.hidden.jpg",
        "consent": consent,
    }


def refused(consent: str) -> list[str]:
    return [
        "/media/../private/" + consent,
        "/media/%2e%2e/private/" + consent,
        "/media/images/%2e%2e/%2e%2e/private/" + consent,
        "/media/images/..%2f..%2fprivate%2f" + consent.replace("/", "%2f"),
        "/media//" + str(settings.PRIVATE_MEDIA_ROOT / consent).lstrip("/"),
        "/media/images/a%00.jpg",
        "/media/images/",
        "/media/images/products",
    ]


def test_public_uploads_are_served_with_their_type_and_cache_policy(client, uploads):
    answers = {
        name: client.get(uploads[name]) for name in ("photo", "thumbnail", "rendition")
    }

    assert uploads["photo"].startswith("/media/images/products/")
    assert uploads["thumbnail"].startswith("/media/cache/")
    assert {
        name: (r.status_code, r["Content-Type"], r["Cache-Control"])
        for name, r in answers.items()
    } == {
        "photo": (200, "image/jpeg", REVALIDATE),
        "thumbnail": (200, "image/jpeg", IMMUTABLE),
        "rendition": (200, "image/webp", IMMUTABLE),
    }
    photo = answers["photo"]
    assert (
        b"".join(photo.streaming_content)
        == (settings.MEDIA_ROOT / uploads["photo"].removeprefix("/media/")).read_bytes()
    )
    again = client.get(uploads["photo"], HTTP_IF_MODIFIED_SINCE=photo["Last-Modified"])
    assert again.status_code == 304
    assert client.head(uploads["photo"]).status_code == 200
    assert client.post(uploads["photo"]).status_code == 405


def test_private_papers_originals_documents_and_traversal_are_not_found(
    client, uploads
):
    paths = [
        uploads["original"],
        uploads["document"],
        uploads["hidden"],
        *refused(uploads["consent"]),
    ]

    assert {path: client.get(path).status_code for path in paths} == dict.fromkeys(
        paths, 404
    )


def test_private_media_inside_media_root_is_still_not_served(client, settings, db):
    # given: PRIVATE_MEDIA_ROOT misconfigured inside a public folder
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT / "images" / "private"
    name = private_storage.save("consents/2026/form.jpg", ContentFile(b"ID scan"))

    # when
    response = client.get(f"/media/images/private/{name}")

    # then
    assert response.status_code == 404


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}"
        f":{db['PORT'] or 5432}/{db['NAME']}"
    )


FETCH = """
import json, sys, django
django.setup()
from django.test import Client
client = Client()
answers = {}
for path in sys.argv[1:]:
    r = client.get(path, secure=True, HTTP_HOST="bangfu.example")
    answers[path] = [r.status_code, r.get("Content-Type"), r.get("Cache-Control")]
print(json.dumps(answers))
"""


def fetch_in_production(paths, **env):
    """Each path fetched by Django's test client under the production settings,
    with this test's media folders and database."""
    result = subprocess.run(
        [sys.executable, "-c", FETCH, *paths],
        cwd=settings.BASE_DIR,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            **PRODUCTION_ENV,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
            "DATABASE_URL": database_url(),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_production_serves_an_uploaded_product_photo_and_nothing_private(uploads):
    private = refused(uploads["consent"])[:3]

    answers = fetch_in_production([uploads["photo"], uploads["rendition"], *private])

    assert answers == {
        uploads["photo"]: [200, "image/jpeg", REVALIDATE],
        uploads["rendition"]: [200, "image/webp", IMMUTABLE],
        **{path: [404, "text/html; charset=utf-8", None] for path in private},
    }


def test_production_leaves_media_to_the_web_server_when_told(uploads):
    answers = fetch_in_production([uploads["photo"]], SERVE_MEDIA="0")

    assert answers[uploads["photo"]][0] == 404
