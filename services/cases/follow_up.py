"""The low-rating follow-up (回访) of a case, for every case kind (DOMAIN 1.6, 2.5, 3.5): a rating
of 1 or 2 opens a follow-up for the customer-service manager, who calls the owner personally.

The follow-up itself (card, buttons, outcome dialog, queue entry, reminders) is shared with the
survey follow-up (``services/follow_ups``); this module is the case as its subject: the case
number and category, the case's managers, the owner's full number for them (recorded in the case
history, DOMAIN 5.2), the ratings and comment, the buttons as ``StaffCasePress`` codes, and the
case history as where its events are kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from dialogs.actions import StaffCasePress, encode
from dialogs.engine import Button
from dialogs.text import N_, Field, Msg, Plain, Text
from services.calendar.delivery import working_delivery_time
from services.calendar.workdays import calendar_for
from services.cases.contact import owner_phone_for
from services.cases.history import record
from services.cases.kinds import Buttons, kind_of
from services.cases.notify import staff_button
from services.cases.results import ActionResult
from services.cases.visibility import in_reach
from services.common.actor import Actor, Completion
from services.follow_ups import flow
from services.follow_ups.flow import CODES, DONE, NOT_REACHED, OPEN, REACHED, VIEW, status_lines
from services.follow_ups.subject import CASE_TEXTS, FollowUpTexts
from services.people.roles import SUPERVISOR_ROLES, Department
from storage.models import FollowUp, Staff, Ticket
from storage.uow import UnitOfWork

__all__ = ["CODES", "DONE", "LOW_RATING", "NOT_REACHED", "OPEN", "REACHED", "VIEW", "CaseSubject",
           "case_subject", "complete_outcome", "follow_up_if_low", "may_follow_up", "press", "queue_entries",
           "view_part"]

LOW_RATING = 2
OUTCOME_DIALOG = "follow_up_outcome"


def may_follow_up(staff: Staff, ticket: Ticket) -> bool:
    """DOMAIN 3.5: the customer-service manager re-visits dissatisfied owners personally."""
    return (in_reach(staff, ticket) and staff.department == Department.CUSTOMER_SERVICE
            and staff.role in SUPERVISOR_ROLES)


class CaseSubject:
    """A case as the subject of its follow-up."""

    texts: FollowUpTexts = CASE_TEXTS
    outcome_dialog = OUTCOME_DIALOG

    def __init__(self, ticket: Ticket, zone: str, region: str) -> None:
        self.ticket = ticket
        self.reference = ticket.number
        self.category: Text = kind_of(ticket).category_label(ticket)
        self.project_id = ticket.project_id
        self.zone, self.region = zone, region

    def may_see(self, staff: Staff) -> bool:
        return may_follow_up(staff, self.ticket)

    def may_act(self, staff: Staff) -> bool:
        return may_follow_up(staff, self.ticket)

    async def people(self, uow: UnitOfWork) -> list[Staff]:
        """The customer-service managers of the case's project who are on the bot."""
        people = await uow.staff.reachable(self.ticket.project_id, departments=[Department.CUSTOMER_SERVICE],
                                           roles=list(SUPERVISOR_ROLES))
        return [person for person in people if self.may_act(person)]

    async def card_lines(self, uow: UnitOfWork, follow_up: FollowUp, viewer: Staff, now: datetime) -> list[Text]:
        ticket = self.ticket
        owner = await uow.owners.get(ticket.owner_id) if ticket.owner_id else None
        # The full number only while the call is still to be made (DOMAIN 5.2).
        calls = self.may_act(viewer) and follow_up.status == OPEN
        phone = await owner_phone_for(uow, ticket, viewer.id, acts=calls, now=now)
        lines: list[Text] = [
            Field(Msg(N_("No.")), Plain(ticket.number)),
            Field(Msg(N_("Category")), self.category),
            Field(Msg(N_("Owner")), Plain(owner.name if owner else "—")),
            Field(Msg(N_("Phone")), Plain(phone)),
            *(Field(Msg(str(label)), int(value)) for label, value in follow_up.ratings),
            Field(Msg(N_("Comment")), Plain(follow_up.comment or "—")),
        ]
        if ticket.result:
            lines.append(Field(Msg(N_("Result")), Plain(ticket.result)))
        return lines

    def buttons(self, follow_up: FollowUp) -> Buttons:
        return follow_up_buttons(self.ticket)

    def view_button(self, follow_up: FollowUp) -> Button:
        return Button(Plain(f"📞 {self.ticket.number}"), encode(StaffCasePress(self.ticket.id, VIEW)))

    async def record_attempt(self, uow: UnitOfWork, now: datetime, **data: Any) -> None:
        await record(uow, self.ticket, "follow_up_attempt", now, **data)

    async def record_closed(self, uow: UnitOfWork, now: datetime, **data: Any) -> None:
        await record(uow, self.ticket, "follow_up_closed", now, **data)


async def case_subject(uow: UnitOfWork, follow_up: FollowUp, lock: bool = False) -> CaseSubject | None:
    """The subject loader of follow-ups about a case (registered in ``services/capabilities.py``)."""
    if follow_up.ticket_id is None:
        return None
    ticket = await uow.tickets.get(follow_up.ticket_id, lock=lock)
    return await _subject(uow, ticket) if ticket is not None else None


async def _subject(uow: UnitOfWork, ticket: Ticket) -> CaseSubject:
    project = await uow.projects.get(ticket.project_id) if ticket.project_id else None
    zone, region = (project.timezone, project.region) if project else ("Asia/Shanghai", "CN")
    return CaseSubject(ticket, zone, region)


async def follow_up_if_low(
    uow: UnitOfWork, ticket: Ticket, now: datetime, ratings: tuple[tuple[str, int], ...], comment: str | None,
) -> bool:
    """``ratings``: (label msgid, 1–5) pairs as the kind asked them. True if a follow-up was opened."""
    if min(value for _label, value in ratings) > LOW_RATING or await uow.follow_ups.open_of_ticket(ticket.id):
        return False
    subject = await _subject(uow, ticket)
    follow_up = FollowUp(
        ticket_id=ticket.id, project_id=ticket.project_id, owner_id=ticket.owner_id, assignee="manager",
        reason="low_rating", ratings=[[label, value] for label, value in ratings], comment=comment, opened_at=now,
        status=OPEN, attempts=0, due=await flow.due_day(uow, subject.zone, subject.region, now),
    )
    uow.follow_ups.add(follow_up)
    await uow.flush()
    await record(uow, ticket, "follow_up_opened", now, reason="low_rating", follow_up=follow_up.id,
                 due=follow_up.due.isoformat())
    headline = Msg(subject.texts.opened, {"number": ticket.number})
    calendar = await calendar_for(uow, subject.region)
    await flow.send_follow_up(uow, follow_up, subject, f"follow_up:{follow_up.id}:opened", headline, now,
                              not_before=working_delivery_time(now, subject.zone, calendar))
    return True


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
        return ActionResult(refusal=CASE_TEXTS.refusal)
    follow_up = await uow.follow_ups.open_of_ticket(ticket.id, lock=True)
    if follow_up is None:
        return ActionResult(refusal=flow.ALREADY_CLOSED)
    return await flow.press(uow, staff, await _subject(uow, ticket), follow_up, code, now)


async def complete_outcome(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    """The outcome dialog's completer, for every subject (kept here for its old name)."""
    return await flow.complete_outcome(uow, actor, answers, now)


async def queue_entries(uow: UnitOfWork, staff: Staff, now: datetime) -> list[tuple[Text, Button]]:
    """The open follow-ups this person may record, of every subject, for the top of their queue."""
    return await flow.queue_entries(uow, staff, now)
