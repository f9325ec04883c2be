"""A report's sales by product category, certified or not, read from the
SalesCell summary (sellers.reporting.report.Report.categories)."""

from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from sellers.models import SalesCell

from .periods import ZERO, money


def sales_cells(rows: Q) -> list[dict]:
    """The period's cells summed per category, certification, delivery and
    household."""
    return list(
        SalesCell.objects.filter(rows)
        .values("category_id", "certified", "delivery", "household_id")
        .annotate(sales=Sum("sales"), refunds=Sum("refunds"), units=Sum("units"))
    )


def category_rows(cells: list[dict]) -> list[dict]:
    """Per product category, certified (on the day of sale) or not: sales,
    refunds, their difference, units, households. The delivery charges
    credited to households are a row of their own."""
    Category = get_model("catalogue", "Category")
    ids = {cell["category_id"] for cell in cells} - {None}
    titles = dict(Category.objects.filter(pk__in=ids).values_list("pk", "name"))
    rows = _cell_groups(
        cells,
        lambda c: (c["category_id"], c["certified"], c["delivery"]),
        lambda key: (
            _("Delivery charges")
            if key[2]
            else titles.get(key[0]) or _("Without a category")
        ),
    )
    for row in rows:
        row["certified"] = row["key"][1]
    # Categories by name, then those without one, then delivery.
    return sorted(
        rows,
        key=lambda r: (r["key"][2], r["key"][0] is None, r["name"], r["certified"]),
    )


def _cell_groups(cells: list[dict], key, names) -> list[dict]:
    groups: dict = {}
    for cell in cells:
        name = key(cell)
        group = groups.setdefault(
            name,
            {
                "name": names(name),
                "sales": ZERO,
                "refunds": ZERO,
                "units": 0,
                "_households": set(),
            },
        )
        group["sales"] += money(cell["sales"])
        group["refunds"] += money(cell["refunds"])
        group["units"] += cell["units"]
        if cell["sales"] > cell["refunds"]:
            group["_households"].add(cell["household_id"])
    rows = []
    for key_value, group in groups.items():
        group["households"] = len(group.pop("_households"))
        group["income"] = group["sales"] - group["refunds"]
        group["key"] = key_value
        rows.append(group)
    return rows
