"""How a repair looks to staff and to its owner: the request, the warranty reason, survey,
work order and costs."""

from __future__ import annotations

from datetime import datetime

from dialogs.files import attachments_text
from dialogs.text import N_, DateText, Field, Lines, ListText, Money, Msg, Plain, Text
from services.cases.contact import masked_owner_phone, owner_phone_for
from services.cases.outcome import outcome_lines
from services.cases.statuses import REPAIR_WORK, STATUS_LABELS, Status
from services.cases.units import ticket_unit, unit_text
from services.repairs.rules import (
    APPROVER_LABELS,
    RESPONSIBLE_LABELS,
    TRADE_LABELS,
    VISIT_SLOT_LABELS,
    Approver,
    Countersign,
    Responsible,
    Trade,
    VisitSlot,
    from_fen,
)
from services.repairs.warranty_terms import class_label, warranty_reason
from storage.models import CostApproval, SiteSurvey, Staff, Ticket, Unit
from storage.uow import UnitOfWork


def category_label(ticket: Ticket) -> Msg:
    return Msg(TRADE_LABELS[Trade(ticket.category)])


async def repair_card(uow: UnitOfWork, ticket: Ticket, headline: Msg, *, viewer: Staff | None = None,
                      now: datetime | None = None, calls_owner: bool = False) -> Text:
    """The repair as ``viewer`` sees it: the request, the warranty reason, survey, work order and
    costs. The owner's phone is in full only for the worker on the job and, with ``calls_owner``,
    for whoever does the callback (DOMAIN 5.2); masked for everyone else."""
    repair = await uow.repairs.get(ticket.id)
    if viewer is not None and now is not None and (calls_owner or await works_on(uow, ticket, viewer)):
        phone = await owner_phone_for(uow, ticket, viewer.id, acts=True, now=now)
    else:
        phone = masked_owner_phone(ticket)
    owner = await uow.owners.get(ticket.owner_id) if ticket.owner_id else None
    unit = await ticket_unit(uow, ticket)
    lines: list[Text] = [
        headline,
        Field(Msg(N_("No.")), Plain(ticket.number)),
        Field(Msg(N_("Status")), Msg(STATUS_LABELS[ticket.status])),
        Field(Msg(N_("Trade")), Msg(TRADE_LABELS[Trade(ticket.category)])),
        Field(Msg(N_("Unit")), unit_text(unit) if unit else Plain("—")),
        Field(Msg(N_("Owner")), Plain(owner.name if owner else "—")),
        Field(Msg(N_("Phone")), Plain(phone)),
    ]
    if repair is not None:
        lines.append(Field(Msg(N_("Location")), Plain(repair.location)))
    lines.append(Field(Msg(N_("Description")), Plain(ticket.description)))
    if repair is not None:
        if repair.visit_slots:
            lines.append(Field(Msg(N_("Preferred visit times")),
                               ListText(tuple(Msg(VISIT_SLOT_LABELS[VisitSlot(s)]) for s in repair.visit_slots))))
        lines.append(Field(Msg(N_("Warranty")), class_label(repair.warranty_class, repair.payer)))
        lines.append(warranty_reason(repair))
    if ticket.attachments:
        lines.append(Field(Msg(N_("Attachments")), attachments_text(ticket.attachments)))
    lines.extend(await _work_lines(uow, ticket))
    lines.extend(outcome_lines(ticket, N_("Quality rating")))
    return Lines(tuple(lines))


async def works_on(uow: UnitOfWork, ticket: Ticket, staff: Staff) -> bool:
    """The worker of the live work order while the job is his to do: he arranges the visit."""
    if ticket.status not in REPAIR_WORK:
        return False
    order = await uow.repairs.current_order(ticket.id)
    return order is not None and order.worker_id == staff.id


async def _work_lines(uow: UnitOfWork, ticket: Ticket) -> list[Text]:
    lines: list[Text] = []
    if ticket.status == Status.SURVEY and ticket.progress_due:
        lines.append(Field(Msg(N_("Site survey due")), DateText(ticket.progress_due)))
    approvals = await uow.repairs.approvals_of(ticket.id)
    if approvals and approvals[-1].status == "rejected" and ticket.status == REDO_AFTER[approvals[-1].stage]:
        lines.append(await _rejection_line(uow, approvals[-1]))
    survey = await uow.repairs.latest_survey(ticket.id)
    if survey is not None:
        lines.append(Field(Msg(N_("Survey")), Msg(N_("{party}; trades: {trades}; estimate {amount}"), {
            "party": Msg(RESPONSIBLE_LABELS[Responsible(survey.responsible)]),
            "trades": ListText(tuple(Msg(TRADE_LABELS[Trade(t)]) for t in survey.trades)),
            "amount": Money(str(from_fen(survey.estimate_fen)))})))
        lines.extend(await _countersign_lines(uow, survey))
    order = await uow.repairs.current_order(ticket.id)
    if order is not None:
        worker = await uow.staff.get(order.worker_id) if order.worker_id else None
        lines.append(Field(Msg(N_("Work order")), Msg(N_("{number}, type {type}"),
                                                      {"number": Plain(order.number), "type": order.order_type})))
        if order.due:
            lines.append(Field(Msg(N_("Repair due")), DateText(order.due)))
        if worker is not None:
            lines.append(Field(Msg(N_("Worker")), Plain(worker.name)))
        if order.settlement_fen is not None:
            lines.append(Field(Msg(N_("Settlement")), Money(str(from_fen(order.settlement_fen)))))
        if order.audit_required:
            lines.append(Msg(N_("🔎 Settlement over 20,000 yuan: to be audited")))
        if order.deposit_deduction:
            lines.append(Msg(N_("🏗 Class A: the cost is deducted from the builder's quality deposit")))
    approval = await uow.repairs.pending_approval(ticket.id)
    if approval is not None:
        waiting = next((s for s in approval.steps if s["status"] == "pending"), None)
        if waiting is not None:
            lines.append(Field(Msg(N_("Waiting for approval by")), Msg(APPROVER_LABELS[Approver(waiting["step"])])))
    if ticket.calendar_note:
        lines.append(Msg(N_("Note: the holiday schedule for {years} is not yet published; statutory holidays are "
                            "assumed."), {"years": Plain(ticket.calendar_note)}))
    return lines


# A rejected estimate sends the repair back to the survey, a rejected settlement back to the job:
# the reason stands on the card until that is redone.
REDO_AFTER = {"estimate": Status.SURVEY, "settlement": Status.IN_PROGRESS}


async def _rejection_line(uow: UnitOfWork, approval: CostApproval) -> Text:
    """Who rejected the cost, and why."""
    step = next(s for s in approval.steps if s["status"] == "rejected")
    by = await uow.staff.get(int(step["staff_id"]))
    what = N_("❌ Estimate rejected by {approver} ({name})") if approval.stage == "estimate" else \
        N_("❌ Settlement rejected by {approver} ({name})")
    return Field(Msg(what, {"approver": Msg(APPROVER_LABELS[Approver(step["step"])]),
                            "name": Plain(by.name if by else "—")}), Plain(str(step.get("note") or "—")))


async def _countersign_lines(uow: UnitOfWork, survey: SiteSurvey) -> list[Text]:
    """The builder's countersignature of the 《现场勘察会签表》, as it stands."""
    if survey.countersign is None:
        return []
    by = await uow.staff.get(survey.countersigned_by) if survey.countersigned_by else None
    name = Plain(by.name if by else "—")
    state = Countersign(survey.countersign)
    if state is Countersign.PENDING:
        return [Field(Msg(N_("Countersignature")), Msg(N_("waiting for the builder's representative")))]
    if state is Countersign.SIGNED:
        return [Field(Msg(N_("Countersignature")), Msg(N_("countersigned by {name}"), {"name": name}))]
    if state is Countersign.OBJECTED:
        return [Field(Msg(N_("Countersignature")), Msg(N_("{name} objects: {reason}"), {
            "name": name, "reason": Plain(survey.countersign_note or "—")}))]
    return [Field(Msg(N_("Countersignature")), Msg(N_("request withdrawn (the survey is redone)")))]


async def repair_owner_card(uow: UnitOfWork, ticket: Ticket, unit: Unit | None) -> Text:
    repair = await uow.repairs.get(ticket.id)
    order = await uow.repairs.current_order(ticket.id)
    lines: list[Text] = [
        Field(Msg(N_("No.")), Plain(ticket.number)),
        Field(Msg(N_("Trade")), Msg(TRADE_LABELS[Trade(ticket.category)])),
        Field(Msg(N_("Status")), Msg(STATUS_LABELS[ticket.status])),
    ]
    if unit is not None:
        lines.append(Field(Msg(N_("Unit")), unit_text(unit)))
    if repair is not None:
        lines.append(Field(Msg(N_("Location")), Plain(repair.location)))
    lines.append(Field(Msg(N_("Description")), Plain(ticket.description)))
    if order is not None and order.due and ticket.status in REPAIR_WORK:
        lines.append(Field(Msg(N_("Repair due")), DateText(order.due)))
    if ticket.result:
        lines.append(Field(Msg(N_("Result")), Plain(ticket.result)))
    return Lines(tuple(lines))
