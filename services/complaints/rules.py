"""The rules of complaints (DOMAIN 1.3–1.5) that need no database: deadlines, staff actions and
who may take them."""

from __future__ import annotations

from enum import StrEnum

from dialogs.text import N_
from services.cases.kinds import Buttons
from services.cases.notify import staff_button
from services.cases.staff_actions import in_reach
from services.cases.statuses import OPEN, Status
from services.people.roles import SUPERVISOR_ROLES, Department, Role
from storage.models import Staff, Ticket

PROGRESS_WORKING_DAYS = 3  # DOMAIN 1.3
# The company's departments that may lead or assist on a complaint; the builder is an outside party.
COMPLAINT_DEPARTMENTS = tuple(d for d in Department if d is not Department.BUILDER)
RESOLVE_CALENDAR_DAYS = 7  # DOMAIN 1.4: "within one week"


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


def staff_buttons(staff: Staff, ticket: Ticket) -> Buttons:
    buttons = [staff_button(ticket, ACTION_LABELS[a], a.value) for a in actions_for(staff, ticket)]
    return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
