"""The consent question for owners bound before consent was asked after binding (DOMAIN 4.6):
who they are, and their questions written to the outbox in one statement per time zone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import JSON, Integer, String, cast, exists, literal, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Building, OutboxMessage, Owner, OwnerUnit, Project, Unit, UtcDateTime
from storage.models.care import Consent
from storage.repositories.base import Repository
from storage.repositories.birthdays import DEFAULT_TIMEZONE, Greeting


class ConsentAskRepository(Repository):
    def database(self) -> object:
        """The database this session works on (its engine): what a rule remembers per database."""
        return self.session.get_bind()

    async def add_questions(self, timezones: Sequence[str] | None, bound_before: datetime, version: str, row: Greeting,
                            limit: int) -> list[str]:
        """Write the question to at most ``limit`` owners in ``timezones`` (zones with the same date
        and delivery window) bound before ``bound_before`` who never decided about any kind and were
        not asked this ``version`` (reachable, not anonymised), keyed ``consent-ask:<owner>:<version>``,
        in ONE statement (INSERT … SELECT … ON CONFLICT DO NOTHING); the keys written. One statement
        for the zones: the search reads every bound owner once (not once per zone). ``timezones``
        None: every zone (no zone test at all — per owner it cost a walk through his units, the
        search's most part at a million owners)."""
        o = Owner.__table__
        key = literal("consent-ask:") + cast(o.c.id, String) + literal(f":{version}")
        asked = exists(select(OutboxMessage.id).where(OutboxMessage.key == key))
        in_zone: ColumnElement[bool] = true()
        if timezones is not None:
            in_zone = exists(
                select(OwnerUnit.owner_id)
                .join(Unit, Unit.id == OwnerUnit.unit_id).join(Building, Building.id == Unit.building_id)
                .join(Project, Project.id == Building.project_id)
                .where(OwnerUnit.owner_id == o.c.id, Project.timezone.in_(list(timezones))))
            if DEFAULT_TIMEZONE in timezones:
                in_zone = or_(in_zone, ~exists(select(OwnerUnit.owner_id).where(OwnerUnit.owner_id == o.c.id)))
        rows = select(
            key, literal(row.purpose), literal(row.priority, Integer), o.c.chat_id, o.c.id,
            literal(row.payload, JSON), literal("pending"), literal(row.not_before, UtcDateTime()),
            literal(row.not_before, UtcDateTime()), literal(row.send_until, UtcDateTime()), literal(0, Integer),
            literal(row.now, UtcDateTime()),
        ).where(o.c.chat_id.is_not(None), o.c.blocked.is_(False), o.c.anonymised_at.is_(None),
                o.c.bound_at.is_not(None), o.c.bound_at < bound_before,
                ~exists(select(Consent.id).where(Consent.owner_id == o.c.id)), ~asked, in_zone).limit(limit)
        return await self.add_outbox_rows(rows)
