"""A household's ledger: its pages, summary and payouts."""

from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import QuerySet

from sellers.models import (
    Household,
    LedgerEntry,
    Payout,
)

from ..households.selectors import statement_households


def ledger_balance(*, household: Household) -> Decimal:
    """What the household is owed now (nothing if it was paid more than it
    earned)."""
    return ledger_summary(household=household)["owed"]


class _LedgerNewestFirst:
    """A household's ledger, newest first, sliced by entry numbers.

    Entries are numbered 1…n without gaps, so the k-th newest is number
    n − k + 1: a page is an index range, however long the ledger is (no
    COUNT, no OFFSET).
    """

    def __init__(self, household: Household, total: int):
        self.household, self.total = household, total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list:
        top, bottom = self.total - window.start, self.total - window.stop
        return list(
            LedgerEntry.objects.filter(
                household=self.household, seq__gt=bottom, seq__lte=top
            )
            .select_related("parcel__order", "payout")
            .order_by("-seq")
        )


def ledger_page(*, household: Household, number, size: int = 50):
    """One page of the household's statement, newest first (a Django Page)."""
    last = _ledger_last(household)
    total = last.seq if last else 0
    return Paginator(_LedgerNewestFirst(household, total), size).get_page(number)


def _ledger_last(household: Household) -> LedgerEntry | None:
    return LedgerEntry.objects.filter(household=household).order_by("-seq").first()


def ledger_rows(*, household: Household) -> QuerySet:
    """The household's ledger, oldest first, as plain rows for exports."""
    return (
        LedgerEntry.objects.filter(household=household)
        .order_by("seq")
        .values_list(
            "seq",
            "created_at",
            "kind",
            "parcel__order__number",
            "memo",
            "amount",
            "balance",
        )
    )


def ledger_summary(*, household: Household) -> dict[str, Decimal]:
    """Earned (sales − refunds ± corrections), paid out, and owed: read off the
    last entry, which carries the running balance and payouts."""
    last = _ledger_last(household)
    balance = last.balance if last else Decimal("0.00")
    paid_out = last.payouts_total if last else Decimal("0.00")
    # A refund after a payout leaves the household paid more than it earned:
    # a figure of its own, never a negative amount owed.
    return {
        "earned": balance + paid_out,
        "paid_out": paid_out,
        "owed": max(balance, Decimal("0.00")),
        "overpaid": max(-balance, Decimal("0.00")),
    }


def payout_get(*, user, pk: int) -> Payout:
    """A payout of a household whose statement the user may read."""
    return Payout.objects.get(pk=pk, household__in=statement_households(user=user))
