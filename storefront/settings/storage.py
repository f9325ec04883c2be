"""Uploads: on this machine's disk, or in S3-compatible buckets when S3_BUCKET
(public media) and S3_PRIVATE_BUCKET (households' papers) are set, each on its
own. Credentials: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, else boto3's own
chain (AWS_* variables, the machine's role)."""

from urllib.parse import urlsplit

from .environment import env

S3_BUCKET = env("S3_BUCKET")
S3_PRIVATE_BUCKET = env("S3_PRIVATE_BUCKET")
# None: AWS itself; MinIO, Ceph, Alibaba Cloud OSS and the tests' moto give one.
S3_ENDPOINT_URL = env("S3_ENDPOINT_URL")

MEDIA_URL = "/media/"
UPLOAD_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "sellers.models.base.LocalPrivateStorage"},
}


def _bucket_options(bucket: str) -> dict:
    from botocore.config import Config

    options = {
        "bucket_name": bucket,
        "endpoint_url": S3_ENDPOINT_URL,
        "region_name": env("S3_REGION_NAME"),
        "access_key": env("S3_ACCESS_KEY_ID"),
        "secret_key": env("S3_SECRET_ACCESS_KEY"),
        # Django's way: a new upload never replaces a file of the same name.
        "file_overwrite": False,
        # A bucket that stops answering holds a web worker seconds, not minutes.
        "client_config": Config(
            connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}
        ),
    }
    return {key: value for key, value in options.items() if value is not None}


if S3_BUCKET:
    # Public files at plain, unsigned URLs under MEDIA_URL: the bucket's own
    # (path style) unless MEDIA_URL names a CDN origin in front of it.
    MEDIA_URL = env("MEDIA_URL") or (
        f"{(S3_ENDPOINT_URL or 'https://s3.amazonaws.com').rstrip('/')}/{S3_BUCKET}/"
    )
    _media = urlsplit(MEDIA_URL)
    UPLOAD_STORAGES["default"] = {
        "BACKEND": "storefront.storage.PublicMediaStorage",
        "OPTIONS": {
            **_bucket_options(S3_BUCKET),
            "querystring_auth": False,
            "url_protocol": f"{_media.scheme}:",
            "custom_domain": _media.netloc + _media.path.rstrip("/"),
        },
    }
    # Documents sit in the bucket unreadable by anyone: Wagtail's view checks
    # their privacy and streams them, rather than redirecting to the bucket.
    WAGTAILDOCS_SERVE_METHOD = "serve_view"

if S3_PRIVATE_BUCKET:
    # Nothing in it is public; the workspace views stream each file after
    # checking the role (a signed URL would be a bearer link that works for
    # anyone it is forwarded to until it expires).
    UPLOAD_STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_bucket_options(S3_PRIVATE_BUCKET),
            "default_acl": "private",
            "querystring_expire": 300,
        },
    }
