"""Bulk import of a household's products and stock from CSV or XLSX.

Step one stores the file; a task, off the request, reads and checks every row
against the same form as the listing page and saves nothing of the catalogue:
the preview shows each row's errors. Step two (another task) applies the rows
in small transactions, so that a long file neither holds the database nor
hides its progress. A row whose name matches a product of the household
updates that product's price and stock; any other row lists a new product.
"""

import csv
import io
import zipfile

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from . import selectors, services
from .forms import ListingForm
from .models import ImportStatus, ProductImport

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
# An XLSX is a zip of XML: a small upload can unpack to gigabytes. A sheet of
# 5,000 rows unpacks to a few MB and deflates about ten to one.
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_RATIO = 100
CHUNK = 50

# Column headers, Chinese as social workers write them, or English.
COLUMNS = {
    "名称": "title",
    "商品名称": "title",
    "title": "title",
    "分类": "category",
    "category": "category",
    "单位": "unit",
    "unit": "unit",
    "单价": "price",
    "价格": "price",
    "price": "price",
    "可售数量": "available",
    "库存": "available",
    "available": "available",
    "采收日期": "harvest_date",
    "harvest_date": "harvest_date",
    "描述": "description",
    "description": "description",
}
REQUIRED = ["title", "category", "unit", "price", "available"]
TEMPLATE_HEADER = ["名称", "分类", "单位", "单价", "可售数量", "采收日期", "描述"]


def _text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows_from_csv(data: bytes):
    # Excel on a Chinese Windows saves CSV in GB18030 (GBK); others in UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError(_("The file is neither UTF-8 nor GBK text."))
    yield from csv.reader(io.StringIO(text))


def _xlsx_check(data: bytes) -> None:
    """Refuse a workbook that would unpack too large, from the zip's directory
    alone (zipfile never inflates a member past its declared size)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ValidationError(
            _("The file is not an Excel workbook we can read.")
        ) from error
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES or any(
        member.file_size > 1024 * 1024
        and member.file_size > MAX_RATIO * member.compress_size
        for member in members
    ):
        raise ValidationError(
            _(
                "The workbook unpacks to more than 20 MB, or is packed suspiciously "
                "tightly: save it again from Excel, or as CSV."
            )
        )


def _rows_from_xlsx(data: bytes):
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ValidationError(
            _("The file is not an Excel workbook we can read.")
        ) from error
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield [_text(value) for value in row]
    finally:
        workbook.close()


def file_check(name: str, data: bytes) -> None:
    """Refuse, without parsing it, a file of the wrong kind or too large."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."))
    if name.lower().endswith(".xlsx"):
        _xlsx_check(data)
    elif not name.lower().endswith(".csv"):
        raise ValidationError(_("Upload a .csv or .xlsx file."))


def read_rows(name: str, data: bytes) -> list[dict]:
    """The file's rows as {field: text}, keyed by row number (header is row 1)."""
    file_check(name, data)  # before openpyxl opens a zip bomb
    if name.lower().endswith(".xlsx"):
        rows = _rows_from_xlsx(data)
    else:
        rows = _rows_from_csv(data)
    header = next(rows, None)
    if not header:
        raise ValidationError(_("The file is empty."))
    fields = [
        COLUMNS.get(_text(cell).lower(), COLUMNS.get(_text(cell))) for cell in header
    ]
    missing = [name for name in REQUIRED if name not in fields]
    if missing:
        raise ValidationError(
            _("The first row must name the columns; missing: %(columns)s.")
            % {
                "columns": "、".join(
                    TEMPLATE_HEADER[
                        ["title", "category", "unit", "price", "available"].index(m)
                    ]
                    for m in missing
                )
            }
        )
    result = []
    for number, row in enumerate(rows, start=2):
        # Blank rows count too, and reading stops at the first row past the
        # limit: a sheet of 120,000 blank rows is refused after 5,001.
        if number - 1 > MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(max)s rows: split it.") % {"max": MAX_ROWS}
            )
        values = {
            field: _text(cell)
            for field, cell in zip(fields, row, strict=False)
            if field
        }
        if not any(values.values()):
            continue  # blank lines at the end of a sheet
        result.append({"row": number, "values": values})
    if not result:
        raise ValidationError(_("The file has no rows below its header."))
    return result


def check_rows(*, household, rows: list[dict]) -> list[dict]:
    """Each row with its action and its errors, as the listing form sees it."""
    categories = {
        category.name: category.pk for category in selectors.produce_categories()
    }
    existing = set(
        selectors.household_listing(household=household).values_list("title", flat=True)
    )
    seen = set()
    checked = []
    for row in rows:
        values = row["values"]
        data = dict(values)
        errors = []
        category = values.get("category", "")
        data["category"] = categories.get(category, "")
        form = ListingForm(data, household=household)
        form.is_valid()
        for field, messages in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            if field == "category" and category and category not in categories:
                messages = [_("Unknown category “%(name)s”.") % {"name": category}]
            errors.extend(f"{label}: {message}" for message in messages)
        title = values.get("title", "").strip()
        if title in seen:
            errors.append(_("This name appears twice in the file."))
        seen.add(title)
        checked.append(
            {
                "row": row["row"],
                "action": "update" if title in existing else "create",
                "values": values,
                "errors": errors,
            }
        )
    return checked


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
    from .tasks import product_import_check

    # The messages of the check are stored in the uploader's language.
    language = translation.get_language()
    transaction.on_commit(lambda: product_import_check.enqueue(job.pk, language))
    return job


def import_check(job_id: int, language: str) -> None:
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


def import_queue(*, job: ProductImport) -> bool:
    """Start the import of a checked file once, however often it is asked."""
    if job.error_rows:
        raise ValidationError(_("Fix the rows with errors and upload the file again."))
    queued = ProductImport.objects.filter(
        pk=job.pk, status=ImportStatus.PREVIEWED
    ).update(status=ImportStatus.QUEUED)
    if queued:
        from .tasks import product_import_run

        transaction.on_commit(lambda: product_import_run.enqueue(job.pk))
    return bool(queued)


def import_run(job_id: int) -> None:
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
