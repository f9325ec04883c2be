"""The bureau's read-only report: income the store brought households, by
period, place and organisation, with what is still owed; CSV and XLSX."""

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from oscar.core.loading import get_model

from . import charts, exports, reports
from .models import ExportStatus, ReportExport
from .spreadsheets import heading, spreadsheet_text
from .views import workspace_view

Order = get_model("order", "Order")

PERIODS = [
    ("this-month", gettext_lazy("This month")),
    ("last-month", gettext_lazy("Last month")),
    ("this-quarter", gettext_lazy("This quarter")),
    ("last-quarter", gettext_lazy("Last quarter")),
    ("this-year", gettext_lazy("This year")),
    ("custom", gettext_lazy("Custom")),
]


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=gettext_lazy("Period"), choices=PERIODS, required=False
    )
    start = forms.DateField(
        label=gettext_lazy("Starts on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=gettext_lazy("Ends on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if not (start and end):
                raise forms.ValidationError(_("Give both dates of a custom period."))
            if end < start:
                raise forms.ValidationError(
                    _("The period cannot end before it starts.")
                )
            if (end - start).days > 3660:
                raise forms.ValidationError(_("A period is at most ten years."))
            if not (2000 <= start.year and end.year <= 2100):
                raise forms.ValidationError(
                    _("Choose dates between the years 2000 and 2100.")
                )
        return data

    def chosen_period(self) -> reports.Period:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("period") == "custom":
            return reports.Period(data["start"], data["end"])
        return reports.period_named(data.get("period") or "this-month", today)


def _bureau_or_403(request):
    if not reports.is_bureau(request.user):
        raise PermissionDenied


# Column kinds: how a cell is written to the page and to a spreadsheet.
TEXT, COUNT, YUAN, YES_NO = "text", "count", "yuan", "yes_no"


@dataclass(frozen=True)
class Table:
    """A table of the report: on the page, in CSV and in the workbook alike."""

    key: str
    title: str
    columns: list  # (label, field, kind)
    rows: Callable[[reports.Report], list[dict]]
    # Figures from the store's opening to the period's end (balances).
    since_opening: bool = False

    def per_household_hidden(self, place) -> bool:
        return self.key in PER_HOUSEHOLD and not all(place)


def _summary_rows(report):
    figures = report.with_change
    now, before = figures["current"], figures["previous"]
    year_before = figures["year_before"]
    rows = [
        (_("Income to households (sales − refunds)"), "income", YUAN),
        (_("Households with income"), "households", COUNT),
        (_("People in them"), "people", COUNT),
        (_("Income per household"), "per_household", YUAN),
        (_("Orders"), "orders", COUNT),
        (_("Buyers"), "buyers", COUNT),
        (_("Units sold"), "units", COUNT),
        (_("Parcels sold"), "parcels", COUNT),
        (_("Paid out to households"), "payouts", YUAN),
    ]
    return [
        {
            "name": label,
            "now": now[key],
            "before": before[key],
            "change": figures["change"].get(key, _change(now[key], before[key])),
            "year_before": year_before[key],
            "kind": kind,
        }
        for label, key, kind in rows
    ]


def _change(now, before):
    return None if now is None or before is None else now - before


def _tables(report: reports.Report | None = None) -> list[Table]:
    """The tables; given the report, the summary's headings carry the
    compared periods' dates."""
    periods = report.with_change["periods"] if report else {}

    def dates(label, period):
        if period is None:
            return label
        return _("%(label)s (%(start)s to %(end)s)") % {
            "label": label,
            "start": period.start,
            "end": period.end,
        }

    income = (_("Income (¥)"), "income", YUAN)
    households = (_("Households with income"), "households", COUNT)
    parcels = (_("Parcels"), "parcels", COUNT)
    units = (_("Units sold"), "units", COUNT)
    orders = (_("Orders"), "orders", COUNT)
    buyers = (_("Buyers"), "buyers", COUNT)
    return [
        Table(
            "summary",
            _("Headline figures"),
            [
                (_("Figure"), "name", TEXT),
                (_("This period"), "now", None),
                (dates(_("Previous period"), periods.get("previous")), "before", None),
                (_("Change"), "change", None),
                (
                    dates(_("Same period last year"), periods.get("year_before")),
                    "year_before",
                    None,
                ),
            ],
            _summary_rows,
        ),
        Table(
            "chart",
            _("Income by week or month"),
            [(_("Week or month"), "label", TEXT), income],
            lambda r: r.chart,
        ),
        Table(
            "villages",
            _("By town and village"),
            [
                (_("Town"), "town", TEXT),
                (_("Village"), "village", TEXT),
                households,
                income,
                parcels,
                units,
            ],
            lambda r: r.villages,
        ),
        Table(
            "income",
            _("By household"),
            [
                (_("Town"), "town", TEXT),
                (_("Village"), "village", TEXT),
                (_("Household"), "slug", TEXT),
                (_("Organisation"), "organisation", TEXT),
                (_("Sales (¥)"), "sales", YUAN),
                (_("Refunds (¥)"), "refunds", YUAN),
                (_("Corrections (¥)"), "corrections", YUAN),
                income,
                parcels,
                units,
            ],
            lambda r: r.households,
        ),
        Table(
            "organisations",
            _("By organisation"),
            [(_("Organisation"), "name", TEXT), households, income, parcels, units],
            lambda r: r.organisations,
        ),
        Table(
            "social-workers",
            _("By social worker"),
            [(_("Social worker"), "name", TEXT), households, income, parcels, units],
            lambda r: r.social_workers,
        ),
        Table(
            "categories",
            _("By product category"),
            [
                (_("Category"), "name", TEXT),
                (_("Certified"), "certified", YES_NO),
                households,
                (_("Sales (¥)"), "sales", YUAN),
                (_("Refunds (¥)"), "refunds", YUAN),
                income,
                units,
            ],
            lambda r: r.categories,
        ),
        Table(
            "campaigns",
            _("By campaign"),
            [
                (_("Campaign"), "name", TEXT),
                (_("Organisation"), "organisation", TEXT),
                (_("Channel"), "channel_label", TEXT),
                orders,
                buyers,
                (_("Sales (¥)"), "sales", YUAN),
                (_("Refunds (¥)"), "refunds", YUAN),
                income,
                units,
            ],
            lambda r: r.campaigns,
        ),
        Table(
            "channels",
            _("By channel"),
            [(_("Channel"), "name", TEXT), orders, buyers, income, units],
            lambda r: r.channels,
        ),
        Table(
            "assistance",
            _("By assistance category"),
            [
                (_("Assistance category"), "name", TEXT),
                households,
                (_("People in them"), "people", COUNT),
                income,
            ],
            lambda r: r.assistance,
        ),
        Table(
            "balances",
            _("Earned, paid out and owed"),
            [
                (_("Household"), "slug", TEXT),
                (_("Earned (¥)"), "earned", YUAN),
                (_("Paid out (¥)"), "paid", YUAN),
                (_("Owed (¥)"), "owed", YUAN),
                (_("Paid more than earned (¥)"), "overpaid", YUAN),
            ],
            lambda r: r.balances,
            since_opening=True,
        ),
    ]


def _cell(value, kind, row):
    """A value as a spreadsheet takes it: numbers stay numbers."""
    kind = kind or row.get("kind")
    if kind == YUAN:
        return reports.money(value)
    if kind == YES_NO:
        return _("Yes") if value else _("No")
    if isinstance(value, Promise):  # a lazily translated label
        value = str(value)
    if isinstance(value, str):
        return spreadsheet_text(value)
    return value if value is not None else ""


def _table_lines(table: Table, report, rows=None) -> list[list]:
    return [
        [str(label) for label, _f, _k in table.columns],
        *(
            [_cell(row.get(field), kind, row) for _l, field, kind in table.columns]
            for row in (table.rows(report) if rows is None else rows)
        ),
    ]


# Tables with a row per household: on the page, one village at a time (two
# thousand rows help nobody on a screen); their downloads hold them all.
PER_HOUSEHOLD = ("income", "balances")


def _page_tables(report, *, query: QueryDict, place) -> list[dict]:
    """The tables as the page shows them: header and formatted cells."""
    shown = []
    for table in _tables(report):
        links = []
        if table.key in PER_HOUSEHOLD:
            # Read only when a village is chosen (the balances are a query).
            rows = [
                r
                for r in (table.rows(report) if all(place) else [])
                if (r["town"], r["village"]) == place
            ]
        else:
            rows = table.rows(report)
        if table.key == "villages":
            for row in rows:
                drill = query.copy()
                drill["town"], drill["village"] = row["town"], row["village"]
                links.append(f"?{drill.urlencode()}#income")
        lines = _table_lines(table, report, rows)
        if table.per_household_hidden(place):
            empty = _(
                "Choose a village in the table by town and village to see its "
                "households here; the downloads hold every household."
            )
        elif table.key == "assistance" and report.totals["households"]:
            empty = _(
                "Not shown: fewer than 5 households had income in this period, "
                "so few that they could be singled out."
            )
        else:
            empty = _("No income in this period.")
        shown.append(
            {
                "key": table.key,
                "title": table.title,
                "header": lines[0],
                "rows": [
                    {
                        "cells": [
                            f"{value:,.2f}" if isinstance(value, Decimal) else value
                            for value in line
                        ],
                        "link": links[n] if links else None,
                    }
                    for n, line in enumerate(lines[1:])
                ],
                "per_household": table.key in PER_HOUSEHOLD,
                "since_opening": table.since_opening,
                "empty": empty,
            }
        )
    return shown


def _heading(period, table: Table) -> list[list[str]]:
    if table.since_opening:
        title = _("%(table)s, from the store's opening to %(end)s (Beijing time)")
    else:
        title = _("%(table)s, %(start)s to %(end)s (Beijing time)")
    return heading(
        title % {"table": table.title, "start": period.start, "end": period.end}
    )


@workspace_view
def report(request):
    _bureau_or_403(request)
    form = PeriodForm(request.GET or None)
    report = reports.Report(form.chosen_period())
    period_query = request.GET.copy()
    place = (period_query.pop("town", [""])[0], period_query.pop("village", [""])[0])
    return render(
        request,
        "sellers/bureau/report.html",
        {
            "form": form,
            "period": report.period,
            "figures": report.with_change,
            "summary": _summary_rows(report),
            "chart": charts.bars(report.chart),
            "tables": _page_tables(report, query=period_query, place=place),
            "place": place if all(place) else None,
            "period_query": period_query.urlencode(),
            "bureau_page": True,
            "demo_data": Order.objects.filter(
                number__startswith=settings.BANGFU_DEMO_ORDER_PREFIX
            ).exists(),
        },
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_cell(sheet, value):
    """Yuan as numbers Excel shows with two decimals (120.00, not 120)."""
    if not isinstance(value, Decimal):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "#,##0.00"
    return cell


@workspace_view
def report_export(request, table: str, fmt: str):
    """A table of the period for Excel, as CSV or XLSX (or every table as
    sheets of one workbook), with the period and the time it was made in its
    first lines."""
    _bureau_or_403(request)
    if fmt not in ("csv", "xlsx") or (
        table not in {t.key for t in _tables()} and table != "all"
    ):
        raise Http404
    if table == "all" and fmt != "xlsx":
        raise Http404
    report = reports.Report(PeriodForm(request.GET or None).chosen_period())
    tables = {t.key: t for t in _tables(report)}
    period = report.period
    chosen = list(tables.values()) if table == "all" else [tables[table]]
    name = f"{table}-{period.start}-{period.end}"
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")  # Excel reads UTF-8 with a byte-order mark
        writer = csv.writer(out)
        writer.writerows(
            [*_heading(period, chosen[0]), *_table_lines(chosen[0], report)]
        )
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        workbook = Workbook(write_only=True)
        for each in chosen:
            # Sheet names: at most 31 characters, no []:*?/\
            sheet = workbook.create_sheet(str(each.title)[:31])
            for line in (*_heading(period, each), *_table_lines(each, report)):
                sheet.append([_xlsx_cell(sheet, value) for value in line])
        data = io.BytesIO()
        workbook.save(data)
        response = HttpResponse(data.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@workspace_view
def parcels_export(request):
    """Every sale and refund of the period in one workbook: prepared off the
    request, as a year of them takes a while."""
    _bureau_or_403(request)
    form = PeriodForm(request.GET or None)
    period = form.chosen_period()
    if request.method == "POST":
        export = exports.export_request(
            user=request.user, start=period.start, end=period.end
        )
        return redirect("workspace:bureau-export-detail", pk=export.pk)
    return render(
        request,
        "sellers/bureau/export.html",
        {"period": period, "export": None, "bureau_page": True},
    )


def _export_or_404(request, pk: int) -> ReportExport:
    _bureau_or_403(request)
    mine = ReportExport.objects.all()
    if not request.user.is_superuser:
        mine = mine.filter(requested_by=request.user)
    return get_object_or_404(mine, pk=pk)


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
            "period": reports.Period(export.start, export.end),
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
