"""Spreadsheets the workspace hands out to be opened in Excel: the cells, the
heading lines, and the one CSV writer every CSV download goes through."""

import csv
from collections.abc import Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel reads a CSV file as UTF-8 (Chinese included) only after this mark.
BYTE_ORDER_MARK = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def spreadsheet_text(value: str) -> str:
    """Text Excel shows as text: a name typed as =HYPERLINK(…) or +1+1 (a
    campaign's, a village's, a social worker's) would otherwise run as a
    formula when the file is opened."""
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def heading(title: str) -> list[list[str]]:
    """The first lines of every export: what it is, and when it was made."""
    made = _("Generated %(time)s (Beijing time)") % {
        "time": timezone.localtime().strftime("%Y-%m-%d %H:%M")
    }
    return [[title], [made]]


class _Line:
    """A file for csv.writer that hands each written line back."""

    def write(self, value: str) -> str:
        return value


def _csv_cell(value):
    if isinstance(value, Promise):  # a lazily translated label
        value = str(value)
    if isinstance(value, str):
        return spreadsheet_text(value)
    return "" if value is None else value


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """Rows as the lines of a CSV file for Excel: the byte-order mark first,
    text that would run as a formula escaped, numbers left as numbers."""
    writer = csv.writer(_Line())
    yield BYTE_ORDER_MARK
    for row in rows:
        yield writer.writerow([_csv_cell(value) for value in row])


def csv_response(
    rows: Iterable[Iterable], *, filename: str, stream: bool = False
) -> HttpResponse | StreamingHttpResponse:
    """A CSV download for Excel; `stream` writes rows as they are read (a
    ledger of ten thousand entries), otherwise the file is built at once."""
    if stream:
        response = StreamingHttpResponse(csv_lines(rows), content_type=CSV_CONTENT_TYPE)
    else:
        response = HttpResponse("".join(csv_lines(rows)), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
