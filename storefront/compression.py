"""Compressed HTML: Django's GZipMiddleware, for text only.

Whitenoise answers static files before this runs, already compressed at
collectstatic. Public uploads (photos, thumbnails) pass through here as
streamed files: JPEG and WebP are compressed already, so gzipping them would
cost CPU for nothing and drop their Content-Length.
"""

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml")


class TextGZipMiddleware(GZipMiddleware):
    """Gzip HTML, JSON, CSV and other text answers for browsers that accept it,
    with Django's Heal-the-Breach padding (a random-length gzip header)."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)
