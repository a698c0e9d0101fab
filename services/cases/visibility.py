"""Who may see a case, for every kind (checked against the database on every press and lookup):
customer service, the office and the leadership see all of their project's; the lead and assisting
departments and the handler see theirs; a kind may let more people in (``CaseKind.may_see``)."""

from __future__ import annotations

from services.cases.kinds import kind_of
from services.people.roles import Department, Role
from storage.models import Staff, Ticket

EVERYTHING_DEPARTMENTS = (Department.CUSTOMER_SERVICE, Department.LEADERSHIP, Department.OFFICE)


def in_reach(staff: Staff, ticket: Ticket) -> bool:
    """Active staff of the ticket's project, or company-wide staff."""
    return staff.active and (staff.project_id is None or ticket.project_id in (None, staff.project_id))


def may_see(staff: Staff, ticket: Ticket) -> bool:
    if not in_reach(staff, ticket):
        return False
    return (
        staff.department in EVERYTHING_DEPARTMENTS
        or staff.department == ticket.lead_department
        or staff.department in ticket.assisting_departments
        or ticket.handler_id == staff.id
        or staff.role in (Role.VICE_PRESIDENT, Role.GENERAL_MANAGER)
        or kind_of(ticket).may_see(staff, ticket)
    )
