"""Working days per project region, for deadlines such as "report progress within 3 working days".

Mainland China (CN) works by the State Council's yearly schedule: statutory holidays plus adjusted
working weekends (调休), published a year at a time. The ``holidays`` package carries that schedule
for the years it knows (see ``package_schedule_until``); an admin may load a year's schedule from a
CSV file (tables ``calendar_years`` / ``calendar_days``). For a later year neither knows, the
calendar assumes the statutory holidays by rule (the package computes them, including the weekday
off that makes up for a holiday falling on a weekend, 补假) and no adjusted weekends, says so
(``note_for``), and never raises. HK, MO and TW use the package's holidays, which follow fixed rules
(HK and MO: the general public holidays on which offices close, not only the labour-law ones).

Weekends are Saturday and Sunday everywhere (the package's Hong Kong calendar only rests on Sundays,
but the management offices work Monday to Friday).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from typing import Literal

import holidays
from holidays import HolidayBase
from holidays.constants import OPTIONAL, PUBLIC

from storage.uow import UnitOfWork

ONE_DAY = timedelta(days=1)
WEEKEND = frozenset({5, 6})  # Saturday, Sunday
WARN_FROM_MONTH = 11  # from 1 November the admins hear that next year's schedule is missing

# The package's categories that close a management office, and the language of the holiday names.
# For HK and MO the package's "public" category is only the labour-law (statutory) holidays; its
# "optional" category adds the general holidays (公眾假期) on which offices and banks close.
_PACKAGE: dict[str, tuple[tuple[str, ...], str]] = {
    "CN": ((PUBLIC,), "zh_CN"),
    "HK": ((PUBLIC, OPTIONAL), "zh_HK"),
    "MO": ((PUBLIC, OPTIONAL), "zh_MO"),
    "TW": ((PUBLIC,), "zh_TW"),
}
REGIONS: tuple[str, ...] = tuple(_PACKAGE)

# Regions whose working days depend on a schedule published a year at a time. The others' holidays
# follow fixed rules (lunar dates, make-up days), which the package computes for any year it covers.
YEARLY_SCHEDULE_REGIONS = frozenset({"CN"})

ScheduleStatus = Literal["published", "loaded", "assumed"]


# ---------------------------------------------------------------- the package, cached


@lru_cache(maxsize=512)
def _package_year(region: str, year: int) -> HolidayBase:
    """The package's holidays of one region and year; building one costs about a millisecond, so keep them.

    ``expand=False`` keeps the cached object unchanged when asked about a date of another year.
    """
    categories, language = _PACKAGE[region]
    return holidays.country_holidays(region, years=year, categories=categories, language=language, expand=False)


def package_holidays(region: str, year: int) -> HolidayBase:
    """The package's holidays of one region and year (cached)."""
    return _package_year(region, year)


@cache
def package_schedule_until(region: str) -> int | None:
    """The last year whose published schedule the package carries, for a yearly-schedule region.

    Read from the package's table of substituted days (调休), so that a newer release extends it
    without a change here; None if the package has none (or the region does not need one).
    """
    if region not in YEARLY_SCHEDULE_REGIONS:
        return None
    special = getattr(_package_year(region, 2000), "special_public_holidays", None)
    if not isinstance(special, Mapping):
        return None
    return max((year for year in special if isinstance(year, int)), default=None)


def _package_covers(region: str, year: int) -> bool:
    """Whether the package knows the region's holidays of that year as they are (not just by rule)."""
    package = _package_year(region, year)
    if not package.start_year <= year <= package.end_year:
        return False
    if region not in YEARLY_SCHEDULE_REGIONS:
        return True
    last = package_schedule_until(region)
    return last is not None and year <= last


# ---------------------------------------------------------------- the calendar


@dataclass(frozen=True)
class DayOverride:
    """A day of an admin-loaded schedule: a holiday (working=False) or an adjusted working day."""

    working: bool
    name: str | None = None


@dataclass(frozen=True)
class SpecialDay:
    """A day that differs from the plain week: a holiday on a weekday, or a working weekend day."""

    day: date
    working: bool
    name: str | None
    loaded: bool  # from an admin-loaded schedule rather than the package


class WorkCalendar:
    """Working days of one region: the package's holidays, overridden by the days an admin loaded.

    A loaded year's listed days win; its other days follow the package and the weekend rule.
    """

    def __init__(self, region: str, overrides: Mapping[date, DayOverride] | None = None,
                 loaded_years: Collection[int] = ()) -> None:
        if region not in _PACKAGE:
            raise ValueError(f"unknown region {region!r}: one of {', '.join(REGIONS)}")
        self.region = region
        self._overrides = dict(overrides or {})
        self.loaded_years = frozenset(loaded_years) | {day.year for day in self._overrides}

    def __repr__(self) -> str:
        return f"WorkCalendar({self.region!r}, loaded_years={sorted(self.loaded_years)})"

    # -- single days

    def is_working_day(self, day: date) -> bool:
        override = self._overrides.get(day)
        if override is not None:
            return override.working
        package = _package_year(self.region, day.year)
        if day.weekday() in WEEKEND:
            # Cross-year adjusted days (a Saturday in December worked for a January holiday) are in
            # every year's object, so the day's own year is enough.
            return day in package.weekend_workdays
        return day not in package

    def holiday_name(self, day: date) -> str | None:
        """The name of the holiday on that day (None on working days and plain weekends)."""
        override = self._overrides.get(day)
        if override is not None:
            return None if override.working else override.name
        if self.is_working_day(day):
            return None
        name = _package_year(self.region, day.year).get(day)
        return str(name) if name is not None else None

    # -- counting

    def next_working_day_on_or_after(self, day: date) -> date:
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself is not counted).

        ``n == 0`` gives ``start`` if it is a working day, else the next working day: "today, or as
        soon as the office is open". Whether ``start`` is a working day does not matter for n >= 1.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        if n == 0:
            return self.next_working_day_on_or_after(start)
        day = start
        while n:
            day += ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Working days after ``a`` up to and including ``b``; negative when ``b`` is before ``a``.

        The inverse of ``add_working_days``: ``working_days_between(d, add_working_days(d, n)) == n`` for n >= 1.
        """
        if b < a:
            return -self.working_days_between(b, a)
        return sum(1 for offset in range(1, (b - a).days + 1) if self.is_working_day(a + timedelta(days=offset)))

    # -- what the calendar knows

    def schedule_known(self, year: int) -> bool:
        """Whether the year's real schedule is known (in the package or loaded), not just assumed by rule."""
        return year in self.loaded_years or _package_covers(self.region, year)

    def schedule_status(self, year: int) -> ScheduleStatus:
        if year in self.loaded_years:
            return "loaded"
        return "published" if _package_covers(self.region, year) else "assumed"

    def assumed_years(self, start: date, end: date) -> tuple[int, ...]:
        """The years from ``start`` to ``end`` whose schedule is assumed rather than known."""
        first, last = sorted((start.year, end.year))
        return tuple(year for year in range(first, last + 1) if not self.schedule_known(year))

    def note_for(self, start: date, end: date) -> str | None:
        """What a deadline counted from ``start`` to ``end`` must say about its calendar, if anything.

        Short enough for ``tickets.calendar_note``; callers that show it to people may translate
        from ``assumed_years`` instead.
        """
        years = self.assumed_years(start, end)
        if not years:
            return None
        if len(years) == 1:
            return f"schedule for {years[0]} not yet published; statutory holidays assumed"
        return f"schedules for {', '.join(map(str, years))} not yet published; statutory holidays assumed"

    def missing_schedule_warning(self, today: date) -> int | None:
        """The year whose schedule the admins should load now, if any.

        From 1 November it is next year's when neither the package nor a load has it. The current
        year's is reported too (any time of year) if it is still missing: the warning does not stop
        on 1 January while deadlines are still being assumed.
        """
        candidates = [today.year] + ([today.year + 1] if today.month >= WARN_FROM_MONTH else [])
        return next((year for year in candidates if not self.schedule_known(year)), None)

    def special_days(self, year: int) -> list[SpecialDay]:
        """The year's holidays on weekdays and working weekend days, in date order."""
        days: list[SpecialDay] = []
        day = date(year, 1, 1)
        while day.year == year:
            working = self.is_working_day(day)
            if working == (day.weekday() in WEEKEND):
                days.append(SpecialDay(day, working, self.holiday_name(day), day in self._overrides))
            day += ONE_DAY
        return days


def missing_schedule_warning(region: str, today: date, loaded_years: Collection[int] = ()) -> int | None:
    """See ``WorkCalendar.missing_schedule_warning``; ``loaded_years`` are the admin-loaded years."""
    return WorkCalendar(region, loaded_years=loaded_years).missing_schedule_warning(today)


async def missing_schedule_warning_for(uow: UnitOfWork, region: str, today: date) -> int | None:
    """``missing_schedule_warning`` with the years loaded into the database."""
    loaded = await uow.calendar.years(region)
    return missing_schedule_warning(region, today, [row.year for row in loaded])


async def calendar_for(uow: UnitOfWork, region: str) -> WorkCalendar:
    """The region's calendar, including every schedule an admin loaded for it."""
    repository = uow.calendar
    loaded = await repository.years(region)
    days = await repository.days(region)
    overrides = {row.day: DayOverride(row.working, row.name) for row in days}
    return WorkCalendar(region, overrides, [row.year for row in loaded])
