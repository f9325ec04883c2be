"""The public media bucket (django-storages' S3 storage), readable by anyone
only where storefront.media would serve the file from the local disk.

Product photos, Wagtail's renditions and sorl's thumbnails (PUBLIC_FOLDERS)
are written public-read with the same Cache-Control; Wagtail's full-size
originals and its documents (served through its privacy checks) stay private.
"""

from storages.backends.s3 import S3Storage

from .media import CONTENT_TYPES, PUBLIC_FOLDERS, cache_control


class PublicMediaStorage(S3Storage):
    """Uploads in S3_BUCKET: public-read images under PUBLIC_FOLDERS only."""

    def get_object_parameters(self, name: str) -> dict:
        params = super().get_object_parameters(name)
        extension = "." + name.rpartition(".")[2].lower()
        if name.startswith(PUBLIC_FOLDERS) and extension in CONTENT_TYPES:
            params.setdefault("ACL", "public-read")
            params.setdefault("CacheControl", cache_control(name))
        else:
            params.setdefault("ACL", "private")
        return params
