"""《与顾客沟通登记表》 rows."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from storage.models import CommunicationEntry
from storage.repositories.base import Repository


class CommunicationRepository(Repository):
    def add(self, entry: CommunicationEntry) -> None:
        self.session.add(entry)

    async def get(self, entry_id: int) -> CommunicationEntry | None:
        return await self.session.get(CommunicationEntry, entry_id)

    async def recent(self, limit: int = 20, status: str | None = None) -> Sequence[CommunicationEntry]:
        query = select(CommunicationEntry).order_by(CommunicationEntry.id.desc()).limit(limit)
        if status:
            query = query.where(CommunicationEntry.status == status)
        return (await self.session.scalars(query)).all()
