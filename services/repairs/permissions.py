"""Who may do what on a repair, at which stage (checked against the database on every press)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dialogs.text import N_
from services.cases.kinds import Buttons
from services.cases.notify import staff_button
from services.cases.staff_actions import in_reach
from services.cases.statuses import FINAL, REPAIR_WORK, Status
from services.people.roles import Department, Role
from services.repairs.filing import KIND
from services.repairs.rules import Approver, Countersign, may_approve
from storage.models import Staff, Ticket
from storage.uow import UnitOfWork

SURVEYORS = (Department.CUSTOMER_SERVICE, Department.ENGINEERING, Department.OFFICE)
LEADS = (Role.LEAD, Role.MANAGER)
CHECKERS = (Department.CUSTOMER_SERVICE, Department.OFFICE)  # DOMAIN 2.5: customer service (or property)
SENIOR = (Role.MANAGER, Role.DEPUTY_CHIEF_ENGINEER, Role.VICE_PRESIDENT, Role.GENERAL_MANAGER)


class RepairAction(StrEnum):
    SURVEY = "sv"
    OVERRIDE = "wc"
    APPROVE = "ap"
    REJECT = "rj"
    TAKE = "tk"
    ASSIGN = "wa"
    EXTEND = "rx"
    COMPLETE = "cp"
    CHECK_PASS = "ck"
    CHECK_FAIL = "cf"
    CALLBACK = "cb"
    COUNTERSIGN = "cs"
    OBJECT = "ob"


ACTION_LABELS: dict[RepairAction, str] = {
    RepairAction.SURVEY: N_("📋 Record site survey"),
    RepairAction.OVERRIDE: N_("⚖️ Change warranty class"),
    RepairAction.APPROVE: N_("✅ Approve cost"),
    RepairAction.REJECT: N_("❌ Reject cost"),
    RepairAction.TAKE: N_("🔧 Take this job"),
    RepairAction.ASSIGN: N_("👷 Assign a worker"),
    RepairAction.EXTEND: N_("⏳ Ask the owner for more time"),
    RepairAction.COMPLETE: N_("✔️ Record completion"),
    RepairAction.CHECK_PASS: N_("✅ Check passed"),
    RepairAction.CHECK_FAIL: N_("↩️ Check failed"),
    RepairAction.CALLBACK: N_("📞 Record callback"),
    RepairAction.COUNTERSIGN: N_("✍️ Countersign the survey"),
    RepairAction.OBJECT: N_("✋ Object to the survey"),
}


@dataclass(frozen=True)
class RepairState:
    """What a press depends on beyond the ticket, read from the database each time."""

    worker_id: int | None = None  # the live work order's worker
    waiting_for: Approver | None = None  # the approval step now pending
    countersign_pending: bool = False  # the latest survey waits for the builder's countersignature


def repair_permitted(staff: Staff, ticket: Ticket, action: RepairAction, state: RepairState) -> bool:
    if not in_reach(staff, ticket) or ticket.kind != KIND:
        return False
    department, role, status = staff.department, staff.role, ticket.status
    worker_id, waiting_for = state.worker_id, state.waiting_for
    repair_lead = department == Department.REPAIR and role in LEADS
    works_it = worker_id is not None and worker_id == staff.id
    if action in (RepairAction.COUNTERSIGN, RepairAction.OBJECT):
        return department == Department.BUILDER and state.countersign_pending and status not in FINAL
    if action is RepairAction.SURVEY:
        return status == Status.SURVEY and (department in SURVEYORS or repair_lead)
    if action is RepairAction.OVERRIDE:
        return status in (Status.SURVEY, Status.APPROVAL) and (department in SURVEYORS or role in SENIOR)
    if action in (RepairAction.APPROVE, RepairAction.REJECT):
        return (status in (Status.APPROVAL, Status.COMPLETED) and waiting_for is not None
                and may_approve(waiting_for, department, role))
    if action is RepairAction.TAKE:
        return status == Status.ISSUED and department == Department.REPAIR
    if action is RepairAction.ASSIGN:
        return status in REPAIR_WORK and repair_lead
    if action is RepairAction.EXTEND:
        return status in REPAIR_WORK and (repair_lead or works_it)
    if action is RepairAction.COMPLETE:  # the lead, or the worker from his own card
        return status == Status.IN_PROGRESS and (repair_lead or works_it)
    if action in (RepairAction.CHECK_PASS, RepairAction.CHECK_FAIL):
        return status == Status.COMPLETED and waiting_for is None and department in CHECKERS
    # RepairAction.CALLBACK
    return status == Status.CONFIRMED and department == Department.CUSTOMER_SERVICE


async def state_of(uow: UnitOfWork, ticket: Ticket) -> RepairState:
    """The worker on the live work order, the approval step now waiting and whether the builder's
    countersignature is awaited, from the database."""
    order = await uow.repairs.current_order(ticket.id)
    approval = await uow.repairs.pending_approval(ticket.id)
    survey = await uow.repairs.latest_survey(ticket.id)
    waiting = next((s["step"] for s in approval.steps if s["status"] == "pending"), None) if approval else None
    return RepairState(worker_id=order.worker_id if order else None, waiting_for=Approver(waiting) if waiting else None,
                       countersign_pending=survey is not None and survey.countersign == Countersign.PENDING)


async def repair_actions(uow: UnitOfWork, staff: Staff, ticket: Ticket) -> list[RepairAction]:
    state = await state_of(uow, ticket)
    return [a for a in RepairAction if repair_permitted(staff, ticket, a, state)]


async def repair_buttons(uow: UnitOfWork, staff: Staff, ticket: Ticket) -> Buttons:
    buttons = [staff_button(ticket, ACTION_LABELS[a], a.value) for a in await repair_actions(uow, staff, ticket)]
    return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
