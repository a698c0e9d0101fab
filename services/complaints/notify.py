"""Who hears about a complaint (DOMAIN 1.2, 1.5): the lead department, customer service's copy,
assisting departments, and the leadership for a major complaint."""

from __future__ import annotations

from datetime import datetime

from dialogs.text import N_, Msg, Text
from services.cases.notify import notify_staff, workers
from services.people.roles import DEPARTMENT_LABELS, Department, Role
from storage.models import Ticket, TicketEvent
from storage.uow import UnitOfWork


async def notify_department(
    uow: UnitOfWork, ticket: Ticket, event: TicketEvent, now: datetime, *, copy_customer_service: bool = False,
    headline: Msg | None = None, extra: Text | None = None,
) -> int:
    """The case to whoever works on it (``headline``: what happened, a new complaint by default).
    Customer service, who receives and logs everything, gets a copy of new complaints, and is told
    when nobody in the lead department can be reached."""
    headline = headline or Msg(N_("📥 New complaint for your department"))
    sent = await notify_staff(uow, await workers(uow, ticket), ticket, event, headline, now, urgent=ticket.major,
                              extra=extra)
    if ticket.lead_department != Department.CUSTOMER_SERVICE and (copy_customer_service or not sent):
        copy = (Msg(N_("📋 New complaint, led by {department}"),
                    {"department": Msg(DEPARTMENT_LABELS[Department(ticket.lead_department)])})
                if sent else Msg(N_("⚠️ Nobody in {department} can be reached on the bot for this complaint"),
                                 {"department": Msg(DEPARTMENT_LABELS[Department(ticket.lead_department)])}))
        people = await uow.staff.reachable(ticket.project_id, departments=[Department.CUSTOMER_SERVICE])
        await notify_staff(uow, people, ticket, event, copy, now, with_media=False, urgent=not sent)
    return sent


async def notify_assisting(
    uow: UnitOfWork, ticket: Ticket, event: TicketEvent, department: str, now: datetime, extra: Text | None = None
) -> int:
    """DOMAIN 1.2: the lead department organises; an assisting department is told and helps."""
    people = await uow.staff.reachable(ticket.project_id, departments=[department])
    headline = Msg(N_("🤝 Your department is asked to assist on {number}"), {"number": ticket.number})
    return await notify_staff(uow, people, ticket, event, headline, now, extra=extra)


async def notify_leadership(
    uow: UnitOfWork, ticket: Ticket, event: TicketEvent, now: datetime, extra: Text | None = None
) -> int:
    """DOMAIN 1.5: a major complaint goes to the deputy and general managers at once, in full."""
    people = await uow.staff.reachable(ticket.project_id, roles=[Role.VICE_PRESIDENT, Role.GENERAL_MANAGER])
    if ticket.handler_id is None and ticket.lead_department == Department.LEADERSHIP:
        return 0  # they lead it, so the department notification already reached them
    headline = Msg(N_("🚩 Major complaint escalated to you"))
    return await notify_staff(uow, people, ticket, event, headline, now, extra=extra, urgent=True)
