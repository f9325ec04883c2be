"""Background work of the catalogue (django-tasks: a database queue and its
worker in production and `make run`, run at once in the tests): checking and
applying an uploaded import file, queued by catalog.imports. A queued task is
stored by its dotted path, so these names stay where they are."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from . import selectors, services
from .forms import ListingForm
from .import_rows import CHUNK, check_rows, read_rows
from .models import ImportStatus, ProductImport


@task()
def product_import_check(job_id: int, language: str) -> None:
    """Read and check a stored file, row by row, for its preview; a file that
    cannot be read is refused with the reason."""
    job = (
        ProductImport.objects.filter(pk=job_id, status=ImportStatus.CHECKING)
        .select_related("household")
        .first()
    )
    if job is None:
        return
    with job.file.open("rb") as stored:
        data = stored.read()
    with translation.override(language):
        try:
            rows = check_rows(
                household=job.household, rows=read_rows(job.file_name, data)
            )
        except ValidationError as error:
            ProductImport.objects.filter(
                pk=job.pk, status=ImportStatus.CHECKING
            ).update(
                status=ImportStatus.REFUSED,
                error=" ".join(error.messages),
                finished_at=timezone.now(),
            )
            return
    ProductImport.objects.filter(pk=job.pk, status=ImportStatus.CHECKING).update(
        status=ImportStatus.PREVIEWED, rows_total=len(rows), preview=rows
    )


@task()
def product_import_run(job_id: int) -> None:
    """Apply a queued import: the file is read and checked again (stock or
    names may have changed since the preview), then applied in chunks."""
    if not ProductImport.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING
    ):
        return
    job = ProductImport.objects.select_related("household", "created_by").get(pk=job_id)
    with job.file.open("rb") as stored:
        data = stored.read()
    try:
        rows = check_rows(household=job.household, rows=read_rows(job.file_name, data))
        bad = [row["row"] for row in rows if row["errors"]]
        if bad:
            raise ValidationError(
                _("Rows %(rows)s no longer pass the checks; nothing more was imported.")
                % {"rows": ", ".join(map(str, bad[:10]))}
            )
        for start in range(0, len(rows), CHUNK):
            created, updated = _apply(job, rows[start : start + CHUNK])
            ProductImport.objects.filter(pk=job.pk).update(
                rows_done=start + len(rows[start : start + CHUNK]),
                created_count=F("created_count") + created,
                updated_count=F("updated_count") + updated,
            )
    except ValidationError as error:
        ProductImport.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED,
            error=" ".join(error.messages),
            finished_at=timezone.now(),
        )
        return
    ProductImport.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE, finished_at=timezone.now()
    )


@transaction.atomic
def _apply(job: ProductImport, rows: list[dict]) -> tuple[int, int]:
    household, user = job.household, job.created_by
    categories = {
        category.name: category for category in selectors.produce_categories()
    }
    products = {
        product.title: product
        for product in selectors.household_listing(household=household).filter(
            title__in=[row["values"]["title"].strip() for row in rows]
        )
    }
    created = updated = 0
    for row in rows:
        form = ListingForm(
            {**row["values"], "category": categories[row["values"]["category"]].pk},
            household=household,
        )
        if not form.is_valid():  # checked just before; a guard, not a path
            raise ValidationError(_("Row %(row)s no longer passes the checks.") % row)
        data = dict(form.cleaned_data)
        data.pop("photo")
        for name in services.LISTING_EXTRAS:
            data.pop(name)
        product = products.get(data["title"])
        if product is None:
            services.product_list_for_household(
                household=household, acting_user=user, **data
            )
            created += 1
        else:
            services.product_update(
                product=product, household=household, acting_user=user, **data
            )
            updated += 1
    return created, updated
