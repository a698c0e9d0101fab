"""Working-day calendars: the package's CN schedule (调休) for 2025-2026, assumed later years, admin-loaded
schedules on both databases, HK/MO/TW holidays, deadlines, the missing-schedule warning and the admin CLI.

Expected dates are worked out by hand from the State Council's notices (国务院办公厅关于2025年/2026年部分节假日
安排的通知) and the Hong Kong / Taiwan holiday lists; each test says how.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.cli import main
from services.calendar import schedule_import, workdays
from services.calendar.deadlines import due_after_calendar_days, due_after_working_days
from services.calendar.schedule_import import (
    LoadReport,
    load_calendar,
    read_calendar_csv,
    validate_calendar_rows,
    year_summary,
)
from services.calendar.workdays import (
    DayOverride,
    WorkCalendar,
    calendar_for,
    missing_schedule_warning,
    missing_schedule_warning_for,
    package_schedule_until,
)
from services.people import admin
from storage.models import CalendarDay, CalendarYear
from storage.uow import UnitOfWork
from tests.conftest import NOW

UowFactory = Callable[[], UnitOfWork]
SHANGHAI = "Asia/Shanghai"
CN = WorkCalendar("CN")
LAST_PUBLISHED: int = package_schedule_until("CN") or 0
assert LAST_PUBLISHED >= 2026, "holidays>=0.92 carries the 2026 schedule"
# The hand-worked 2027 expectations assume the package does not know 2027 yet (it will after Nov 2026).
package_knows_2027 = pytest.mark.skipif(LAST_PUBLISHED >= 2027, reason="the holidays package now has 2027")


def _at(day: date, hour: int = 10, tz: str = SHANGHAI) -> datetime:
    """A local time in the project's zone, as the clock would give it (UTC)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# A made-up 2027 notice for the tests (the real one is not out): 国庆 10-01..10-07 off, 09-26 (Sun) and
# 10-09 (Sat) worked; 中秋 09-15 off.
SCHEDULE_2027: list[dict[str, str]] = [
    {"date": "2027-09-15", "working": "0", "name": "中秋节"},
    {"date": "2027-09-26", "working": "1", "name": ""},
    *({"date": f"2027-10-0{d}", "working": "0", "name": "国庆节"} for d in range(1, 8)),
    {"date": "2027-10-09", "working": "1", "name": ""},
]


# ---------------------------------------------------------------- what the package says about CN


ADJUSTED_WORKING_WEEKENDS = {
    2025: [date(2025, 1, 26), date(2025, 2, 8), date(2025, 4, 27), date(2025, 9, 28), date(2025, 10, 11)],
    2026: [date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9), date(2026, 9, 20),
           date(2026, 10, 10)],
}


@pytest.mark.parametrize("year", [2025, 2026])
def test_cn_working_weekends_are_exactly_the_official_ones(year: int) -> None:
    working_weekends = [day.day for day in CN.special_days(year) if day.working]
    assert working_weekends == ADJUSTED_WORKING_WEEKENDS[year]
    assert all(day.weekday() >= 5 for day in working_weekends)
    assert CN.schedule_known(year) and CN.schedule_status(year) == "published"


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (date(2025, 1, 28), date(2025, 2, 4)),  # 春节 2025: 1-28 (除夕) .. 2-4
        (date(2025, 10, 1), date(2025, 10, 8)),  # 国庆+中秋 2025
        (date(2026, 2, 15), date(2026, 2, 23)),  # 春节 2026: 2-15 .. 2-23, nine days
        (date(2026, 10, 1), date(2026, 10, 7)),  # 国庆 2026
        (date(2026, 5, 1), date(2026, 5, 5)),  # 劳动节 2026
    ],
)
def test_cn_golden_weeks_are_off(first: date, last: date) -> None:
    assert not any(CN.is_working_day(day) for day in _days(first, last))
    assert CN.is_working_day(first - timedelta(days=1)) and CN.is_working_day(last + timedelta(days=1))


def test_a_weekday_holiday_has_its_name_and_a_plain_weekend_none() -> None:
    assert CN.holiday_name(date(2025, 10, 1)) == "国庆节"
    assert CN.holiday_name(date(2026, 10, 6)) == "休息日（由 2026-09-20 调休）"
    assert CN.holiday_name(date(2026, 3, 7)) is None  # an ordinary Saturday
    assert CN.holiday_name(date(2026, 2, 14)) is None  # worked


# ---------------------------------------------------------------- counting


def test_national_day_2025() -> None:
    # Tue 09-30 is worked; 10-01..10-08 off; Thu 10-09 (1), Fri 10-10 (2), Sat 10-11 is worked (3).
    assert CN.add_working_days(date(2025, 9, 30), 3) == date(2025, 10, 11)
    assert due_after_working_days(CN, _at(date(2025, 9, 30)), 3, SHANGHAI) == date(2025, 10, 11)
    # Sun 09-28 is a working day, so it is day 0: Mon 09-29 (1), Tue 09-30 (2), Thu 10-09 (3).
    assert due_after_working_days(CN, _at(date(2025, 9, 28)), 3, SHANGHAI) == date(2025, 10, 9)
    # One week from 09-30 is 10-07, a holiday: the period ends on the next working day, 10-09.
    assert due_after_calendar_days(CN, _at(date(2025, 9, 30)), 7, SHANGHAI) == date(2025, 10, 9)
    assert CN.note_for(date(2025, 9, 30), date(2025, 10, 11)) is None


def test_national_day_2026() -> None:
    # Wed 09-30; 10-01..10-07 off; Thu 10-08 (1), Fri 10-09 (2), Sat 10-10 is worked (3).
    assert due_after_working_days(CN, _at(date(2026, 9, 30)), 3, SHANGHAI) == date(2026, 10, 10)
    # Fri 09-18: Sun 09-20 is worked (1), Mon 09-21 (2), Tue 09-22 (3).
    assert due_after_working_days(CN, _at(date(2026, 9, 18)), 3, SHANGHAI) == date(2026, 9, 22)
    # Mid-Autumn Fri 09-25 is off: Wed 09-23 → Thu 09-24 (1), Mon 09-28 (2), Tue 09-29 (3).
    assert CN.add_working_days(date(2026, 9, 23), 3) == date(2026, 9, 29)


def test_spring_festival_2026_with_its_working_saturdays() -> None:
    # Fri 02-13: Sat 02-14 is worked (1), 02-15..02-23 off, Tue 02-24 (2), Wed 02-25 (3).
    assert due_after_working_days(CN, _at(date(2026, 2, 13)), 3, SHANGHAI) == date(2026, 2, 25)
    # Thu 02-26: Fri 02-27 (1), Sat 02-28 is worked (2), Mon 03-02 (3).
    assert due_after_working_days(CN, _at(date(2026, 2, 26)), 3, SHANGHAI) == date(2026, 3, 2)
    # A complaint on the working Saturday 02-14 counts from that day: 02-24 (1), 02-25 (2), 02-26 (3).
    assert due_after_working_days(CN, _at(date(2026, 2, 14)), 3, SHANGHAI) == date(2026, 2, 26)
    # One week: Tue 02-10 + 7 = 02-17 (春节) → Tue 02-24; Sat 02-07 + 7 = Sat 02-14, a working day, stays.
    assert due_after_calendar_days(CN, _at(date(2026, 2, 10)), 7, SHANGHAI) == date(2026, 2, 24)
    assert due_after_calendar_days(CN, _at(date(2026, 2, 7)), 7, SHANGHAI) == date(2026, 2, 14)
    assert CN.working_days_between(date(2026, 2, 13), date(2026, 2, 28)) == 6  # 14, 24, 25, 26, 27, 28


def test_a_weekend_complaint_counts_from_monday() -> None:
    monday = date(2026, 3, 9)
    # Monday morning: Monday is day 0 → Thursday.
    assert due_after_working_days(CN, _at(monday, 9), 3, SHANGHAI) == date(2026, 3, 12)
    # Saturday or Sunday night: as if received on Monday → Thursday too.
    assert due_after_working_days(CN, _at(date(2026, 3, 7), 15), 3, SHANGHAI) == date(2026, 3, 12)
    assert due_after_working_days(CN, _at(date(2026, 3, 8), 23), 3, SHANGHAI) == date(2026, 3, 12)
    # One week from Saturday is the next Saturday → the Monday after.
    assert due_after_calendar_days(CN, _at(date(2026, 3, 7)), 7, SHANGHAI) == date(2026, 3, 16)
    # A week from Monday is Monday: the receiving day is not counted.
    assert due_after_calendar_days(CN, _at(monday), 7, SHANGHAI) == date(2026, 3, 16)


def test_the_receiving_day_is_the_projects_local_date() -> None:
    received = datetime(2025, 9, 29, 17, 0, tzinfo=UTC)  # 01:00 on Tue 09-30 in Shanghai
    assert due_after_working_days(CN, received, 3, SHANGHAI) == date(2025, 10, 11)
    # Counted from Mon 09-29 instead: 09-30 (1), 10-09 (2), 10-10 (3).
    assert due_after_working_days(CN, received, 3, "UTC") == date(2025, 10, 10)
    with pytest.raises(ValueError, match="naive"):
        due_after_working_days(CN, datetime(2025, 9, 30, 10), 3, SHANGHAI)


def test_add_working_days_edges() -> None:
    saturday, monday = date(2026, 3, 7), date(2026, 3, 9)
    assert CN.add_working_days(monday, 0) == monday
    assert CN.add_working_days(saturday, 0) == monday
    assert CN.add_working_days(saturday, 1) == monday
    assert CN.next_working_day_on_or_after(date(2025, 10, 1)) == date(2025, 10, 9)
    assert CN.next_working_day_on_or_after(monday) == monday
    with pytest.raises(ValueError):
        CN.add_working_days(monday, -1)
    assert CN.working_days_between(monday, monday) == 0
    assert CN.working_days_between(date(2026, 3, 13), saturday) == -5  # Mon 9 .. Fri 13 counted, reversed


@pytest.mark.parametrize("region", workdays.REGIONS)
def test_working_days_between_inverts_add_working_days(region: str) -> None:
    calendar = WorkCalendar(region)
    for start in _days(date(2025, 12, 20), date(2026, 3, 10)) + _days(date(2026, 9, 15), date(2026, 10, 15)):
        for n in (1, 3, 5):
            due = calendar.add_working_days(start, n)
            assert calendar.is_working_day(due)
            assert calendar.working_days_between(start, due) == n
            assert calendar.working_days_between(start, due - timedelta(days=1)) == n - 1


# ---------------------------------------------------------------- years without a published schedule


def test_the_first_unpublished_year_assumes_statutory_holidays_without_adjusted_weekends() -> None:
    year = LAST_PUBLISHED + 1
    assert not CN.schedule_known(year) and CN.schedule_status(year) == "assumed"
    special = CN.special_days(year)
    assert special and not any(day.working for day in special)  # no working weekends
    assert {"元旦", "国庆节", "春节"} <= {day.name for day in special}
    assert CN.note_for(date(year - 1, 12, 30), date(year, 1, 6)) == (
        f"schedule for {year} not yet published; statutory holidays assumed")
    assert CN.note_for(date(year - 1, 3, 1), date(year - 1, 3, 6)) is None


@package_knows_2027
def test_national_day_2027_by_rule() -> None:
    # Fri 10-01 off, weekend, Mon 10-04 and Tue 10-05 made up for 10-02/10-03 (补假): Wed 10-06 (1),
    # Thu 10-07 (2), Fri 10-08 (3).
    received = _at(date(2027, 9, 30))
    due = due_after_working_days(CN, received, 3, SHANGHAI)
    assert due == date(2027, 10, 8)
    assert CN.note_for(received.date(), due) == "schedule for 2027 not yet published; statutory holidays assumed"
    assert not CN.is_working_day(date(2027, 10, 9))  # no adjusted working Saturday is assumed


def test_far_future_years_never_raise() -> None:
    for region in workdays.REGIONS:
        calendar = WorkCalendar(region)
        assert calendar.add_working_days(date(2099, 12, 24), 10) > date(2099, 12, 24)
        # Beyond the package's range only weekends are known.
        assert calendar.add_working_days(date(2150, 1, 2), 5) == date(2150, 1, 9)  # Fri → next Fri
        assert calendar.schedule_status(2150) == "assumed"
        assert calendar.note_for(date(2150, 1, 2), date(2151, 1, 9)) == (
            "schedules for 2150, 2151 not yet published; statutory holidays assumed")


# ---------------------------------------------------------------- loaded schedules (pure)


def _loaded_2027() -> WorkCalendar:
    rows, errors = validate_calendar_rows(SCHEDULE_2027)
    assert errors == []
    return WorkCalendar("CN", {row.day: DayOverride(row.working, row.name) for row in rows}, [2027])


def _check_loaded_2027(calendar: WorkCalendar) -> None:
    assert calendar.schedule_status(2027) == "loaded" and calendar.schedule_known(2027)
    # Thu 09-30: 10-01..10-07 off, Fri 10-08 (1), Sat 10-09 worked (2), Mon 10-11 (3).
    assert due_after_working_days(calendar, _at(date(2027, 9, 30)), 3, SHANGHAI) == date(2027, 10, 11)
    # Fri 09-24: Sun 09-26 worked (1), Mon 09-27 (2), Tue 09-28 (3).
    assert due_after_working_days(calendar, _at(date(2027, 9, 24)), 3, SHANGHAI) == date(2027, 9, 28)
    # One week from 09-30 is 10-07, now a holiday → Fri 10-08.
    assert due_after_calendar_days(calendar, _at(date(2027, 9, 30)), 7, SHANGHAI) == date(2027, 10, 8)
    # A day the file does not list follows the package: 端午 2027-06-09 by rule.
    assert not calendar.is_working_day(date(2027, 6, 9))
    assert calendar.holiday_name(date(2027, 10, 6)) == "国庆节"
    assert calendar.note_for(date(2027, 9, 30), date(2027, 10, 11)) is None
    loaded = [(day.day, day.working) for day in calendar.special_days(2027) if day.loaded]
    assert loaded == [(date(2027, 9, 15), False), (date(2027, 9, 26), True), (date(2027, 10, 1), False),
                      (date(2027, 10, 4), False), (date(2027, 10, 5), False), (date(2027, 10, 6), False),
                      (date(2027, 10, 7), False), (date(2027, 10, 9), True)]


@package_knows_2027
def test_the_same_2027_without_the_loaded_schedule() -> None:
    assert due_after_working_days(CN, _at(date(2027, 9, 24)), 3, SHANGHAI) == date(2027, 9, 29)
    assert due_after_calendar_days(CN, _at(date(2027, 9, 30)), 7, SHANGHAI) == date(2027, 10, 7)


def test_a_loaded_schedule_overrides_the_package() -> None:
    _check_loaded_2027(_loaded_2027())


def test_a_loaded_day_can_also_correct_a_published_year() -> None:
    calendar = WorkCalendar("CN", {date(2026, 10, 7): DayOverride(True)})
    assert calendar.is_working_day(date(2026, 10, 7)) and not CN.is_working_day(date(2026, 10, 7))
    assert calendar.schedule_status(2026) == "loaded"


def test_unknown_region() -> None:
    with pytest.raises(ValueError, match="unknown region"):
        WorkCalendar("JP")
    assert set(workdays.REGIONS) == set(admin.REGIONS)


def test_holiday_objects_are_cached_per_region_and_year() -> None:
    before = workdays._package_year.cache_info()
    WorkCalendar("CN").add_working_days(date(2026, 9, 30), 30)
    WorkCalendar("CN").add_working_days(date(2026, 9, 30), 30)
    after = workdays._package_year.cache_info()
    assert after.misses - before.misses <= 1  # 2026 at most, once
    assert after.hits - before.hits >= 60
    assert workdays._package_year("CN", 2026) is workdays._package_year("CN", 2026)


# ---------------------------------------------------------------- HK, MO, TW


HK, MO, TW = WorkCalendar("HK"), WorkCalendar("MO"), WorkCalendar("TW")


def test_hong_kong() -> None:
    # 國慶日 Wed 2025-10-01 off; the day *after* Mid-Autumn (Tue 10-07) is the holiday, not 10-06:
    # Thu 10-02 (1), Fri 10-03 (2), Mon 10-06 (3).
    assert due_after_working_days(HK, _at(date(2025, 9, 30), tz="Asia/Hong_Kong"), 3, "Asia/Hong_Kong") == (
        date(2025, 10, 6))
    assert HK.holiday_name(date(2025, 10, 7)) == "中秋節翌日"
    # Easter 2025 (general holidays): Good Friday 04-18, Saturday, Sunday, Easter Monday 04-21.
    assert HK.add_working_days(date(2025, 4, 17), 1) == date(2025, 4, 22)
    assert not HK.is_working_day(date(2025, 10, 4))  # offices close on Saturdays, unlike the package's HK weekend
    assert HK.schedule_known(2030) and HK.note_for(date(2030, 1, 1), date(2030, 2, 1)) is None
    assert missing_schedule_warning("HK", date(2026, 11, 1)) is None


def test_macau() -> None:
    # Fri 12-19 → Mon 12-22 (1), Tue 12-23 (2), then 聖誕節前日 Wed 12-24 and 聖誕節 Thu 12-25 are
    # public holidays → Fri 12-26 (3). (The 12-20 establishment day is a Saturday anyway.)
    assert MO.add_working_days(date(2025, 12, 19), 3) == date(2025, 12, 26)
    assert MO.holiday_name(date(2025, 12, 24)) == "聖誕節前日"


def test_taiwan() -> None:
    # 2025 Lunar New Year: 01-27 (moved from the make-up Saturday 02-08) .. 01-31 off, then a weekend.
    # Fri 01-24 → Mon 02-03 (1), Tue 02-04 (2), Wed 02-05 (3).
    assert due_after_working_days(TW, _at(date(2025, 1, 24), tz="Asia/Taipei"), 3, "Asia/Taipei") == date(2025, 2, 5)
    assert TW.is_working_day(date(2025, 2, 8))  # 補班
    assert not TW.is_working_day(date(2025, 10, 10))  # 國慶日
    assert TW.schedule_status(2027) == "published"


# ---------------------------------------------------------------- the missing-schedule warning


def test_missing_schedule_warning_from_the_first_of_november() -> None:
    year = LAST_PUBLISHED  # the last year the package knows; the next one is missing
    assert missing_schedule_warning("CN", date(year, 10, 31)) is None
    assert missing_schedule_warning("CN", date(year, 11, 1)) == year + 1
    assert missing_schedule_warning("CN", date(year, 12, 31)) == year + 1
    assert missing_schedule_warning("CN", date(year, 11, 1), loaded_years=[year + 1]) is None
    # Still missing in the new year: keep warning, it is being assumed now.
    assert missing_schedule_warning("CN", date(year + 1, 3, 1)) == year + 1
    assert missing_schedule_warning("CN", date(year + 1, 3, 1), loaded_years=[year + 1]) is None
    assert missing_schedule_warning("CN", date(year + 1, 11, 1), loaded_years=[year + 1]) == year + 2
    assert missing_schedule_warning("TW", date(year, 11, 1)) is None


# ---------------------------------------------------------------- reading and validating files


def test_validation_reports_every_bad_row() -> None:
    rows: list[Mapping[str, object]] = [
        {"date": "2027-10-01", "working": "0", "name": "国庆节"},  # row 2
        {"date": "2027-02-30", "working": "0"},  # 3: no such day
        {"date": "10/01/2027", "working": "休息"},  # 4: not ISO
        {"date": "2027-10-02", "working": "maybe"},  # 5
        {"date": "", "working": ""},  # 6: blank, skipped
        {"date": "2027-10-01", "working": "上班"},  # 7: duplicate of row 2
        {"date": "1999-10-01", "working": "1"},  # 8: out of range
        {"date": "2027-10-03", "working": "", "name": "x" * 101},  # 9
    ]
    parsed, errors = validate_calendar_rows(rows)
    assert [(error.row, error.column) for error in errors] == [
        (3, "date"), (4, "date"), (5, "working"), (7, "date"), (8, "date"), (9, "working"), (9, "name")]
    assert "no such day" in errors[0].message
    assert "2027-10-01 is already on row 2" in errors[3].message
    assert str(errors[2]) == "row 5, working: 'maybe' is not one of 1/0, yes/no, 上班/休息"
    assert [row.day for row in parsed] == [date(2027, 10, 1)]


@pytest.mark.parametrize(
    ("word", "working"),
    [("1", True), ("yes", True), ("YES", True), ("上班", True), ("补班", True),
     ("0", False), ("no", False), ("休息", False), ("放假", False), ("１", True)],
)
def test_working_words(word: str, working: bool) -> None:
    parsed, errors = validate_calendar_rows([{"date": "2027-01-01", "working": word}])
    assert errors == [] and parsed[0].working is working


def test_read_csv_with_chinese_headers_in_gb18030() -> None:
    text = "日期,上班,名称,备注x\n2027/10/1,休息,国庆节,a\n2027-10-09,上班,,b\n"
    rows = read_calendar_csv(text.encode("gb18030"))
    assert rows == [{"date": "2027/10/1", "working": "休息", "name": "国庆节"},
                    {"date": "2027-10-09", "working": "上班", "name": ""}]
    with pytest.raises(schedule_import.CalendarFileError, match="missing columns: working"):
        read_calendar_csv(b"date,name\n2027-10-01,x\n")


# ---------------------------------------------------------------- loading into the database


async def _count(uow_factory: UowFactory, model: type[CalendarDay] | type[CalendarYear]) -> int:
    async with uow_factory() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


async def _load(uow_factory: UowFactory, region: str, source: Path | list[dict[str, str]]) -> LoadReport:
    async with uow_factory() as uow:
        report = await load_calendar(uow, region, source, NOW)
        await uow.commit()
        return report


async def test_load_2027_and_build_the_calendar(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        if LAST_PUBLISHED == 2026:
            assert await missing_schedule_warning_for(uow, "CN", date(2026, 11, 1)) == 2027
    report = await _load(uow_factory, "CN", SCHEDULE_2027)
    assert report.ok and report.source == "rows"
    assert (report.rows, report.years, report.holidays, report.working_days, report.replaced_years) == (
        10, (2027,), 8, 2, ())
    if LAST_PUBLISHED == 2026:  # the package's 2027 weekday holidays the file leaves out stay holidays: say so
        [warning] = report.warnings
        assert warning.startswith("2027: 9 weekday holiday(s) by rule are not in the file")
        assert "2027-06-09 端午节" in warning

    async with uow_factory() as uow:
        calendar = await calendar_for(uow, "CN")
        assert await missing_schedule_warning_for(uow, "CN", date(2026, 11, 1)) is None
        assert await missing_schedule_warning_for(uow, "CN", date(2027, 11, 1)) == 2028
        summary = await year_summary(uow, "CN", 2027)
    _check_loaded_2027(calendar)
    assert (summary.status, summary.source, summary.loaded_at) == ("loaded", "rows", NOW)
    async with uow_factory() as uow:
        assert (await calendar_for(uow, "HK")).loaded_years == frozenset()  # other regions untouched


async def test_a_reload_replaces_the_same_years_only(uow_factory: UowFactory, tmp_path: Path) -> None:
    await _load(uow_factory, "CN", SCHEDULE_2027)
    await _load(uow_factory, "HK", [{"date": "2027-12-24", "working": "0", "name": "平安夜"}])
    await _load(uow_factory, "CN", [{"date": "2028-01-03", "working": "0", "name": "元旦"}])

    path = tmp_path / "2027.csv"
    path.write_text("date,working,name\n2027-10-01,0,国庆节\n2027-10-04,0,国庆节\n", encoding="utf-8-sig")
    report = await _load(uow_factory, "CN", path)
    assert report.ok and report.replaced_years == (2027,) and report.source == "2027.csv"
    assert await _count(uow_factory, CalendarDay) == 4
    async with uow_factory() as uow:
        calendar = await calendar_for(uow, "CN")
        assert calendar.loaded_years == {2027, 2028}
        assert calendar.is_working_day(date(2027, 10, 9)) is False  # back to an ordinary Saturday
        assert not calendar.is_working_day(date(2028, 1, 3))
        assert not (await calendar_for(uow, "HK")).is_working_day(date(2027, 12, 24))


async def test_a_bad_file_writes_nothing(uow_factory: UowFactory, tmp_path: Path) -> None:
    await _load(uow_factory, "CN", SCHEDULE_2027)
    path = tmp_path / "bad.csv"
    path.write_text("日期,上班,名称\n2027-10-01,休息,国庆节\n2027-13-01,休息,\n2028-01-03,maybe,\n",
                    encoding="utf-8")
    report = await _load(uow_factory, "CN", path)
    assert not report.ok
    assert [str(error) for error in report.errors] == [
        "row 3, 日期: no such day (month must be in 1..12)",  # as the file's header names it
        "row 4, 上班: 'maybe' is not one of 1/0, yes/no, 上班/休息",
    ]
    # The earlier load is intact and nothing of the bad file was written.
    assert await _count(uow_factory, CalendarDay) == len(SCHEDULE_2027)
    assert await _count(uow_factory, CalendarYear) == 1
    async with uow_factory() as uow:
        _check_loaded_2027(await calendar_for(uow, "CN"))

    for content, message in [(b"", "file: the file is empty"), (b"\xff\xfe\x00\x81", "file: the file is neither"),
                             (b"date,name\n", "row 1, header: missing columns: working"),
                             (b"date,working\n\n", "file: no days listed")]:
        path.write_bytes(content)
        report = await _load(uow_factory, "CN", path)
        assert report.errors and str(report.errors[0]).startswith(message), report.errors
    report = await _load(uow_factory, "CN", tmp_path / "absent.csv")
    [error] = report.errors
    assert (error.row, error.column) == (0, "file") and str(error).startswith("file: cannot read ")
    assert await _count(uow_factory, CalendarDay) == len(SCHEDULE_2027)


# ---------------------------------------------------------------- the admin CLI


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path) -> Path:
    """A migrated database (a copy of the template): admin commands do not migrate, `admin migrate` does."""
    path = tmp_path / "cli" / "estatebot.db"
    path.parent.mkdir()
    shutil.copy(sqlite_template, path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.chdir(tmp_path)  # no stray .env
    return path


def _sqlite_count(path: Path, table: str) -> int:
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        connection.close()


def test_cli_show_a_published_year(cli_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["admin", "calendar", "show", "CN", "2026"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("CN 2026: published schedule (holidays ")
    assert "2026-02-14\tSat\tworking" in lines
    assert "2026-02-16\tMon\tholiday\t农历除夕" in lines
    assert "2026-10-06\tTue\tholiday\t休息日（由 2026-09-20 调休）" in lines
    assert sum(1 for line in lines if "\tworking" in line) == 6
    assert not any(line.startswith("2026-03-07") for line in lines)  # plain weekends are not listed

    assert main(["admin", "calendar", "show", "hk", "2025"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("HK 2025: published schedule") and "2025-04-18\tFri\tholiday\t耶穌受難節" in out
    assert main(["admin", "calendar", "show", "CN", "1900"]) == 1
    assert "between 2000 and 2100" in capsys.readouterr().err


def test_cli_load_and_show(cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    year = LAST_PUBLISHED + 1
    assert main(["admin", "calendar", "show", "CN", str(year)]) == 0
    assert capsys.readouterr().out.startswith(f"CN {year}: assumed: schedule not yet published")

    bad = tmp_path / "bad.csv"
    bad.write_text(f"date,working,name\n{year}-10-01,0,国庆节\n{year}-10-32,0,\n{year}-10-01,1,\n", encoding="utf-8")
    assert main(["admin", "calendar", "load", "CN", str(bad)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "2 problem(s) found; nothing was loaded:" in err
    assert "row 3, date: no such day" in err and f"row 4, date: {year}-10-01 is already on row 2" in err
    assert _sqlite_count(cli_db, "calendar_days") == 0 and _sqlite_count(cli_db, "calendar_years") == 0

    good = tmp_path / f"{year}.csv"
    good.write_text("日期,上班,名称\n" + "".join(f"{year}-10-0{d},休息,国庆节\n" for d in range(1, 8))
                    + f"{year}-10-09,上班,\n", encoding="utf-8-sig")
    assert main(["admin", "calendar", "load", "cn", str(good)]) == 0
    out = capsys.readouterr().out
    assert f"loaded CN {year} from {year}.csv: 7 holiday(s), 1 working day(s)" in out
    assert "note: " in out  # the rule's other weekday holidays stay holidays
    assert _sqlite_count(cli_db, "calendar_days") == 8

    assert main(["admin", "calendar", "load", "CN", str(good)]) == 0
    assert f"(replacing the earlier load of {year})" in capsys.readouterr().out
    assert _sqlite_count(cli_db, "calendar_days") == 8

    assert main(["admin", "calendar", "show", "CN", str(year)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"CN {year}: loaded from {year}.csv at ")
    weekday_holiday = next(day for day in _days(date(year, 10, 1), date(year, 10, 7)) if day.weekday() < 5)
    assert any(line.startswith(f"{weekday_holiday}\t") and line.endswith("\tholiday\t国庆节\tloaded") for line in lines)
    if date(year, 10, 9).weekday() >= 5:
        assert f"{date(year, 10, 9)}\t{date(year, 10, 9):%a}\tworking\t\tloaded" in lines

    assert main(["admin", "calendar", "load", "CN", str(tmp_path / "missing.csv")]) == 1
    assert "no such file" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["admin", "calendar", "load", "JP", str(good)])
