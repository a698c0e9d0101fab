"""Complaints: the per-project overrides of the routing table (DOMAIN 1.2)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from storage.models import RoutingOverride
from storage.repositories.base import Repository


class RoutingRepository(Repository):
    async def override(self, project_id: int, category: str) -> RoutingOverride | None:
        return await self.session.get(RoutingOverride, (project_id, category))

    async def overrides(self, project_id: int) -> Sequence[RoutingOverride]:
        query = select(RoutingOverride).where(RoutingOverride.project_id == project_id)
        return (await self.session.scalars(query.order_by(RoutingOverride.category))).all()

    def add(self, override: RoutingOverride) -> None:
        self.session.add(override)
