"""报修: an owner files a repair request (DOMAIN 2.1); the survey team is told (2.3).

A repair is a ticket (same numbering, events, outbox and deadlines as complaints) with a
``repairs`` row beside it. Its life: survey → (cost approval) → work order issued → in progress →
completed → checked (RESOLVED) → the owner confirms → rated (CLOSED); see ``flow``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from dialogs.engine import Reply
from dialogs.text import N_, DateText, Lines, Msg
from services.calendar.deadlines import due_after_working_days
from services.calendar.workdays import calendar_for
from services.cases.history import record
from services.cases.notify import notify_staff
from services.cases.numbering import next_number
from services.cases.statuses import Status
from services.cases.units import NO_HOME, chosen_unit
from services.common.actor import Actor, Completion
from services.people.roles import Department, Role
from services.repairs.rules import DEFAULT_COMPONENT, SURVEY_WORKING_DAYS, Trade
from services.repairs.warranty_terms import decide_for_unit, warranty_facts
from storage.models import Repair, Staff, Ticket, TicketEvent
from storage.uow import UnitOfWork

KIND = "repair"
PREFIX = "BX"  # 报修
SURVEY_DEPARTMENTS = (Department.CUSTOMER_SERVICE, Department.ENGINEERING, Department.OFFICE)
TEAM_LEADS = (Role.LEAD, Role.MANAGER)


async def file_repair(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    owner_id = actor.identity.owner_id
    if owner_id is None:
        return Completion((Reply(Msg(N_("Only registered owners can request a repair here."))),))
    unit = await chosen_unit(uow, owner_id, answers)
    if unit is None:
        return NO_HOME
    project = unit.building.project
    zone = project.timezone
    today = now.astimezone(ZoneInfo(zone)).date()
    trade = Trade(str(answers["trade"]))
    calendar = await calendar_for(uow, project.region)
    ticket = Ticket(
        number=await next_number(uow, PREFIX, today.year), kind=KIND, project_id=project.id,
        owner_id=owner_id, unit_id=unit.id, channel="telegram", category=trade.value,
        description=str(answers["description"]), attachments=list(answers.get("attachments") or []),
        contact_phone=answers.get("phone"), lead_department=Department.REPAIR.value,
        assisting_departments=[d.value for d in SURVEY_DEPARTMENTS], status=Status.SURVEY, major=False,
        received_at=now, progress_due=due_after_working_days(calendar, now, SURVEY_WORKING_DAYS, zone),
        created_at=now, updated_at=now,
    )
    assumed = calendar.assumed_years(today, ticket.progress_due or today)
    ticket.calendar_note = ", ".join(map(str, assumed)) or None
    uow.tickets.add(ticket)
    await uow.flush()
    component = DEFAULT_COMPONENT[trade]
    decision = await decide_for_unit(uow, unit, component, today)
    rules_life = project.design_life_years or 50
    repair = Repair(
        ticket_id=ticket.id, trade=trade.value, location=str(answers["location"]),
        visit_slots=list(answers.get("visit_slots") or []), component=component.value,
        warranty_class=decision.warranty_class, payer=decision.payer,
        warranty=warranty_facts(decision, today, unit.building.completion_date, unit.delivery_date, rules_life),
    )
    uow.repairs.add(repair)
    await record(uow, ticket, "created", now, actor="owner", channel="telegram")
    event = await record(uow, ticket, "warranty_decided", now, component=component.value,
                         warranty_class=decision.warranty_class, payer=decision.payer, reason=decision.reason)
    await notify_survey_team(uow, ticket, event, now)
    reply = Reply(Lines((
        Msg(N_("Your repair request is registered as {number}."), {"number": ticket.number}),
        Msg(N_("Our staff will inspect it on site by {date} and agree the visit with you."),
            {"date": DateText(ticket.progress_due) if ticket.progress_due else "—"}),
        Msg(N_("You can follow it with /my.")),
    )), remove_keyboard=True)
    return Completion((reply,))


async def survey_team(uow: UnitOfWork, ticket: Ticket) -> list[Staff]:
    """DOMAIN 2.3: customer service, engineering/property, and the repair team's lead."""
    people = list(await uow.staff.reachable(ticket.project_id, departments=list(SURVEY_DEPARTMENTS)))
    people += await uow.staff.reachable(ticket.project_id, departments=[Department.REPAIR], roles=list(TEAM_LEADS))
    return people


async def notify_survey_team(uow: UnitOfWork, ticket: Ticket, event: TicketEvent, now: datetime,
                             headline: Msg | None = None) -> int:
    headline = headline or Msg(N_("🛠 New repair request: site survey due {date}"),
                               {"date": DateText(ticket.progress_due) if ticket.progress_due else "—"})
    return await notify_staff(uow, await survey_team(uow, ticket), ticket, event, headline, now)
