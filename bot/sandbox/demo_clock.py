"""The sandbox's demo clock: when it starts and where the page can move it.

Staff are pushed only on working days between 09:00 and 20:00 (DOMAIN 4.6), so a demo clock that
started at the real time left a tester at night looking at staff chats where nothing arrives for
hours. The demo clock therefore starts inside working hours — at the real time when that is inside
them, otherwise at the next working morning, 09:00 — and then runs with real time plus that offset,
which the sandbox keeps across restarts (the clock never goes back: the database holds events at
the times it showed). The page moves it forward: by hours or days, or to the next working morning.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from services.calendar.delivery import WINDOW_END, WINDOW_START, working_delivery_time
from services.calendar.workdays import WorkCalendar


def in_working_hours(moment: datetime, timezone: str, calendar: WorkCalendar) -> bool:
    """Whether staff would be pushed at ``moment``: a working day, 09:00–20:00 in ``timezone``."""
    local = moment.astimezone(ZoneInfo(timezone))
    return calendar.is_working_day(local.date()) and WINDOW_START <= local.time() < WINDOW_END


def demo_start(real_now: datetime, timezone: str, calendar: WorkCalendar) -> datetime:
    """Where a new demo clock starts: the real time inside working hours, else the next working 09:00."""
    return working_delivery_time(real_now, timezone, calendar)


def next_working_morning(now: datetime, timezone: str, calendar: WorkCalendar) -> datetime:
    """09:00 of the next working day after today (today's, while it is still before 09:00 on one)."""
    local = now.astimezone(ZoneInfo(timezone))
    if local.time() < WINDOW_START and calendar.is_working_day(local.date()):
        return datetime.combine(local.date(), WINDOW_START, local.tzinfo).astimezone(now.tzinfo)
    day = calendar.next_working_day_on_or_after(local.date() + timedelta(days=1))
    return datetime.combine(day, WINDOW_START, local.tzinfo).astimezone(now.tzinfo)
