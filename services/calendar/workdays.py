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

import asyncio
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import holidays
from holidays import HolidayBase
from holidays.constants import OPTIONAL, PUBLIC

from services.common.csvfiles import read_csv_rows
from storage.models import CalendarDay, CalendarYear
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


# ---------------------------------------------------------------- deadlines


def local_date(moment: datetime, tz: str) -> date:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware one (the clock gives UTC)")
    return moment.astimezone(ZoneInfo(tz)).date()


def due_after_working_days(calendar: WorkCalendar, received: datetime, n: int, tz: str) -> date:
    """The last day of "within n working days" of receiving something at ``received``.

    The receiving day (in the project's time zone ``tz``) is day 0, so 3 working days from a
    Monday is Thursday. Received on a non-working day, the count starts from the next working day
    as if it had arrived then (Saturday → day 0 is Monday → Thursday): the department gets n full
    working days either way.
    """
    return calendar.add_working_days(calendar.next_working_day_on_or_after(local_date(received, tz)), n)


def due_after_calendar_days(calendar: WorkCalendar, received: datetime, days: int, tz: str) -> date:
    """The last day of "within ``days`` days" (e.g. one week = 7) of receiving something at ``received``.

    The receiving day is not counted (民法典 第二百零一条), so it is the local date plus ``days``; if
    that is not a working day, the period ends on the next working day (第二百零三条: a period whose
    last day is a statutory holiday or rest day ends on the day after it). An adjusted working
    Saturday is a working day and keeps the deadline.
    """
    return calendar.next_working_day_on_or_after(local_date(received, tz) + timedelta(days=days))


# ---------------------------------------------------------------- loading a schedule

MIN_YEAR, MAX_YEAR = 2000, 2100
NAME_LENGTH = 100  # calendar_days.name
SOURCE_LENGTH = 200  # calendar_years.source

_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("date", "day", "日期"),
    "working": ("working", "work", "workday", "working_day", "type", "上班", "是否上班", "上班/休息", "类型", "類型"),
    "name": ("name", "holiday", "名称", "名稱", "节日", "節日", "假日", "说明", "說明", "备注", "備註"),
}
_REQUIRED = ("date", "working")
_WORKING: dict[str, bool] = {
    **dict.fromkeys(("1", "yes", "y", "true", "work", "working", "上班", "班", "补班", "補班", "工作日"), True),
    **dict.fromkeys(("0", "no", "n", "false", "off", "holiday", "休息", "休", "放假", "假", "休息日"), False),
}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@dataclass(frozen=True)
class RowError:
    row: int  # the file's line number (the header is row 1); 0 for the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.column}: {self.message}" if self.row == 0 else f"row {self.row}, {self.column}: {self.message}"


@dataclass
class LoadReport:
    region: str
    source: str
    rows: int = 0
    years: tuple[int, ...] = ()
    holidays: int = 0
    working_days: int = 0
    replaced_years: tuple[int, ...] = ()  # years loaded before, now replaced
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class CalendarRow:
    """A valid row of a schedule file."""

    row: int
    day: date
    working: bool
    name: str | None


def _clean(value: object) -> str:
    return unicodedata.normalize("NFKC", "" if value is None else str(value)).strip()


def _canonical(header: object) -> str | None:
    key = _clean(header).lower().replace(" ", "_")
    return next((name for name, aliases in _COLUMNS.items() if key in aliases), None)


class CalendarFileError(ValueError):
    """A file that cannot be read as a schedule at all (row 0: the file; row 1: its header)."""

    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row = row


def read_calendar_csv(data: bytes) -> list[dict[str, str]]:
    """The file's rows keyed by canonical column name (date, working, name); unknown columns dropped."""
    try:
        lines = read_csv_rows(data)
    except ValueError:
        raise CalendarFileError(0, "the file is neither UTF-8 nor GB18030 text") from None
    if not lines:
        raise CalendarFileError(0, "the file is empty")
    header = [_canonical(cell) for cell in lines[0]]
    missing = [column for column in _REQUIRED if column not in header]
    if missing:
        raise CalendarFileError(1, f"missing columns: {', '.join(missing)} (expected date, working and optionally name)")
    return [
        {name: line[i] if i < len(line) else "" for i, name in enumerate(header) if name}
        for line in lines[1:]
    ]


def _parse_date(text: str) -> date:
    match = _DATE.match(text)
    if not match:
        raise ValueError("not a date (use YYYY-MM-DD)")
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:  # 2027-02-30 and the like
        raise ValueError(f"no such day ({exc})") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(f"the year must be between {MIN_YEAR} and {MAX_YEAR}")
    return day


def validate_calendar_rows(rows: Iterable[Mapping[str, object]]) -> tuple[list[CalendarRow], list[RowError]]:
    """Every row checked; row numbers count the header as row 1. Blank lines are skipped."""
    parsed: list[CalendarRow] = []
    errors: list[RowError] = []
    seen: dict[date, int] = {}
    for number, raw in enumerate(rows, start=2):
        values = {_canonical(key) or str(key): _clean(value) for key, value in raw.items()}
        if not any(values.values()):
            continue
        row_errors: list[RowError] = []
        day: date | None = None
        try:
            day = _parse_date(values.get("date", ""))
        except ValueError as exc:
            row_errors.append(RowError(number, "date", str(exc) if values.get("date") else "missing"))
        working = _WORKING.get(values.get("working", "").lower())
        if working is None:
            message = "missing" if not values.get("working") else f"{values['working']!r} is not one of 1/0, yes/no, 上班/休息"
            row_errors.append(RowError(number, "working", message))
        name = values.get("name") or None
        if name is not None and len(name) > NAME_LENGTH:
            row_errors.append(RowError(number, "name", f"longer than {NAME_LENGTH} characters"))
        if day is not None:
            if day in seen:
                row_errors.append(RowError(number, "date", f"{day} is already on row {seen[day]}"))
            else:
                seen[day] = number
        if row_errors:
            errors.extend(row_errors)
        elif day is not None and working is not None:
            parsed.append(CalendarRow(number, day, working, name))
    return parsed, errors


async def load_calendar(uow: UnitOfWork, region: str, path_or_rows: Path | str | Iterable[Mapping[str, object]],
                        now: datetime) -> LoadReport:
    """Load a region's holiday schedule from a CSV file (or rows of one) into the unit of work.

    Columns: ``date`` (YYYY-MM-DD), ``working`` (1/0, yes/no, 上班/休息) and optionally ``name``; list
    every holiday and every adjusted working day of the official notice. Every row is validated
    first: with any error nothing is written and the report lists the errors by row. Otherwise the
    years the file touches replace any earlier load of the same region and years. The caller commits.
    """
    if region not in _PACKAGE:
        raise ValueError(f"unknown region {region!r}: one of {', '.join(REGIONS)}")
    if now.tzinfo is None:
        raise ValueError("naive datetime given as now")
    if isinstance(path_or_rows, str | Path):
        path = Path(path_or_rows)
        report = LoadReport(region, path.name[:SOURCE_LENGTH])
        try:
            rows: Iterable[Mapping[str, object]] = read_calendar_csv(await asyncio.to_thread(path.read_bytes))
        except OSError as exc:
            report.errors.append(RowError(0, "file", f"cannot read {path}: {exc.strerror or exc}"))
            return report
        except CalendarFileError as exc:
            report.errors.append(RowError(exc.row, "header" if exc.row else "file", str(exc)))
            return report
    else:
        report = LoadReport(region, "rows")
        rows = path_or_rows

    parsed, report.errors = validate_calendar_rows(rows)
    report.rows = len(parsed)
    if not report.errors and not parsed:
        report.errors.append(RowError(0, "file", "no days listed"))
    if report.errors:
        return report

    years = sorted({row.day.year for row in parsed})
    report.years = tuple(years)
    report.holidays = sum(1 for row in parsed if not row.working)
    report.working_days = len(parsed) - report.holidays
    report.warnings = _unlisted_holidays(region, years, {row.day for row in parsed})

    repository = uow.calendar
    report.replaced_years = tuple(row.year for row in await repository.years(region) if row.year in years)
    await repository.replace(
        region,
        years,
        [CalendarYear(region=region, year=year, loaded_at=now, source=report.source) for year in years],
        [CalendarDay(region=region, day=row.day, working=row.working, name=row.name) for row in parsed],
    )
    return report


def _unlisted_holidays(region: str, years: Iterable[int], listed: Collection[date]) -> list[str]:
    """Weekday holidays the package has and the file does not mention: they stay holidays, say so."""
    plain = WorkCalendar(region)
    warnings = []
    for year in years:
        unlisted = [day for day in plain.special_days(year) if not day.working and day.day not in listed]
        if unlisted:
            shown = ", ".join(f"{day.day} {day.name or ''}".strip() for day in unlisted)
            warnings.append(f"{year}: {len(unlisted)} weekday holiday(s) by rule are not in the file and stay "
                            f"holidays (list them as working if the notice says so): {shown}")
    return warnings


# ---------------------------------------------------------------- describing a year (admin CLI)


@dataclass(frozen=True)
class YearSummary:
    region: str
    year: int
    status: ScheduleStatus
    package: str  # the holidays package and its version, for "published"
    loaded_at: datetime | None
    source: str | None
    days: tuple[SpecialDay, ...]


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("holidays")
    except PackageNotFoundError:  # e.g. vendored
        return "?"


async def year_summary(uow: UnitOfWork, region: str, year: int) -> YearSummary:
    """A year's special days and where the schedule comes from (published, loaded or assumed)."""
    calendar = await calendar_for(uow, region)
    loaded = next((row for row in await uow.calendar.years(region) if row.year == year), None)
    return YearSummary(
        region, year, calendar.schedule_status(year), f"holidays {_package_version()}",
        loaded.loaded_at if loaded else None, loaded.source if loaded else None,
        tuple(calendar.special_days(year)),
    )
