"""What staff and owners do with a ticket in chat. Every press is checked against the
database and the presser (DESIGN principle 4); a refused press changes nothing."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from dialogs.engine import Button, Reply
from dialogs.text import N_, DateText, Field, Lines, Msg, Plain, Text
from services.cases.tickets import (
    OPEN,
    OWNER_PREFIX,
    REPAIR_STAGES,
    REPAIR_WORK,
    STAFF_PREFIX,
    STATUS_LABELS,
    Action,
    Status,
    cancel_reminders,
    category_label,
    confirmation_buttons,
    confirmation_request,
    in_reach,
    latest_resolution,
    notify_assisting,
    notify_customer_service,
    notify_department,
    notify_leadership,
    notify_owner,
    notify_staff,
    owner_button,
    owner_card,
    permitted,
    record,
    staff_buttons,
    staff_card,
    ticket_unit,
    workers,
)
from services.common.actor import Actor, Completion
from services.people.roles import DEPARTMENT_LABELS, Department, Role
from storage.models import Staff, Ticket, TicketEvent
from storage.uow import UnitOfWork

NUMBER = re.compile(r"^\s*(TS|BX)-(\d{4})-(\d{6})\s*$", re.IGNORECASE)
COMPLAINT_DEPARTMENTS = tuple(d for d in Department if d is not Department.BUILDER)  # the builder is outside
OWNER_MAY_ADD = (*OPEN, *REPAIR_STAGES, Status.RESOLVED)
LOW_RATING = 2  # DOMAIN 3.5 / issue: 1-2 opens a follow-up for the customer-service manager


@dataclass
class ActionResult:
    replies: list[Reply] = field(default_factory=list)
    refusal: str | None = None  # shown as an alert; nothing changed
    begin: tuple[str, dict[str, Any]] | None = None  # a dialog to start for the presser


def parse(data: str, prefix: str) -> tuple[int, str] | None:
    parts = data[len(prefix) :].split(":")
    if not data.startswith(prefix) or len(parts) != 2 or not re.fullmatch(r"[0-9]{1,9}", parts[0]):
        return None
    return int(parts[0]), parts[1]


# ---------------------------------------------------------------- staff


async def staff_press(uow: UnitOfWork, actor: Actor, data: str, now: datetime) -> ActionResult:
    parsed = parse(data, STAFF_PREFIX)
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    if parsed is None or staff is None:
        return ActionResult(refusal=N_("This button is not valid."))
    ticket_id, code = parsed
    ticket = await uow.tickets.get(ticket_id, lock=True)
    if ticket is None or not _may_see(staff, ticket):
        return ActionResult(refusal=N_("This button is not valid."))
    if ticket.kind == "repair":
        from services.repairs import flow as repair_flow  # repairs build on this module

        return await repair_flow.staff_press(uow, staff, ticket, code, now)
    if code == "view":
        card = await staff_card(uow, ticket, Msg(N_("Case details")))
        return ActionResult([Reply(card, staff_buttons(staff, ticket))])
    try:
        action = Action(code)
    except ValueError:
        return ActionResult(refusal=N_("This button is not valid."))
    if not permitted(staff, ticket, action):
        return ActionResult(refusal=_why_not(ticket, action))
    if action is Action.ACCEPT:
        return ActionResult([await accept(uow, staff, ticket, now)])
    if action is Action.TRANSFER:
        return ActionResult(begin=("ticket_transfer", {"ticket": ticket.id, "targets": await _targets(uow, ticket)}))
    if action is Action.ASSIST:
        departments = [[d.value, DEPARTMENT_LABELS[d], "msg"] for d in COMPLAINT_DEPARTMENTS
                       if d.value != ticket.lead_department and d.value not in ticket.assisting_departments]
        return ActionResult(begin=("ticket_assist", {"ticket": ticket.id, "departments": departments}))
    dialog = {Action.MEASURES: "ticket_measures", Action.PROGRESS: "ticket_progress", Action.EXTEND: "ticket_extend",
              Action.RESOLVE: "ticket_resolve", Action.MAJOR: "ticket_major"}[action]
    return ActionResult(begin=(dialog, {"ticket": ticket.id}))


def _may_see(staff: Staff, ticket: Ticket) -> bool:
    if not in_reach(staff, ticket):
        return False
    return (
        staff.department in (Department.CUSTOMER_SERVICE, Department.LEADERSHIP, Department.OFFICE)
        or staff.department == ticket.lead_department
        or staff.department in ticket.assisting_departments
        or ticket.handler_id == staff.id
        or staff.role in (Role.VICE_PRESIDENT, Role.GENERAL_MANAGER)
        # Repairs: the repair team works them and the deputy chief engineer and finance see their costs.
        or (ticket.kind == "repair" and (staff.department in (Department.REPAIR, Department.FINANCE)
                                         or staff.role == Role.DEPUTY_CHIEF_ENGINEER))
    )


def _why_not(ticket: Ticket, action: Action) -> str:
    if action is Action.ACCEPT and ticket.status != Status.NEW:
        return N_("This case has already been accepted.")
    if ticket.status not in OPEN:
        return N_("This case is no longer open.")
    return N_("Your role does not allow this action on this case.")


async def accept(uow: UnitOfWork, staff: Staff, ticket: Ticket, now: datetime) -> Reply:
    ticket.handler_id = staff.id
    ticket.status = Status.ACCEPTED
    event = await record(uow, ticket, "accepted", now, actor="staff", staff_id=staff.id)
    await notify_owner(
        uow, ticket, event,
        Msg(N_("Your complaint {number} has been accepted by {department}. Handler: {name}."),
            {"number": ticket.number, "department": Msg(DEPARTMENT_LABELS[Department(staff.department)]),
             "name": Plain(staff.name)}),
        now,
    )
    due: Text = DateText(ticket.progress_due) if ticket.progress_due else "—"
    return Reply(Msg(N_("You accepted {number}. Progress report due {date}."), {"number": ticket.number, "date": due}),
                 staff_buttons(staff, ticket))


async def _targets(uow: UnitOfWork, ticket: Ticket) -> list[list[str]]:
    targets: list[list[str]] = [
        [f"d:{d.value}", DEPARTMENT_LABELS[d], "msg"] for d in COMPLAINT_DEPARTMENTS if d.value != ticket.lead_department
    ]
    people = await uow.staff.reachable(ticket.project_id)
    return [*targets, *([f"s:{p.id}", p.name] for p in people if p.id != ticket.handler_id)]


async def _acting_staff(uow: UnitOfWork, actor: Actor, context_ticket: Any, action: Action) -> tuple[Staff, Ticket] | None:
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    ticket = await uow.tickets.get(int(context_ticket), lock=True) if context_ticket is not None else None
    if staff is None or ticket is None or not permitted(staff, ticket, action):
        return None
    return staff, ticket


STALE = Completion((Reply(Msg(N_("This case changed meanwhile; nothing was recorded."))),))


async def complete_transfer(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    acting = await _acting_staff(uow, actor, answers.get("ticket"), Action.TRANSFER)
    if acting is None:
        return STALE
    staff, ticket = acting
    target, reason = str(answers["target"]), str(answers["reason"])
    previous = ticket.lead_department
    # The targets were listed when the dialog began; someone may have moved the case since.
    if target in (f"d:{ticket.lead_department}", f"s:{ticket.handler_id}"):
        return STALE
    if target.startswith("s:"):
        person = await uow.staff.get(int(target[2:]))
        if person is None or not person.active:
            return STALE
        ticket.lead_department, ticket.handler_id, ticket.status = person.department, person.id, Status.ACCEPTED
        event = await record(uow, ticket, "transferred", now, actor="staff", staff_id=staff.id, reason=reason,
                             from_department=previous, to_staff=person.id, to_department=person.department)
    else:
        department = Department(target[2:])
        ticket.lead_department, ticket.handler_id, ticket.status = department.value, None, Status.NEW
        event = await record(uow, ticket, "transferred", now, actor="staff", staff_id=staff.id, reason=reason,
                             from_department=previous, to_department=department.value)
    ticket.assisting_departments = [d for d in ticket.assisting_departments if d != ticket.lead_department]
    await notify_department(uow, ticket, event, now)
    return Completion((Reply(Msg(N_("{number} was transferred."), {"number": ticket.number}),
                             staff_buttons(staff, ticket)),))


async def complete_assist(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    acting = await _acting_staff(uow, actor, answers.get("ticket"), Action.ASSIST)
    if acting is None:
        return STALE
    staff, ticket = acting
    department = Department(str(answers["department"])).value
    if department == ticket.lead_department or department in ticket.assisting_departments:
        return STALE
    ticket.assisting_departments = [*ticket.assisting_departments, department]
    event = await record(uow, ticket, "assisting_added", now, actor="staff", staff_id=staff.id,
                         department=department, note=str(answers["note"]))
    await notify_assisting(uow, ticket, event, department, now,
                           extra=Field(Msg(N_("Request")), Plain(str(answers["note"]))))
    return Completion((Reply(Msg(N_("{department} was asked to assist on {number}."),
                                 {"department": Msg(DEPARTMENT_LABELS[Department(department)]),
                                  "number": ticket.number}), staff_buttons(staff, ticket)),))


async def complete_measures(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    acting = await _acting_staff(uow, actor, answers.get("ticket"), Action.MEASURES)
    if acting is None:
        return STALE
    staff, ticket = acting
    measures = str(answers["measures"])
    event = await record(uow, ticket, "measures_set", now, actor="staff", staff_id=staff.id, measures=measures)
    headline = Msg(N_("📌 Handling measures from {name} for {number}"), {"name": Plain(staff.name),
                                                                      "number": ticket.number})
    await notify_staff(uow, await workers(uow, ticket), ticket, event, headline, now, media=[], urgent=True,
                       extra=Field(Msg(N_("Measures")), Plain(measures)))
    return Completion((Reply(Msg(N_("The measures for {number} were sent to the people handling it."),
                                 {"number": ticket.number}), staff_buttons(staff, ticket)),))


async def complete_progress(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    acting = await _acting_staff(uow, actor, answers.get("ticket"), Action.PROGRESS)
    if acting is None:
        return STALE
    staff, ticket = acting
    ticket.progress_reported_at = ticket.progress_reported_at or now
    await cancel_reminders(uow, ticket, "progress")
    event = await record(uow, ticket, "progress", now, actor="staff", staff_id=staff.id, text=str(answers["text"]))
    await notify_customer_service(
        uow, ticket, event, Msg(N_("📝 Progress report on {number}"), {"number": ticket.number}), now,
        extra=Field(Msg(N_("Progress")), Plain(str(answers["text"]))),
    )
    return Completion((Reply(Msg(N_("Progress report on {number} recorded."), {"number": ticket.number}),
                             staff_buttons(staff, ticket)),))


async def complete_extend(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    acting = await _acting_staff(uow, actor, answers.get("ticket"), Action.EXTEND)
    if acting is None:
        return STALE
    staff, ticket = acting
    until, reason = str(answers["until"]), str(answers["reason"])
    if ticket.resolve_due and date.fromisoformat(until) <= ticket.resolve_due:
        return Completion((Reply(Msg(N_("The new date must be after the current deadline, {date}."),
                                     {"date": DateText(ticket.resolve_due)}), staff_buttons(staff, ticket)),))
    event = await record(uow, ticket, "extension_requested", now, actor="staff", staff_id=staff.id,
                         until=until, reason=reason)
    buttons = ((owner_button(ticket, N_("Agree"), f"xy{event.id}"), owner_button(ticket, N_("Disagree"), f"xn{event.id}")),)
    await notify_owner(
        uow, ticket, event,
        Lines((Msg(N_("We need more time for your complaint {number}: until {date}."),
                   {"number": ticket.number, "date": DateText(date.fromisoformat(until))}),
               Field(Msg(N_("Reason")), Plain(reason)), Msg(N_("Do you agree?")))),
        now, buttons,
    )
    return Completion((Reply(Msg(N_("The owner has been asked to agree to {date}."),
                                 {"date": DateText(date.fromisoformat(until))}), staff_buttons(staff, ticket)),))


async def complete_resolve(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    acting = await _acting_staff(uow, actor, answers.get("ticket"), Action.RESOLVE)
    if acting is None:
        return STALE
    staff, ticket = acting
    ticket.status, ticket.result, ticket.resolved_at = Status.RESOLVED, str(answers["result"]), now
    await cancel_reminders(uow, ticket, "progress", "resolve")
    event = await record(uow, ticket, "resolved", now, actor="staff", staff_id=staff.id, result=ticket.result)
    await notify_owner(uow, ticket, event, confirmation_request(ticket), now, confirmation_buttons(ticket, event.id))
    return Completion((Reply(Msg(N_("{number} is marked resolved; the owner has been asked to confirm."),
                                 {"number": ticket.number})),))


async def complete_major(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    acting = await _acting_staff(uow, actor, answers.get("ticket"), Action.MAJOR)
    if acting is None:
        return STALE
    staff, ticket = acting
    ticket.major = True
    event = await record(uow, ticket, "escalated", now, actor="staff", staff_id=staff.id, reason=str(answers["reason"]))
    await notify_leadership(uow, ticket, event, now, extra=Field(Msg(N_("Reason")), Plain(str(answers["reason"]))))
    return Completion((Reply(Msg(N_("{number} was escalated to the company leadership."), {"number": ticket.number}),
                             staff_buttons(staff, ticket)),))


# ---------------------------------------------------------------- owners


async def owner_press(uow: UnitOfWork, actor: Actor, data: str, now: datetime) -> ActionResult:
    parsed = parse(data, OWNER_PREFIX)
    owner_id = actor.identity.owner_id
    if parsed is None or owner_id is None:
        return ActionResult(refusal=N_("This button is not valid."))
    ticket_id, code = parsed
    ticket = await uow.tickets.get(ticket_id, lock=True)
    if ticket is None or ticket.owner_id != owner_id:  # never another owner's case
        return ActionResult(refusal=N_("This button is not valid."))
    if code == "view":
        return ActionResult([await owner_view(uow, ticket)])
    if code == "add" and ticket.status in OWNER_MAY_ADD:
        return ActionResult(begin=("ticket_add_info", {"ticket": ticket.id}))
    answer = re.fullmatch(r"(ok|no|xy|xn)([0-9]{1,9})", code)
    if answer and answer[1] in ("ok", "no") and ticket.status == Status.RESOLVED:
        if int(answer[2]) != await latest_resolution(uow, ticket):
            return ActionResult(refusal=N_("This button is no longer valid."))
        if answer[1] == "no":
            return ActionResult([await reopen(uow, ticket, now)], begin=("ticket_reopen", {"ticket": ticket.id}))
        ticket.status, ticket.confirmed_at = Status.CONFIRMED, now
        await record(uow, ticket, "confirmed", now, actor="owner")
        return ActionResult([Reply(Msg(N_("Thank you for confirming. Two quick questions about our service:")))],
                            begin=(_rating_dialog(ticket), {"ticket": ticket.id}))
    if code == "rate" and ticket.status == Status.CONFIRMED:
        return ActionResult(begin=(_rating_dialog(ticket), {"ticket": ticket.id}))
    if answer and answer[1] in ("xy", "xn") and ticket.status in (*OPEN, *REPAIR_WORK):
        return ActionResult([await _decide_extension(uow, ticket, int(answer[2]), answer[1] == "xy", now)])
    return ActionResult(refusal=N_("This button is no longer valid."))


def _rating_dialog(ticket: Ticket) -> str:
    return "repair_rating" if ticket.kind == "repair" else "ticket_rating"


async def _decide_extension(uow: UnitOfWork, ticket: Ticket, event_id: int, agree: bool, now: datetime) -> Reply:
    events = await uow.tickets.events(ticket.id)
    requests = [e for e in events if e.kind == "extension_requested"]
    request = requests[-1] if requests and requests[-1].id == event_id else None  # only the latest counts
    decided = any(e.kind in ("extension_agreed", "extension_declined") and e.data.get("request") == event_id
                  for e in events)
    if request is None or decided:
        return Reply(Msg(N_("This request has already been answered.")))
    until = str(request.data["until"])
    if agree:
        ticket.resolve_due = date.fromisoformat(until)
        if ticket.kind == "repair":
            from services.repairs.flow import extension_agreed

            await extension_agreed(uow, ticket, ticket.resolve_due)
        await cancel_reminders(uow, ticket, "resolve")
        event = await record(uow, ticket, "extension_agreed", now, actor="owner", request=event_id, until=until)
        text = Msg(N_("Thank you. The new date for {number} is {date}."),
                   {"number": ticket.number, "date": DateText(ticket.resolve_due)})
    else:
        event = await record(uow, ticket, "extension_declined", now, actor="owner", request=event_id)
        text = Msg(N_("Noted: you did not agree to more time. We will contact you."))
    headline = Msg(N_("The owner agreed to more time on {number}") if agree
                   else N_("The owner did not agree to more time on {number}"), {"number": ticket.number})
    await _notify_handler(uow, ticket, event, headline, now)
    return Reply(text)


async def _notify_handler(
    uow: UnitOfWork, ticket: Ticket, event: TicketEvent, headline: Msg, now: datetime, *,
    extra: Text | None = None, media: list[dict[str, str]] | None = None,
) -> None:
    """The handler, or the lead department while nobody has accepted the case."""
    await notify_staff(uow, await workers(uow, ticket), ticket, event, headline, now, media=media or [], extra=extra)


async def owner_view(uow: UnitOfWork, ticket: Ticket) -> Reply:
    buttons: list[Button] = []
    if ticket.status in OWNER_MAY_ADD:
        buttons.append(owner_button(ticket, N_("➕ Add information"), "add"))
    rows: tuple[tuple[Button, ...], ...] = ((*buttons,),) if buttons else ()
    resolution = await latest_resolution(uow, ticket)
    if ticket.status == Status.RESOLVED and resolution is not None:
        rows = (*confirmation_buttons(ticket, resolution), *rows)
    if ticket.status == Status.CONFIRMED:
        rows = ((owner_button(ticket, N_("⭐ Rate our service"), "rate"),),)
    if ticket.kind == "repair":
        from services.repairs.filing import repair_owner_card

        return Reply(await repair_owner_card(uow, ticket, await ticket_unit(uow, ticket)), rows)
    return Reply(owner_card(ticket, await ticket_unit(uow, ticket)), rows)


async def my_cases(uow: UnitOfWork, actor: Actor) -> Reply:
    if actor.identity.owner_id is None:
        return Reply(Msg(N_("Please link your account first: /start")))
    tickets = await uow.tickets.of_owner(actor.identity.owner_id)
    if not tickets:
        return Reply(Msg(N_("You have no cases yet.")))
    lines: list[Text] = [Msg(N_("Your cases:"))]
    rows: list[tuple[Button, ...]] = []
    for ticket in tickets[:20]:
        due: Text = Msg(N_(", due {date}"), {"date": DateText(ticket.resolve_due)}) if (
            ticket.status in (*OPEN, *REPAIR_WORK) and ticket.resolve_due) else ""
        lines.append(Msg(N_("{number} · {category} · {status}{due}"), {
            "number": ticket.number, "category": category_label(ticket),
            "status": Msg(STATUS_LABELS[ticket.status]), "due": due}))
        rows.append((Button(Plain(ticket.number), f"{OWNER_PREFIX}{ticket.id}:view"),))
    return Reply(Lines(tuple(lines)), tuple(rows))


async def find_own_case(uow: UnitOfWork, actor: Actor, text: str) -> Reply | None:
    """A typed case number: shown only if it is the owner's own (same answer otherwise)."""
    match = NUMBER.match(text)
    if match is None:
        return None
    number = f"{match[1].upper()}-{match[2]}-{match[3]}"
    ticket = await uow.tickets.by_number(number)
    if ticket is None or actor.identity.owner_id is None or ticket.owner_id != actor.identity.owner_id:
        return Reply(Msg(N_("You have no case with the number {number}."), {"number": number}))
    return await owner_view(uow, ticket)


async def _own_ticket(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any]) -> Ticket | None:
    ticket = await uow.tickets.get(int(answers["ticket"]), lock=True) if answers.get("ticket") is not None else None
    if ticket is None or ticket.owner_id is None or ticket.owner_id != actor.identity.owner_id:
        return None
    return ticket


async def reopen(uow: UnitOfWork, ticket: Ticket, now: datetime) -> Reply:
    """❌ reopens at once: the owner's "not resolved" stands even if they never give a reason."""
    ticket.status, ticket.resolved_at = (Status.ACCEPTED if ticket.handler_id else Status.NEW), None
    if ticket.kind == "repair":
        from services.repairs.flow import reopened

        await reopened(uow, ticket)
    event = await record(uow, ticket, "reopened", now, actor="owner")
    await _notify_handler(uow, ticket, event, Msg(N_("↩️ The owner reopened {number}"), {"number": ticket.number}), now)
    return Reply(Msg(N_("Your case {number} has been reopened; we will get back to you."),
                     {"number": ticket.number}))


async def complete_reopen(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    ticket = await _own_ticket(uow, actor, answers)
    if ticket is None or ticket.status not in (*OPEN, *REPAIR_WORK):
        return STALE
    reason = str(answers["reason"])
    event = await record(uow, ticket, "reopen_reason", now, actor="owner", reason=reason)
    headline = Msg(N_("↩️ Why the owner reopened {number}"), {"number": ticket.number})
    await _notify_handler(uow, ticket, event, headline, now, extra=Field(Msg(N_("Reason")), Plain(reason)))
    return Completion((Reply(Msg(N_("Thank you; the handler has your explanation."))),))


async def complete_add_info(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    ticket = await _own_ticket(uow, actor, answers)
    if ticket is None or ticket.status not in OWNER_MAY_ADD:
        return STALE
    attachments = list(answers.get("attachments") or [])
    ticket.attachments = [*ticket.attachments, *attachments]
    event = await record(uow, ticket, "info_added", now, actor="owner", text=str(answers["text"]),
                         attachments=len(attachments))
    headline = Msg(N_("➕ The owner added information to {number}"), {"number": ticket.number})
    await _notify_handler(uow, ticket, event, headline, now, media=attachments,
                          extra=Field(Msg(N_("Added")), Plain(str(answers["text"]))))
    return Completion((Reply(Msg(N_("Added to {number}. Thank you."), {"number": ticket.number})),))


async def complete_rating(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    ticket = await _own_ticket(uow, actor, answers)
    if ticket is None or ticket.status != Status.CONFIRMED:
        return STALE
    if ticket.kind == "repair":
        from services.repairs.flow import rate

        await rate(uow, ticket, int(answers["quality"]), int(answers["attitude"]), answers.get("comment"), now)
        return Completion()
    ticket.rating_result, ticket.rating_attitude = int(answers["result"]), int(answers["attitude"])
    ticket.rating_comment = answers.get("comment")
    ticket.status, ticket.closed_at = Status.CLOSED, now
    await record(uow, ticket, "rated", now, actor="owner", result=ticket.rating_result,
                 attitude=ticket.rating_attitude, comment=ticket.rating_comment)
    if min(ticket.rating_result, ticket.rating_attitude) <= LOW_RATING:
        follow_up = await record(uow, ticket, "follow_up_opened", now, reason="low_rating")
        await notify_customer_service(
            uow, ticket, follow_up, Msg(N_("⚠️ Dissatisfied owner on {number}: please re-visit"), {"number": ticket.number}),
            now, managers_only=True,
            extra=Lines((Field(Msg(N_("Result rating")), ticket.rating_result),
                         Field(Msg(N_("Attitude rating")), ticket.rating_attitude),
                         Field(Msg(N_("Comment")), Plain(ticket.rating_comment or "—")))),
        )
    return Completion()


async def queue(uow: UnitOfWork, actor: Actor) -> Reply:
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    if staff is None:
        return Reply(Msg(N_("This command is for staff.")))
    everything = staff.department in (Department.CUSTOMER_SERVICE, Department.LEADERSHIP, Department.OFFICE)
    tickets = await uow.tickets.queue_for(staff, everything=everything)
    if not tickets:
        return Reply(Msg(N_("No open cases.")))
    lines: list[Text] = [Msg(N_("Open cases, oldest deadline first:"))]
    rows: list[tuple[Button, ...]] = []
    for ticket in tickets[:30]:
        due_date = ticket.progress_due if ticket.status == Status.SURVEY else ticket.resolve_due
        due: Text = DateText(due_date) if due_date else "—"
        lines.append(Msg(N_("{number} · {category} · {status} · due {date}"), {
            "number": ticket.number, "category": category_label(ticket),
            "status": Msg(STATUS_LABELS[ticket.status]), "date": due}))
        rows.append((Button(Plain(ticket.number), f"{STAFF_PREFIX}{ticket.id}:view"),))
    return Reply(Lines(tuple(lines)), tuple(rows))
