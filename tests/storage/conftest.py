import importlib

import boto3
import pytest
import requests
from django.utils.functional import empty
from sorl.thumbnail.default import storage as thumbnail_storage

from storefront.settings import storage as storage_settings

PUBLIC_BUCKET = "bangfu-media"
PRIVATE_BUCKET = "bangfu-private"


@pytest.fixture
def s3(moto_s3, settings, monkeypatch):
    """The store's uploads in two empty buckets of the run's moto server, set
    up by settings/storage.py from the environment as in production; a boto3
    client of that server."""
    requests.post(moto_s3 + "/moto-api/reset", timeout=10).raise_for_status()
    client = boto3.client(
        "s3",
        endpoint_url=moto_s3,
        region_name="us-east-1",
        aws_access_key_id="bangfu-test",
        aws_secret_access_key="bangfu-test-secret",
    )
    client.create_bucket(Bucket=PUBLIC_BUCKET)
    client.create_bucket(Bucket=PRIVATE_BUCKET)
    for name, value in {
        "S3_BUCKET": PUBLIC_BUCKET,
        "S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
        "S3_ENDPOINT_URL": moto_s3,
        "S3_REGION_NAME": "us-east-1",
        "S3_ACCESS_KEY_ID": "bangfu-test",
        "S3_SECRET_ACCESS_KEY": "bangfu-test-secret",
    }.items():
        monkeypatch.setenv(name, value)
    configured = importlib.reload(storage_settings)
    settings.STORAGES = {**settings.STORAGES, **configured.UPLOAD_STORAGES}
    settings.MEDIA_URL = configured.MEDIA_URL
    settings.WAGTAILDOCS_SERVE_METHOD = configured.WAGTAILDOCS_SERVE_METHOD
    # sorl-thumbnail keeps the storage it first met for the process (Django's
    # own storages are reset when the setting changes): a process that starts
    # with S3 settings meets the bucket, a test must tell sorl to look again.
    thumbnail_storage._wrapped = empty
    yield client
    monkeypatch.undo()
    importlib.reload(storage_settings)
    thumbnail_storage._wrapped = empty
