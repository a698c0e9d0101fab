"""↪️ 转派 (DOMAIN 1.2, 1.3): staff pass a complaint to another department or person, with a reason.

Who may be chosen: the company's own departments and people — never the sender himself, never the
builder's representatives (an outside party who only countersigns surveys). What follows:

- the receiving side gets the case with who sent it and why;
- the progress report is due 3 working days after *they* receive it (DOMAIN 1.3 counts from
  receipt by the responsible department), and a report the previous department made no longer
  counts for the new one; the week promised to the owner (DOMAIN 1.4) still counts from the filing;
- the owner is told who handles the case now (not the internal reason);
- customer service, who logs everything, gets one line.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from dialogs.text import N_, DateText, Field, Msg, Plain, Text
from services.calendar.deadlines import due_after_working_days
from services.calendar.workdays import calendar_for
from services.cases.notices import notify_line
from services.cases.notify import cancel_reminders, notify_owner
from services.cases.staff_actions import in_reach
from services.complaints.notify import notify_department
from services.complaints.rules import COMPLAINT_DEPARTMENTS, PROGRESS_WORKING_DAYS
from services.people.roles import DEPARTMENT_LABELS, Department
from storage.models import Staff, Ticket, TicketEvent
from storage.uow import UnitOfWork


def may_receive(person: Staff, ticket: Ticket, sender: Staff) -> bool:
    """A person a complaint may be transferred to."""
    return (person.active and person.id not in (sender.id, ticket.handler_id) and in_reach(person, ticket)
            and person.department != Department.BUILDER)


async def transfer_targets(uow: UnitOfWork, sender: Staff, ticket: Ticket) -> list[list[str]]:
    """The dialog's options: departments first (``d:<code>``), then people (``s:<id>``)."""
    departments: list[list[str]] = [[f"d:{d.value}", DEPARTMENT_LABELS[d], "msg"]
                                    for d in COMPLAINT_DEPARTMENTS if d.value != ticket.lead_department]
    people = await uow.staff.reachable(ticket.project_id)
    return [*departments, *([f"s:{p.id}", p.name] for p in people if may_receive(p, ticket, sender))]


async def restart_progress_clock(uow: UnitOfWork, ticket: Ticket, now: datetime) -> date:
    """The new lead department reports progress within 3 working days of receiving the case."""
    project = await uow.projects.get(ticket.project_id) if ticket.project_id else None
    region, zone = (project.region, project.timezone) if project else ("CN", "Asia/Shanghai")
    calendar = await calendar_for(uow, region)
    ticket.progress_due = due_after_working_days(calendar, now, PROGRESS_WORKING_DAYS, zone)
    ticket.progress_reported_at = None
    await cancel_reminders(uow, ticket, "progress")
    # A deadline counted over a year without a published schedule says so (as at filing).
    received = ticket.received_at.astimezone(ZoneInfo(zone)).date()
    assumed = calendar.assumed_years(received, max(ticket.progress_due, ticket.resolve_due or ticket.progress_due))
    ticket.calendar_note = ", ".join(map(str, assumed)) or None
    return ticket.progress_due


def _department(code: str) -> Msg:
    return Msg(DEPARTMENT_LABELS[Department(code)])


async def tell_transfer(
    uow: UnitOfWork, ticket: Ticket, event: TicketEvent, sender: Staff, reason: str, now: datetime,
) -> None:
    """The receiving side, the owner and customer service hear of a transfer (``event``)."""
    handler = await uow.staff.get(ticket.handler_id) if ticket.handler_id else None
    values: dict[str, Text] = {"number": ticket.number, "name": Plain(sender.name),
                               "department": _department(sender.department)}
    headline = (Msg(N_("↪️ {number} was transferred to you by {name} ({department})"), values) if handler
                else Msg(N_("↪️ {number} was transferred to your department by {name} ({department})"), values))
    reached = await notify_department(uow, ticket, event, now, headline=headline,
                                      extra=Field(Msg(N_("Reason")), Plain(reason)))

    due: Text = DateText(ticket.progress_due) if ticket.progress_due else "—"
    lead = _department(ticket.lead_department)
    await notify_owner(uow, ticket, event, (
        Msg(N_("Your complaint {number} is now handled by {name} of {department}, who will report progress by "
               "{date}."),
            {"number": ticket.number, "name": Plain(handler.name), "department": lead, "date": due}) if handler else
        Msg(N_("Your complaint {number} is now handled by {department}, which will report progress by {date}."),
            {"number": ticket.number, "department": lead, "date": due})), now)

    if not reached or (ticket.lead_department == Department.CUSTOMER_SERVICE and handler is None):
        return  # customer service just received the whole case (to handle it, or as nobody else could)
    to: Text = Msg(N_("{name} ({department})"), {"name": Plain(handler.name), "department": lead}) if handler else lead
    service = [p for p in await uow.staff.reachable(ticket.project_id, departments=[Department.CUSTOMER_SERVICE])
               if p.id not in (sender.id, ticket.handler_id)]
    line = Msg(N_("↪️ {name} transferred {number} from {from_department} to {to}: {reason}"), {
        "name": Plain(sender.name), "number": ticket.number,
        "from_department": _department(str(event.data.get("from_department") or sender.department)), "to": to,
        "reason": Plain(reason)})
    await notify_line(uow, service, ticket, event, line, now)
