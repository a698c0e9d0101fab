"""Who acts on a repair, re-checked when a dialog finishes, and the people a repair's notices go to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.common.actor import Actor
from services.people.roles import Department
from services.repairs.filing import TEAM_LEADS
from services.repairs.permissions import RepairAction, repair_permitted, state_of
from services.repairs.rules import APPROVER_RULES, Approver
from storage.models import Staff, Ticket
from storage.uow import UnitOfWork


async def acting(
    uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], action: RepairAction
) -> tuple[Staff, Ticket] | None:
    """The presser and the repair, if the action is still theirs to take (the case may have moved on)."""
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    ticket = await uow.tickets.get(int(answers["ticket"]), lock=True) if answers.get("ticket") is not None else None
    if staff is None or ticket is None:
        return None
    if not repair_permitted(staff, ticket, action, await state_of(uow, ticket)):
        return None
    return staff, ticket


async def people(uow: UnitOfWork, ticket: Ticket, *departments: str) -> list[Staff]:
    return list(await uow.staff.reachable(ticket.project_id, departments=list(departments)))


async def team_leads(uow: UnitOfWork, ticket: Ticket, *, besides: int | None = None) -> list[Staff]:
    """The repair team's leads (维修队长, and its manager), but ``besides`` (told otherwise)."""
    leads = await uow.staff.reachable(ticket.project_id, departments=[Department.REPAIR], roles=list(TEAM_LEADS))
    return [lead for lead in leads if lead.id != besides]


async def approvers_of(uow: UnitOfWork, ticket: Ticket, step: str) -> list[Staff]:
    """Who may decide an approval step (DOMAIN 2.6) on this repair's project."""
    rule = APPROVER_RULES[Approver(step)]
    return list(await uow.staff.reachable(ticket.project_id, roles=[rule.role],
                                          departments=[rule.department] if rule.department else []))
