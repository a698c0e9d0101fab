"""The low-rating follow-up (回访) shared by every case kind (DOMAIN 1.6, 2.5, 3.5): a rating of 1 or 2
opens a follow-up for the customer-service manager, who calls the owner personally.

The follow-up is due one working day after it opens (like the callback of DOMAIN 2.5). It stands
first in the managers' ``/queue`` until it is done; its card gives the manager the owner's full
number (they must call; recorded in the case history, DOMAIN 5.2) and two buttons: 📵 not reached
(the attempt is recorded, the follow-up stays open) and ✅ reached, which asks what was agreed and
whether the owner is satisfied now, then closes it. The planner reminds an open follow-up on every
working day from its due day on (``FollowUpRule``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from dialogs.actions import StaffCasePress, encode
from dialogs.engine import Button, Reply
from dialogs.text import N_, DateText, Field, Lines, Msg, Plain, Text
from services.calendar.delivery import working_delivery_time
from services.calendar.workdays import calendar_for
from services.cases.contact import owner_phone_for
from services.cases.history import record
from services.cases.kinds import Buttons, kind_of
from services.cases.notify import staff_button
from services.cases.overdue import local_date
from services.cases.results import STALE, ActionResult
from services.cases.visibility import in_reach
from services.common.actor import Actor, Completion
from services.people.roles import SUPERVISOR_ROLES, Department
from services.pushes import outbox
from services.pushes.purposes import Purpose
from storage.models import FollowUp, Staff, Ticket
from storage.uow import UnitOfWork

LOW_RATING = 2
DUE_WORKING_DAYS = 1  # the manager calls within a working day, as the callback of DOMAIN 2.5
OPEN, DONE = "open", "done"

# Staff button codes on a case (``StaffCasePress``), handled for every kind by ``staff_press``.
VIEW, REACHED, NOT_REACHED = "fu", "fr", "fn"
CODES = (VIEW, REACHED, NOT_REACHED)
OUTCOME_DIALOG = "follow_up_outcome"


def may_follow_up(staff: Staff, ticket: Ticket) -> bool:
    """DOMAIN 3.5: the customer-service manager re-visits dissatisfied owners personally."""
    return (in_reach(staff, ticket) and staff.department == Department.CUSTOMER_SERVICE
            and staff.role in SUPERVISOR_ROLES)


async def follow_up_if_low(
    uow: UnitOfWork, ticket: Ticket, now: datetime, ratings: tuple[tuple[str, int], ...], comment: str | None,
) -> bool:
    """``ratings``: (label msgid, 1–5) pairs as the kind asked them. True if a follow-up was opened."""
    if min(value for _label, value in ratings) > LOW_RATING or await uow.follow_ups.open_of_ticket(ticket.id):
        return False
    project = await uow.projects.get(ticket.project_id) if ticket.project_id else None
    zone, region = (project.timezone, project.region) if project else ("Asia/Shanghai", "CN")
    calendar = await calendar_for(uow, region)
    follow_up = FollowUp(
        ticket_id=ticket.id, project_id=ticket.project_id, reason="low_rating",
        ratings=[[label, value] for label, value in ratings], comment=comment, opened_at=now, status=OPEN,
        attempts=0, due=calendar.add_working_days(now.astimezone(ZoneInfo(zone)).date(), DUE_WORKING_DAYS),
    )
    uow.follow_ups.add(follow_up)
    await uow.flush()
    await record(uow, ticket, "follow_up_opened", now, reason="low_rating", follow_up=follow_up.id,
                 due=follow_up.due.isoformat())
    headline = Msg(N_("⚠️ Dissatisfied owner on {number}: please re-visit"), {"number": ticket.number})
    await send_follow_up(uow, follow_up, ticket, f"follow_up:{follow_up.id}:opened", headline, now,
                         not_before=working_delivery_time(now, zone, calendar))
    return True


async def managers(uow: UnitOfWork, ticket: Ticket) -> list[Staff]:
    """The customer-service managers of the case's project who are on the bot."""
    people = await uow.staff.reachable(ticket.project_id, departments=[Department.CUSTOMER_SERVICE],
                                       roles=list(SUPERVISOR_ROLES))
    return [person for person in people if may_follow_up(person, ticket)]


async def send_follow_up(
    uow: UnitOfWork, follow_up: FollowUp, ticket: Ticket, key: str, headline: Msg, now: datetime, *,
    not_before: datetime,
) -> int:
    """The follow-up card to each customer-service manager (``key:staff:<id>``), with their buttons."""
    sent = 0
    for person in await managers(uow, ticket):
        if person.chat_id is None:
            continue
        card = await follow_up_card(uow, follow_up, ticket, person, headline, now)
        if await outbox.enqueue(uow, key=f"{key}:staff:{person.id}", purpose=Purpose.REMINDER, chat_id=person.chat_id,
                                reply=Reply(card, follow_up_buttons(ticket)), now=now, not_before=not_before,
                                staff_id=person.id):
            sent += 1
    return sent


async def follow_up_card(
    uow: UnitOfWork, follow_up: FollowUp, ticket: Ticket, viewer: Staff, headline: Msg, now: datetime,
) -> Text:
    """What the manager needs for the call: the owner, the full number, what was rated and said."""
    owner = await uow.owners.get(ticket.owner_id) if ticket.owner_id else None
    phone = await owner_phone_for(uow, ticket, viewer.id, acts=may_follow_up(viewer, ticket), now=now)
    lines: list[Text] = [
        headline,
        Field(Msg(N_("No.")), Plain(ticket.number)),
        Field(Msg(N_("Category")), kind_of(ticket).category_label(ticket)),
        Field(Msg(N_("Owner")), Plain(owner.name if owner else "—")),
        Field(Msg(N_("Phone")), Plain(phone)),
        *(Field(Msg(str(label)), int(value)) for label, value in follow_up.ratings),
        Field(Msg(N_("Comment")), Plain(follow_up.comment or "—")),
    ]
    if ticket.result:
        lines.append(Field(Msg(N_("Result")), Plain(ticket.result)))
    lines.extend(status_lines(follow_up))
    return Lines(tuple(lines))


def status_lines(follow_up: FollowUp) -> list[Text]:
    if follow_up.status == DONE:
        return [Msg(N_("✅ Follow-up done: the owner is satisfied now.") if follow_up.satisfied
                    else N_("✅ Follow-up done: the owner is still not satisfied.")),
                Field(Msg(N_("Agreed with the owner")), Plain(follow_up.agreed or "—"))]
    lines: list[Text] = [Msg(N_("📞 Follow-up open: call the owner by {date}."), {"date": DateText(follow_up.due)})]
    if follow_up.attempts:
        lines.append(Msg(N_("Calls that did not reach the owner: {n}"), {"n": follow_up.attempts}))
    return lines


def follow_up_buttons(ticket: Ticket) -> Buttons:
    return ((staff_button(ticket, N_("✅ Reached: record the outcome"), REACHED),
             staff_button(ticket, N_("📵 Not reached"), NOT_REACHED)),)


async def view_part(uow: UnitOfWork, staff: Staff, ticket: Ticket) -> tuple[list[Text], Buttons]:
    """What a case card adds about its follow-up: its state or outcome, and the manager's buttons
    while it is open."""
    follow_up = await uow.follow_ups.latest_of_ticket(ticket.id)
    if follow_up is None:
        return [], ()
    acts = follow_up.status == OPEN and may_follow_up(staff, ticket)
    return status_lines(follow_up), (follow_up_buttons(ticket) if acts else ())


async def press(uow: UnitOfWork, staff: Staff, ticket: Ticket, code: str, now: datetime) -> ActionResult:
    """A follow-up button on a case (visibility already checked); a refusal changes nothing."""
    if not may_follow_up(staff, ticket):
        return ActionResult(refusal=N_("Only the customer-service manager records follow-ups."))
    follow_up = await uow.follow_ups.open_of_ticket(ticket.id, lock=True)
    if follow_up is None:
        return ActionResult(refusal=N_("This follow-up is already closed."))
    if code == REACHED:
        return ActionResult(begin=(OUTCOME_DIALOG, {"follow_up": follow_up.id}))
    if code == NOT_REACHED:
        follow_up.attempts += 1
        follow_up.last_attempt_at = now
        await record(uow, ticket, "follow_up_attempt", now, actor="staff", staff_id=staff.id, follow_up=follow_up.id,
                     attempt=follow_up.attempts)
        return ActionResult([Reply(Msg(N_("Recorded: the owner of {number} was not reached (call {n}). The follow-up "
                                          "stays open; you will be reminded on the next working day."),
                                       {"number": ticket.number, "n": follow_up.attempts}), follow_up_buttons(ticket))])
    headline = Msg(N_("📞 Follow-up on {number}"), {"number": ticket.number})
    card = await follow_up_card(uow, follow_up, ticket, staff, headline, now)
    return ActionResult([Reply(card, follow_up_buttons(ticket))])


async def complete_outcome(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    """The call reached the owner: what was agreed and whether they are satisfied now close the follow-up."""
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    follow_up = await uow.follow_ups.get(int(answers["follow_up"]), lock=True) if answers.get("follow_up") else None
    ticket = await uow.tickets.get(follow_up.ticket_id, lock=True) if follow_up and follow_up.ticket_id else None
    if staff is None or follow_up is None or ticket is None or follow_up.status != OPEN or not may_follow_up(staff, ticket):
        return STALE
    satisfied = str(answers["satisfied"]) == "yes"
    follow_up.status, follow_up.closed_at, follow_up.closed_by = DONE, now, staff.id
    follow_up.agreed, follow_up.satisfied = str(answers["agreed"]), satisfied
    await record(uow, ticket, "follow_up_closed", now, actor="staff", staff_id=staff.id, follow_up=follow_up.id,
                 agreed=follow_up.agreed, satisfied=satisfied)
    text = (N_("The follow-up on {number} is closed: the owner is satisfied now.") if satisfied else
            N_("The follow-up on {number} is closed: the owner is still not satisfied. It is recorded on the case."))
    return Completion((Reply(Msg(text, {"number": ticket.number})),))


async def queue_entries(uow: UnitOfWork, staff: Staff, now: datetime) -> list[tuple[Text, Button]]:
    """A line and a button per open follow-up this manager may record, for the top of their queue
    (⏰ once its day has passed); nothing for anyone else."""
    if staff.department != Department.CUSTOMER_SERVICE or staff.role not in SUPERVISOR_ROLES:
        return []
    entries: list[tuple[Text, Button]] = []
    zones: dict[int | None, str] = {}
    for follow_up in await uow.follow_ups.open_for(staff.project_id):
        ticket = await uow.tickets.get(follow_up.ticket_id) if follow_up.ticket_id else None
        if ticket is None or not may_follow_up(staff, ticket):
            continue
        late = await local_date(uow, ticket, now, zones) > follow_up.due
        params: dict[str, Text] = {"number": ticket.number, "category": kind_of(ticket).category_label(ticket),
                                   "date": DateText(follow_up.due)}
        line = Msg(N_("⏰ 📞 Follow-up {number} · {category} · was due {date}") if late
                   else N_("📞 Follow-up {number} · {category} · call by {date}"), params)
        entries.append((line, Button(Plain(f"📞 {ticket.number}"), encode(StaffCasePress(ticket.id, VIEW)))))
    return entries
