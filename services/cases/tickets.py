"""Complaints (DOMAIN section 1): filing, routing, notifications, staff and owner actions.

Every change to a ticket is an event in its history (DOMAIN 5.1), and every message it causes
is an outbox row written in the same transaction (DESIGN principle 5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from dialogs.engine import Button, Reply
from dialogs.phones import mask_phone
from dialogs.text import N_, DateText, Field, Lines, Msg, Plain, Text
from services.calendar.delivery import delivery_time, working_delivery_time
from services.calendar.workdays import calendar_for, due_after_calendar_days, due_after_working_days
from services.cases.numbering import next_number
from services.common.actor import Actor, Completion
from services.complaints.routing import CATEGORY_LABELS, MAJOR_CATEGORIES, Category, lead_department
from services.people.roles import DEPARTMENT_LABELS, Department, Role
from services.pushes import outbox
from storage.models import Staff, Ticket, TicketEvent, Unit
from storage.uow import UnitOfWork

PROGRESS_WORKING_DAYS = 3  # DOMAIN 1.3
RESOLVE_CALENDAR_DAYS = 7  # DOMAIN 1.4: "within one week"
STAFF_PREFIX = "t1:"  # t1:<ticket id>:<action>
OWNER_PREFIX = "o1:"  # o1:<ticket id>:<action>


class Status(StrEnum):
    NEW = "new"  # routed, nobody has accepted it yet
    ACCEPTED = "accepted"  # a handler works on it
    RESOLVED = "resolved"  # waiting for the owner's confirmation
    CONFIRMED = "confirmed"  # the owner confirmed; the callback rating is pending
    CLOSED = "closed"  # rated
    UNCONFIRMED = "unconfirmed"  # closed without the owner's confirmation (never counted as confirmed)
    # Repairs (DOMAIN 2) pass through their own stages before RESOLVED.
    SURVEY = "survey"  # waiting for the site survey
    APPROVAL = "approval"  # the estimate waits for cost approval
    ISSUED = "issued"  # work order issued, no worker has taken it yet
    IN_PROGRESS = "in_progress"  # a worker repairs it
    COMPLETED = "completed"  # the team lead recorded completion; customer service checks it


STATUS_LABELS: dict[str, str] = {
    Status.NEW: N_("Registered, waiting to be accepted"),
    Status.ACCEPTED: N_("Being handled"),
    Status.RESOLVED: N_("Resolved, waiting for your confirmation"),
    Status.CONFIRMED: N_("Confirmed"),
    Status.CLOSED: N_("Closed"),
    Status.UNCONFIRMED: N_("Closed without confirmation"),
    Status.SURVEY: N_("Waiting for the site survey"),
    Status.APPROVAL: N_("Waiting for cost approval"),
    Status.ISSUED: N_("Work order issued"),
    Status.IN_PROGRESS: N_("Being repaired"),
    Status.COMPLETED: N_("Repaired, being checked"),
}
REPAIR_WORK = (Status.ISSUED, Status.IN_PROGRESS)
REPAIR_STAGES = (Status.SURVEY, Status.APPROVAL, *REPAIR_WORK, Status.COMPLETED)
OPEN = (Status.NEW, Status.ACCEPTED)


class Action(StrEnum):
    ACCEPT = "acc"
    TRANSFER = "tr"
    PROGRESS = "pg"
    EXTEND = "ext"
    RESOLVE = "res"
    MAJOR = "maj"
    ASSIST = "as"
    MEASURES = "ms"


ACTION_LABELS: dict[Action, str] = {
    Action.ACCEPT: N_("✅ Accept"),
    Action.TRANSFER: N_("↪️ Transfer"),
    Action.PROGRESS: N_("📝 Progress report"),
    Action.EXTEND: N_("⏳ Ask for more time"),
    Action.RESOLVE: N_("✔️ Mark resolved"),
    Action.MAJOR: N_("🚩 Flag as major"),
    Action.ASSIST: N_("🤝 Ask another department to assist"),
    Action.MEASURES: N_("📌 Set handling measures"),
}

SUPERVISOR_ROLES = (Role.MANAGER, Role.VICE_PRESIDENT, Role.GENERAL_MANAGER)


# ---------------------------------------------------------------- permissions


def in_reach(staff: Staff, ticket: Ticket) -> bool:
    """Active staff of the ticket's project, or company-wide staff."""
    return staff.active and (staff.project_id is None or ticket.project_id in (None, staff.project_id))


def permitted(staff: Staff, ticket: Ticket, action: Action) -> bool:
    """Whether a staff member may take an action on a ticket (checked on every press)."""
    if not in_reach(staff, ticket):
        return False
    in_lead = staff.department == ticket.lead_department
    handler = ticket.handler_id == staff.id
    customer_service = staff.department == Department.CUSTOMER_SERVICE
    supervisor = staff.role in SUPERVISOR_ROLES
    if action is Action.ACCEPT:
        return ticket.status == Status.NEW and in_lead
    if ticket.status not in OPEN:
        return False
    if action is Action.MEASURES:  # DOMAIN 1.5: leadership sets the measures for a major complaint
        return ticket.major and staff.role in (Role.VICE_PRESIDENT, Role.GENERAL_MANAGER)
    if action in (Action.TRANSFER, Action.ASSIST):
        return handler or in_lead or customer_service
    if action is Action.MAJOR:
        return not ticket.major and (handler or in_lead or customer_service or supervisor)
    # Progress, extension and resolution are the handler's (or their department's manager's).
    return ticket.status == Status.ACCEPTED and (handler or (in_lead and supervisor))


def actions_for(staff: Staff, ticket: Ticket) -> list[Action]:
    return [action for action in Action if permitted(staff, ticket, action)]


# ---------------------------------------------------------------- filing


async def complaint_context(uow: UnitOfWork, owner_id: int) -> dict[str, Any]:
    """What the intake dialog offers: the owner's units and their phone on record."""
    owner = await uow.owners.get(owner_id)
    units = await uow.units.units_of_owner(owner_id)
    return {
        "units": [[str(unit.id), unit_label(unit)] for unit in units],
        "phone": owner.phone if owner else None,
    }


def category_label(ticket: Ticket) -> Msg:
    """A complaint's category or a repair's trade, for lists and cards."""
    if ticket.kind == "repair":
        from services.repairs.rules import TRADE_LABELS, Trade

        return Msg(TRADE_LABELS[Trade(ticket.category)])
    return Msg(CATEGORY_LABELS[Category(ticket.category)])


# Every case belongs to a project: that decides who may see it (never another project's staff).
NO_HOME = Completion((Reply(Msg(N_("We could not find your home in our records. Please contact customer service."))),))


async def chosen_unit(uow: UnitOfWork, owner_id: int, answers: Mapping[str, Any]) -> Unit | None:
    """The unit the owner picked in a filing dialog, or their only one."""
    units = {str(unit.id): unit for unit in await uow.units.units_of_owner(owner_id)}
    unit = units.get(str(answers.get("unit"))) if answers.get("unit") else None
    if unit is None and len(units) == 1:
        unit = next(iter(units.values()))
    return unit


def unit_label(unit: Unit) -> str:
    return f"{unit.building.project.name} {unit.building.name}-{unit.number}"


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
        number=await next_number(uow, "complaint", now.astimezone(ZoneInfo(zone)).year),
        kind="complaint",
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
                *_assumed_note(ticket),
                Msg(N_("You can follow it with /my.")),
            )
        ),
        remove_keyboard=True,
    )
    return Completion((reply,))


async def record(
    uow: UnitOfWork, ticket: Ticket, kind: str, now: datetime, *, actor: str = "system",
    staff_id: int | None = None, **data: Any,
) -> TicketEvent:
    """Append an event to the ticket's history (and flush, so its id can key notifications)."""
    event = TicketEvent(ticket_id=ticket.id, at=now, kind=kind, actor=actor, staff_id=staff_id,
                        data={k: v for k, v in data.items() if v is not None})
    uow.tickets.add_event(event)
    ticket.updated_at = now
    await uow.flush()
    return event


# ---------------------------------------------------------------- cards


async def staff_card(uow: UnitOfWork, ticket: Ticket, headline: Msg) -> Text:
    """The case as staff see it: the owner's phone masked (DOMAIN 5.2), their text escaped."""
    if ticket.kind == "repair":
        from services.repairs.filing import repair_card  # repairs build on this module

        return await repair_card(uow, ticket, headline)
    owner = await uow.owners.get(ticket.owner_id) if ticket.owner_id else None
    unit = await ticket_unit(uow, ticket)
    lines: list[Text] = [
        headline,
        Field(Msg(N_("No.")), Plain(ticket.number)),
        Field(Msg(N_("Category")), Msg(CATEGORY_LABELS[Category(ticket.category)])),
        Field(Msg(N_("Unit")), Plain(unit_label(unit) if unit else "—")),
        Field(Msg(N_("Owner")), Plain(owner.name if owner else "—")),
        Field(Msg(N_("Phone")), Plain(mask_phone(ticket.contact_phone) if ticket.contact_phone else "—")),
        Field(Msg(N_("Description")), Plain(ticket.description)),
        Field(Msg(N_("Lead department")), Msg(DEPARTMENT_LABELS[Department(ticket.lead_department)])),
    ]
    lines.extend(
        Field(Msg(N_("Assisting department")), Msg(DEPARTMENT_LABELS[Department(d)]))
        for d in ticket.assisting_departments
    )
    if ticket.major:
        lines.append(Msg(N_("🚩 Major complaint")))
    if ticket.attachments:
        lines.append(Field(Msg(N_("Attachments")), len(ticket.attachments)))
    if ticket.wished_date:
        lines.append(Field(Msg(N_("Wished resolution date")), DateText(ticket.wished_date)))
    lines.extend(_deadline_lines(ticket))
    return Lines(tuple(lines))


def _assumed_note(ticket: Ticket) -> list[Text]:
    if not ticket.calendar_note:
        return []
    return [Msg(N_("Note: the holiday schedule for {years} is not yet published; statutory holidays are "
                   "assumed."), {"years": Plain(ticket.calendar_note)})]


def _deadline_lines(ticket: Ticket) -> list[Text]:
    lines: list[Text] = []
    if ticket.progress_due and ticket.progress_reported_at is None:
        lines.append(Field(Msg(N_("Progress report due")), DateText(ticket.progress_due)))
    if ticket.resolve_due:
        lines.append(Field(Msg(N_("Resolution due")), DateText(ticket.resolve_due)))
    return [*lines, *_assumed_note(ticket)]


def owner_card(ticket: Ticket, unit: Unit | None) -> Text:
    lines: list[Text] = [
        Field(Msg(N_("No.")), Plain(ticket.number)),
        Field(Msg(N_("Category")), category_label(ticket)),
        Field(Msg(N_("Status")), Msg(STATUS_LABELS[ticket.status])),
    ]
    if unit is not None:
        lines.append(Field(Msg(N_("Unit")), Plain(unit_label(unit))))
    lines.append(Field(Msg(N_("Description")), Plain(ticket.description)))
    if ticket.status in (*OPEN, *REPAIR_WORK) and ticket.resolve_due:
        lines.append(Field(Msg(N_("Resolution due")), DateText(ticket.resolve_due)))
    if ticket.result:
        lines.append(Field(Msg(N_("Result")), Plain(ticket.result)))
    return Lines(tuple(lines))


async def ticket_unit(uow: UnitOfWork, ticket: Ticket) -> Unit | None:
    if ticket.unit_id is None or ticket.owner_id is None:
        return None
    for unit in await uow.units.units_of_owner(ticket.owner_id):
        if unit.id == ticket.unit_id:
            return unit
    return None


async def buttons_for(uow: UnitOfWork, staff: Staff, ticket: Ticket) -> tuple[tuple[Button, ...], ...]:
    """The buttons a staff member gets under a case card: what their role allows now."""
    if ticket.kind == "repair":
        from services.repairs.permissions import repair_buttons  # repairs build on this module

        return await repair_buttons(uow, staff, ticket)
    return staff_buttons(staff, ticket)


def staff_buttons(staff: Staff, ticket: Ticket) -> tuple[tuple[Button, ...], ...]:
    buttons = [Button(Msg(ACTION_LABELS[a]), f"{STAFF_PREFIX}{ticket.id}:{a.value}") for a in actions_for(staff, ticket)]
    return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))


# ---------------------------------------------------------------- notifications


async def notify_staff(
    uow: UnitOfWork, people: Sequence[Staff], ticket: Ticket, event: TicketEvent, headline: Msg, now: datetime,
    *, with_media: bool = True, media: Sequence[dict[str, str]] | None = None, extra: Text | None = None,
    urgent: bool = False,
) -> int:
    """The case card to each person, with the buttons their role allows. Delivered in working
    hours on working days, except urgent ones (a major complaint goes out at once)."""
    card = await staff_card(uow, ticket, headline)
    text: Text = Lines((card, extra)) if extra is not None else card
    attachments = media if media is not None else (ticket.attachments if with_media else ())
    not_before = now if urgent else await _staff_delivery(uow, ticket, now)
    sent = 0
    for person in people:
        if person.chat_id is None:
            continue
        await outbox.enqueue(
            uow, key=f"ticket:{ticket.id}:event:{event.id}:staff:{person.id}", chat_id=person.chat_id,
            reply=Reply(text, await buttons_for(uow, person, ticket)), now=now, not_before=not_before, staff_id=person.id,
            media=attachments,
        )
        sent += 1
    return sent


async def workers(uow: UnitOfWork, ticket: Ticket) -> list[Staff]:
    """Who works on a case: its handler, or the lead department while nobody has accepted it
    (or the handler can no longer be reached)."""
    handler = await uow.staff.get(ticket.handler_id) if ticket.handler_id else None
    if handler is not None and handler.active and handler.chat_id is not None:
        return [handler]
    return list(await uow.staff.reachable(ticket.project_id, departments=[ticket.lead_department]))


async def notify_department(
    uow: UnitOfWork, ticket: Ticket, event: TicketEvent, now: datetime, *, copy_customer_service: bool = False
) -> int:
    """The case to whoever works on it. Customer service, who receives and logs everything, gets
    a copy of new complaints, and is told when nobody in the lead department can be reached."""
    headline = Msg(N_("📥 New complaint for your department"))
    sent = await notify_staff(uow, await workers(uow, ticket), ticket, event, headline, now, urgent=ticket.major)
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


async def notify_customer_service(
    uow: UnitOfWork, ticket: Ticket, event: TicketEvent, headline: Msg, now: datetime, *,
    extra: Text | None = None, managers_only: bool = False,
) -> int:
    roles = list(SUPERVISOR_ROLES) if managers_only else []
    people = await uow.staff.reachable(ticket.project_id, departments=[Department.CUSTOMER_SERVICE], roles=roles)
    return await notify_staff(uow, people, ticket, event, headline, now, with_media=False, extra=extra)


async def notify_owner(
    uow: UnitOfWork, ticket: Ticket, event: TicketEvent, text: Text, now: datetime,
    buttons: tuple[tuple[Button, ...], ...] = (),
) -> bool:
    """A message about the owner's own case (no consent needed, DOMAIN 4.6), in the window."""
    owner = await uow.owners.get(ticket.owner_id) if ticket.owner_id else None
    if owner is None or owner.chat_id is None:
        return False
    project = await uow.projects.get(ticket.project_id) if ticket.project_id else None
    return await outbox.enqueue(
        uow, key=f"ticket:{ticket.id}:event:{event.id}:owner", chat_id=owner.chat_id,
        reply=Reply(text, buttons), now=now, owner_id=owner.id,
        not_before=delivery_time(now, project.timezone if project else "Asia/Shanghai"),
    )


async def _staff_delivery(uow: UnitOfWork, ticket: Ticket, now: datetime) -> datetime:
    project = await uow.projects.get(ticket.project_id) if ticket.project_id else None
    region, zone = (project.region, project.timezone) if project else ("CN", "Asia/Shanghai")
    return working_delivery_time(now, zone, await calendar_for(uow, region))


async def cancel_reminders(uow: UnitOfWork, ticket: Ticket, *deadlines: str) -> None:
    """Planned reminders about a deadline that was met or moved are not sent after all."""
    for which in deadlines:
        for kind in ("remind", "overdue"):
            await uow.outbox.cancel_pending(f"{kind}:{which}:{ticket.id}:", "deadline met or moved")

def owner_button(ticket: Ticket, label: str, action: str) -> Button:
    return Button(Msg(label), f"{OWNER_PREFIX}{ticket.id}:{action}")


# ---------------------------------------------------------------- the owner's confirmation (DOMAIN 1.6, 2.5)


def confirmation_request(ticket: Ticket) -> Text:
    handled = (N_("Your repair {number} has been completed and checked.") if ticket.kind == "repair"
               else N_("Your complaint {number} has been handled."))
    return Lines((
        Msg(handled, {"number": ticket.number}),
        Field(Msg(N_("Result")), Plain(ticket.result or "")),
        Msg(N_("Is it resolved to your satisfaction?")),
    ))


def confirmation_buttons(ticket: Ticket, resolution: int) -> tuple[tuple[Button, ...], ...]:
    """Answers to one resolution (its event id): a button under an older result stays void."""
    return ((owner_button(ticket, N_("✅ Yes, resolved"), f"ok{resolution}"),
             owner_button(ticket, N_("❌ Not resolved"), f"no{resolution}")),)


async def latest_resolution(uow: UnitOfWork, ticket: Ticket) -> int | None:
    resolutions = [e.id for e in await uow.tickets.events(ticket.id) if e.kind == "resolved"]
    return resolutions[-1] if resolutions else None
