"""投诉: an owner files a complaint (DOMAIN 1.1): a 《顾客来访/投诉处理单》 record with a unified
number, routed to its lead department (1.2), deadlines on the project's working days (1.3, 1.4)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from dialogs.engine import Reply
from dialogs.text import N_, DateText, Lines, Msg
from services.calendar.deadlines import due_after_calendar_days, due_after_working_days
from services.calendar.workdays import calendar_for
from services.cases.history import record
from services.cases.numbering import next_number
from services.cases.statuses import Status
from services.cases.units import NO_HOME, chosen_unit
from services.common.actor import Actor, Completion
from services.complaints.cards import assumed_note
from services.complaints.notify import notify_department, notify_leadership
from services.complaints.routing import MAJOR_CATEGORIES, Category, lead_department
from services.complaints.rules import PROGRESS_WORKING_DAYS, RESOLVE_CALENDAR_DAYS
from services.people.roles import DEPARTMENT_LABELS, Department
from storage.models import Ticket
from storage.uow import UnitOfWork

KIND = "complaint"
PREFIX = "TS"  # 投诉


async def file_complaint(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    owner_id = actor.identity.owner_id
    if owner_id is None:
        return Completion((Reply(Msg(N_("Only registered owners can file a complaint here."))),))
    unit = await chosen_unit(uow, owner_id, answers)
    if unit is None:
        return NO_HOME
    project = unit.building.project if unit else None
    zone = project.timezone if project else actor.timezone
    category = str(answers["category"])
    department = await lead_department(uow, project.id if project else None, category)
    calendar = await calendar_for(uow, project.region if project else "CN")
    ticket = Ticket(
        number=await next_number(uow, PREFIX, now.astimezone(ZoneInfo(zone)).year),
        kind=KIND,
        project_id=project.id if project else None,
        owner_id=owner_id,
        unit_id=unit.id if unit else None,
        channel="telegram",
        category=category,
        description=str(answers["description"]),
        attachments=list(answers.get("attachments") or []),
        contact_phone=answers.get("phone"),
        wished_date=date.fromisoformat(answers["wished_date"]) if answers.get("wished_date") else None,
        lead_department=department,
        assisting_departments=[],
        status=Status.NEW,
        major=Category(category) in MAJOR_CATEGORIES,
        received_at=now,
        progress_due=due_after_working_days(calendar, now, PROGRESS_WORKING_DAYS, zone),
        resolve_due=due_after_calendar_days(calendar, now, RESOLVE_CALENDAR_DAYS, zone),
        created_at=now,
        updated_at=now,
    )
    # Deadlines counted over a year whose holiday schedule is not yet published say so (DOMAIN 1.3).
    assumed = calendar.assumed_years(now.astimezone(ZoneInfo(zone)).date(), ticket.resolve_due or now.date())
    ticket.calendar_note = ", ".join(map(str, assumed)) or None
    uow.tickets.add(ticket)
    await uow.flush()
    await record(uow, ticket, "created", now, actor="owner", channel="telegram")
    routed = await record(uow, ticket, "routed", now, department=department)
    await notify_department(uow, ticket, routed, now, copy_customer_service=True)
    if ticket.major:
        escalated = await record(uow, ticket, "escalated", now, reason="category")
        await notify_leadership(uow, ticket, escalated, now)
    reply = Reply(
        Lines(
            (
                Msg(N_("Your complaint is registered as {number}."), {"number": ticket.number}),
                Msg(N_("{department} will handle it and report progress by {progress}; we aim to resolve it by {resolve}."),
                    {"department": Msg(DEPARTMENT_LABELS[Department(department)]),
                     "progress": DateText(ticket.progress_due) if ticket.progress_due else "—",
                     "resolve": DateText(ticket.resolve_due) if ticket.resolve_due else "—"}),
                *assumed_note(ticket),
                Msg(N_("You can follow it with /my.")),
            )
        ),
        remove_keyboard=True,
    )
    return Completion((reply,))
