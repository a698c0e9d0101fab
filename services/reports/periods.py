"""The report periods (DOMAIN 1.7): an ISO week, a calendar month, a quarter, a year — whole days,
``start`` inclusive and ``end`` exclusive, counted in each office's own time zone. Written and read
as ``2026-W49``, ``2026-11``, ``2026-Q4`` and ``2026``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class PeriodKind(StrEnum):
    WEEK = "weekly"
    MONTH = "monthly"
    QUARTER = "quarterly"
    YEAR = "yearly"


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: date
    end: date  # exclusive

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def code(self) -> str:
        """``2026-W49``, ``2026-11``, ``2026-Q4`` or ``2026`` (stable: used in keys and file names)."""
        if self.kind is PeriodKind.WEEK:
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind is PeriodKind.MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    def previous(self) -> Period:
        return containing(self.kind, self.start - timedelta(days=1))


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def containing(kind: PeriodKind, day: date) -> Period:
    """The period of ``kind`` that ``day`` falls in."""
    if kind is PeriodKind.WEEK:
        start = day - timedelta(days=day.weekday())
        return Period(kind, start, start + timedelta(days=7))
    if kind is PeriodKind.MONTH:
        start = day.replace(day=1)
        return Period(kind, start, _add_months(start, 1))
    if kind is PeriodKind.QUARTER:
        start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return Period(kind, start, _add_months(start, 3))
    return Period(kind, date(day.year, 1, 1), date(day.year + 1, 1, 1))


def last_complete(kind: PeriodKind, today: date) -> Period:
    """The last period of ``kind`` that ended before ``today`` (what a report sent today covers)."""
    return containing(kind, today).previous()


_PATTERNS: tuple[tuple[PeriodKind, re.Pattern[str]], ...] = (
    (PeriodKind.WEEK, re.compile(r"(\d{4})-?W(\d{1,2})")),
    (PeriodKind.QUARTER, re.compile(r"(\d{4})-?Q([1-4])")),
    (PeriodKind.MONTH, re.compile(r"(\d{4})-(\d{1,2})")),
    (PeriodKind.YEAR, re.compile(r"(\d{4})")),
)


def parse_period(text: str, kind: PeriodKind | None = None) -> Period:
    """``2026-W49`` / ``2026-11`` / ``2026-Q4`` / ``2026``; ``kind`` if given must match. ValueError
    on anything else."""
    for found_kind, pattern in _PATTERNS:
        match = pattern.fullmatch(text.strip().upper())
        if match is None:
            continue
        if kind is not None and found_kind is not kind:
            break
        year, number = int(match[1]), int(match[2]) if match.lastindex and match.lastindex > 1 else 1
        if found_kind is PeriodKind.WEEK:
            return containing(found_kind, date.fromisocalendar(year, number, 1))
        if found_kind is PeriodKind.QUARTER:
            return containing(found_kind, date(year, number * 3 - 2, 1))
        return containing(found_kind, date(year, number, 1))
    raise ValueError(f"not a {kind.value if kind else 'report'} period: {text!r}")
