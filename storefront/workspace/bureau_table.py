"""A table of the bureau's report, as one definition for the page, CSV and
the workbook (the tables themselves: bureau_tables, bureau_plan_tables)."""

from collections.abc import Callable
from dataclasses import dataclass

from sellers.reporting.report import Report

# Column kinds: how a cell is written to the page and to a spreadsheet.
TEXT, COUNT, YUAN, YES_NO = "text", "count", "yuan", "yes_no"

# Tables with a row per household: on the page, one village at a time (two
# thousand rows help nobody on a screen); their downloads hold them all.
PER_HOUSEHOLD = ("income", "balances", "plans")


@dataclass(frozen=True)
class Table:
    """A table of the report: on the page, in CSV and in the workbook alike."""

    key: str
    title: str
    columns: list  # (label, field, kind)
    rows: Callable[[Report], list[dict]]
    # Figures from the store's opening to the period's end (balances).
    since_opening: bool = False

    def per_household_hidden(self, place) -> bool:
        return self.key in PER_HOUSEHOLD and not all(place)
