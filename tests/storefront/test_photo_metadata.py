"""Every uploaded photo is stored upright and without EXIF, GPS or its name."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.core.loading import get_model
from PIL import Image as PILImage
from wagtail.images import get_image_model

from tests import factories
from tests.sellers.helpers import photo_with_gps

ProductImage = get_model("catalogue", "ProductImage")
Image = get_image_model()


def stored(fieldfile):
    fieldfile.open("rb")
    data = fieldfile.read()
    fieldfile.close()
    return data


def metadata(data: bytes) -> dict:
    with PILImage.open(io.BytesIO(data)) as image:
        return {"exif": dict(image.getexif()), "size": image.size, "info": image.info}


def upload(data, name="罗某银家鱼塘.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_a_wagtail_image_is_stored_upright_without_exif_under_a_random_name(db):
    # when: a phone photo taken upright (orientation 6), with GPS
    image = Image.objects.create(title="鱼塘", file=upload(photo_with_gps(6)))

    # then
    data = stored(image.file)
    found = metadata(data)
    assert found["exif"] == {}
    assert "exif" not in found["info"] and "xmp" not in found["info"]
    assert b"PhoneMaker" not in data
    assert found["size"] == (30, 40)
    assert (image.width, image.height, image.file_size) == (30, 40, len(data))
    assert "罗某银" not in image.file.name


def test_its_renditions_carry_no_exif_either(db):
    image = Image.objects.create(title="鱼塘", file=upload(photo_with_gps(6)))

    rendition = image.get_rendition("fill-20x20")

    assert metadata(stored(rendition.file))["exif"] == {}


def test_a_product_photo_is_stored_without_exif(db):
    product = factories.product_create(household=factories.household_create())

    photo = ProductImage.objects.create(
        product=product, original=upload(photo_with_gps())
    )

    data = stored(photo.original)
    assert metadata(data)["exif"] == {}
    assert b"PhoneMaker" not in data
    assert "罗某银" not in photo.original.name


def test_the_wagtail_admin_upload_stores_the_photo_without_exif(admin_client, settings):
    response = admin_client.post(
        "/cms/images/multiple/add/",
        {"files[]": upload(photo_with_gps(6))},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )

    assert response.status_code == 200, response.content[:300]
    image = Image.objects.get()
    assert metadata(stored(image.file))["exif"] == {}
    assert (image.width, image.height) == (30, 40)


@pytest.mark.parametrize("size", [(8_000, 7_000)])
def test_a_photo_over_50_megapixels_is_refused_with_a_message(db, size):
    from django.core.exceptions import ValidationError

    out = io.BytesIO()
    PILImage.new("1", size).save(out, "PNG")

    with pytest.raises(ValidationError) as error:
        Image.objects.create(
            title="大图", file=SimpleUploadedFile("big.png", out.getvalue())
        )

    assert error.value.messages == ["图片太大（最多 5000 万像素）。"]


def encoded(image: PILImage.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def test_a_png_with_a_transparent_colour_stays_transparent():
    from sellers.uploads import image_reencode

    red = PILImage.new("RGB", (8, 8), (255, 0, 0))
    data, extension = image_reencode(encoded(red, "PNG", transparency=(255, 0, 0)))

    with PILImage.open(io.BytesIO(data)) as image:
        assert (extension, image.mode, image.getpixel((0, 0))) == (
            "png",
            "RGBA",
            (255, 0, 0, 0),
        )


def test_a_16_bit_grey_photo_is_scaled_not_turned_white():
    from sellers.uploads import image_reencode

    grey = PILImage.new("I;16", (8, 8), 32768)  # mid grey in 16 bits
    data, _extension = image_reencode(encoded(grey, "PNG"))

    with PILImage.open(io.BytesIO(data)) as image:
        assert image.convert("L").getpixel((4, 4)) == 128


def test_the_colour_profile_is_kept():
    from sellers.uploads import image_reencode

    profile = b"display-p3 profile bytes"
    photo = PILImage.new("RGB", (8, 8), "green")
    data, _extension = image_reencode(encoded(photo, "JPEG", icc_profile=profile))

    with PILImage.open(io.BytesIO(data)) as image:
        assert image.info["icc_profile"] == profile


def test_no_stored_file_or_rendition_anywhere_carries_exif_gps_or_a_name(
    client, settings, pages
):
    """Every way a photo enters the store, then every file on disk: originals,
    Wagtail renditions, Oscar's thumbnails, consent scans and receipts."""
    from django.urls import reverse
    from oscar.apps.catalogue.categories import create_from_breadcrumbs

    from tests.sellers.helpers import two_caseloads

    _home, index = pages
    create_from_breadcrumbs("鲜鱼")
    _products, (luo, _wang, _chen), (worker_a, _b) = two_caseloads()
    client.force_login(worker_a)
    gps = photo_with_gps(6)
    client.post(
        reverse("listing:create", args=["luo"]),
        {
            "title": "鲜活鲫鱼",
            "category": create_from_breadcrumbs("鲜鱼").pk,
            "unit": "斤",
            "price": "20",
            "available": "3",
            "photo": upload(gps),
        },
    )
    client.post(
        reverse("workspace:consent", args=["luo"]),
        {
            "display_level": "full_story",
            "scope": ["story", "village", "name", "photos"],
            "given_on": "2026-11-20",
            "signed_form": upload(gps),
            "witness": "村主任",
        },
    )
    luo.photo = Image.objects.create(title="罗大哥", file=upload(gps))
    luo.save()
    factories.story_create(index=index, household=luo)
    luo.photo.get_rendition("fill-200x200|format-jpeg")
    client.logout()
    for url in ("/shop/catalogue/", "/households/luo/", "/households/"):
        assert client.get(url).status_code == 200, url

    files = [
        path
        for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)
        for path in root.rglob("*")
        if path.is_file()
    ]
    images = [
        path
        for path in files
        if path.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp")
    ]
    folders = {
        path.relative_to(root).parts[0]
        for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)
        for path in images
        if path.is_relative_to(root)
    }
    # originals of Wagtail and Oscar, Wagtail renditions, Oscar's thumbnails
    # (sorl's cache), consent scans
    # Phones get WebP thumbnails of products (JPEG for browsers without WebP).
    assert {p.suffix for p in images if "cache" in p.parts} == {".jpg", ".webp"}
    # Wagtail's and Oscar's originals, Wagtail's renditions and Oscar's
    # product images ("images"), Oscar's thumbnails ("cache"), consent scans,
    # and Oscar's placeholder image (not a photo).
    assert folders == {
        "original_images",
        "images",
        "cache",
        "consents",
        "image_not_found.jpg",
    }, folders
    for path in images:
        data = path.read_bytes()
        found = metadata(data)
        assert found["exif"] == {}, path
        assert "xmp" not in found["info"] and "exif" not in found["info"], path
        assert b"PhoneMaker" not in data, path
        assert "罗某银" not in str(path), path
