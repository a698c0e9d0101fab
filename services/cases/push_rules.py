"""The case rules of the planner: deadline reminders (DOMAIN 1.3, 1.4, 2.4, 4.5) and the owner's
confirmation (DOMAIN 1.6): reminded after 1 and 2 working days, closed as not confirmed after 3.

Each reminder has a key that makes planning idempotent (``remind:progress:<ticket>:<due date>``),
so a moved deadline (an agreed extension) gets reminders of its own. Staff are pushed in working
hours on working days, owners in the delivery window.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from dialogs.engine import Reply
from dialogs.text import N_, DateText, Lines, Msg
from services.calendar.delivery import delivery_time, working_delivery_time
from services.calendar.workdays import WorkCalendar
from services.cases.confirmation import confirmation_buttons, confirmation_request
from services.cases.history import latest_resolution, record
from services.cases.kinds import Deadline, kind_of
from services.cases.notify import send_card, supervisors, workers
from services.cases.statuses import Status, move
from services.pushes import outbox
from services.pushes.purposes import Purpose
from services.pushes.rules import Place, PlanRound
from storage.models import Ticket

CONFIRMATION_REMINDERS = 2  # "at most twice", then closed as not confirmed


def previous_working_day(calendar: WorkCalendar, day: date) -> date:
    candidate = day - timedelta(days=1)
    for _ in range(30):
        if calendar.is_working_day(candidate):
            return candidate
        candidate -= timedelta(days=1)
    return day


class DeadlineRule:
    """The working day before a deadline, its workers are reminded; once it has passed, the lead
    department's and customer service's managers are told (once per deadline)."""

    name = "deadlines"

    async def plan(self, round_: PlanRound) -> None:
        for ticket in await round_.open_tickets():
            deadlines = kind_of(ticket).deadlines(ticket)
            if not deadlines:
                continue
            place = await round_.place(ticket)
            for deadline in deadlines:
                await self._one(round_, ticket, deadline, place)

    async def _one(self, round_: PlanRound, ticket: Ticket, deadline: Deadline, place: Place) -> None:
        which, due = deadline.which, deadline.due
        if place.today > due:
            prefix, people = "overdue", await supervisors(round_.uow, ticket)
            headline = N_("⏰ Overdue: {what} for {number} was due {date}")
        elif place.today >= previous_working_day(place.calendar, due):
            # The working day before the deadline (or the deadline itself, if that comes first).
            prefix, people = "remind", await workers(round_.uow, ticket)
            headline = N_("⏳ Reminder: {what} for {number} is due {date}")
        else:
            return
        key = f"{prefix}:{which}:{ticket.id}:{due.isoformat()}"
        text = Msg(headline, {"what": Msg(deadline.label), "number": ticket.number, "date": DateText(due)})
        if await send_card(round_.uow, people, ticket, key, text, round_.now, purpose=Purpose.REMINDER,
                           not_before=working_delivery_time(round_.now, place.zone, place.calendar)):
            if prefix == "overdue":
                round_.report.overdue += 1
            else:
                round_.report.reminders += 1
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
            await record(uow, locked, "closed_unconfirmed", now, reminders=reminded)
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
        await record(round_.uow, locked, "closed_without_rating", round_.now)
        round_.report.closed_unconfirmed += 1
