"""Injected time: tests and the sandbox move a clock instead of sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when told to, starting from the real time unless given one."""

    def __init__(self, start: datetime | None = None) -> None:
        self._offset = timedelta(0)
        self._fixed = start

    def now(self) -> datetime:
        base = self._fixed if self._fixed is not None else datetime.now(UTC)
        return base + self._offset

    @property
    def offset(self) -> timedelta:
        """How far the clock was moved from its start (from the real time, unless given a start)."""
        return self._offset

    def advance(self, delta: timedelta) -> None:
        self._offset += delta

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("the clock takes aware datetimes")
        self._fixed = moment
        self._offset = timedelta(0)
