import pytest

from sellers.models import LedgerEntry


@pytest.fixture
def ledger_clock(monkeypatch):
    """Ledger entries dated by a clock the test sets."""
    clock = [None]
    created_at = LedgerEntry._meta.get_field("created_at")
    # Django caches a field's default on the field: clear it on both sides.
    created_at.__dict__.pop("_get_default", None)
    monkeypatch.setattr(created_at, "default", lambda: clock[0])
    yield clock
    created_at.__dict__.pop("_get_default", None)
