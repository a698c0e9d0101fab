"""《与顾客沟通登记表》 rows."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select

from storage.models import Building, CommunicationEntry, OwnerUnit, Unit
from storage.repositories.base import Repository


class CommunicationRepository(Repository):
    def add(self, entry: CommunicationEntry) -> None:
        self.session.add(entry)

    async def get(self, entry_id: int) -> CommunicationEntry | None:
        return await self.session.get(CommunicationEntry, entry_id)

    async def page(
        self, *, status: str, project_id: int | None, offset: int, limit: int
    ) -> tuple[Sequence[CommunicationEntry], int]:
        """Newest first, ``limit`` from ``offset``, and how many there are in all. With a project,
        only messages from its owners and from people not (yet) registered."""
        query = select(CommunicationEntry).where(CommunicationEntry.status == status)
        if project_id is not None:
            owners_of_project = (
                select(OwnerUnit.owner_id).join(Unit, Unit.id == OwnerUnit.unit_id)
                .join(Building, Building.id == Unit.building_id).where(Building.project_id == project_id)
            )
            query = query.where(or_(CommunicationEntry.owner_id.is_(None),
                                    CommunicationEntry.owner_id.in_(owners_of_project)))
        total = int(await self.session.scalar(select(func.count()).select_from(query.subquery())) or 0)
        rows = await self.session.scalars(query.order_by(CommunicationEntry.id.desc()).offset(offset).limit(limit))
        return rows.all(), total

    async def recent(self, limit: int = 20, status: str | None = None) -> Sequence[CommunicationEntry]:
        query = select(CommunicationEntry).order_by(CommunicationEntry.id.desc()).limit(limit)
        if status:
            query = query.where(CommunicationEntry.status == status)
        return (await self.session.scalars(query)).all()
