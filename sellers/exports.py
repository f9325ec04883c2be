"""The bureau's long export: every sale and refund of a period, one row each,
written to a workbook off the request (django-tasks) with its progress.

The rows add up to the period's sales and refunds in the report: both come
from the same ledger entries.
"""

import datetime
import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .models import EntryKind, ExportStatus, LedgerEntry, ReportExport
from .spreadsheets import heading, spreadsheet_text

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


def export_request(*, user, start: datetime.date, end: datetime.date) -> ReportExport:
    """Queue the export of a period; it starts once this transaction commits."""
    export = ReportExport.objects.create(requested_by=user, start=start, end=end)
    from .tasks import report_export_run

    transaction.on_commit(lambda: report_export_run.enqueue(export.pk))
    return export


def export_run(export_id: int) -> None:
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
    entries = _entries(export)
    total = entries.count()
    ReportExport.objects.filter(pk=export.pk).update(rows_total=total)
    kinds = {EntryKind.SALE: _("Sale"), EntryKind.REFUND: _("Refund")}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Sales and refunds"))
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
