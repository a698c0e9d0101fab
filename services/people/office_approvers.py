"""Who approves what an office sends in its name — the monthly complaint report (DOMAIN 1.7), an
owner meeting notice (DOMAIN 4.4): the office's own managers (管理处经理); without one bound to the
bot, its customer-service managers (``fallback``, and the card says so). Company-wide staff approve
no single office's paper."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from services.people.roles import Department, Role
from storage.models import Staff
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Approvers:
    people: Sequence[Staff]
    fallback: bool  # customer-service managers, the office having no office manager in the bot


async def office_managers(uow: UnitOfWork, project_id: int, department: str) -> list[Staff]:
    """The office's own active, bound managers of ``department`` (not the company-wide ones)."""
    people = await uow.staff.reachable(project_id, departments=[department], roles=[Role.MANAGER])
    return [person for person in people if person.project_id == project_id]


async def approvers(uow: UnitOfWork, project_id: int) -> Approvers:
    office = await office_managers(uow, project_id, Department.OFFICE)
    if office:
        return Approvers(office, False)
    return Approvers(await office_managers(uow, project_id, Department.CUSTOMER_SERVICE), True)
