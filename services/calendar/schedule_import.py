"""Loading a region's holiday schedule from a CSV file an admin provides (DOMAIN 1.3), and describing
a year's special days and where its schedule comes from (admin CLI)."""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from services.calendar.workdays import (
    REGIONS,
    ScheduleStatus,
    SpecialDay,
    WorkCalendar,
    calendar_for,
)
from services.common.csvfiles import read_csv_rows
from storage.models import CalendarDay, CalendarYear
from storage.uow import UnitOfWork

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
        if any(not _clean(cell).isascii() for cell in lines[0]):  # a Chinese header: name them as it would
            missing = [f"{_chinese_alias(column)} ({column})" for column in missing]
        raise CalendarFileError(1, f"missing columns: {', '.join(missing)} (expected date, working and optionally name)")
    return [
        {name: line[i] if i < len(line) else "" for i, name in enumerate(header) if name}
        for line in lines[1:]
    ]


def _chinese_alias(column: str) -> str:
    return next(alias for alias in _COLUMNS[column] if not alias.isascii())


def _file_columns(data: bytes) -> dict[str, str]:
    """The file's known columns: canonical name → its header as written ("date" → "日期")."""
    lines = read_csv_rows(data)
    columns: dict[str, str] = {}
    for cell in lines[0] if lines else []:
        name = _canonical(cell)
        if name and name not in columns:
            columns[name] = _clean(cell)
    return columns


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
    if region not in REGIONS:
        raise ValueError(f"unknown region {region!r}: one of {', '.join(REGIONS)}")
    if now.tzinfo is None:
        raise ValueError("naive datetime given as now")
    if isinstance(path_or_rows, str | Path):
        path = Path(path_or_rows)
        report = LoadReport(region, path.name[:SOURCE_LENGTH])
        try:
            data = await asyncio.to_thread(path.read_bytes)
            rows: Iterable[Mapping[str, object]] = read_calendar_csv(data)
            columns = _file_columns(data)
        except OSError as exc:
            report.errors.append(RowError(0, "file", f"cannot read {path}: {exc.strerror or exc}"))
            return report
        except CalendarFileError as exc:
            report.errors.append(RowError(exc.row, "header" if exc.row else "file", str(exc)))
            return report
    else:
        report = LoadReport(region, "rows")
        rows = path_or_rows
        columns = {}

    parsed, errors = validate_calendar_rows(rows)
    # Each error names the column as the file's header does, so a 日期 file is told about 日期.
    report.errors = [RowError(e.row, columns.get(e.column, e.column), e.message) for e in errors]
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
