"""Cells for the spreadsheets the bureau opens in Excel."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: str) -> str:
    """Text Excel shows as text: a name typed as =HYPERLINK(…) or +1+1 (a
    campaign's, a village's, a social worker's) would otherwise run as a
    formula when the file is opened."""
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
