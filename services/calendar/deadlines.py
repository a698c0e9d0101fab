"""Deadlines on the working-day calendar: "within 3 working days", "within one week" (DOMAIN 1.3, 1.4)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from services.calendar.workdays import WorkCalendar


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
