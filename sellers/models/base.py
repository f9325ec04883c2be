"""What several models share: private storage for papers, append-only rows."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


class LocalPrivateStorage(FileSystemStorage):
    """Papers on this machine's disk: PRIVATE_MEDIA_ROOT, never under MEDIA_URL."""

    def __init__(self, **kwargs):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


# Migrations name it by its old path, before models/ was a package.
@deconstructible(path="sellers.models.PrivateStorage")
class PrivateStorage(Storage):
    """Where payout receipts, consent scans, certificate scans and imported
    spreadsheets go: the storage STORAGES["private"] names (this machine's disk,
    or a private bucket), looked up on each use so settings can move it; the
    files are served only by views that check who asks."""

    @property
    def backend(self) -> Storage:
        return storages["private"]


def _forward(name):
    def method(self, *args, **kwargs):
        return getattr(self.backend, name)(*args, **kwargs)

    method.__name__ = name
    return method


# Storage's public methods (what FieldFile, forms and tasks call), handed over.
for _name in (
    "open",
    "save",
    "get_valid_name",
    "get_alternative_name",
    "get_available_name",
    "generate_filename",
    "path",
    "delete",
    "exists",
    "listdir",
    "size",
    "url",
    "get_accessed_time",
    "get_created_time",
    "get_modified_time",
):
    setattr(PrivateStorage, _name, _forward(_name))


private_storage = PrivateStorage()


class AppendOnlyQuerySet(models.QuerySet):
    """Rows are added, never changed or removed: corrections are new rows."""

    def update(self, **kwargs):
        raise models.ProtectedError(_("Ledger rows cannot be changed."), set())

    def delete(self):
        raise models.ProtectedError(_("Ledger rows cannot be deleted."), set())

    def bulk_update(self, objs, fields, batch_size=None):
        raise models.ProtectedError(_("Ledger rows cannot be changed."), set())


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise models.ProtectedError(_("Ledger rows cannot be changed."), {self})
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise models.ProtectedError(_("Ledger rows cannot be deleted."), {self})
