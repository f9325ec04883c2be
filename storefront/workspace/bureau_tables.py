"""The tables of the bureau's report: income the store brought households, by
period, place and organisation, with what is still owed. Each table is one
definition, shown on the page and written to CSV and to the workbook alike."""

from dataclasses import dataclass
from decimal import Decimal

from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sellers.reporting.periods import money
from sellers.reporting.report import Report
from sellers.spreadsheets import heading, spreadsheet_text

from .bureau_plan_tables import PLAN_GROUPS, plan_tables
from .bureau_table import COUNT, PER_HOUSEHOLD, TEXT, YES_NO, YUAN, Table


def summary_rows(report: Report) -> list[dict]:
    """The headline figures, each with the compared periods' and the change."""
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


@dataclass(frozen=True)
class _Columns:
    """Columns several tables share, labelled in the reader's language."""

    income: tuple
    households: tuple
    parcels: tuple
    units: tuple
    orders: tuple
    buyers: tuple
    sales: tuple
    refunds: tuple


def _shared_columns() -> _Columns:
    return _Columns(
        income=(_("Income (¥)"), "income", YUAN),
        households=(_("Households with income"), "households", COUNT),
        parcels=(_("Parcels"), "parcels", COUNT),
        units=(_("Units sold"), "units", COUNT),
        orders=(_("Orders"), "orders", COUNT),
        buyers=(_("Buyers"), "buyers", COUNT),
        sales=(_("Sales (¥)"), "sales", YUAN),
        refunds=(_("Refunds (¥)"), "refunds", YUAN),
    )


def _with_dates(label: str, period) -> str:
    if period is None:
        return label
    return _("%(label)s (%(start)s to %(end)s)") % {
        "label": label,
        "start": period.start,
        "end": period.end,
    }


def _summary_table(periods: dict) -> Table:
    return Table(
        "summary",
        _("Headline figures"),
        [
            (_("Figure"), "name", TEXT),
            (_("This period"), "now", None),
            (
                _with_dates(_("Previous period"), periods.get("previous")),
                "before",
                None,
            ),
            (pgettext("compared with the previous period", "Change"), "change", None),
            (
                _with_dates(_("Same period last year"), periods.get("year_before")),
                "year_before",
                None,
            ),
        ],
        summary_rows,
    )


def _place_tables(c: _Columns) -> list[Table]:
    """Income over time, by village, and by household."""
    town, village = (_("Town"), "town", TEXT), (_("Village"), "village", TEXT)
    return [
        Table(
            "chart",
            _("Income by week or month"),
            [(_("Week or month"), "label", TEXT), c.income],
            lambda r: r.chart,
        ),
        Table(
            "villages",
            _("By town and village"),
            [town, village, c.households, c.income, c.parcels, c.units],
            lambda r: r.villages,
        ),
        Table(
            "income",
            _("By household"),
            [
                town,
                village,
                (_("Household"), "slug", TEXT),
                (_("Organisation"), "organisation", TEXT),
                c.sales,
                c.refunds,
                (_("Corrections (¥)"), "corrections", YUAN),
                c.income,
                c.parcels,
                c.units,
            ],
            lambda r: r.households,
        ),
    ]


def _people_tables(c: _Columns) -> list[Table]:
    """Income by who works for the households."""
    return [
        Table(
            "organisations",
            _("By organisation"),
            [
                (_("Organisation"), "name", TEXT),
                c.households,
                c.income,
                c.parcels,
                c.units,
            ],
            lambda r: r.organisations,
        ),
        Table(
            "social-workers",
            _("By social worker"),
            [
                (_("Social worker"), "name", TEXT),
                c.households,
                c.income,
                c.parcels,
                c.units,
            ],
            lambda r: r.social_workers,
        ),
    ]


def _sales_tables(c: _Columns) -> list[Table]:
    """Income by what was sold and how buyers came."""
    return [
        Table(
            "categories",
            _("By product category"),
            [
                (_("Category"), "name", TEXT),
                (_("Certified"), "certified", YES_NO),
                c.households,
                c.sales,
                c.refunds,
                c.income,
                c.units,
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
                c.orders,
                c.buyers,
                c.sales,
                c.refunds,
                c.income,
                c.units,
            ],
            lambda r: r.campaigns,
        ),
        Table(
            "channels",
            _("By channel"),
            [(_("Channel"), "name", TEXT), c.orders, c.buyers, c.income, c.units],
            lambda r: r.channels,
        ),
    ]


def _household_tables(c: _Columns) -> list[Table]:
    """Who the households are, and what each is owed."""
    return [
        Table(
            "assistance",
            _("By assistance category"),
            [
                (_("Assistance category"), "name", TEXT),
                c.households,
                (_("People in them"), "people", COUNT),
                c.income,
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


def report_tables(report: Report | None = None) -> list[Table]:
    """The tables; given the report, the summary's headings carry the
    compared periods' dates."""
    periods = report.with_change["periods"] if report else {}
    columns = _shared_columns()
    return [
        _summary_table(periods),
        *_place_tables(columns),
        *_people_tables(columns),
        *_sales_tables(columns),
        *_household_tables(columns),
        *plan_tables(),
    ]


def report_table_keys() -> set[str]:
    return {table.key for table in report_tables()}


def _cell(value, kind, row):
    """A value as a spreadsheet takes it: numbers stay numbers."""
    kind = kind or row.get("kind")
    if kind == YUAN:
        return money(value)
    if kind == YES_NO:
        return _("Yes") if value else _("No")
    if isinstance(value, Promise):  # a lazily translated label
        value = str(value)
    if isinstance(value, str):
        return spreadsheet_text(value)
    return value if value is not None else ""


def table_lines(table: Table, report: Report, rows=None) -> list[list]:
    """The table's header and rows, as cells of a spreadsheet."""
    return [
        [str(label) for label, _f, _k in table.columns],
        *(
            [_cell(row.get(field), kind, row) for _l, field, kind in table.columns]
            for row in (table.rows(report) if rows is None else rows)
        ),
    ]


def table_heading(period, table: Table) -> list[list[str]]:
    """A download's first lines: the table, its period, when it was made."""
    if table.since_opening:
        title = _("%(table)s, from the store's opening to %(end)s (Beijing time)")
    else:
        title = _("%(table)s, %(start)s to %(end)s (Beijing time)")
    return heading(
        title % {"table": table.title, "start": period.start, "end": period.end}
    )


def _page_rows(table: Table, report: Report, place) -> list[dict]:
    if table.key not in PER_HOUSEHOLD:
        return table.rows(report)
    # Read only when a village is chosen (the balances are a query).
    return [
        row
        for row in (table.rows(report) if all(place) else [])
        if (row["town"], row["village"]) == place
    ]


def _village_links(table: Table, rows, query: QueryDict) -> list[str]:
    """From each village of the table by village to its households."""
    if table.key != "villages":
        return []
    links = []
    for row in rows:
        drill = query.copy()
        drill["town"], drill["village"] = row["town"], row["village"]
        links.append(f"?{drill.urlencode()}#income")
    return links


def _empty_message(table: Table, report: Report, place) -> str:
    if table.per_household_hidden(place):
        return _(
            "Choose a village in the table by town and village to see its "
            "households here; the downloads hold every household."
        )
    if table.key in PLAN_GROUPS and report.plans:
        return _(
            "Not shown: fewer than 5 households had a plan in this period, "
            "so few that they could be singled out."
        )
    if table.key.startswith("plans"):
        return _("No sales plan ran in this period.")
    if table.key == "assistance" and report.totals["households"]:
        return _(
            "Not shown: fewer than 5 households had income in this period, "
            "so few that they could be singled out."
        )
    return _("No income in this period.")


def _page_table(table: Table, report: Report, *, query: QueryDict, place) -> dict:
    rows = _page_rows(table, report, place)
    links = _village_links(table, rows, query)
    lines = table_lines(table, report, rows)
    return {
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
        "empty": _empty_message(table, report, place),
    }


def page_tables(report: Report, *, query: QueryDict, place) -> list[dict]:
    """The tables as the page shows them: header and formatted cells."""
    return [
        _page_table(table, report, query=query, place=place)
        for table in report_tables(report)
    ]
