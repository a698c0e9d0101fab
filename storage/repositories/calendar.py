"""Admin-loaded holiday schedules: ``calendar_years`` says a year was loaded, ``calendar_days`` lists its days."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date

from sqlalchemy import ColumnElement, delete, or_, select

from storage.models import CalendarDay, CalendarYear
from storage.repositories.base import Repository


def _in_years(years: Collection[int]) -> ColumnElement[bool]:
    # A range per year rather than extract('year'), so both databases can use the primary key.
    return or_(*(CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)) for year in sorted(years)))


class CalendarRepository(Repository):
    async def years(self, region: str) -> Sequence[CalendarYear]:
        query = select(CalendarYear).where(CalendarYear.region == region).order_by(CalendarYear.year)
        return (await self.session.scalars(query)).all()

    async def days(self, region: str, years: Collection[int] | None = None) -> Sequence[CalendarDay]:
        """The loaded days of a region, of the given years only if ``years`` is not None."""
        query = select(CalendarDay).where(CalendarDay.region == region).order_by(CalendarDay.day)
        if years is not None:
            if not years:
                return []
            query = query.where(_in_years(years))
        return (await self.session.scalars(query)).all()

    async def replace(self, region: str, years: Collection[int], loaded: Iterable[CalendarYear],
                      days: Iterable[CalendarDay]) -> None:
        """Forget what was loaded for these years of the region, then add the new rows (the caller commits)."""
        if years:
            await self.session.execute(
                delete(CalendarDay).where(CalendarDay.region == region, _in_years(years))
            )
            await self.session.execute(
                delete(CalendarYear).where(CalendarYear.region == region, CalendarYear.year.in_(sorted(years)))
            )
        self.session.add_all(list(loaded))
        self.session.add_all(list(days))
