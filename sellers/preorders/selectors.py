"""Reads of harvest pre-orders (a stand-in until pre-orders are built)."""

import datetime
from decimal import Decimal


def preorder_pending_by_household(
    *, household_ids, start: datetime.date, end: datetime.date
) -> dict[int, Decimal]:
    """Per household id, the amount of its paid pre-orders not yet settled
    (not yet credited to its ledger as sales), of pre-orders ordered within
    [start, end); households without any are left out. Nothing is pre-ordered
    until pre-orders exist, so this returns {}."""
    return {}
