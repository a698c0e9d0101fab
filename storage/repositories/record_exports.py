"""Rows of the record exports (《顾客来访/投诉处理单》, 《与顾客沟通登记表》), set-based: one query
per sheet whatever its length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from storage.models import Building, CommunicationEntry, Owner, OwnerUnit, Project, Staff, Ticket, TicketEvent, Unit
from storage.repositories.base import Repository


@dataclass(frozen=True)
class ComplaintRow:
    ticket: Ticket
    owner: str | None
    unit: str | None  # "project building-number"
    handler: str | None
    extended_to: str | None  # the last agreed extension's date (ISO), if any


@dataclass(frozen=True)
class CommunicationRow:
    entry: CommunicationEntry
    replied_by: str | None


class RecordExportRepository(Repository):
    async def case_rows(
        self, kind: str, start: datetime, end: datetime, project_id: int | None
    ) -> list[ComplaintRow]:
        """Cases of ``kind`` received in [start, end), with owner, unit, handler and the last agreed
        extension (the complaint record; the kind's own package names it)."""
        handler = aliased(Staff)
        extension = (
            select(TicketEvent.ticket_id, func.max(TicketEvent.id).label("event_id"))
            .where(TicketEvent.kind == "extension_agreed").group_by(TicketEvent.ticket_id).subquery()
        )
        agreed = aliased(TicketEvent)
        query = (
            select(Ticket, Owner.name, Project.name, Building.name, Unit.number, handler.name, agreed.data)
            .outerjoin(Owner, Owner.id == Ticket.owner_id)
            .outerjoin(Unit, Unit.id == Ticket.unit_id).outerjoin(Building, Building.id == Unit.building_id)
            .outerjoin(Project, Project.id == Building.project_id)
            .outerjoin(handler, handler.id == Ticket.handler_id)
            .outerjoin(extension, extension.c.ticket_id == Ticket.id)
            .outerjoin(agreed, agreed.id == extension.c.event_id)
            .where(Ticket.kind == kind, Ticket.received_at >= start, Ticket.received_at < end)
        )
        if project_id is not None:
            query = query.where(Ticket.project_id == project_id)
        rows = (await self.session.execute(query.order_by(Ticket.id))).all()
        return [ComplaintRow(t, owner, f"{project} {building}-{number}" if number is not None else None, name,
                             str(data["until"]) if isinstance(data, dict) and data.get("until") else None)
                for t, owner, project, building, number, name, data in rows]

    async def communication_rows(
        self, start: datetime, end: datetime, project_id: int | None
    ) -> list[CommunicationRow]:
        """Messages logged in [start, end) with who answered; with a project, its owners' messages and
        those of people not registered (as /inbox shows them)."""
        query = (select(CommunicationEntry, Staff.name).outerjoin(Staff, Staff.id == CommunicationEntry.replied_by)
                 .where(CommunicationEntry.created_at >= start, CommunicationEntry.created_at < end))
        if project_id is not None:
            owners_of_project = (
                select(OwnerUnit.owner_id).join(Unit, Unit.id == OwnerUnit.unit_id)
                .join(Building, Building.id == Unit.building_id).where(Building.project_id == project_id)
            )
            query = query.where(or_(CommunicationEntry.owner_id.is_(None),
                                    CommunicationEntry.owner_id.in_(owners_of_project)))
        rows = (await self.session.execute(query.order_by(CommunicationEntry.id))).all()
        return [CommunicationRow(entry, name) for entry, name in rows]

