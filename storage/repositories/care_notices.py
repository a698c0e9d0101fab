"""Notices to a project's or building's owners (services/care/notices.py): milestones, events,
owner meetings, the quarterly report; their fan-out to the outbox and the statistics of a campaign.

Who gets a notice: the owners of a unit in its scope (the project, or one building of it) who are
bound, have not blocked the bot, are not anonymised, and whose latest decision about events is a
yes. An owner of several units in scope gets one row (the rows are selected from ``owners``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, and_, case, cast, func, literal, or_, select, update
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Building, CareNotice, Consent, OutboxMessage, Owner, OwnerUnit, Project, Unit, UtcDateTime
from storage.repositories.base import Repository

EVENTS = "events"  # the kind of consent (storage/models/care.py)
NO_CONSENT = "no consent"  # services/pushes/drain.py: the drain found the consent gone at send time
WITHDRAWN = "consent withdrawn:"  # services/care/consent.py: cancelled when the owner withdrew
BLOCKED = "blocked"  # services/pushes/drain.py: the owner blocked the bot
NOTICE_CANCELLED = "notice cancelled"

# The first part of every care key (services/care/*): a campaign family.
FAMILIES = ("birthday", "occasion", "welcome", "delivery", "inspection", "milestone", "event", "meeting", "report")


@dataclass(frozen=True)
class NoticeRows:
    """The outbox rows of one notice, alike for every owner (the drain renders each in his locale)."""

    prefix: str  # the key up to the owner id
    purpose: str
    priority: int
    payload: dict[str, Any]
    not_before: datetime
    now: datetime
    send_until: datetime | None = None  # the end of not_before's delivery window (outbox.send_until)


@dataclass(frozen=True)
class Audience:
    """The owners of a notice's scope — THE definition of "in scope" wherever it is counted: the
    owners (not anonymised) with a unit in the project or building; those the bot can reach (bound,
    not blocked); and of those the ones who consented to events (who get a row)."""

    owners: int
    reachable: int
    consenting: int

    @property
    def not_on_bot(self) -> int:
        """In scope, but not bound or blocked the bot."""
        return self.owners - self.reachable

    @property
    def without_consent(self) -> int:
        """Reachable, but the latest decision about events is not a yes."""
        return self.reachable - self.consenting

    def at_planning(self, planned: int) -> dict[str, int]:
        """``care_notices.audience`` as recorded when the rows were written."""
        return {"in_scope": self.owners, "not_on_bot": self.not_on_bot, "without_consent": self.without_consent,
                "planned": planned}


@dataclass
class Counts:
    """A campaign's outbox rows by outcome."""

    planned: int = 0  # rows written
    sent: int = 0
    pending: int = 0
    failed: int = 0  # not counting blocked
    blocked: int = 0
    opted_out: int = 0  # cancelled: consent withdrawn before sending
    cancelled: int = 0  # cancelled otherwise (the notice was cancelled)
    extra: dict[str, int] = field(default_factory=dict)


class CareNoticeRepository(Repository):
    async def add(self, notice: CareNotice) -> CareNotice:
        self.session.add(notice)
        await self.session.flush()
        return notice

    async def get(self, notice_id: int) -> CareNotice | None:
        return await self.session.get(CareNotice, notice_id)

    async def find(self, project_id: int | None = None, statuses: Sequence[str] = (),
                   since: date | None = None, until: date | None = None) -> Sequence[CareNotice]:
        query = select(CareNotice)
        if project_id is not None:
            query = query.where(CareNotice.project_id == project_id)
        if statuses:
            query = query.where(CareNotice.status.in_(list(statuses)))
        if since is not None:
            query = query.where(CareNotice.send_on >= since)
        if until is not None:
            query = query.where(CareNotice.send_on <= until)
        return (await self.session.scalars(query.order_by(CareNotice.send_on, CareNotice.id))).all()

    async def due(self, latest: date) -> Sequence[tuple[CareNotice, Project, Building | None]]:
        """Scheduled notices with ``send_on`` on or before ``latest`` (the caller compares with each
        project's local date), with their project and building."""
        found = await self.session.execute(
            select(CareNotice, Project, Building)
            .join(Project, Project.id == CareNotice.project_id)
            .outerjoin(Building, Building.id == CareNotice.building_id)
            .where(CareNotice.status == "scheduled", CareNotice.send_on <= latest, CareNotice.planned_at.is_(None))
            .order_by(CareNotice.id))
        return [(row[0], row[1], row[2]) for row in found.all()]

    async def fan_out(self, project_id: int, building_id: int | None, rows: NoticeRows) -> list[str]:
        """Write one row per owner in scope who may get it, keyed ``<prefix><owner id>``, in ONE
        statement (INSERT … SELECT … ON CONFLICT DO NOTHING); the keys written."""
        o = Owner.__table__
        key = literal(rows.prefix) + cast(o.c.id, String)
        chosen = select(
            key, literal(rows.purpose), literal(rows.priority, Integer), o.c.chat_id, o.c.id,
            literal(rows.payload, JSON), literal("pending"), literal(rows.not_before, UtcDateTime()),
            literal(rows.not_before, UtcDateTime()), literal(rows.send_until, UtcDateTime()), literal(0, Integer),
            literal(rows.now, UtcDateTime()),
        ).where(_in_scope(o.c.id, project_id, building_id), *_reachable(o), _consents(o.c.id))
        return await self.add_outbox_rows(chosen)

    async def audience(self, project_id: int, building_id: int | None) -> Audience:
        o = Owner.__table__
        reachable = and_(*_reachable(o))
        consenting = and_(reachable, _consents(o.c.id))
        row: Any = (await self.core(select(
            func.count(), func.sum(case((reachable, 1), else_=0)), func.sum(case((consenting, 1), else_=0)),
        ).where(_in_scope(o.c.id, project_id, building_id), o.c.anonymised_at.is_(None)))).one()
        return Audience(int(row[0] or 0), int(row[1] or 0), int(row[2] or 0))

    async def mark_sent(self, notice_id: int, now: datetime, audience: dict[str, int] | None = None) -> None:
        """The notice's rows are written (``audience``: who was in scope then, Audience.at_planning)."""
        await self.session.execute(update(CareNotice).where(CareNotice.id == notice_id)
                                   .values(status="sent", planned_at=now, audience=audience))

    async def cancel(self, notice_id: int, prefix: str) -> int:
        """Cancel a notice and its rows not sent yet; how many rows were stopped."""
        await self.session.execute(update(CareNotice).where(CareNotice.id == notice_id).values(status="cancelled"))
        result = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == "pending", OutboxMessage.key.startswith(prefix, autoescape=True))
            .values(status="cancelled", last_error=NOTICE_CANCELLED, claimed_until=None))
        return int(getattr(result, "rowcount", 0) or 0)

    async def counts(self, prefix: str, since: datetime | None = None, until: datetime | None = None) -> Counts:
        """The outbox rows whose key starts with ``prefix`` (created in [since, until) if given), by outcome."""
        return (await self.counts_by_family(since, until, prefix)).get(prefix.split(":")[0], Counts())

    async def counts_by_family(self, since: datetime | None, until: datetime | None,
                               prefix: str | None = None, project_id: int | None = None) -> dict[str, Counts]:
        """Care rows by key family (``birthday``, ``welcome``, …) and outcome, in ONE grouped query;
        with ``project_id``, only the rows to owners of a unit in that project."""
        m = OutboxMessage.__table__
        family = case(*((m.c.key.startswith(f"{name}:"), name) for name in FAMILIES), else_="other")
        outcome = case(
            (m.c.status == "failed", case((m.c.last_error == BLOCKED, "blocked"), else_="failed")),
            (m.c.status == "cancelled",
             case((m.c.last_error == NO_CONSENT, "opted_out"), (m.c.last_error.startswith(WITHDRAWN), "opted_out"),
                  else_="cancelled")),
            else_=m.c.status)
        query = select(family.label("family"), outcome.label("outcome"), func.count())
        if prefix is not None:
            query = query.where(m.c.key.startswith(prefix, autoescape=True))
        else:
            query = query.where(_or_prefixes(m.c.key))
        if project_id is not None:
            query = query.where(_in_scope(m.c.owner_id, project_id, None))
        if since is not None:
            query = query.where(m.c.created_at >= since)
        if until is not None:
            query = query.where(m.c.created_at < until)
        found: dict[str, Counts] = {}
        grouped: Any = (await self.core(query.group_by(family, outcome))).all()
        for name, result, n in grouped:
            counts = found.setdefault(str(name), Counts())
            counts.planned += int(n)
            if result in ("sent", "pending", "failed", "blocked", "opted_out", "cancelled"):
                setattr(counts, result, getattr(counts, result) + int(n))
            else:
                counts.extra[str(result)] = counts.extra.get(str(result), 0) + int(n)
        return found


def _in_scope(owner_id: Any, project_id: int, building_id: int | None) -> ColumnElement[bool]:
    """The owner has a unit in the building (or the project). An IN over the scope's units, so the
    database reads only the scope's owner_units (by unit) and then owners by id, not every owner."""
    units = select(OwnerUnit.owner_id).join(Unit, Unit.id == OwnerUnit.unit_id)
    if building_id is not None:
        scope = units.where(Unit.building_id == building_id)
    else:
        scope = units.join(Building, Building.id == Unit.building_id).where(Building.project_id == project_id)
    found: ColumnElement[bool] = owner_id.in_(scope)
    return found


def _consents(owner_id: Any) -> ColumnElement[bool]:
    """The owner's latest decision about events is a yes: per owner in scope, two lookups on
    ix_consents_owner_kind (owner, kind, id) — the cost follows the scope, not every consent
    recorded (``granted_owners`` computes the latest decision of every owner)."""
    c = Consent.__table__.alias("decision")
    later = Consent.__table__.alias("later")
    latest = (select(func.max(later.c.id)).where(later.c.owner_id == owner_id, later.c.kind == EVENTS).correlate_except(later)
              .scalar_subquery())
    # The decision looked up by its id (not an EXISTS, which PostgreSQL turns into a hash of every consent).
    decision = select(c.c.granted).where(c.c.id == latest).correlate_except(c).scalar_subquery()
    found: ColumnElement[bool] = decision.is_(True)
    return found


def _reachable(o: Any) -> tuple[ColumnElement[bool], ...]:
    return (o.c.chat_id.is_not(None), o.c.blocked.is_(False), o.c.anonymised_at.is_(None))


def _or_prefixes(key: Any) -> ColumnElement[bool]:
    return or_(*(key.startswith(f"{name}:") for name in FAMILIES))
