"""Which home a case is about: the owner's units as the filing dialogs offer them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialogs.engine import Reply
from dialogs.text import N_, Msg, Plain, Text
from services.common.actor import Completion
from services.people.project_names import project_text
from storage.models import Ticket, Unit
from storage.uow import UnitOfWork

# Every case belongs to a project: that decides who may see it (never another project's staff).
NO_HOME = Completion((Reply(Msg(N_("We could not find your home in our records. Please contact customer service."))),))


async def filing_context(uow: UnitOfWork, owner_id: int) -> dict[str, Any]:
    """What an intake dialog offers: the owner's units and their phone on record."""
    owner = await uow.owners.get(owner_id)
    units = await uow.units.units_of_owner(owner_id)
    return {
        "units": [[str(unit.id), unit_label(unit)] for unit in units],
        "phone": owner.phone if owner else None,
    }


async def chosen_unit(uow: UnitOfWork, owner_id: int, answers: Mapping[str, Any]) -> Unit | None:
    """The unit the owner picked in a filing dialog, or their only one."""
    units = {str(unit.id): unit for unit in await uow.units.units_of_owner(owner_id)}
    unit = units.get(str(answers.get("unit"))) if answers.get("unit") else None
    if unit is None and len(units) == 1:
        unit = next(iter(units.values()))
    return unit


def unit_label(unit: Unit) -> str:
    """The unit as stored (the project's own name): for the choices of a filing dialog."""
    return f"{unit.building.project.name} {unit.building.name}-{unit.number}"


def unit_text(unit: Unit) -> Text:
    """The unit for a reader: the project as his language writes it (華苑, Huayuan), then building
    and number as recorded."""
    return Msg(N_("{project} {building}-{number}"), {"project": project_text(unit.building.project),
                                                      "building": Plain(unit.building.name),
                                                      "number": Plain(unit.number)})


async def ticket_unit(uow: UnitOfWork, ticket: Ticket) -> Unit | None:
    if ticket.unit_id is None or ticket.owner_id is None:
        return None
    for unit in await uow.units.units_of_owner(ticket.owner_id):
        if unit.id == ticket.unit_id:
            return unit
    return None
