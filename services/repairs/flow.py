"""What staff do with a repair in chat (DOMAIN 2.3–2.7): survey, warranty override, cost
approval, work order, completion, check and callback. Every press and every finished dialog is
re-checked against the database (``repair_permitted``); a refused one changes nothing."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from dialogs.engine import Reply
from dialogs.text import N_, DateText, Field, Lines, Money, Msg, Plain, Text
from services.calendar.deadlines import due_after_working_days
from services.calendar.workdays import calendar_for
from services.cases.confirmation import confirmation_buttons, confirmation_request
from services.cases.follow_up import follow_up_if_low
from services.cases.history import record
from services.cases.notices import tell_rated
from services.cases.notify import (
    cancel_reminders,
    notify_customer_service,
    notify_owner,
    notify_staff,
    owner_button,
    send_card,
    staff_delivery,
)
from services.cases.results import NOT_VALID, STALE, ActionResult
from services.cases.statuses import Status, move
from services.cases.units import ticket_unit
from services.common.actor import Actor, Completion
from services.people.roles import Department
from services.pushes.purposes import Purpose
from services.repairs.acting import acting, approvers_of, people, team_leads
from services.repairs.cards import repair_card
from services.repairs.countersign import countersign, request_countersign, tell_answered_builder, withdraw_countersign
from services.repairs.filing import TEAM_LEADS, notify_survey_team
from services.repairs.finance import tell_finance
from services.repairs.permissions import RepairAction, repair_buttons, repair_permitted, state_of
from services.repairs.rules import (
    BUILDER_SURVEY_ABOVE,
    CALLBACK_WORKING_DAYS,
    SURVEY_WORKING_DAYS,
    Trade,
    approval_chain,
    from_fen,
    needs_audit,
    to_fen,
    work_days,
)
from services.repairs.warranty import Component
from services.repairs.warranty_terms import class_label, decide_for_unit, set_class, warranty_facts
from storage.models import CostApproval, Repair, SiteSurvey, Staff, Ticket, TicketEvent, WorkOrder
from storage.uow import UnitOfWork

# ---------------------------------------------------------------- presses


async def staff_press(uow: UnitOfWork, staff: Staff, ticket: Ticket, code: str, now: datetime) -> ActionResult:
    if code == "view":
        card = await repair_card(uow, ticket, Msg(N_("Repair details")), viewer=staff, now=now)
        return ActionResult([Reply(card, await repair_buttons(uow, staff, ticket))])
    try:
        action = RepairAction(code)
    except ValueError:
        return ActionResult(refusal=NOT_VALID)
    state = await state_of(uow, ticket)
    if not repair_permitted(staff, ticket, action, state):
        return ActionResult(refusal=N_("This action is not available to you at this stage of the repair."))
    context: dict[str, Any] = {"ticket": ticket.id}
    if action is RepairAction.APPROVE:
        return ActionResult([await approve(uow, staff, ticket, now)])
    if action is RepairAction.TAKE:
        return ActionResult([await assign(uow, staff, ticket, staff, now)])
    if action is RepairAction.CHECK_PASS:
        return ActionResult([await check_passed(uow, staff, ticket, now)])
    if action is RepairAction.COUNTERSIGN:
        return ActionResult([await countersign(uow, staff, ticket, now)])
    if action is RepairAction.CALLBACK:
        # Whoever records the callback makes the call: the owner's number, in full (DOMAIN 5.2).
        card = await repair_card(uow, ticket, Msg(N_("📞 Please call the owner, then record the ratings below.")),
                                 viewer=staff, now=now, calls_owner=True)
        return ActionResult([Reply(card)], begin=("repair_callback", context))
    if action is RepairAction.ASSIGN:
        members = await uow.staff.reachable(ticket.project_id, departments=[Department.REPAIR])
        context["workers"] = [[str(p.id), p.name] for p in members if p.id != state.worker_id]
        if not context["workers"]:
            return ActionResult(refusal=N_("Nobody else in the repair team is on the bot."))
    dialogs = {RepairAction.SURVEY: "repair_survey", RepairAction.OVERRIDE: "repair_override",
               RepairAction.REJECT: "repair_reject", RepairAction.ASSIGN: "repair_assign",
               RepairAction.EXTEND: "repair_extend", RepairAction.COMPLETE: "repair_complete",
               RepairAction.CHECK_FAIL: "repair_check_fail", RepairAction.OBJECT: "repair_object"}
    return ActionResult(begin=(dialogs[action], context))


async def _repair(uow: UnitOfWork, ticket: Ticket) -> Repair:
    repair = await uow.repairs.get(ticket.id)
    assert repair is not None, ticket.number
    return repair


async def _order(uow: UnitOfWork, ticket: Ticket) -> WorkOrder:
    order = await uow.repairs.current_order(ticket.id, lock=True)
    assert order is not None, ticket.number
    return order


async def _zone_and_calendar(uow: UnitOfWork, ticket: Ticket) -> tuple[str, Any]:
    project = await uow.projects.get(ticket.project_id) if ticket.project_id else None
    region, zone = (project.region, project.timezone) if project else ("CN", "Asia/Shanghai")
    return zone, await calendar_for(uow, region)


# ---------------------------------------------------------------- notifications


async def notify_approvers(uow: UnitOfWork, ticket: Ticket, event: TicketEvent, approval: CostApproval,
                           now: datetime) -> int:
    waiting = next((s for s in approval.steps if s["status"] == "pending"), None)
    if waiting is None:
        return 0
    deciders = await approvers_of(uow, ticket, waiting["step"])
    stage = N_("💰 Cost approval needed for {number}: {amount}") if approval.stage == "estimate" else \
        N_("💰 Settlement approval needed for {number}: {amount}")
    headline = Msg(stage, {"number": ticket.number, "amount": Money(str(from_fen(approval.amount_fen)))})
    sent = await notify_staff(uow, deciders, ticket, event, headline, now, with_media=False)
    if not sent:
        await notify_customer_service(uow, ticket, event, Msg(
            N_("⚠️ Nobody who may approve the cost of {number} can be reached on the bot"), {"number": ticket.number}),
            now, managers_only=True)
    return sent


# ---------------------------------------------------------------- survey (DOMAIN 2.3)


async def complete_survey(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    found = await acting(uow, actor, answers, RepairAction.SURVEY)
    if found is None:
        return STALE
    staff, ticket = found
    repair = await _repair(uow, ticket)
    await withdraw_countersign(uow, ticket, now)  # normally withdrawn already, when the estimate was rejected
    estimate = Decimal(str(answers["estimate"]))
    trades = [Trade(t).value for t in answers["trades"]]
    survey = SiteSurvey(
        ticket_id=ticket.id, recorded_at=now, recorded_by=staff.id, participants=str(answers["participants"]),
        responsible=str(answers["responsible"]), component=Component(str(answers["component"])).value,
        trades=trades, estimate_fen=to_fen(estimate), builder_representative=answers.get("builder_representative"),
        notes=answers.get("notes"),
    )
    uow.repairs.add(survey)
    # The warranty class follows the part the survey names, and its finding of who is responsible.
    unit = await ticket_unit(uow, ticket)
    reported = date.fromisoformat(repair.warranty["reported"])
    if unit is not None:
        decision = await decide_for_unit(uow, unit, Component(survey.component), reported)
        project = unit.building.project
        repair.warranty = warranty_facts(decision, reported, unit.building.completion_date, unit.delivery_date,
                                         project.design_life_years or 50)
    repair.component = survey.component
    repair.warranty = {**repair.warranty, "finding": survey.responsible}
    set_class(repair)
    ticket.progress_reported_at = now
    await cancel_reminders(uow, ticket, "progress")
    await uow.flush()
    event = await record(uow, ticket, "surveyed", now, actor="staff", staff_id=staff.id, survey=survey.id,
                         responsible=survey.responsible, component=survey.component, trades=trades,
                         estimate=str(estimate), warranty_class=repair.warranty_class, payer=repair.payer)
    orders = await uow.repairs.orders_of(ticket.id)
    order = WorkOrder(
        ticket_id=ticket.id, number=f"{ticket.number}-{len(orders) + 1}", survey_id=survey.id,
        order_type=repair.warranty_class, payer=repair.payer, trades=trades, status="approval",
        created_at=now, deposit_deduction=repair.warranty_class == "A", audit_required=False,
    )
    uow.repairs.add(order)
    await uow.flush()
    chain = approval_chain(estimate)
    if chain:
        approval = CostApproval(
            ticket_id=ticket.id, work_order_id=order.id, stage="estimate", amount_fen=to_fen(estimate),
            steps=[{"step": a.value, "status": "pending"} for a in chain], status="pending", created_at=now,
        )
        uow.repairs.add(approval)
        move(ticket, Status.APPROVAL)
        await uow.flush()
        requested = await record(uow, ticket, "approval_requested", now, approval=approval.id, stage="estimate",
                                 amount=str(estimate), chain=[a.value for a in chain])
        await notify_approvers(uow, ticket, requested, approval, now)
        await notify_owner(uow, ticket, requested, Msg(
            N_("The site survey of your repair {number} is done. The work order will be issued once the cost is "
               "approved."), {"number": ticket.number}), now)
        text = Msg(N_("Survey recorded. Work order {order} waits for cost approval ({amount})."),
                   {"order": Plain(order.number), "amount": Money(str(estimate))})
    else:
        await issue(uow, ticket, order, now)
        text = Msg(N_("Survey recorded. Work order {order} was issued to the repair team."), {"order": Plain(order.number)})
    if estimate > BUILDER_SURVEY_ABOVE:  # asked after the status change: their card shows where the repair stands
        await request_countersign(uow, ticket, survey, event, now)
    return Completion((Reply(text, await repair_buttons(uow, staff, ticket)),))


async def issue(uow: UnitOfWork, ticket: Ticket, order: WorkOrder, now: datetime) -> None:
    """《工程派工单》 to the repair team: 3 working days for one trade, 7 for several (DOMAIN 2.4)."""
    zone, calendar = await _zone_and_calendar(uow, ticket)
    order.status, order.issued_at = "issued", now
    order.due = due_after_working_days(calendar, now, work_days(order.trades), zone)
    move(ticket, Status.ISSUED)
    ticket.resolve_due = order.due
    assumed = calendar.assumed_years(now.astimezone(ZoneInfo(zone)).date(), order.due)
    ticket.calendar_note = ", ".join(map(str, assumed)) or None
    event = await record(uow, ticket, "work_order_issued", now, order=order.number, order_type=order.order_type,
                         trades=order.trades, due=order.due.isoformat())
    headline = Msg(N_("🔧 Work order {order} (type {type}), due {date}"),
                   {"order": Plain(order.number), "type": order.order_type, "date": DateText(order.due)})
    await notify_staff(uow, await people(uow, ticket, Department.REPAIR), ticket, event, headline, now)
    lines: list[Text] = [Msg(N_("A work order for your repair {number} has been issued; it is due by {date}. The "
                                "repair team will agree the visit with you."),
                             {"number": ticket.number, "date": DateText(order.due)})]
    if order.payer == "owner":
        survey = await uow.repairs.latest_survey(ticket.id)
        lines.append(Msg(N_("This repair is outside the warranty and is charged to you; the estimate is {amount}."),
                         {"amount": Money(str(from_fen(survey.estimate_fen if survey else 0)))}))
    await notify_owner(uow, ticket, event, Lines(tuple(lines)), now)


# ---------------------------------------------------------------- warranty override (DOMAIN 2.2)


OVERRIDE_CHOICES = {"A": ("A", "builder"), "B_company": ("B", "company"), "B_owner": ("B", "owner")}


async def complete_override(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    found = await acting(uow, actor, answers, RepairAction.OVERRIDE)
    if found is None:
        return STALE
    staff, ticket = found
    repair = await _repair(uow, ticket)
    warranty_class, payer = OVERRIDE_CHOICES[str(answers["choice"])]
    before = (repair.warranty_class, repair.payer)
    repair.override = {"class": warranty_class, "payer": payer, "reason": str(answers["reason"]),
                       "staff_id": staff.id, "at": now.isoformat()}
    set_class(repair)
    order = await uow.repairs.current_order(ticket.id, lock=True)
    if order is not None and order.status == "approval":
        order.order_type, order.payer, order.deposit_deduction = warranty_class, payer, warranty_class == "A"
    await record(uow, ticket, "warranty_overridden", now, actor="staff", staff_id=staff.id,
                 from_class=before[0], from_payer=before[1], warranty_class=warranty_class, payer=payer,
                 reason=str(answers["reason"]))
    return Completion((Reply(Msg(N_("The warranty class of {number} is now: {verdict}."),
                                 {"number": ticket.number, "verdict": class_label(warranty_class, payer)}),
                             await repair_buttons(uow, staff, ticket)),))


# ---------------------------------------------------------------- cost approval (DOMAIN 2.6)


def _decide_step(approval: CostApproval, staff: Staff, status: str, now: datetime, **extra: str) -> dict[str, Any]:
    """Record the pending step's decision (the JSON list is replaced, so the change is saved)."""
    steps = [dict(s) for s in approval.steps]
    current = next(s for s in steps if s["status"] == "pending")
    current.update(status=status, staff_id=staff.id, at=now.isoformat(), **extra)
    approval.steps = steps
    return current


async def approve(uow: UnitOfWork, staff: Staff, ticket: Ticket, now: datetime) -> Reply:
    approval = await uow.repairs.pending_approval(ticket.id, lock=True)
    assert approval is not None
    current = _decide_step(approval, staff, "approved", now)
    steps = approval.steps
    event = await record(uow, ticket, "cost_approved", now, actor="staff", staff_id=staff.id, approval=approval.id,
                         step=current["step"], stage=approval.stage, amount=str(from_fen(approval.amount_fen)))
    amount = Money(str(from_fen(approval.amount_fen)))
    if any(s["status"] == "pending" for s in steps):
        await notify_approvers(uow, ticket, event, approval, now)
        return Reply(Msg(N_("Approved. {number} goes on to the next approver."), {"number": ticket.number}))
    approval.status, approval.decided_at = "approved", now
    order = await _order(uow, ticket)
    if approval.stage == "estimate":
        await issue(uow, ticket, order, now)
        return Reply(Msg(N_("Approved {amount}. Work order {order} was issued."),
                         {"amount": amount, "order": Plain(order.number)}))
    checkers = await people(uow, ticket, Department.CUSTOMER_SERVICE, Department.OFFICE)
    await notify_staff(uow, checkers, ticket, event, Msg(
        N_("✔️ The settlement of {number} is approved; please check the repair"), {"number": ticket.number}), now,
        with_media=False)
    return Reply(Msg(N_("Approved the settlement of {amount} for {number}."), {"amount": amount, "number": ticket.number}))


async def complete_reject(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    found = await acting(uow, actor, answers, RepairAction.REJECT)
    if found is None:
        return STALE
    staff, ticket = found
    approval = await uow.repairs.pending_approval(ticket.id, lock=True)
    assert approval is not None
    reason = str(answers["reason"])
    current = _decide_step(approval, staff, "rejected", now, note=reason)
    approval.status, approval.decided_at = "rejected", now
    order = await _order(uow, ticket)
    event = await record(uow, ticket, "cost_rejected", now, actor="staff", staff_id=staff.id, approval=approval.id,
                         step=current["step"], stage=approval.stage, reason=reason)
    # Everyone told gets the card, which shows who rejected it and why until it is redone.
    if approval.stage == "estimate":
        # Back to the survey: a new estimate (and a new work order) is needed.
        zone, calendar = await _zone_and_calendar(uow, ticket)
        order.status = "cancelled"
        move(ticket, Status.SURVEY)
        ticket.progress_reported_at = None
        ticket.progress_due = due_after_working_days(calendar, now, SURVEY_WORKING_DAYS, zone)
        await withdraw_countersign(uow, ticket, now)
        await tell_answered_builder(uow, ticket, event, now)
        await notify_survey_team(uow, ticket, event, now, Msg(
            N_("❌ The estimate for {number} was rejected: please survey again"), {"number": ticket.number}))
    else:
        # The settlement goes back to the team lead, who records completion again with a corrected amount.
        order.status, order.completed_at = "in_progress", None
        move(ticket, Status.IN_PROGRESS)
        await notify_staff(uow, await people(uow, ticket, Department.REPAIR), ticket, event, Msg(
            N_("❌ The settlement of {number} was rejected: record the completion again"), {"number": ticket.number}),
            now, with_media=False)
    return Completion((Reply(Msg(N_("Rejected; the reason was sent on.")), await repair_buttons(uow, staff, ticket)),))


# ---------------------------------------------------------------- the job (DOMAIN 2.4)


async def _tell_leads(uow: UnitOfWork, ticket: Ticket, actor: Staff, event: TicketEvent, headline: Msg,
                      now: datetime, *, extra: Text | None = None) -> None:
    """The repair team's lead is told what a worker did on a job (taken, more time asked, done);
    a lead acting himself tells nobody."""
    if actor.department == Department.REPAIR and actor.role in TEAM_LEADS:
        return
    await notify_staff(uow, await team_leads(uow, ticket), ticket, event, headline, now, with_media=False, extra=extra)


async def assign(uow: UnitOfWork, staff: Staff, ticket: Ticket, worker: Staff, now: datetime) -> Reply:
    order = await _order(uow, ticket)
    order.worker_id, order.status = worker.id, "in_progress"
    ticket.handler_id = worker.id
    move(ticket, Status.IN_PROGRESS)
    event = await record(uow, ticket, "worker_assigned", now, actor="staff", staff_id=staff.id, worker=worker.id)
    due: Text = DateText(order.due) if order.due else "—"
    if worker.id != staff.id:
        await notify_staff(uow, [worker], ticket, event, Msg(N_("👷 You are assigned to {order}, due {date}"), {
            "order": Plain(order.number), "date": due}), now)
    await _tell_leads(uow, ticket, staff, event, Msg(N_("🔧 {name} took {order}, due {date}"), {
        "name": Plain(worker.name), "order": Plain(order.number), "date": due}), now)
    await notify_owner(uow, ticket, event, Msg(
        N_("{name} of our repair team will carry out your repair {number} and contact you about the visit."),
        {"name": Plain(worker.name), "number": ticket.number}), now)
    if worker.id == staff.id:
        # The worker's own card: the owner's number to arrange the visit, and what he can do next.
        card = await repair_card(uow, ticket, Msg(N_("🔧 You took {order}, due {date}. Please call the owner to "
                                                     "arrange the visit."), {"order": Plain(order.number), "date": due}),
                                 viewer=worker, now=now)
        return Reply(card, await repair_buttons(uow, staff, ticket))
    return Reply(Msg(N_("{name} works on {order}; due {date}."), {
        "name": Plain(worker.name), "order": Plain(order.number), "date": due}),
        await repair_buttons(uow, staff, ticket))


async def complete_assign(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    found = await acting(uow, actor, answers, RepairAction.ASSIGN)
    if found is None:
        return STALE
    staff, ticket = found
    worker = await uow.staff.get(int(answers["worker"]))
    if worker is None or not worker.active or worker.department != Department.REPAIR:
        return STALE
    return Completion((await assign(uow, staff, ticket, worker, now),))


async def complete_extend(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    """A longer job needs the owner's consent before the deadline moves (DOMAIN 2.4)."""
    found = await acting(uow, actor, answers, RepairAction.EXTEND)
    if found is None:
        return STALE
    staff, ticket = found
    until, reason = date.fromisoformat(str(answers["until"])), str(answers["reason"])
    if ticket.resolve_due and until <= ticket.resolve_due:
        return Completion((Reply(Msg(N_("The new date must be after the current deadline, {date}."),
                                     {"date": DateText(ticket.resolve_due)}), await repair_buttons(uow, staff, ticket)),))
    event = await record(uow, ticket, "extension_requested", now, actor="staff", staff_id=staff.id,
                         until=until.isoformat(), reason=reason)
    buttons = ((owner_button(ticket, N_("Agree"), f"xy{event.id}"), owner_button(ticket, N_("Disagree"), f"xn{event.id}")),)
    await notify_owner(uow, ticket, event, Lines((
        Msg(N_("Your repair {number} needs more time: until {date}."), {"number": ticket.number, "date": DateText(until)}),
        Field(Msg(N_("Reason")), Plain(reason)), Msg(N_("Do you agree? The deadline only moves if you do.")))), now, buttons)
    await _tell_leads(uow, ticket, staff, event, Msg(
        N_("⏳ {name} asked the owner of {number} for more time: until {date}"),
        {"name": Plain(staff.name), "number": ticket.number, "date": DateText(until)}), now,
        extra=Field(Msg(N_("Reason")), Plain(reason)))
    return Completion((Reply(Msg(N_("The owner has been asked to agree to {date}."), {"date": DateText(until)}),
                             await repair_buttons(uow, staff, ticket)),))


async def extension_agreed(uow: UnitOfWork, ticket: Ticket, until: date, now: datetime) -> None:
    """The owner agreed: the work order's deadline moves too, and the team's lead is told (the
    worker hears it as the case's handler)."""
    order = await uow.repairs.current_order(ticket.id, lock=True)
    if order is None:
        return
    order.due = until
    headline = Msg(N_("⏳ The owner agreed to more time: {order} is now due {date}"),
                   {"order": Plain(order.number), "date": DateText(until)})
    await send_card(uow, await team_leads(uow, ticket, besides=ticket.handler_id), ticket, f"ticket:{ticket.id}:order:{order.id}:due:{until}",
                    headline, now, not_before=await staff_delivery(uow, ticket, now), purpose=Purpose.CASE)


# ---------------------------------------------------------------- completion and check (DOMAIN 2.5, 2.6)


async def complete_completion(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    found = await acting(uow, actor, answers, RepairAction.COMPLETE)
    if found is None:
        return STALE
    staff, ticket = found
    order = await _order(uow, ticket)
    repair = await _repair(uow, ticket)
    settlement = Decimal(str(answers["settlement"]))
    attachments = list(answers.get("attachments") or [])
    order.status, order.completed_at, order.completed_by = "completed", now, staff.id
    order.work_done, order.settlement_fen = str(answers["work_done"]), to_fen(settlement)
    order.audit_required = needs_audit(settlement)
    move(ticket, Status.COMPLETED)
    ticket.result = order.work_done
    ticket.attachments = [*ticket.attachments, *attachments]
    zone, calendar = await _zone_and_calendar(uow, ticket)
    repair.callback_due = due_after_working_days(calendar, now, CALLBACK_WORKING_DAYS, zone)
    await cancel_reminders(uow, ticket, "resolve")
    event = await record(uow, ticket, "completed", now, actor="staff", staff_id=staff.id, order=order.number,
                         work_done=order.work_done, settlement=str(settlement), attachments=len(attachments))
    await tell_finance(uow, ticket, order, settlement, now)
    await _tell_leads(uow, ticket, staff, event, Msg(N_("✔️ {name} reported {order} done"), {
        "name": Plain(staff.name), "order": Plain(order.number)}), now)
    # A settlement above the approved estimate needs the approval its own amount requires.
    approved = max((a.amount_fen for a in await uow.repairs.approvals_of(ticket.id)
                    if a.status == "approved" and a.work_order_id == order.id), default=0)
    chain = approval_chain(settlement) if to_fen(settlement) > approved else ()
    if chain:
        approval = CostApproval(ticket_id=ticket.id, work_order_id=order.id, stage="settlement",
                                amount_fen=to_fen(settlement), steps=[{"step": a.value, "status": "pending"} for a in chain],
                                status="pending", created_at=now)
        uow.repairs.add(approval)
        await uow.flush()
        requested = await record(uow, ticket, "approval_requested", now, approval=approval.id, stage="settlement",
                                 amount=str(settlement), chain=[a.value for a in chain])
        await notify_approvers(uow, ticket, requested, approval, now)
    else:
        checkers = await people(uow, ticket, Department.CUSTOMER_SERVICE, Department.OFFICE)
        await notify_staff(uow, checkers, ticket, event, Msg(N_("🔍 {number} is repaired: please check it"),
                                                              {"number": ticket.number}), now, media=attachments)
    text = Msg(N_("Completion of {order} recorded; customer service will check it."), {"order": Plain(order.number)})
    if chain:
        text = Msg(N_("Completion of {order} recorded; the settlement of {amount} waits for approval."),
                   {"order": Plain(order.number), "amount": Money(str(settlement))})
    return Completion((Reply(text, await repair_buttons(uow, staff, ticket)),))


async def check_passed(uow: UnitOfWork, staff: Staff, ticket: Ticket, now: datetime) -> Reply:
    order = await _order(uow, ticket)
    order.status, order.checked_at, order.checked_by = "checked", now, staff.id
    move(ticket, Status.RESOLVED)
    ticket.resolved_at = now
    # "resolved" is the event the owner's confirmation buttons answer (as for complaints).
    event = await record(uow, ticket, "resolved", now, actor="staff", staff_id=staff.id, check="passed",
                         result=ticket.result)
    await notify_owner(uow, ticket, event, confirmation_request(ticket), now, confirmation_buttons(ticket, event.id))
    return Reply(Msg(N_("{number} passed the check; the owner has been asked to confirm."), {"number": ticket.number}))


async def complete_check_fail(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    found = await acting(uow, actor, answers, RepairAction.CHECK_FAIL)
    if found is None:
        return STALE
    staff, ticket = found
    order = await _order(uow, ticket)
    order.status, order.completed_at = "in_progress", None
    move(ticket, Status.IN_PROGRESS)
    reason = str(answers["reason"])
    event = await record(uow, ticket, "check_failed", now, actor="staff", staff_id=staff.id, reason=reason)
    team = await people(uow, ticket, Department.REPAIR)
    await notify_staff(uow, team, ticket, event, Msg(N_("↩️ {number} did not pass the check"), {"number": ticket.number}),
                       now, with_media=False, extra=Field(Msg(N_("Reason")), Plain(reason)))
    return Completion((Reply(Msg(N_("Sent back to the repair team.")), await repair_buttons(uow, staff, ticket)),))


async def reopened(uow: UnitOfWork, ticket: Ticket) -> None:
    """The owner said "not resolved": the job goes back to the worker."""
    order = await uow.repairs.current_order(ticket.id, lock=True)
    if order is not None:
        order.status, order.completed_at, order.checked_at = "in_progress", None, None
    move(ticket, Status.IN_PROGRESS)


# ---------------------------------------------------------------- callback (DOMAIN 2.5, 2.7)


async def complete_callback(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    """Customer service records the ratings the owner gave on the phone."""
    found = await acting(uow, actor, answers, RepairAction.CALLBACK)
    if found is None:
        return STALE
    staff, ticket = found
    await rate(uow, ticket, int(answers["quality"]), int(answers["attitude"]), answers.get("comment"), now,
               staff=staff)
    return Completion((Reply(Msg(N_("Callback recorded for {number}."), {"number": ticket.number})),))


async def rate(uow: UnitOfWork, ticket: Ticket, quality: int, attitude: int, comment: str | None, now: datetime,
               *, staff: Staff | None = None) -> None:
    """《维修服务及回访记录表》: the callback's ratings of quality and attitude close the repair."""
    repair = await _repair(uow, ticket)
    ticket.rating_result, ticket.rating_attitude, ticket.rating_comment = quality, attitude, comment
    move(ticket, Status.CLOSED)
    ticket.closed_at = now
    repair.callback_at, repair.callback_by = now, staff.id if staff else None
    rated = await record(uow, ticket, "rated", now, actor="staff" if staff else "owner",
                         staff_id=staff.id if staff else None, result=quality, attitude=attitude, comment=comment,
                         channel="phone" if staff else "telegram")
    await follow_up_if_low(uow, ticket, now, callback_ratings(quality, attitude), comment)
    await tell_rated(uow, ticket, rated, now, callback_ratings(quality, attitude), comment, by=staff)


def callback_ratings(quality: int, attitude: int) -> tuple[tuple[str, int], ...]:
    """The callback's two ratings as the record names them (DOMAIN 2.5)."""
    return (N_("Quality rating"), quality), (N_("Attitude rating"), attitude)
