"""Staff presses on a case, and their queue. Who may see a case is decided here for every kind;
what they may do on it is the kind's, checked against the database again on every press."""

from __future__ import annotations

from datetime import datetime

from dialogs.actions import StaffCasePress, encode
from dialogs.engine import Button, Reply
from dialogs.text import N_, DateText, Lines, Msg, Plain, Text
from services.cases.kinds import kind_of
from services.cases.results import NOT_VALID, ActionResult
from services.cases.statuses import STATUS_LABELS, Status
from services.common.actor import Actor
from services.common.pages import next_page, page_note
from services.people.roles import Department, Role
from storage.models import Staff, Ticket
from storage.uow import UnitOfWork

EVERYTHING_DEPARTMENTS = (Department.CUSTOMER_SERVICE, Department.LEADERSHIP, Department.OFFICE)


def in_reach(staff: Staff, ticket: Ticket) -> bool:
    """Active staff of the ticket's project, or company-wide staff."""
    return staff.active and (staff.project_id is None or ticket.project_id in (None, staff.project_id))


def may_see(staff: Staff, ticket: Ticket) -> bool:
    if not in_reach(staff, ticket):
        return False
    return (
        staff.department in EVERYTHING_DEPARTMENTS
        or staff.department == ticket.lead_department
        or staff.department in ticket.assisting_departments
        or ticket.handler_id == staff.id
        or staff.role in (Role.VICE_PRESIDENT, Role.GENERAL_MANAGER)
        or kind_of(ticket).may_see(staff, ticket)
    )


async def staff_press(uow: UnitOfWork, actor: Actor, press: StaffCasePress, now: datetime) -> ActionResult:
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    if staff is None:
        return ActionResult(refusal=NOT_VALID)
    ticket = await uow.tickets.get(press.ticket, lock=True)
    if ticket is None or not may_see(staff, ticket):
        return ActionResult(refusal=NOT_VALID)
    return await kind_of(ticket).staff_press(uow, staff, ticket, press.action, now)


QUEUE_PAGE = 20


async def queue(uow: UnitOfWork, actor: Actor, offset: int = 0) -> Reply:
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    if staff is None:
        return Reply(Msg(N_("This command is for staff.")))
    tickets = await uow.tickets.queue_for(staff, everything=staff.department in EVERYTHING_DEPARTMENTS)
    if not tickets:
        return Reply(Msg(N_("No open cases.")))
    lines: list[Text] = [Msg(N_("Open cases, oldest deadline first:"))]
    rows: list[tuple[Button, ...]] = []
    page = tickets[offset : offset + QUEUE_PAGE]
    for ticket in page:
        due_date = ticket.progress_due if ticket.status == Status.SURVEY else ticket.resolve_due
        due: Text = DateText(due_date) if due_date else "—"
        lines.append(Msg(N_("{number} · {category} · {status} · due {date}"), {
            "number": ticket.number, "category": kind_of(ticket).category_label(ticket),
            "status": Msg(STATUS_LABELS[ticket.status]), "date": due}))
        rows.append((Button(Plain(ticket.number), encode(StaffCasePress(ticket.id, "view"))),))
    note = page_note(offset, len(page), len(tickets))
    return Reply(Lines((*lines, *([note] if note else []))),
                 (*rows, *next_page("queue", offset, len(page), len(tickets))))

