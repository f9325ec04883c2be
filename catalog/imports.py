"""Bulk import of a household's products and stock from CSV or XLSX.

Step one stores the file; a task, off the request, reads and checks every row
against the same form as the listing page and saves nothing of the catalogue:
the preview shows each row's errors. Step two (another task) applies the rows
in small transactions, so that a long file neither holds the database nor
hides its progress. A row whose name matches a product of the household
updates that product's price and stock; any other row lists a new product.

The two steps a view calls are here and queue the work; the work itself is in
catalog.tasks, and reading and checking the rows in catalog.import_rows.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .import_rows import MAX_BYTES, MAX_ROWS, TEMPLATE_HEADER, file_check
from .models import ImportStatus, ProductImport
from .tasks import product_import_check, product_import_run

# The listing page shows the limit and offers the template's header.
__all__ = ["MAX_ROWS", "TEMPLATE_HEADER", "import_preview", "import_queue"]


def import_preview(*, household, acting_user, upload) -> ProductImport:
    """Store an uploaded file and queue the check of its rows; a file of the
    wrong kind or size is refused at once. Nothing of the catalogue changes."""
    data = upload.read(MAX_BYTES + 1)
    file_check(upload.name, data)
    job = ProductImport(
        household=household,
        created_by=acting_user,
        file_name=upload.name[:200],
        status=ImportStatus.CHECKING,
    )
    upload.seek(0)
    job.file.save(
        f"{timezone.now():%Y%m%d%H%M%S}-{household.pk}.bin", upload, save=False
    )
    job.save()
    # The messages of the check are stored in the uploader's language.
    language = translation.get_language()
    transaction.on_commit(lambda: product_import_check.enqueue(job.pk, language))
    return job


def import_queue(*, job: ProductImport) -> bool:
    """Start the import of a checked file once, however often it is asked."""
    if job.error_rows:
        raise ValidationError(_("Fix the rows with errors and upload the file again."))
    queued = ProductImport.objects.filter(
        pk=job.pk, status=ImportStatus.PREVIEWED
    ).update(status=ImportStatus.QUEUED)
    if queued:
        transaction.on_commit(lambda: product_import_run.enqueue(job.pk))
    return bool(queued)
