"""What staff do with a complaint in chat (DOMAIN 1.2–1.5): accept, transfer, ask another
department to assist, report progress, ask for more time, resolve, flag as major, set measures.
Every press and every finished dialog is re-checked against the database; a refused one changes
nothing."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from dialogs.engine import Reply
from dialogs.text import N_, DateText, Field, Lines, Msg, Plain, Text
from services.cases.confirmation import confirmation_buttons, confirmation_request
from services.cases.contact import owner_phone_for
from services.cases.history import record
from services.cases.notify import (
    cancel_reminders,
    notify_customer_service,
    notify_owner,
    notify_staff,
    owner_button,
    workers,
)
from services.cases.results import NOT_VALID, STALE, ActionResult
from services.cases.statuses import OPEN, Status, move
from services.common.actor import Actor, Completion
from services.complaints.cards import staff_card
from services.complaints.notify import notify_assisting, notify_leadership
from services.complaints.rules import COMPLAINT_DEPARTMENTS, Action, permitted, staff_buttons
from services.complaints.transfer import may_receive, restart_progress_clock, tell_transfer, transfer_targets
from services.people.roles import DEPARTMENT_LABELS, Department
from storage.models import Staff, Ticket
from storage.uow import UnitOfWork


async def staff_press(uow: UnitOfWork, staff: Staff, ticket: Ticket, code: str, now: datetime) -> ActionResult:
    if code == "view":
        card = await staff_card(uow, ticket, Msg(N_("Case details")), viewer=staff, now=now)
        return ActionResult([Reply(card, staff_buttons(staff, ticket))])
    try:
        action = Action(code)
    except ValueError:
        return ActionResult(refusal=NOT_VALID)
    if not permitted(staff, ticket, action):
        return ActionResult(refusal=_why_not(ticket, action))
    if action is Action.ACCEPT:
        return ActionResult([await accept(uow, staff, ticket, now)])
    if action is Action.TRANSFER:
        targets = await transfer_targets(uow, staff, ticket)
        return ActionResult(begin=("ticket_transfer", {"ticket": ticket.id, "targets": targets}))
    if action is Action.ASSIST:
        departments = [[d.value, DEPARTMENT_LABELS[d], "msg"] for d in COMPLAINT_DEPARTMENTS
                       if d.value != ticket.lead_department and d.value not in ticket.assisting_departments]
        return ActionResult(begin=("ticket_assist", {"ticket": ticket.id, "departments": departments}))
    dialog = {Action.MEASURES: "ticket_measures", Action.PROGRESS: "ticket_progress", Action.EXTEND: "ticket_extend",
              Action.RESOLVE: "ticket_resolve", Action.MAJOR: "ticket_major"}[action]
    return ActionResult(begin=(dialog, {"ticket": ticket.id}))


def _why_not(ticket: Ticket, action: Action) -> str:
    if action is Action.ACCEPT and ticket.status != Status.NEW:
        return N_("This case has already been accepted.")
    if ticket.status not in OPEN:
        return N_("This case is no longer open.")
    return N_("Your role does not allow this action on this case.")


async def accept(uow: UnitOfWork, staff: Staff, ticket: Ticket, now: datetime) -> Reply:
    ticket.handler_id = staff.id
    move(ticket, Status.ACCEPTED)
    event = await record(uow, ticket, "accepted", now, actor="staff", staff_id=staff.id)
    await notify_owner(
        uow, ticket, event,
        Msg(N_("Your complaint {number} has been accepted by {department}. Handler: {name}."),
            {"number": ticket.number, "department": Msg(DEPARTMENT_LABELS[Department(staff.department)]),
             "name": Plain(staff.name)}),
        now,
    )
    due: Text = DateText(ticket.progress_due) if ticket.progress_due else "—"
    # The handler calls the owner: the full number, recorded in the history (DOMAIN 5.2).
    phone = await owner_phone_for(uow, ticket, staff.id, acts=True, now=now)
    return Reply(Lines((Msg(N_("You accepted {number}. Progress report due {date}."),
                            {"number": ticket.number, "date": due}),
                        Field(Msg(N_("Phone")), Plain(phone)))), staff_buttons(staff, ticket))


async def _acting_staff(uow: UnitOfWork, actor: Actor, context_ticket: Any, action: Action) -> tuple[Staff, Ticket] | None:
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    ticket = await uow.tickets.get(int(context_ticket), lock=True) if context_ticket is not None else None
    if staff is None or ticket is None or not permitted(staff, ticket, action):
        return None
    return staff, ticket


async def complete_transfer(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    acting = await _acting_staff(uow, actor, answers.get("ticket"), Action.TRANSFER)
    if acting is None:
        return STALE
    staff, ticket = acting
    target, reason = str(answers["target"]), str(answers["reason"])
    previous = ticket.lead_department
    # The targets were listed when the dialog began; someone may have moved the case since.
    kind, _, code = target.partition(":")
    person = await uow.staff.get(int(code)) if kind == "s" and code.isdigit() else None
    department = next((d for d in COMPLAINT_DEPARTMENTS if kind == "d" and d.value == code), None)
    if person is not None and may_receive(person, ticket, staff):
        ticket.lead_department, ticket.handler_id = person.department, person.id
        move(ticket, Status.ACCEPTED)
    elif department is not None and department.value != ticket.lead_department:
        ticket.lead_department, ticket.handler_id = department.value, None
        move(ticket, Status.NEW)
    else:
        return STALE
    progress_due = await restart_progress_clock(uow, ticket, now)
    event = await record(uow, ticket, "transferred", now, actor="staff", staff_id=staff.id, reason=reason,
                         from_department=previous, to_staff=person.id if person else None,
                         to_department=ticket.lead_department, progress_due=progress_due.isoformat())
    ticket.assisting_departments = [d for d in ticket.assisting_departments if d != ticket.lead_department]
    await tell_transfer(uow, ticket, event, staff, reason, now)
    to: Text = Plain(person.name) if person is not None else Msg(DEPARTMENT_LABELS[Department(ticket.lead_department)])
    return Completion((Reply(Msg(N_("{number} was transferred to {to}; the progress report is now due {date}."),
                                 {"number": ticket.number, "to": to, "date": DateText(progress_due)}),
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
    move(ticket, Status.RESOLVED)
    ticket.result, ticket.resolved_at = str(answers["result"]), now
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
