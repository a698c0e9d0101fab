"""When a push may be delivered (DOMAIN 4.6): 09:00–20:00 in the project's time zone, and for
staff only on their working days."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.calendar.workdays import WorkCalendar, calendar_for
from storage.uow import UnitOfWork

WINDOW_START, WINDOW_END = time(9, 0), time(20, 0)
WINDOW_LENGTH = datetime.combine(date.min, WINDOW_END) - datetime.combine(date.min, WINDOW_START)  # 11 h


def delivery_time(now: datetime, timezone: str) -> datetime:
    """The earliest moment inside the delivery window."""
    local = now.astimezone(ZoneInfo(timezone))
    if local.time() < WINDOW_START:
        local = datetime.combine(local.date(), WINDOW_START, local.tzinfo)
    elif local.time() >= WINDOW_END:
        local = datetime.combine(local.date() + timedelta(days=1), WINDOW_START, local.tzinfo)
    return local.astimezone(now.tzinfo)


def delivery_window(now: datetime, timezone: str) -> tuple[datetime, datetime]:
    """The delivery window a push planned ``now`` goes out in: from the earliest moment inside it
    (``delivery_time``) to 20:00 local that day (``outbox.send_until``: unsent by then, it waits
    for the next window, or is dropped if its day has passed)."""
    start = delivery_time(now, timezone)
    local = start.astimezone(ZoneInfo(timezone))
    end = datetime.combine(local.date(), WINDOW_END, local.tzinfo)
    return start, end.astimezone(now.tzinfo)


def next_window(send_until: datetime, now: datetime) -> tuple[datetime, datetime]:
    """The first delivery window ending after ``now``, for a row whose window ended at ``send_until``
    (20:00 local): (its 09:00, its 20:00). Plain arithmetic, no zone: the window is 09:00–20:00,
    so the next one opens 13 h after this one's end and ends 24 h after it — exact where the clocks
    do not change (China, Hong Kong and Taiwan have no DST); elsewhere a night with a change would
    shift that one window by its hour."""
    days = max(1, (now - send_until) // timedelta(days=1) + 1)
    until = send_until + timedelta(days=days)
    return until - WINDOW_LENGTH, until


def working_delivery_time(now: datetime, timezone: str, calendar: WorkCalendar) -> datetime:
    """Staff are not pushed on their days off: the window of the next working day."""
    moment = delivery_time(now, timezone)
    local = moment.astimezone(ZoneInfo(timezone))
    if not calendar.is_working_day(local.date()):
        day = calendar.next_working_day_on_or_after(local.date())
        moment = datetime.combine(day, WINDOW_START, local.tzinfo).astimezone(now.tzinfo)
    return moment


DEFAULT_ZONE, DEFAULT_REGION = "Asia/Shanghai", "CN"  # a case or campaign without a project


async def project_place(uow: UnitOfWork, project_id: int | None) -> tuple[str, str]:
    """The project's time zone and working-day region (the defaults without a project)."""
    project = await uow.projects.get(project_id) if project_id else None
    return (project.timezone, project.region) if project else (DEFAULT_ZONE, DEFAULT_REGION)


async def staff_delivery_time(uow: UnitOfWork, project_id: int | None, now: datetime) -> datetime:
    """When a push about the project may reach its staff: the window of a working day there."""
    zone, region = await project_place(uow, project_id)
    return working_delivery_time(now, zone, await calendar_for(uow, region))
