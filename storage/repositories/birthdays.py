"""Birthday greetings (DOMAIN 4.6, 4.7): who may be greeted, and the greetings written to the
outbox. Only bound owners who have not blocked the bot, are not anonymised, and whose latest
decision about greetings is a yes; an owner's time zone is that of his units' project (the
default zone for an owner without units). One statement per group of zones and calendar reads each
owner due once; his row's payload (which names his project) is chosen per row in SQL among one per
project; an owner with units in two projects is greeted once, in his first project's name (the key
is per owner and year)."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text, case, cast, exists, func, literal, or_, select, type_coerce
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Building, Owner, OwnerUnit, Project, Unit, UtcDateTime
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

    async def add_greetings(self, timezones: Collection[str], payloads: Mapping[int | None, dict[str, Any]],
                            calendar: str, month: int, days: Collection[int], year: int,
                            greeting: Greeting) -> list[str]:
        """Write the greetings of the ``calendar`` ("solar" | "lunar") birthdays stored as
        ``month``/``days`` of the owners in ``timezones`` (zones sharing today's date and delivery
        time), keyed ``birthday:<owner>:<year>``, in ONE statement (INSERT … SELECT … ON CONFLICT DO
        NOTHING) that reads only those owners (``ix_owners_birthday``); the keys written. Each row's
        payload is that of the owner's first project (lowest id) in these zones — ``payloads[None]``
        for an owner without units, greeted only if the default zone is among ``timezones``. A
        lunar birthday's leap flag is not looked at: a leap-month birthday is celebrated in the
        regular month (DOMAIN 4.7)."""
        o = Owner.__table__
        key = literal("birthday:") + cast(o.c.id, String) + literal(f":{year}")
        first = (select(func.min(Building.project_id))
                 .select_from(OwnerUnit).join(Unit, Unit.id == OwnerUnit.unit_id)
                 .join(Building, Building.id == Unit.building_id).join(Project, Project.id == Building.project_id)
                 .where(OwnerUnit.owner_id == o.c.id, Project.timezone.in_(list(timezones))).scalar_subquery())
        if not payloads:
            return []
        jsons = {pid: json.dumps(payload, ensure_ascii=False) for pid, payload in payloads.items()}
        whens = {pid: text for pid, text in jsons.items() if pid is not None}
        chosen: ColumnElement[Any] = (case(whens, value=first, else_=jsons.get(None)) if whens
                                      else literal(jsons[None], Text))
        payload = cast(chosen, JSON) if self.dialect == "postgresql" else type_coerce(chosen, JSON)
        in_scope: ColumnElement[bool] = first.is_not(None)
        if None in payloads:  # the default zone: owners without units too
            in_scope = or_(in_scope, ~exists(select(OwnerUnit.owner_id).where(OwnerUnit.owner_id == o.c.id)))
        rows = select(
            key, literal(greeting.purpose), literal(greeting.priority, Integer), o.c.chat_id, o.c.id,
            payload, literal("pending"), literal(greeting.not_before, UtcDateTime()),
            literal(greeting.not_before, UtcDateTime()), literal(greeting.send_until, UtcDateTime()),
            literal(0, Integer), literal(greeting.now, UtcDateTime()),
        ).where(o.c.birthday_month == month, o.c.birthday_day.in_(list(days)), o.c.birthday_calendar == calendar,
                o.c.chat_id.is_not(None), o.c.blocked.is_(False), o.c.anonymised_at.is_(None),
                granted_to(GREETINGS, o.c.id), in_scope)
        return await self.add_outbox_rows(rows)
