"""An owner's birthday in a given year, as DOMAIN 4.7 wants it celebrated.

Birthdays are stored as entered (Owner.birthday_*): a solar month/day, or a lunar month/day with a
leap-month flag. Each year the lunar birthday is converted with borax's LunarDate (which agrees with
LunarCalendar on every day 1901–2099), applying the domain's fallbacks:
- day 30 in a 29-day lunar month is celebrated on day 29;
- a leap-month birthday is celebrated in the regular month of that number, every year;
- 29 February is celebrated on 28 February in common years.
borax's BirthdayCalculator is deliberately not used: it follows the leap month itself and so skips
years (闰四月初十 of 2020 has its next "birthday" in 2058, the next year with a 闰四月).

Lunar year Y runs from late January/February of solar Y to the same season of solar Y + 1, so the
birthday of lunar year Y falls in solar Y + 1 when it is early enough in the solar year (腊月, even
late 冬月): 腊月二十 of lunar 2025 is 2026-02-07. "The greeting of solar year N" is the lunar birthday
whose solar date falls in N (birthdays_in_solar_year). Because lunar years are 354–385 days long, a
solar year holds one such date, rarely two (a lunar birthday early in January and again late in
December) or none; next_birthday never needs the solar year: it takes the earliest date not passed.
"""

from __future__ import annotations

import calendar as solar_calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from borax.calendars.lunardate import LCalendars, LunarDate


class BirthdayCalendar(StrEnum):
    SOLAR = "solar"
    LUNAR = "lunar"


def birthday_in(year: int, calendar: str, month: int, day: int, leap: bool = False) -> date:
    """The solar date of the birthday in `year` — a solar year for a solar birthday, a lunar year for
    a lunar one (whose date may then fall in January/February of `year` + 1).

    ValueError for a month/day that no calendar has (month 13, lunar day 31, 30 February), or for a
    lunar year outside borax's tables (1900–2100)."""
    kind = BirthdayCalendar(calendar)
    if kind is BirthdayCalendar.SOLAR:
        if (month, day) == (2, 29) and not solar_calendar.isleap(year):
            return date(year, 2, 28)
        return date(year, month, day)
    # The leap flag is ignored on purpose: a 闰月 birthday is celebrated in the regular month.
    del leap
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise ValueError(f"no lunar month {month} day {day}")
    days_in_month = LCalendars.ndays(year, month, 0)
    solar: date = LunarDate(year, month, min(day, days_in_month), 0).to_solar_date()
    return solar


def birthdays_in_solar_year(
    solar_year: int, calendar: str, month: int, day: int, leap: bool = False
) -> tuple[date, ...]:
    """The birthdays whose solar date falls in `solar_year`, in order: exactly one for a solar
    birthday; zero, one or two for a lunar birthday (see the module's docstring)."""
    if BirthdayCalendar(calendar) is BirthdayCalendar.SOLAR:
        return (birthday_in(solar_year, calendar, month, day, leap),)
    candidates = (birthday_in(lunar_year, calendar, month, day, leap) for lunar_year in (solar_year - 1, solar_year))
    return tuple(when for when in candidates if when.year == solar_year)


def next_birthday(on: date, calendar: str, month: int, day: int, leap: bool = False) -> date:
    """The first birthday on or after `on`: this year's if not passed (today counts), else the next."""
    # The birthday of lunar year on.year - 1 may still be ahead (腊月 in January); the one of lunar
    # year on.year + 1 is always ahead when solar on.year + 1's is needed.
    years = (on.year - 1, on.year, on.year + 1) if calendar == BirthdayCalendar.LUNAR else (on.year, on.year + 1)
    return min(when for when in (birthday_in(year, calendar, month, day, leap) for year in years) if when >= on)


@dataclass(frozen=True)
class LunarBirthdaysOn:
    """The stored lunar birthdays celebrated on one solar day: those of lunar ``year`` with month
    ``month`` and a day in ``days`` (any leap flag)."""

    year: int
    month: int
    days: tuple[int, ...]


def lunar_birthdays_on(day: date) -> LunarBirthdaysOn | None:
    """Which stored lunar birthdays fall on solar ``day`` — the inverse of ``birthday_in``, so a
    planner selects those owners by month and day instead of converting every lunar birthday.

    The day's lunar date gives them: its month and day, whatever the stored leap flag (a leap-month
    birthday is celebrated in the regular month); on day 29 of a 29-day month, day 30 too. A day in
    a leap month is nobody's birthday. The lunar year is the day's own: that of solar year N - 1
    for a day in January or February before 春节."""
    lunar = LunarDate.from_solar_date(day.year, day.month, day.day)
    if lunar.leap:
        return None
    short = lunar.day == 29 and LCalendars.ndays(lunar.year, lunar.month, 0) == 29
    return LunarBirthdaysOn(lunar.year, lunar.month, (29, 30) if short else (lunar.day,))
