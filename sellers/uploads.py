"""Uploaded papers and photos: checked, and images stripped of EXIF/GPS."""

import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

MAX_PIXELS = 50_000_000


def image_reencode(data: bytes) -> tuple[bytes, str]:
    """The image drawn again, upright, with no metadata; (bytes, extension).

    Re-encoding keeps only pixels: EXIF (GPS included), XMP and comments are
    gone. The pixel count is checked from the header before decoding, so a
    decompression bomb is refused without being decoded.
    """
    try:
        with warnings.catch_warnings():
            # Pillow warns of a large image as it opens it; it is refused below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        with image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("The image is too large (at most 50 megapixels).")
                )
            # The colour profile stays (it says nothing about the place or
            # the person; without it a phone's wide-gamut photo shifts colour).
            profile = image.info.get("icc_profile")
            transparent = image.mode in ("RGBA", "LA", "PA") or (
                "transparency" in image.info
            )
            image = ImageOps.exif_transpose(image)
            if image.mode in ("I;16", "I;16B", "I;16L", "I"):
                # 16-bit greys: scale to 8 bits, not clip to white.
                image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
            out = io.BytesIO()
            if transparent or image.mode == "P":
                image.convert("RGBA").save(
                    out, "PNG", optimize=True, icc_profile=profile
                )
                return out.getvalue(), "png"
            image.convert("RGB").save(
                out, "JPEG", quality=85, optimize=True, icc_profile=profile
            )
            return out.getvalue(), "jpg"
    except (OSError, Image.DecompressionBombError, SyntaxError) as error:
        raise ValidationError(
            _("The file is not an image we can read (JPEG, PNG or WebP).")
        ) from error


def photo_clean(fieldfile) -> ContentFile | None:
    """A new upload in an image field, re-encoded without metadata under a random
    name (an uploaded name may carry a person's name); None if the file is not
    new or is a GIF (kept: re-encoding would drop its animation)."""
    if not fieldfile or getattr(fieldfile, "_committed", True):
        return None
    fieldfile.open("rb")
    fieldfile.seek(0)
    data = fieldfile.read()
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return None
    content, extension = image_reencode(data)
    return ContentFile(content, name=f"{uuid.uuid4().hex}.{extension}")


def proof_clean(upload) -> ContentFile:
    """A receipt scan ready to store: a PDF as sent, an image re-encoded."""
    if upload.size > settings.BANGFU_PAYOUT_PROOF_MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    data = upload.read()
    if data.startswith(b"%PDF-"):
        content, extension = data, "pdf"
    else:
        content, extension = image_reencode(data)
    # A random name: the uploaded name may carry a person's name.
    return ContentFile(content, name=f"{uuid.uuid4().hex}.{extension}")


def photo_check(upload) -> None:
    """Refuse, with a clear message, a photo that is too big or not an image,
    reading only its header (the photo is re-encoded when it is stored)."""
    if upload.size > settings.BANGFU_PHOTO_MAX_BYTES:
        raise ValidationError(_("The photo is larger than 10 MB."))
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
                kind = image.format
    except (OSError, Image.DecompressionBombError, SyntaxError) as error:
        raise ValidationError(
            _("The file is not an image we can read (JPEG, PNG or WebP).")
        ) from error
    finally:
        upload.seek(0)
    if kind not in ("JPEG", "PNG", "WEBP", "MPO"):
        raise ValidationError(
            _("The file is not an image we can read (JPEG, PNG or WebP).")
        )
    if width * height > MAX_PIXELS:
        raise ValidationError(_("The image is too large (at most 50 megapixels)."))
