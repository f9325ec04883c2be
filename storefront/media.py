"""Public uploads on this machine's disk served by Django (README, "Media in
production"; with S3_BUCKET they are the bucket's):
image files under the folders public pages link, nothing else of MEDIA_ROOT,
never PRIVATE_MEDIA_ROOT."""

from pathlib import Path, PurePosixPath

from django.conf import settings
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve

# Oscar's product photos (images/products/…) and Wagtail's renditions
# (images/…), sorl's thumbnails (cache/…). Not original_images/ (full-size
# originals no page links) nor documents/ (Wagtail serves those itself,
# through its privacy checks).
PUBLIC_FOLDERS = ("images/", "cache/")
CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
}
# A rendition or a thumbnail is never rewritten: a changed photo or focal
# point gets a new name.
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=86400"


@require_safe
def public_media(request, path: str):
    """A public upload (product photo, rendition, thumbnail) as a file, or 404."""
    # No "..", no hidden files, no NUL (which the file system would refuse).
    parts = PurePosixPath(path).parts
    if "\x00" in path or any(part.startswith(".") for part in parts):
        raise Http404
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path).resolve()  # symlinks followed, then checked
    if (
        not target.is_relative_to(root)
        or target.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
        or not target.is_file()
    ):
        raise Http404
    name = target.relative_to(root).as_posix()
    content_type = CONTENT_TYPES.get(target.suffix.lower())
    if content_type is None or not name.startswith(PUBLIC_FOLDERS):
        raise Http404
    response = serve(request, name, document_root=root)
    if response.status_code == 200:
        response.headers["Content-Type"] = content_type
    response.headers["Cache-Control"] = cache_control(name)
    return response


def cache_control(name: str) -> str:
    """How long browsers and CDNs keep a public upload: renditions (images/x)
    and thumbnails (cache/…) for good, product photos a day."""
    renditions = name.startswith("cache/") or name.count("/") == 1
    return IMMUTABLE if renditions else REVALIDATE
