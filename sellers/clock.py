"""The store's clock: timezone.now(), unless a caller pins it.

The ledger, parcel events, payouts and the audit trail are stamped with
now(); the demo's sales history (storefront.demo.history) is written through
the same services as real sales, with the clock pinned to past moments.
Nothing in a request pins it.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_pinned: ContextVar[datetime.datetime | None] = ContextVar("bangfu_clock", default=None)


def now() -> datetime.datetime:
    return _pinned.get() or timezone.now()


def localdate() -> datetime.date:
    return timezone.localdate(now())


@contextmanager
def pinned(moment: datetime.datetime) -> Iterator[None]:
    """Stamp what is written inside with `moment` (an aware datetime)."""
    if timezone.is_naive(moment):
        raise ValueError("pin the clock to an aware datetime")
    token = _pinned.set(moment)
    try:
        yield
    finally:
        _pinned.reset(token)
