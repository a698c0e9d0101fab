"""The planner: turns deadlines into outbox rows (DESIGN "Pushes").

Run every few minutes on the injected clock. Each reminder has a key that makes planning
idempotent (``remind:progress:<ticket>:<due date>``), so running it again — or on another
instance — adds nothing; a moved deadline (an agreed extension) gets reminders of its own.
Pushes wait for the delivery window, 09:00–20:00 in the project's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dialogs.engine import Reply
from dialogs.text import N_, DateText, Lines, Msg
from services.calendar.delivery import delivery_time, working_delivery_time
from services.calendar.workdays import WorkCalendar, calendar_for, missing_schedule_warning_for
from services.cases.tickets import (
    REPAIR_WORK,
    SUPERVISOR_ROLES,
    Status,
    buttons_for,
    confirmation_buttons,
    confirmation_request,
    latest_resolution,
    record,
    staff_card,
    workers,
)
from services.people.roles import Department
from services.pushes import outbox
from storage.models import Project, Staff, Ticket
from storage.uow import UnitOfWork

CONFIRMATION_REMINDERS = 2  # "at most twice", then closed as not confirmed


@dataclass
class PlanReport:
    reminders: int = 0
    overdue: int = 0
    confirmation_reminders: int = 0
    closed_unconfirmed: int = 0
    keys: list[str] = field(default_factory=list)


async def plan(uow: UnitOfWork, now: datetime) -> PlanReport:
    """Plan every due reminder; the caller commits. On PostgreSQL one instance plans at a time."""
    report = PlanReport()
    if uow.outbox.dialect == "postgresql":
        from sqlalchemy import text

        locked = await uow.session.scalar(text("SELECT pg_try_advisory_xact_lock(7315001)"))
        if not locked:
            return report
    calendars: dict[str, WorkCalendar] = {}
    for each_project in await uow.projects.all():
        await _schedule_warning(uow, each_project, now, report)
    for ticket in await uow.tickets.open_tickets():
        project = await uow.projects.get(ticket.project_id) if ticket.project_id else None
        region, zone = (project.region, project.timezone) if project else ("CN", "Asia/Shanghai")
        if region not in calendars:
            calendars[region] = await calendar_for(uow, region)
        calendar = calendars[region]
        today = now.astimezone(ZoneInfo(zone)).date()
        if ticket.kind == "repair":
            await _repair(uow, ticket, today, calendar, zone, now, report)
        if ticket.status in (Status.NEW, Status.ACCEPTED):
            staff_at = working_delivery_time(now, zone, calendar)
            if ticket.progress_reported_at is None and ticket.progress_due:
                await _deadline(uow, ticket, "progress", ticket.progress_due, today, calendar, staff_at, now, report)
            if ticket.resolve_due:
                await _deadline(uow, ticket, "resolve", ticket.resolve_due, today, calendar, staff_at, now, report)
        elif ticket.status in REPAIR_WORK and ticket.resolve_due:
            staff_at = working_delivery_time(now, zone, calendar)
            await _deadline(uow, ticket, "resolve", ticket.resolve_due, today, calendar, staff_at, now, report)
        elif ticket.status == Status.RESOLVED and ticket.resolved_at is not None:
            await _confirmation(uow, ticket, today, calendar, zone, delivery_time(now, zone), now, report)
        elif ticket.status == Status.CONFIRMED and ticket.confirmed_at is not None:
            await _unrated(uow, ticket, today, calendar, zone, now, report)
    return report


async def _deadline(
    uow: UnitOfWork, ticket: Ticket, which: str, due: date, today: date, calendar: WorkCalendar,
    send_at: datetime, now: datetime, report: PlanReport,
) -> None:
    label = N_("Progress report") if which == "progress" else N_("Resolution")
    if today > due:
        key = f"overdue:{which}:{ticket.id}:{due.isoformat()}"
        people = await _supervisors(uow, ticket)
        headline = Msg(N_("⏰ Overdue: {what} for {number} was due {date}"),
                       {"what": Msg(label), "number": ticket.number, "date": DateText(due)})
        if await _send(uow, people, ticket, key, headline, send_at, now):
            report.overdue += 1
            report.keys.append(key)
        return
    # The working day before the deadline (or the deadline itself, if that comes first).
    reminder_day = _previous_working_day(calendar, due)
    if today >= reminder_day:
        key = f"remind:{which}:{ticket.id}:{due.isoformat()}"
        people = await workers(uow, ticket)
        headline = Msg(N_("⏳ Reminder: {what} for {number} is due {date}"),
                       {"what": Msg(label), "number": ticket.number, "date": DateText(due)})
        if await _send(uow, people, ticket, key, headline, send_at, now):
            report.reminders += 1
            report.keys.append(key)


async def _repair(
    uow: UnitOfWork, ticket: Ticket, today: date, calendar: WorkCalendar, zone: str, now: datetime,
    report: PlanReport,
) -> None:
    """Repairs: an overdue site survey goes to the supervisors; a cost approval waiting over a working
    day is sent to its approvers again; the callback is customer service's task when it falls due."""
    staff_at = working_delivery_time(now, zone, calendar)
    if ticket.status == Status.SURVEY and ticket.progress_due and today > ticket.progress_due:
        key = f"overdue:progress:{ticket.id}:{ticket.progress_due.isoformat()}"
        headline = Msg(N_("⏰ Overdue: the site survey of {number} was due {date}"),
                       {"number": ticket.number, "date": DateText(ticket.progress_due)})
        if await _send(uow, await _supervisors(uow, ticket), ticket, key, headline, staff_at, now):
            report.overdue += 1
            report.keys.append(key)
    approval = await uow.repairs.pending_approval(ticket.id) if ticket.status in (Status.APPROVAL, Status.COMPLETED) \
        else None
    if approval is not None:
        asked_on = approval.created_at.astimezone(ZoneInfo(zone)).date()
        waiting = next((s for s in approval.steps if s["status"] == "pending"), None)
        if waiting is not None and calendar.working_days_between(asked_on, today) >= 1:
            from services.repairs.flow import approvers_of

            key = f"remind:approval:{approval.id}:{waiting['step']}"
            headline = Msg(N_("⏳ Reminder: the cost of {number} waits for your approval"), {"number": ticket.number})
            if await _send(uow, await approvers_of(uow, ticket, waiting["step"]), ticket, key, headline, staff_at, now):
                report.reminders += 1
                report.keys.append(key)
    if ticket.status == Status.CONFIRMED:
        repair = await uow.repairs.get(ticket.id)
        if repair is not None and repair.callback_at is None and repair.callback_due and today >= repair.callback_due:
            key = f"callback:{ticket.id}"
            people = list(await uow.staff.reachable(ticket.project_id, departments=[Department.CUSTOMER_SERVICE]))
            headline = Msg(N_("📞 Callback due today: ask the owner of {number} to rate the repair"),
                           {"number": ticket.number})
            if await _send(uow, people, ticket, key, headline, staff_at, now):
                report.reminders += 1
                report.keys.append(key)


def _previous_working_day(calendar: WorkCalendar, day: date) -> date:
    candidate = day - timedelta(days=1)
    for _ in range(30):
        if calendar.is_working_day(candidate):
            return candidate
        candidate -= timedelta(days=1)
    return day


async def _supervisors(uow: UnitOfWork, ticket: Ticket) -> list[Staff]:
    """The lead department's managers and customer service's managers (DOMAIN 4.5)."""
    people = await uow.staff.reachable(
        ticket.project_id, departments=[ticket.lead_department, Department.CUSTOMER_SERVICE],
        roles=list(SUPERVISOR_ROLES),
    )
    return list(people)


async def _send(
    uow: UnitOfWork, people: list[Staff], ticket: Ticket, key: str, headline: Msg, send_at: datetime, now: datetime
) -> bool:
    card = await staff_card(uow, ticket, headline)
    added = False
    for person in people:
        if person.chat_id is None:
            continue
        added |= await outbox.enqueue(
            uow, key=f"{key}:staff:{person.id}", chat_id=person.chat_id, reply=Reply(card, await buttons_for(uow, person, ticket)),
            now=now, not_before=send_at, staff_id=person.id,
        )
    return added


async def _confirmation(
    uow: UnitOfWork, ticket: Ticket, today: date, calendar: WorkCalendar, zone: str, send_at: datetime,
    now: datetime, report: PlanReport,
) -> None:
    """Remind the owner to confirm after 1 and 2 working days; close as not confirmed after 3."""
    assert ticket.resolved_at is not None
    resolved_on = ticket.resolved_at.astimezone(ZoneInfo(zone)).date()
    waited = calendar.working_days_between(resolved_on, today)
    owner = await uow.owners.get(ticket.owner_id) if ticket.owner_id else None
    if waited > CONFIRMATION_REMINDERS:
        # Re-read under a row lock: the owner may be answering right now (PostgreSQL).
        locked = await uow.tickets.get(ticket.id, lock=True, fresh=True)
        if locked is None or locked.status != Status.RESOLVED or locked.resolved_at != ticket.resolved_at:
            return
        locked.status, locked.closed_at = Status.UNCONFIRMED, now
        reminded = await uow.outbox.count_sent(f"confirm:{ticket.id}:{ticket.resolved_at.isoformat()}:")
        await record(uow, locked, "closed_unconfirmed", now, reminders=reminded)
        report.closed_unconfirmed += 1
        return
    resolution = await latest_resolution(uow, ticket)
    if waited < 1 or owner is None or owner.chat_id is None or resolution is None:
        return
    n = min(waited, CONFIRMATION_REMINDERS)  # one reminder per working day waited, at most two
    key = f"confirm:{ticket.id}:{ticket.resolved_at.isoformat()}:{n}"
    text = Msg(N_("Reminder: please tell us whether {number} is resolved."), {"number": ticket.number})
    reply = Reply(Lines((text, confirmation_request(ticket))), confirmation_buttons(ticket, resolution))
    if await outbox.enqueue(uow, key=key, chat_id=owner.chat_id, reply=reply, now=now, not_before=send_at,
                            owner_id=owner.id):
        report.confirmation_reminders += 1
        report.keys.append(key)


async def _unrated(
    uow: UnitOfWork, ticket: Ticket, today: date, calendar: WorkCalendar, zone: str, now: datetime,
    report: PlanReport,
) -> None:
    """A confirmed case whose callback questions went unanswered closes after 3 working days,
    recorded as closed without a rating (the owner can still rate it from /my until then)."""
    assert ticket.confirmed_at is not None
    confirmed_on = ticket.confirmed_at.astimezone(ZoneInfo(zone)).date()
    if calendar.working_days_between(confirmed_on, today) <= CONFIRMATION_REMINDERS:
        return
    locked = await uow.tickets.get(ticket.id, lock=True, fresh=True)
    if locked is None or locked.status != Status.CONFIRMED:
        return
    locked.status, locked.closed_at = Status.CLOSED, now
    await record(uow, locked, "closed_without_rating", now)
    report.closed_unconfirmed += 1


async def _schedule_warning(uow: UnitOfWork, project: Project, now: datetime, report: PlanReport) -> None:
    """DOMAIN 1.3: from 1 November, tell the office's managers (weekly) that next year's
    holiday schedule is missing, so deadlines would assume statutory holidays only."""
    today = now.astimezone(ZoneInfo(project.timezone)).date()
    year = await missing_schedule_warning_for(uow, project.region, today)
    if year is None:
        return
    week = today.isocalendar()
    text = Msg(
        N_("The {year} holiday schedule for region {region} is not loaded yet; deadlines assume statutory holidays "
           "without adjusted working days. An admin can load it: estatebot admin calendar load {region} FILE.csv"),
        {"year": str(year), "region": project.region},
    )
    people = await uow.staff.reachable(
        project.id, departments=[Department.CUSTOMER_SERVICE, Department.OFFICE], roles=list(SUPERVISOR_ROLES)
    )
    for person in people:
        if person.chat_id is None:
            continue
        key = f"calendar:{project.region}:{year}:{week.year}-W{week.week}:staff:{person.id}"
        if await outbox.enqueue(uow, key=key, chat_id=person.chat_id, reply=Reply(text), now=now,
                                not_before=delivery_time(now, project.timezone), staff_id=person.id):
            report.keys.append(key)
