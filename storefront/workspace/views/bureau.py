"""The bureau's read-only report (tables in storefront.workspace.bureau_tables),
its CSV and XLSX downloads, and the long export of every sale and refund."""

import datetime
import io
from decimal import Decimal

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from sellers.models import ExportStatus, ReportExport
from sellers.reporting import charts
from sellers.reporting.periods import Period
from sellers.reporting.report import Report
from sellers.reporting.selectors import demo_orders_exist, report_export_get
from sellers.reporting.tasks import export_request
from sellers.spreadsheets import csv_response

from ..bureau_tables import (
    page_tables,
    report_table_keys,
    report_tables,
    summary_rows,
    table_heading,
    table_lines,
)
from ..decorators import bureau_or_403, workspace_view
from ..forms.bureau import PeriodForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@workspace_view
def report(request):
    bureau_or_403(request)
    form = PeriodForm(request.GET or None)
    report = Report(form.chosen_period())
    period_query = request.GET.copy()
    place = (period_query.pop("town", [""])[0], period_query.pop("village", [""])[0])
    return render(
        request,
        "sellers/bureau/report.html",
        {
            "form": form,
            "period": report.period,
            "figures": report.with_change,
            "summary": summary_rows(report),
            "chart": charts.bars(report.chart),
            "tables": page_tables(report, query=period_query, place=place),
            "place": place if all(place) else None,
            "period_query": period_query.urlencode(),
            "bureau_page": True,
            "demo_data": demo_orders_exist(),
        },
    )


def _xlsx_cell(sheet, value):
    """Yuan as numbers Excel shows with two decimals (120.00, not 120)."""
    if not isinstance(value, Decimal):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "#,##0.00"
    return cell


def _workbook(report: Report, tables) -> bytes:
    """The tables as the sheets of one workbook."""
    workbook = Workbook(write_only=True)
    for table in tables:
        # Sheet names: at most 31 characters, no []:*?/\
        sheet = workbook.create_sheet(str(table.title)[:31])
        for line in (
            *table_heading(report.period, table),
            *table_lines(table, report),
        ):
            sheet.append([_xlsx_cell(sheet, value) for value in line])
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


@workspace_view
def report_export(request, table: str, fmt: str):
    """A table of the period for Excel, as CSV or XLSX (or every table as
    sheets of one workbook), with the period and the time it was made in its
    first lines."""
    bureau_or_403(request)
    if fmt not in ("csv", "xlsx") or (
        table not in report_table_keys() and table != "all"
    ):
        raise Http404
    if table == "all" and fmt != "xlsx":
        raise Http404
    report = Report(PeriodForm(request.GET or None).chosen_period())
    tables = {t.key: t for t in report_tables(report)}
    period = report.period
    chosen = list(tables.values()) if table == "all" else [tables[table]]
    name = f"{table}-{period.start}-{period.end}.{fmt}"
    if fmt == "csv":
        return csv_response(
            [*table_heading(period, chosen[0]), *table_lines(chosen[0], report)],
            filename=name,
        )
    response = HttpResponse(_workbook(report, chosen), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@workspace_view
def parcels_export(request):
    """Every sale and refund of the period in one workbook: prepared off the
    request, as a year of them takes a while."""
    bureau_or_403(request)
    form = PeriodForm(request.GET or None)
    period = form.chosen_period()
    if request.method == "POST":
        export = export_request(user=request.user, start=period.start, end=period.end)
        return redirect("workspace:bureau-export-detail", pk=export.pk)
    return render(
        request,
        "sellers/bureau/export.html",
        {"period": period, "export": None, "bureau_page": True},
    )


def _export_or_404(request, pk: int) -> ReportExport:
    bureau_or_403(request)
    try:
        return report_export_get(user=request.user, pk=pk)
    except ReportExport.DoesNotExist as error:
        raise Http404 from error


@workspace_view
def export_detail(request, pk: int):
    export = _export_or_404(request, pk)
    # A worker that died leaves its export running for ever: after an hour
    # the page stops waiting and says it failed.
    stale = export.created_at < timezone.now() - datetime.timedelta(hours=1)
    return render(
        request,
        "sellers/bureau/export.html",
        {
            "export": export,
            "period": Period(export.start, export.end),
            "in_progress": export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
            and not stale,
            "bureau_page": True,
        },
    )


@workspace_view
def export_download(request, pk: int):
    export = _export_or_404(request, pk)
    if export.status != ExportStatus.DONE:
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"sales-{export.start}-{export.end}.xlsx",
        content_type=XLSX,
    )
