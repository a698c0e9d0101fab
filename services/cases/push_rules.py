"""The case rules of the planner: deadline reminders and escalations (DOMAIN 1.3, 1.4, 2.4, 4.5) and
the owner's confirmation (DOMAIN 1.6): reminded after 1 and 2 working days, closed as not confirmed
after 3; and the low-rating follow-up (回访), reminded until it is done.

Each reminder has a key that makes planning idempotent (``remind:progress:<ticket>:<due date>``,
``overdue:resolve:<ticket>:<due date>:<day>:<level>``), so a moved deadline (an agreed extension)
gets reminders of its own and an overdue one one alert per working day. Staff are pushed in working
hours on working days, owners in the delivery window.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from dialogs.engine import Reply
from dialogs.text import N_, DateText, Lines, Msg, Plural
from services.calendar.delivery import delivery_time, working_delivery_time
from services.calendar.workdays import WorkCalendar
from services.cases.confirmation import confirmation_buttons, confirmation_request
from services.cases.history import latest_resolution, record
from services.cases.kinds import Deadline, kind_of
from services.cases.notices import tell_closed
from services.cases.notify import send_card, workers
from services.cases.overdue import (
    ESCALATED,
    LEVEL_LABELS,
    OWNER_DEADLINE,
    Level,
    escalation_level,
    escalation_people,
    owner_late_notice,
)
from services.cases.statuses import Status, move
from services.follow_ups.reminders import FollowUpRule
from services.pushes import outbox
from services.pushes.purposes import Purpose
from services.pushes.rules import Place, PlanRound
from storage.models import Ticket

__all__ = ["ConfirmationRule", "DeadlineRule", "FollowUpRule"]  # FollowUpRule: every follow-up's, shared

CONFIRMATION_REMINDERS = 2  # "at most twice", then closed as not confirmed


def previous_working_day(calendar: WorkCalendar, day: date) -> date:
    candidate = day - timedelta(days=1)
    for _ in range(30):
        if calendar.is_working_day(candidate):
            return candidate
        candidate -= timedelta(days=1)
    return day


class DeadlineRule:
    """The working day before a deadline, its workers are reminded. Once it has passed, it is
    escalated every working day it stays overdue — to the workers and the managers, one level up
    after every ``escalate_after_working_days`` working days (``services/cases/overdue.py``) — and
    the owner is told once that the date they were promised has passed."""

    name = "deadlines"

    async def plan(self, round_: PlanRound) -> None:
        for ticket in await round_.open_tickets():
            deadlines = kind_of(ticket).deadlines(ticket)
            if not deadlines:
                continue
            place = await round_.place(ticket)
            for deadline in deadlines:
                if place.today > deadline.due:
                    await self._overdue(round_, ticket, deadline, place)
                elif deadline.remind_before and place.today >= previous_working_day(place.calendar, deadline.due):
                    # The working day before the deadline (or the deadline itself, if that comes first).
                    await self._remind(round_, ticket, deadline, place)

    async def _remind(self, round_: PlanRound, ticket: Ticket, deadline: Deadline, place: Place) -> None:
        key = f"remind:{deadline.which}:{ticket.id}:{deadline.due.isoformat()}"
        text = Msg(N_("⏳ Reminder: {what} for {number} is due {date}"),
                   {"what": Msg(deadline.label), "number": ticket.number, "date": DateText(deadline.due)})
        if await send_card(round_.uow, await workers(round_.uow, ticket), ticket, key, text, round_.now,
                           purpose=Purpose.REMINDER,
                           not_before=working_delivery_time(round_.now, place.zone, place.calendar)):
            round_.report.reminders += 1
            round_.planned(key)

    async def _overdue(self, round_: PlanRound, ticket: Ticket, deadline: Deadline, place: Place) -> None:
        """One alert per working day overdue (keyed by the day it is delivered on and its level, so
        planning again, after a restart or on a second instance, adds nothing)."""
        uow, now, which, due = round_.uow, round_.now, deadline.which, deadline.due
        staff_at = working_delivery_time(now, place.zone, place.calendar)
        day = staff_at.astimezone(ZoneInfo(place.zone)).date()  # the working day the alert goes out
        days_late = place.calendar.working_days_between(due, day)
        level = escalation_level(days_late, round_.settings.escalate_after_working_days)
        key = f"overdue:{which}:{ticket.id}:{due.isoformat()}:{day.isoformat()}:{level}"
        headline = Msg(N_("⏰ Overdue: {what} for {number} was due {date}"),
                       {"what": Msg(deadline.label), "number": ticket.number, "date": DateText(due)})
        extra = Plural("{n} working day late; escalated to {level}.", "{n} working days late; escalated to {level}.",
                       days_late, {"level": Msg(LEVEL_LABELS[level])})
        people = await escalation_people(uow, ticket, level)
        if await send_card(uow, people, ticket, key, headline, now, purpose=Purpose.REMINDER, not_before=staff_at,
                           extra=extra):
            round_.report.overdue += 1
            round_.planned(key)
        await self._record_level(round_, ticket, deadline, level, days_late)
        if which == OWNER_DEADLINE:
            await self._tell_owner(round_, ticket, due, place)

    async def _record_level(self, round_: PlanRound, ticket: Ticket, deadline: Deadline, level: Level,
                            days_late: int) -> None:
        """The history shows each level a deadline reached, once (DOMAIN 5.1)."""
        due = deadline.due.isoformat()
        for event in await round_.uow.tickets.events(ticket.id):
            if (event.kind == ESCALATED and event.data.get("deadline") == deadline.which
                    and event.data.get("due") == due and event.data.get("level") == int(level)):
                return
        await record(round_.uow, ticket, ESCALATED, round_.now, deadline=deadline.which, due=due, level=int(level),
                     working_days_late=days_late)

    async def _tell_owner(self, round_: PlanRound, ticket: Ticket, due: date, place: Place) -> None:
        """Once per promised date: the case is late, and what happens next (no consent needed, DOMAIN 4.6)."""
        owner = await round_.uow.owners.get(ticket.owner_id) if ticket.owner_id else None
        if owner is None or owner.chat_id is None:
            return
        key = f"overdue:{OWNER_DEADLINE}:{ticket.id}:{due.isoformat()}:owner"
        if await outbox.enqueue(round_.uow, key=key, purpose=Purpose.CASE, chat_id=owner.chat_id,
                                reply=Reply(owner_late_notice(ticket, due)), now=round_.now, owner_id=owner.id,
                                not_before=delivery_time(round_.now, place.zone)):
            round_.planned(key)


class ConfirmationRule:
    """A result waiting for the owner's confirmation, and a confirmed case waiting for a rating."""

    name = "confirmation"

    async def plan(self, round_: PlanRound) -> None:
        for ticket in await round_.open_tickets():
            if ticket.status == Status.RESOLVED and ticket.resolved_at is not None:
                await self._confirmation(round_, ticket, await round_.place(ticket))
            elif ticket.status == Status.CONFIRMED and ticket.confirmed_at is not None:
                await self._unrated(round_, ticket, await round_.place(ticket))

    async def _confirmation(self, round_: PlanRound, ticket: Ticket, place: Place) -> None:
        """Remind the owner after 1 and 2 working days; close as not confirmed after 3."""
        uow, now = round_.uow, round_.now
        assert ticket.resolved_at is not None
        resolved_on = ticket.resolved_at.astimezone(ZoneInfo(place.zone)).date()
        waited = place.calendar.working_days_between(resolved_on, place.today)
        owner = await uow.owners.get(ticket.owner_id) if ticket.owner_id else None
        if waited > CONFIRMATION_REMINDERS:
            # Re-read under a row lock: the owner may be answering right now (PostgreSQL).
            locked = await uow.tickets.get(ticket.id, lock=True, fresh=True)
            if locked is None or locked.status != Status.RESOLVED or locked.resolved_at != ticket.resolved_at:
                return
            move(locked, Status.UNCONFIRMED)
            locked.closed_at = now
            reminded = await uow.outbox.count_sent(f"confirm:{ticket.id}:{ticket.resolved_at.isoformat()}:")
            closed = await record(uow, locked, "closed_unconfirmed", now, reminders=reminded)
            await tell_closed(uow, locked, closed, now, confirmed=False)
            round_.report.closed_unconfirmed += 1
            return
        resolution = await latest_resolution(uow, ticket)
        if waited < 1 or owner is None or owner.chat_id is None or resolution is None:
            return
        n = min(waited, CONFIRMATION_REMINDERS)  # one reminder per working day waited, at most two
        key = f"confirm:{ticket.id}:{ticket.resolved_at.isoformat()}:{n}"
        text = Msg(N_("Reminder: please tell us whether {number} is resolved."), {"number": ticket.number})
        reply = Reply(Lines((text, confirmation_request(ticket))), confirmation_buttons(ticket, resolution))
        if await outbox.enqueue(uow, key=key, purpose=Purpose.CONFIRMATION, chat_id=owner.chat_id, reply=reply,
                                now=now, not_before=delivery_time(now, place.zone), owner_id=owner.id):
            round_.report.confirmation_reminders += 1
            round_.planned(key)

    async def _unrated(self, round_: PlanRound, ticket: Ticket, place: Place) -> None:
        """A confirmed case whose callback questions went unanswered closes after 3 working days,
        recorded as closed without a rating (the owner can still rate it from /my until then)."""
        assert ticket.confirmed_at is not None
        confirmed_on = ticket.confirmed_at.astimezone(ZoneInfo(place.zone)).date()
        if place.calendar.working_days_between(confirmed_on, place.today) <= CONFIRMATION_REMINDERS:
            return
        locked = await round_.uow.tickets.get(ticket.id, lock=True, fresh=True)
        if locked is None or locked.status != Status.CONFIRMED:
            return
        move(locked, Status.CLOSED)
        locked.closed_at = round_.now
        closed = await record(round_.uow, locked, "closed_without_rating", round_.now)
        await tell_closed(round_.uow, locked, closed, round_.now, confirmed=True)
        round_.report.closed_unconfirmed += 1
