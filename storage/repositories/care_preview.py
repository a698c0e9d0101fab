"""The care dry run (``estatebot admin care preview``): the outbox rows a planning round just wrote
in its (rolled-back) transaction, with what rendering them needs — the recipient's name, stored
locale, chat locale and project time zone."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from storage.models import Building, OutboxMessage, Owner, OwnerUnit, Project, Staff, Unit
from storage.models.chats import Chat
from storage.repositories.base import Repository


@dataclass(frozen=True)
class PlannedRow:
    id: int
    key: str
    purpose: str
    chat_id: int
    owner_id: int | None
    staff_id: int | None
    payload: dict[str, Any]
    not_before: datetime
    name: str  # the owner's or staff member's ('' for neither)
    phone: str | None
    locale: str | None  # the person's stored choice
    chat_locale: str | None  # the chat's /language choice
    zone: str | None  # the project's time zone (an owner's first unit's; a staff member's project)


class CarePreviewRepository(Repository):
    async def last_outbox_id(self) -> int:
        return int(await self.session.scalar(select(func.max(OutboxMessage.id))) or 0)

    async def planned_after(self, after_id: int, purposes: Collection[str]) -> list[PlannedRow]:
        """The rows of ``purposes`` written after row ``after_id``, in id order."""
        o, s = Owner.__table__, Staff.__table__
        owner_zone = (select(func.min(Project.timezone))
                      .join(Building, Building.project_id == Project.id).join(Unit, Unit.building_id == Building.id)
                      .join(OwnerUnit, OwnerUnit.unit_id == Unit.id).where(OwnerUnit.owner_id == OutboxMessage.owner_id)
                      .scalar_subquery())
        staff_zone = select(Project.timezone).where(Project.id == s.c.project_id).scalar_subquery()
        found = await self.session.execute(
            select(OutboxMessage.id, OutboxMessage.key, OutboxMessage.purpose, OutboxMessage.chat_id,
                   OutboxMessage.owner_id, OutboxMessage.staff_id, OutboxMessage.payload, OutboxMessage.not_before,
                   func.coalesce(o.c.name, s.c.name, "").label("name"), func.coalesce(o.c.phone, s.c.phone).label("phone"),
                   func.coalesce(o.c.locale, s.c.locale).label("locale"), Chat.locale.label("chat_locale"),
                   func.coalesce(owner_zone, staff_zone).label("zone"))
            .outerjoin(o, o.c.id == OutboxMessage.owner_id).outerjoin(s, s.c.id == OutboxMessage.staff_id)
            .outerjoin(Chat, Chat.chat_id == OutboxMessage.chat_id)
            .where(OutboxMessage.id > after_id, OutboxMessage.purpose.in_(list(purposes)))
            .order_by(OutboxMessage.id))
        return [PlannedRow(row.id, row.key, row.purpose, row.chat_id, row.owner_id, row.staff_id, dict(row.payload),
                           row.not_before, row.name, row.phone, row.locale, row.chat_locale, row.zone)
                for row in found.all()]
