"""The bureau's read-only report: income the store brought households, by
period, place and organisation, with what is still owed; CSV and XLSX."""

import csv
import io

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from . import reports
from .views import workspace_view

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


def _table(period):
    header = [
        _("Town"),
        _("Village"),
        _("Household"),
        _("Sales (¥)"),
        _("Refunds (¥)"),
        _("Income (¥)"),
        _("Parcels"),
    ]
    rows = [
        [
            row["town"],
            row["village"],
            row["slug"],
            reports.money(row["sales"]),
            reports.money(row["refunds"]),
            reports.money(row["income"]),
            row["parcels"],
        ]
        for row in reports.income_by_place(period=period)
    ]
    return header, rows


@workspace_view
def report(request):
    _bureau_or_403(request)
    form = PeriodForm(request.GET or None)
    period = form.chosen_period()
    return render(
        request,
        "sellers/bureau/report.html",
        {
            "form": form,
            "period": period,
            "figures": reports.income_totals_with_change(period=period),
            "places": reports.income_by_place(period=period),
            "organisations": reports.income_by_organisation(period=period),
            "balances": reports.household_balances(end=period.end),
            "query": request.GET.urlencode(),
            "bureau_page": True,
        },
    )


@workspace_view
def report_export(request, fmt: str):
    """The per-household table of the period, for Excel: CSV or XLSX, with the
    period and the time it was made in its first lines."""
    _bureau_or_403(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    period = PeriodForm(request.GET or None).chosen_period()
    header, rows = _table(period)
    title = _("Income by household, %(start)s to %(end)s") % {
        "start": period.start,
        "end": period.end,
    }
    made = _("Generated %(time)s") % {
        "time": timezone.localtime().strftime("%Y-%m-%d %H:%M")
    }
    name = f"income-{period.start}-{period.end}"
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")  # Excel reads UTF-8 with a byte-order mark
        writer = csv.writer(out)
        writer.writerows([[title], [made], header, *rows])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Income"))
        for line in ([title], [made], header, *rows):
            sheet.append(line)
        data = io.BytesIO()
        workbook.save(data)
        response = HttpResponse(
            data.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
