"""What several models share: private storage for papers, append-only rows."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


# Migrations name it by its old path, before models/ was a package.
@deconstructible(path="sellers.models.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Where payout receipts go: PRIVATE_MEDIA_ROOT, never under MEDIA_URL; they
    are served only by a view that checks who asks."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


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
