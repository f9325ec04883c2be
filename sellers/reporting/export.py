"""The bureau's long export: every sale and refund of a period, one row each,
written to a workbook with its progress. The work only: it is queued off the
request by sellers.reporting.tasks, which this module never imports.

The rows add up to the period's sales and refunds in the report: both come
from the same ledger entries.
"""

import datetime
import io

from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from sellers.models import EntryKind, ExportStatus, LedgerEntry, ReportExport
from sellers.spreadsheets import heading, spreadsheet_text

CHUNK = 5000


def _entries(export: ReportExport):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(export.start, datetime.time(), tzinfo=tz)
    end = datetime.datetime.combine(
        export.end + datetime.timedelta(days=1), datetime.time(), tzinfo=tz
    )
    return LedgerEntry.objects.filter(
        created_at__gte=start,
        created_at__lt=end,
        kind__in=[EntryKind.SALE, EntryKind.REFUND],
    ).order_by("created_at", "pk")


def export_run(export_id: int) -> None:
    """Write the queued export's workbook, unless another worker took it; a
    failure is recorded on the export (and raised for the worker's log)."""
    if not ReportExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING
    ):
        return
    export = ReportExport.objects.get(pk=export_id)
    try:
        _write(export)
    except Exception as error:  # the officer is told; the worker goes on
        ReportExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED,
            error=type(error).__name__,
            finished_at=timezone.now(),
        )
        raise


def _write(export: ReportExport) -> None:
    """The export's entries written to a workbook, kept as its file."""
    entries = _entries(export)
    ReportExport.objects.filter(pk=export.pk).update(rows_total=entries.count())
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Sales and refunds"))
    _write_heading(sheet, export)
    done = _write_rows(sheet, entries, export)
    _save(workbook, export, done)


def _write_heading(sheet, export: ReportExport) -> None:
    """The period and time zone on top, then the column names."""
    for line in heading(
        _("Sales and refunds, %(start)s to %(end)s (Beijing time)")
        % {"start": export.start, "end": export.end}
    ):
        sheet.append(line)
    sheet.append(
        [
            _("Date"),
            _("Kind"),
            _("Order"),
            _("Town"),
            _("Village"),
            _("Household"),
            _("Organisation"),
            _("Amount (¥)"),
            _("Campaign"),
        ]
    )


def _write_rows(sheet, entries, export: ReportExport) -> int:
    """A row per entry, the export's progress saved every CHUNK rows; the
    number of rows written."""
    kinds = {EntryKind.SALE: _("Sale"), EntryKind.REFUND: _("Refund")}
    rows = entries.values_list(
        "created_at",
        "kind",
        F("parcel__order__number"),
        F("household__town"),
        F("household__village"),
        F("household__slug"),
        F("household__organisation__name"),
        "amount",
        F("parcel__order__campaign_order__campaign__name"),
    )
    done = 0
    for row in rows.iterator(chunk_size=CHUNK):
        created_at, kind, *middle, amount, campaign = row
        sheet.append(
            [
                timezone.localtime(created_at).strftime("%Y-%m-%d %H:%M"),
                str(kinds[kind]),
                *(spreadsheet_text(value or "") for value in middle),
                float(amount),
                spreadsheet_text(campaign or ""),
            ]
        )
        done += 1
        if done % CHUNK == 0:
            ReportExport.objects.filter(pk=export.pk).update(rows_done=done)
    return done


def _save(workbook, export: ReportExport, done: int) -> None:
    """The workbook kept as the export's file, and the export done."""
    data = io.BytesIO()
    workbook.save(data)
    export.file.save(
        f"sales-{export.start}-{export.end}.xlsx",
        ContentFile(data.getvalue()),
        save=False,
    )
    ReportExport.objects.filter(pk=export.pk).update(
        file=export.file.name,
        rows_done=done,
        status=ExportStatus.DONE,
        finished_at=timezone.now(),
    )
