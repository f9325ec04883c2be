"""Thumbnail URLs of product photos, worked out once per photo and size.

sorl-thumbnail answers each ask by naming the thumbnail afresh (serialising
the options, hashing them) and looking it up in its key-value store: two asks a
product card (JPEG and WebP), 48 a listing page. Here both URLs of a card come
from one cache entry.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from oscar.core.thumbnails import get_thumbnailer

logger = logging.getLogger("oscar.thumbnail")

# The formats a <picture> offers: the WebP source, the JPEG fallback (sorl's
# default format, so its thumbnail is the one {% oscar_thumbnail %} draws).
FORMATS = ("JPEG", "WEBP")
CACHE_SECONDS = 7 * 24 * 3600


def thumbnail_urls(source, size: str, *, crop: str = "center") -> dict[str, str]:
    """{"jpeg": url, "webp": url} of a product photo (a ProductImage's file, or
    the missing-image path) cropped to `size`; {} if sorl cannot draw it.

    Cached under the photo's file name, its ProductImage row, the size and the
    crop: every upload is stored under a name of its own (sellers.uploads) and
    a product's new photo is a new row (catalog.services), so a replaced photo
    never finds the URLs of the one before; a file is never rewritten in place.
    """
    name = getattr(source, "name", source) or ""
    row = getattr(getattr(source, "instance", None), "pk", "")
    identity = f"{name}|{row}|{size}|{crop}|{','.join(FORMATS)}"
    key = "thumbnail-urls:" + hashlib.sha1(identity.encode()).hexdigest()
    urls = cache.get(key)
    if urls is None:
        urls = _draw(source, size, crop)
        if urls:
            cache.set(key, urls, CACHE_SECONDS)
    return urls


def _draw(source, size: str, crop: str) -> dict[str, str]:
    thumbnailer = get_thumbnailer()
    try:
        return {
            image_format.lower(): thumbnailer.generate_thumbnail(
                source,
                size=size,
                crop=crop,
                **({} if image_format == "JPEG" else {"format": image_format}),
            ).url
            for image_format in FORMATS
        }
    except Exception:
        # As {% oscar_thumbnail %}: a photo that cannot be drawn leaves the
        # card without one rather than failing the page.
        if getattr(settings, "OSCAR_THUMBNAIL_DEBUG", settings.DEBUG):
            raise
        logger.exception("Cannot draw the thumbnails of %s", source)
        return {}
