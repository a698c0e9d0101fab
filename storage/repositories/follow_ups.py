"""Follow-ups of dissatisfied owners (回访)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select

from storage.models.follow_ups import FollowUp
from storage.repositories.base import Repository

OPEN = "open"


class FollowUpRepository(Repository):
    def add(self, follow_up: FollowUp) -> None:
        self.session.add(follow_up)

    async def get(self, follow_up_id: int, *, lock: bool = False) -> FollowUp | None:
        query = select(FollowUp).where(FollowUp.id == follow_up_id)
        if lock and self.dialect == "postgresql":
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def open_of_ticket(self, ticket_id: int, *, lock: bool = False) -> FollowUp | None:
        query = select(FollowUp).where(FollowUp.ticket_id == ticket_id, FollowUp.status == OPEN)
        if lock and self.dialect == "postgresql":
            query = query.with_for_update()
        return await self.session.scalar(query.order_by(FollowUp.id.desc()).limit(1))

    async def latest_of_ticket(self, ticket_id: int) -> FollowUp | None:
        query = select(FollowUp).where(FollowUp.ticket_id == ticket_id).order_by(FollowUp.id.desc()).limit(1)
        return await self.session.scalar(query)

    async def open_for(self, project_id: int | None) -> Sequence[FollowUp]:
        """Open follow-ups of a project (and of cases without one), the earliest due first; every
        project's for ``None`` (company-wide staff, the planner)."""
        query = select(FollowUp).where(FollowUp.status == OPEN)
        if project_id is not None:
            query = query.where(or_(FollowUp.project_id == project_id, FollowUp.project_id.is_(None)))
        return (await self.session.scalars(query.order_by(FollowUp.due, FollowUp.id))).all()
