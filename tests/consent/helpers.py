"""A small photo for the households whose consent the tests try."""

import io

from PIL import Image


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "green").save(buffer, "JPEG")
    return buffer.getvalue()
