"""Cells for the spreadsheets the bureau opens in Excel."""

from django.utils import timezone
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
