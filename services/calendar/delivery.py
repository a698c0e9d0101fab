"""When a push may be delivered (DOMAIN 4.6): 09:00–20:00 in the project's time zone, and for
staff only on their working days."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.calendar.workdays import WorkCalendar

WINDOW_START, WINDOW_END = time(9, 0), time(20, 0)


def delivery_time(now: datetime, timezone: str) -> datetime:
    """The earliest moment inside the delivery window."""
    local = now.astimezone(ZoneInfo(timezone))
    if local.time() < WINDOW_START:
        local = datetime.combine(local.date(), WINDOW_START, local.tzinfo)
    elif local.time() >= WINDOW_END:
        local = datetime.combine(local.date() + timedelta(days=1), WINDOW_START, local.tzinfo)
    return local.astimezone(now.tzinfo)


def working_delivery_time(now: datetime, timezone: str, calendar: WorkCalendar) -> datetime:
    """Staff are not pushed on their days off: the window of the next working day."""
    moment = delivery_time(now, timezone)
    local = moment.astimezone(ZoneInfo(timezone))
    if not calendar.is_working_day(local.date()):
        day = calendar.next_working_day_on_or_after(local.date())
        moment = datetime.combine(day, WINDOW_START, local.tzinfo).astimezone(now.tzinfo)
    return moment
