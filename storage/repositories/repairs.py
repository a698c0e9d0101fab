"""Repairs: the repair side of a ticket, its site surveys, work orders, cost approvals and warranty settings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from storage.models import CostApproval, Repair, SiteSurvey, Staff, Ticket, WarrantyOverride, WorkOrder
from storage.repositories.base import Repository


class RepairRepository(Repository):
    def add(self, obj: Repair | SiteSurvey | WorkOrder | CostApproval | WarrantyOverride) -> None:
        self.session.add(obj)

    async def get(self, ticket_id: int) -> Repair | None:
        return await self.session.get(Repair, ticket_id)

    async def latest_survey(self, ticket_id: int) -> SiteSurvey | None:
        query = select(SiteSurvey).where(SiteSurvey.ticket_id == ticket_id).order_by(SiteSurvey.id.desc()).limit(1)
        return await self.session.scalar(query)

    async def current_order(self, ticket_id: int, *, lock: bool = False) -> WorkOrder | None:
        """The ticket's live work order (a rejected estimate cancels the earlier one)."""
        query = (select(WorkOrder).where(WorkOrder.ticket_id == ticket_id, WorkOrder.status != "cancelled")
                 .order_by(WorkOrder.id.desc()).limit(1))
        if lock and self.dialect == "postgresql":
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def orders_of(self, ticket_id: int) -> Sequence[WorkOrder]:
        query = select(WorkOrder).where(WorkOrder.ticket_id == ticket_id).order_by(WorkOrder.id)
        return (await self.session.scalars(query)).all()

    async def pending_approval(self, ticket_id: int, *, lock: bool = False) -> CostApproval | None:
        query = (select(CostApproval).where(CostApproval.ticket_id == ticket_id, CostApproval.status == "pending")
                 .order_by(CostApproval.id.desc()).limit(1))
        if lock and self.dialect == "postgresql":
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def approvals_of(self, ticket_id: int) -> Sequence[CostApproval]:
        query = select(CostApproval).where(CostApproval.ticket_id == ticket_id).order_by(CostApproval.id)
        return (await self.session.scalars(query)).all()

    async def overrides(self, project_id: int) -> Sequence[WarrantyOverride]:
        query = select(WarrantyOverride).where(WarrantyOverride.project_id == project_id).order_by(WarrantyOverride.id)
        return (await self.session.scalars(query)).all()

    async def delete_override(self, override: WarrantyOverride) -> None:
        await self.session.delete(override)

    async def record_rows(
        self, start: datetime, end: datetime, project_id: int | None = None
    ) -> Sequence[tuple[Ticket, Repair]]:
        """Repairs received in [start, end), for 《维修服务及回访记录表》 and the worker ratings."""
        query = (select(Ticket, Repair).join(Repair, Repair.ticket_id == Ticket.id)
                 .where(Ticket.kind == "repair", Ticket.received_at >= start, Ticket.received_at < end))
        if project_id is not None:
            query = query.where(Ticket.project_id == project_id)
        return [(t, r) for t, r in (await self.session.execute(query.order_by(Ticket.id))).all()]

    async def staff_by_ids(self, ids: set[int]) -> dict[int, Staff]:
        if not ids:
            return {}
        return {s.id: s for s in (await self.session.scalars(select(Staff).where(Staff.id.in_(ids)))).all()}
