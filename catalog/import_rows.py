"""Reading and checking the rows of an import file (CSV or XLSX), shared by the
upload, which refuses a wrong file at once, and the tasks, which check and
apply its rows (catalog.imports)."""

import csv
import io
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from . import selectors
from .forms import ListingForm

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
