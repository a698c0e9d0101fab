"""Birthday greetings (DOMAIN 4.6, 4.7): who may be greeted, and the greetings written to the
outbox. Only bound owners who have not blocked the bot, are not anonymised, and whose latest
decision about greetings is a yes; an owner's time zone is that of his units' project (the
default zone for an owner without units)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, cast, exists, literal, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Building, OutboxMessage, Owner, OwnerUnit, Project, Unit, UtcDateTime
from storage.repositories.base import Repository
from storage.repositories.consents import granted_to

DEFAULT_TIMEZONE = "Asia/Shanghai"
GREETINGS = "greetings"  # the kind of consent (storage/models/care.py)


@dataclass(frozen=True)
class Greeting:
    """One outbox row to write for a greeting (the same reply for all: the drain renders it in
    each owner's locale)."""

    purpose: str
    priority: int
    payload: dict[str, Any]
    not_before: datetime
    now: datetime


class BirthdayRepository(Repository):
    async def timezones(self) -> list[str]:
        """Every project's time zone, and the default one (owners without units)."""
        found = await self.session.scalars(select(Project.timezone).distinct())
        return sorted({*found, DEFAULT_TIMEZONE})

    async def add_greetings(self, timezones: Collection[str], calendar: str, month: int, days: Collection[int],
                            year: int, greeting: Greeting) -> list[str]:
        """Write the greetings of the ``calendar`` ("solar" | "lunar") birthdays stored as
        ``month``/``days`` of the owners in ``timezones`` (zones sharing today's date and delivery
        time), keyed ``birthday:<owner>:<year>``, in ONE statement (INSERT … SELECT … ON CONFLICT DO
        NOTHING) that reads only those owners (``ix_owners_birthday``); the keys written. A lunar birthday's leap flag is not looked at:
        a leap-month birthday is celebrated in the regular month (DOMAIN 4.7)."""
        o = Owner.__table__
        key = literal("birthday:") + cast(o.c.id, String) + literal(f":{year}")
        rows = select(
            key, literal(greeting.purpose), literal(greeting.priority, Integer), o.c.chat_id, o.c.id,
            literal(greeting.payload, JSON), literal("pending"), literal(greeting.not_before, UtcDateTime()),
            literal(greeting.not_before, UtcDateTime()), literal(0, Integer), literal(greeting.now, UtcDateTime()),
        ).where(o.c.birthday_month == month, o.c.birthday_day.in_(list(days)), o.c.birthday_calendar == calendar,
                *_greetable(o.c.id, o.c.chat_id, o.c.blocked, o.c.anonymised_at, timezones))
        insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        statement = (insert(OutboxMessage)
                     .from_select(["key", "purpose", "priority", "chat_id", "owner_id", "payload", "status",
                                   "not_before", "next_attempt_at", "attempts", "created_at"], rows)
                     .on_conflict_do_nothing(index_elements=["key"])
                     .returning(OutboxMessage.key))
        return list((await self.session.execute(statement)).scalars().all())


def _greetable(owner_id: Any, chat_id: Any, blocked: Any, anonymised_at: Any,
               timezones: Collection[str]) -> tuple[ColumnElement[bool], ...]:
    in_zone: ColumnElement[bool] = exists(
        select(OwnerUnit.owner_id)
        .join(Unit, Unit.id == OwnerUnit.unit_id).join(Building, Building.id == Unit.building_id)
        .join(Project, Project.id == Building.project_id)
        .where(OwnerUnit.owner_id == owner_id, Project.timezone.in_(list(timezones))))
    if DEFAULT_TIMEZONE in timezones:
        in_zone = or_(in_zone, ~exists(select(OwnerUnit.owner_id).where(OwnerUnit.owner_id == owner_id)))
    return (chat_id.is_not(None), blocked.is_(False), anonymised_at.is_(None),
            granted_to(GREETINGS, owner_id), in_zone)
