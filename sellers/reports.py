"""The bureau's figures (sellers.reporting), gathered for older imports:
periods, the report, balances, who reads it, the public impact page."""

from .reporting.access import is_bureau  # noqa: F401
from .reporting.balances import household_balances  # noqa: F401
from .reporting.impact import public_impact  # noqa: F401
from .reporting.periods import (  # noqa: F401
    INCOME,
    SPANS,
    ZERO,
    Period,
    money,
    period_named,
    span_filter,
)
from .reporting.report import (  # noqa: F401
    BOUGHT,
    SMALLEST_GROUP,
    Report,
    income_totals,
    income_totals_with_change,
    merge_small_groups,
)
