"""Periods of the bureau's reports: calendar arithmetic, the summary rows that
add up to a period exactly, and the named periods of the picker."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q

from sellers.models import (
    Span,
)

ZERO = Decimal("0.00")
# Income that reached a household: sales less refunds, corrected.
INCOME = F("sales") - F("refunds") + F("corrections")


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def months(self) -> int | None:
        """The calendar unit the period is (part of), in months: from the 1st
        within one month 1, from a quarter's first day within it 3, from 1
        January within the year 12; n for n other whole months; None if it
        starts mid-month or ends mid-month in another unit."""
        start, end = self.start, self.end
        if start.day != 1:
            return None
        spanned = (end.year - start.year) * 12 + end.month - start.month + 1
        if spanned == 1:
            return 1
        if end.year == start.year:
            if start.month % 3 == 1 and (end.month - 1) // 3 == (start.month - 1) // 3:
                return 3
            if start.month == 1:
                return 12
        return spanned if _month_end(end) else None

    def previous(self) -> "Period":
        """The calendar period before this one, to the same day: this month
        to the 15th against last month to the 15th, a whole month against
        the whole month before, this year against last year; a period not
        measured in months against as many days just before it."""
        months = self.months
        if months is None:
            end = self.start - datetime.timedelta(days=1)
            return Period(end - datetime.timedelta(days=self.days - 1), end)
        return self.shifted(months)

    def year_before(self) -> "Period":
        """The same dates a year earlier (a month's end stays its end)."""
        return self.shifted(12)

    def shifted(self, months: int) -> "Period":
        return Period(months_back(self.start, months), months_back(self.end, months))


def _month_end(day: datetime.date) -> bool:
    return (day + datetime.timedelta(days=1)).day == 1


def months_back(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier; the last day of a month stays the last
    day (31 March → 28 February), and so does a day the month lacks."""
    index = day.year * 12 + day.month - 1 - months
    first = datetime.date(index // 12, index % 12 + 1, 1)
    last = _next_month(first) - datetime.timedelta(days=1)
    if _month_end(day):
        return last
    return first.replace(day=min(day.day, last.day))


def money(value) -> Decimal:
    """A sum as yuan and fen (a database sum may come back as None or 120)."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _next_year(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + 1, 1, 1)


# Spans from the longest: (span, start of the span a day is in, the next one).
SPANS = [
    (Span.YEAR, lambda d: d.replace(month=1, day=1), _next_year),
    (Span.MONTH, lambda d: d.replace(day=1), _next_month),
]


def span_filter(period: Period, longest: str = Span.YEAR) -> Q:
    """The summary rows that add up to the period exactly: year rows for its
    whole years, month rows for the whole months around them, day rows for
    the days at either end. `longest` Span.MONTH leaves out year rows."""
    spans = SPANS if longest == Span.YEAR else SPANS[1:]
    return _pieces(period.start, period.end + datetime.timedelta(days=1), spans)


def _pieces(start: datetime.date, stop: datetime.date, spans) -> Q:
    """[start, stop) as rows of the longest span that fits, then shorter."""
    if start >= stop:
        return Q(pk__in=[])
    if not spans:
        return Q(span=Span.DAY, day__gte=start, day__lt=stop)
    span, begin, following = spans[0]
    first = start if begin(start) == start else following(start)
    last = begin(stop)  # whole spans are [first, last)
    if first >= last:
        return _pieces(start, stop, spans[1:])
    return (
        Q(span=span, day__gte=first, day__lt=last)
        | _pieces(start, first, spans[1:])
        | _pieces(last, stop, spans[1:])
    )


def period_named(name: str, today: datetime.date) -> Period:
    """this-month, last-month, this-quarter, last-quarter, this-year."""
    month_start = today.replace(day=1)
    if name == "last-month":
        end = month_start - datetime.timedelta(days=1)
        return Period(end.replace(day=1), end)
    quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    if name == "this-quarter":
        return Period(quarter_start, today)
    if name == "last-quarter":
        end = quarter_start - datetime.timedelta(days=1)
        return Period(end.replace(month=(end.month - 1) // 3 * 3 + 1, day=1), end)
    if name == "this-year":
        return Period(today.replace(month=1, day=1), today)
    return Period(month_start, today)
