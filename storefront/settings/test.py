"""The test suite: fast hashing, in-memory e-mail; cache as in base (REDIS_URL)."""

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES

ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# A file, not memory, so that threads and the live server share it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test_db.sqlite3")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Tasks run as they are enqueued; tests of the queue itself switch to the
# database backend and run the worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
