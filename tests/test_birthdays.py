"""DOMAIN 4.7: each year's birthday, against known dates and over the whole range 1901–2099."""

from __future__ import annotations

from calendar import isleap
from datetime import date, timedelta

import pytest
from borax.calendars.lunardate import LCalendars, LunarDate
from hypothesis import given
from hypothesis import strategies as st

from services.care.birthdays import birthday_in, birthdays_in_solar_year, lunar_birthdays_on, next_birthday

SOLAR, LUNAR = "solar", "lunar"


@pytest.mark.parametrize(
    ("lunar_year", "spring_festival"),
    [(2024, date(2024, 2, 10)), (2025, date(2025, 1, 29)), (2026, date(2026, 2, 17)), (2027, date(2027, 2, 6))],
)
def test_spring_festival_is_the_first_day_of_the_first_month(lunar_year: int, spring_festival: date) -> None:
    assert birthday_in(lunar_year, LUNAR, 1, 1) == spring_festival


def test_a_leap_sixth_month_birthday_is_celebrated_in_the_regular_sixth_month() -> None:
    # 2025 has a 闰六月, which began on 2025-07-25; the birthday stays in the regular 六月 (初一 = 2025-06-25).
    assert LunarDate(2025, 6, 1, 1).to_solar_date() == date(2025, 7, 25)
    assert birthday_in(2025, LUNAR, 6, 1, leap=True) == date(2025, 6, 25)
    assert birthday_in(2025, LUNAR, 6, 1, leap=True) == birthday_in(2025, LUNAR, 6, 1, leap=False)


def test_a_leap_eleventh_month_birthday_is_celebrated_in_the_regular_eleventh_month() -> None:
    # 闰十一月初一 2033 is 2033-12-22; the regular 十一月初一 is a month earlier.
    assert LunarDate(2033, 11, 1, 1).to_solar_date() == date(2033, 12, 22)
    assert birthday_in(2033, LUNAR, 11, 1, leap=True) == date(2033, 11, 22)


def test_day_thirty_of_a_29_day_twelfth_month_is_celebrated_on_day_29() -> None:
    assert LCalendars.ndays(2025, 12, 0) == 29  # 腊月 of lunar 2025 has no 三十
    assert birthday_in(2025, LUNAR, 12, 30) == birthday_in(2025, LUNAR, 12, 29) == date(2026, 2, 16)
    assert LCalendars.ndays(2029, 12, 0) == 30  # …while that of 2029 has one
    assert birthday_in(2029, LUNAR, 12, 30) == birthday_in(2029, LUNAR, 12, 29) + timedelta(days=1)


def test_a_leap_fourth_month_birthday_comes_every_year() -> None:
    # Born 闰四月初十 2020 (2020-06-01). borax's BirthdayCalculator follows the leap month and gives the next
    # birthday as 2058-05-31 (the next 闰四月); DOMAIN 4.7 celebrates the regular 四月初十 every year.
    for year in range(2021, 2058):
        when = birthday_in(year, LUNAR, 4, 10, leap=True)
        assert LunarDate.from_solar_date(when.year, when.month, when.day) == LunarDate(year, 4, 10, 0)
    assert birthday_in(2026, LUNAR, 4, 10, leap=True) == date(2026, 5, 26)


def test_29_february_is_celebrated_on_28_february_in_common_years() -> None:
    assert birthday_in(2027, SOLAR, 2, 29) == date(2027, 2, 28)
    assert birthday_in(2028, SOLAR, 2, 29) == date(2028, 2, 29)
    assert birthday_in(2100, SOLAR, 2, 29) == date(2100, 2, 28)  # a century year that is not leap


def test_a_twelfth_month_birthday_of_lunar_2025_falls_in_solar_2026() -> None:
    assert birthday_in(2025, LUNAR, 12, 20) == date(2026, 2, 7)
    assert birthdays_in_solar_year(2026, LUNAR, 12, 20) == (date(2026, 2, 7),)
    assert date(2026, 2, 7) not in birthdays_in_solar_year(2025, LUNAR, 12, 20)


def test_a_solar_year_may_hold_two_lunar_birthdays_or_none() -> None:
    # 腊月初一: lunar 2023's is 2024-01-11 and lunar 2024's 2024-12-31, so solar 2025 has none.
    assert birthdays_in_solar_year(2024, LUNAR, 12, 1) == (date(2024, 1, 11), date(2024, 12, 31))
    assert birthdays_in_solar_year(2025, LUNAR, 12, 1) == ()
    assert next_birthday(date(2025, 1, 1), LUNAR, 12, 1) == date(2026, 1, 19)


def test_next_birthday_is_this_years_until_it_has_passed() -> None:
    assert next_birthday(date(2026, 5, 1), SOLAR, 5, 1) == date(2026, 5, 1)
    assert next_birthday(date(2026, 5, 2), SOLAR, 5, 1) == date(2027, 5, 1)
    assert next_birthday(date(2027, 3, 1), SOLAR, 2, 29) == date(2028, 2, 29)
    assert next_birthday(date(2026, 1, 1), LUNAR, 1, 1) == date(2026, 2, 17)
    assert next_birthday(date(2026, 2, 18), LUNAR, 1, 1) == date(2027, 2, 6)
    # In January the 腊月 birthday of the previous lunar year is still ahead.
    assert next_birthday(date(2026, 1, 1), LUNAR, 12, 20) == date(2026, 2, 7)
    assert next_birthday(date(2026, 2, 8), LUNAR, 12, 20) == birthday_in(2026, LUNAR, 12, 20)


def _due(day: date) -> set[tuple[int, int, int]]:
    """(lunar year, month, day) of the stored lunar birthdays ``lunar_birthdays_on`` selects for ``day``."""
    found = lunar_birthdays_on(day)
    return set() if found is None else {(found.year, found.month, d) for d in found.days}


def test_the_lunar_birthdays_of_a_day_include_spring_festival_and_the_leap_month_fallback() -> None:
    for spring_festival in (date(2024, 2, 10), date(2025, 1, 29), date(2026, 2, 17), date(2027, 2, 6)):
        assert _due(spring_festival) == {(spring_festival.year, 1, 1)}
    # 闰六月初一 2025 (2025-07-25) and 闰十一月初一 2033 (2033-12-22) are nobody's birthday: leap-month
    # birthdays are celebrated in the regular month, whose 初一 selects them (any leap flag).
    assert lunar_birthdays_on(date(2025, 7, 25)) is None
    assert lunar_birthdays_on(date(2033, 12, 22)) is None
    assert _due(date(2025, 6, 25)) == {(2025, 6, 1)}
    assert _due(date(2033, 11, 22)) == {(2033, 11, 1)}


def test_day_29_of_a_29_day_month_celebrates_day_30_too() -> None:
    # 腊月 of lunar 2025 has 29 days: its 二十九 (2026-02-16) is also the 三十's birthday; lunar 2029's has 30.
    assert _due(date(2026, 2, 16)) == {(2025, 12, 29), (2025, 12, 30)}
    thirtieth = birthday_in(2029, LUNAR, 12, 30)
    assert _due(thirtieth - timedelta(days=1)) == {(2029, 12, 29)}
    assert _due(thirtieth) == {(2029, 12, 30)}


def test_a_day_in_january_before_spring_festival_belongs_to_the_previous_lunar_year() -> None:
    # 腊月初一: lunar 2023's fell on 2024-01-11, lunar 2024's on 2024-12-31.
    assert _due(date(2024, 1, 11)) == {(2023, 12, 1)}
    assert _due(date(2024, 12, 31)) == {(2024, 12, 1)}


def test_the_lunar_birthdays_of_each_day_are_exactly_those_converted_to_it() -> None:
    # The inverse of birthday_in over every stored month and day (1–30) of lunar years 2019–2051:
    # every solar day of 2020–2050 selects exactly the birthdays that convert to it.
    converted: dict[date, set[tuple[int, int, int]]] = {}
    for year in range(2019, 2052):
        for month in range(1, 13):
            for day in range(1, 31):
                converted.setdefault(birthday_in(year, LUNAR, month, day), set()).add((year, month, day))
    solar = date(2020, 1, 1)
    while solar <= date(2050, 12, 31):
        assert _due(solar) == converted.get(solar, set()), solar
        solar += timedelta(days=1)


def test_impossible_dates_are_refused() -> None:
    for calendar, month, day in ((SOLAR, 2, 30), (SOLAR, 13, 1), (LUNAR, 13, 1), (LUNAR, 1, 31), (LUNAR, 0, 1)):
        with pytest.raises(ValueError):
            birthday_in(2026, calendar, month, day)
    with pytest.raises(ValueError):
        birthday_in(2026, "julian", 1, 1)


years = st.integers(min_value=1901, max_value=2099)


@given(years, st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=30), st.booleans())
def test_a_lunar_birthday_falls_within_its_lunar_year_in_the_regular_month(
    year: int, month: int, day: int, leap: bool
) -> None:
    when = birthday_in(year, LUNAR, month, day, leap)
    assert birthday_in(year, LUNAR, 1, 1) <= when < birthday_in(year + 1, LUNAR, 1, 1)
    lunar = LunarDate.from_solar_date(when.year, when.month, when.day)
    assert (lunar.year, lunar.month, lunar.leap) == (year, month, 0)
    assert lunar.day == min(day, LCalendars.ndays(year, month, 0))


@given(years, st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=31))
def test_a_solar_birthday_lands_on_its_month_and_day(year: int, month: int, day: int) -> None:
    try:
        date(2000, month, day)  # a date some year has
    except ValueError:
        return
    when = birthday_in(year, SOLAR, month, day)
    if (month, day) == (2, 29) and not isleap(year):
        assert when == date(year, 2, 28)
    else:
        assert when == date(year, month, day)


@given(
    st.dates(min_value=date(1901, 3, 1), max_value=date(2099, 12, 31)),
    st.sampled_from([SOLAR, LUNAR]),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=28),
    st.booleans(),
)
def test_next_birthday_is_the_first_not_passed(on: date, calendar: str, month: int, day: int, leap: bool) -> None:
    when = next_birthday(on, calendar, month, day, leap)
    assert on <= when < on + timedelta(days=400)
    assert when in birthdays_in_solar_year(when.year, calendar, month, day, leap)
    # No birthday lies between `on` and the one returned.
    earlier = [d for y in (on.year, when.year) for d in birthdays_in_solar_year(y, calendar, month, day, leap)]
    assert all(d < on or d >= when for d in earlier)
