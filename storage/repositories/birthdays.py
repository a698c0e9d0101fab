"""Birthday greetings (DOMAIN 4.6, 4.7): who may be greeted, and the greetings written to the
outbox. Only bound owners who have not blocked the bot, are not anonymised, and whose latest
decision about greetings is a yes; an owner's time zone is that of his units' project (the
default zone for an owner without units). Written per project (projects are few), so the project's
name is one constant of the statement's payload; an owner with units in two projects is greeted
once, by the first project planned (the key is per owner and year)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, cast, exists, literal, select
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
    send_until: datetime | None = None  # the end of not_before's delivery window (outbox.send_until)


class BirthdayRepository(Repository):
    async def timezones(self) -> list[str]:
        """Every project's time zone, and the default one (owners without units)."""
        found = await self.session.scalars(select(Project.timezone).distinct())
        return sorted({*found, DEFAULT_TIMEZONE})

    async def projects(self) -> Sequence[Project]:
        """Every project (its zone and its names per locale), in the order greetings are planned."""
        found = await self.session.scalars(select(Project).order_by(Project.id))
        return found.all()

    async def add_greetings(self, project_id: int | None, calendar: str, month: int, days: Collection[int],
                            year: int, greeting: Greeting) -> list[str]:
        """Write the greetings of the ``calendar`` ("solar" | "lunar") birthdays stored as
        ``month``/``days`` of the owners of ``project_id`` (None: the owners without units), keyed
        ``birthday:<owner>:<year>``, in ONE statement (INSERT … SELECT … ON CONFLICT DO NOTHING) that
        reads only those owners (``ix_owners_birthday``); the keys written. A lunar birthday's leap
        flag is not looked at: a leap-month birthday is celebrated in the regular month (DOMAIN 4.7)."""
        o = Owner.__table__
        key = literal("birthday:") + cast(o.c.id, String) + literal(f":{year}")
        rows = select(
            key, literal(greeting.purpose), literal(greeting.priority, Integer), o.c.chat_id, o.c.id,
            literal(greeting.payload, JSON), literal("pending"), literal(greeting.not_before, UtcDateTime()),
            literal(greeting.not_before, UtcDateTime()), literal(greeting.send_until, UtcDateTime()),
            literal(0, Integer), literal(greeting.now, UtcDateTime()),
        ).where(o.c.birthday_month == month, o.c.birthday_day.in_(list(days)), o.c.birthday_calendar == calendar,
                *_greetable(o.c.id, o.c.chat_id, o.c.blocked, o.c.anonymised_at, project_id))
        insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        statement = (insert(OutboxMessage)
                     .from_select(["key", "purpose", "priority", "chat_id", "owner_id", "payload", "status",
                                   "not_before", "next_attempt_at", "send_until", "attempts", "created_at"], rows)
                     .on_conflict_do_nothing(index_elements=["key"])
                     .returning(OutboxMessage.key))
        return list((await self.session.execute(statement)).scalars().all())


def _greetable(owner_id: Any, chat_id: Any, blocked: Any, anonymised_at: Any,
               project_id: int | None) -> tuple[ColumnElement[bool], ...]:
    units = select(OwnerUnit.owner_id).where(OwnerUnit.owner_id == owner_id)
    in_scope: ColumnElement[bool] = (
        ~exists(units) if project_id is None
        else exists(units.join(Unit, Unit.id == OwnerUnit.unit_id).join(Building, Building.id == Unit.building_id)
                    .where(Building.project_id == project_id)))
    return (chat_id.is_not(None), blocked.is_(False), anonymised_at.is_(None),
            granted_to(GREETINGS, owner_id), in_scope)
