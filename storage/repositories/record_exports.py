"""Rows of the record exports (《顾客来访/投诉处理单》, 《与顾客沟通登记表》, 《工程派工单》,
《现场勘察会签表》), set-based: one query per sheet whatever its length; and what one printed record
needs beyond its case (a work order by number, a case's surveys, the names it mentions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from storage.models import (
    Building,
    CommunicationEntry,
    Owner,
    OwnerUnit,
    Project,
    SiteSurvey,
    Staff,
    Ticket,
    TicketEvent,
    Unit,
    WorkOrder,
)
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


@dataclass(frozen=True)
class WorkOrderRow:
    order: WorkOrder
    case: str  # the repair's number
    worker: str | None
    checker: str | None


@dataclass(frozen=True)
class SurveyRow:
    survey: SiteSurvey
    case: str
    recorder: str | None
    countersigner: str | None


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

    async def work_order_rows(self, start: datetime, end: datetime, project_id: int | None) -> list[WorkOrderRow]:
        """Work orders made out in [start, end) (by ``created_at``: an order waiting for its cost
        approval is already on the record, not yet issued), with case number, worker and checker."""
        worker, checker = aliased(Staff), aliased(Staff)
        query = (
            select(WorkOrder, Ticket.number, worker.name, checker.name)
            .join(Ticket, Ticket.id == WorkOrder.ticket_id)
            .outerjoin(worker, worker.id == WorkOrder.worker_id)
            .outerjoin(checker, checker.id == WorkOrder.checked_by)
            .where(WorkOrder.created_at >= start, WorkOrder.created_at < end)
        )
        if project_id is not None:
            query = query.where(Ticket.project_id == project_id)
        rows = (await self.session.execute(query.order_by(WorkOrder.id))).all()
        return [WorkOrderRow(order, case, name, checked) for order, case, name, checked in rows]

    async def survey_rows(self, start: datetime, end: datetime, project_id: int | None) -> list[SurveyRow]:
        """Site surveys recorded in [start, end), with case number, recorder and countersigner."""
        recorder, signer = aliased(Staff), aliased(Staff)
        query = (
            select(SiteSurvey, Ticket.number, recorder.name, signer.name)
            .join(Ticket, Ticket.id == SiteSurvey.ticket_id)
            .outerjoin(recorder, recorder.id == SiteSurvey.recorded_by)
            .outerjoin(signer, signer.id == SiteSurvey.countersigned_by)
            .where(SiteSurvey.recorded_at >= start, SiteSurvey.recorded_at < end)
        )
        if project_id is not None:
            query = query.where(Ticket.project_id == project_id)
        rows = (await self.session.execute(query.order_by(SiteSurvey.id))).all()
        return [SurveyRow(survey, case, name, signed) for survey, case, name, signed in rows]

    async def work_order(self, number: str) -> WorkOrder | None:
        return (await self.session.execute(select(WorkOrder).where(WorkOrder.number == number))).scalar_one_or_none()

    async def surveys_of(self, ticket_id: int) -> list[SiteSurvey]:
        query = select(SiteSurvey).where(SiteSurvey.ticket_id == ticket_id).order_by(SiteSurvey.id)
        return list((await self.session.execute(query)).scalars())

    async def staff_names(self, ids: set[int]) -> dict[int, str]:
        """Names of the staff a record mentions, in one query."""
        if not ids:
            return {}
        rows = await self.session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(ids)))
        return {staff_id: name for staff_id, name in rows.all()}
