"""Who may do what on a repair, at which stage (checked against the database on every press)."""

from __future__ import annotations

from enum import StrEnum

from dialogs.text import N_
from services.cases.kinds import Buttons
from services.cases.notify import staff_button
from services.cases.staff_actions import in_reach
from services.cases.statuses import REPAIR_WORK, Status
from services.people.roles import Department, Role
from services.repairs.filing import KIND
from services.repairs.rules import Approver, may_approve
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
}


def repair_permitted(
    staff: Staff, ticket: Ticket, action: RepairAction, *, worker_id: int | None, waiting_for: Approver | None
) -> bool:
    """``worker_id``: the work order's worker; ``waiting_for``: the approval step now pending."""
    if not in_reach(staff, ticket) or ticket.kind != KIND:
        return False
    department, role, status = staff.department, staff.role, ticket.status
    repair_lead = department == Department.REPAIR and role in LEADS
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
        return status in REPAIR_WORK and (repair_lead or (worker_id is not None and worker_id == staff.id))
    if action is RepairAction.COMPLETE:
        return status == Status.IN_PROGRESS and repair_lead
    if action in (RepairAction.CHECK_PASS, RepairAction.CHECK_FAIL):
        return status == Status.COMPLETED and waiting_for is None and department in CHECKERS
    # RepairAction.CALLBACK
    return status == Status.CONFIRMED and department == Department.CUSTOMER_SERVICE


async def state_of(uow: UnitOfWork, ticket: Ticket) -> tuple[int | None, Approver | None]:
    """The worker on the live work order and the approval step now waiting, from the database."""
    order = await uow.repairs.current_order(ticket.id)
    approval = await uow.repairs.pending_approval(ticket.id)
    waiting = next((s["step"] for s in approval.steps if s["status"] == "pending"), None) if approval else None
    return (order.worker_id if order else None), (Approver(waiting) if waiting else None)


async def repair_actions(uow: UnitOfWork, staff: Staff, ticket: Ticket) -> list[RepairAction]:
    worker_id, waiting = await state_of(uow, ticket)
    return [a for a in RepairAction if repair_permitted(staff, ticket, a, worker_id=worker_id, waiting_for=waiting)]


async def repair_buttons(uow: UnitOfWork, staff: Staff, ticket: Ticket) -> Buttons:
    buttons = [staff_button(ticket, ACTION_LABELS[a], a.value) for a in await repair_actions(uow, staff, ticket)]
    return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
