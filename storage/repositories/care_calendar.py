"""The care calendar's per-owner occasions (services/care/calendar_rules.py): welcome after
subscription, the delivery notice, the one-year inspection notice, family occasions; the delivery
guides; each owner's customer specialist.

The delivery and inspection notices are written set-based: ONE ``INSERT … SELECT … ON CONFLICT DO
NOTHING`` per time zone, reading only the units due (ix_units_delivery_date). Each row's text is the
same reply for all with per-row slots (the owner's name, the project, building, unit, the date, the
project's guides), filled in SQL: the payload's JSON text with its slot tokens replaced by the
row's values, JSON-quoted by the database (``json_quote`` / ``to_json``), so a name with quotes
stays valid JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text, and_, case, cast, exists, func, literal, or_, select, type_coerce
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Building, OutboxMessage, Owner, OwnerUnit, Project, Staff, Unit, UtcDateTime
from storage.models.care import CareDocument, FamilyOccasion
from storage.repositories.base import Repository
from storage.repositories.consents import granted_to

DEFAULT_TIMEZONE = "Asia/Shanghai"  # an owner without units (as for birthdays)
GREETINGS = "greetings"
DELIVERY_GUIDE = "delivery_guide"

# Slots in a payload, filled per row in SQL: put Plain(slot) / DateText(DATE_SLOT) in the reply.
NAME, PROJECT, BUILDING, UNIT = "\u2063name\u2063", "\u2063project\u2063", "\u2063building\u2063", "\u2063unit\u2063"
SPECIALIST, CONTACT = "\u2063specialist\u2063", "\u2063contact\u2063"
DATE_SLOT = date(1, 1, 1)  # a DateText whose date is the row's (no real date is 0001-01-01)
_MEDIA = "\u2063media\u2063"


@dataclass(frozen=True)
class Planned:
    """The outbox row's values shared by every row of one statement."""

    purpose: str
    priority: int
    payload: dict[str, Any]  # {"reply": …} with slots; "media" is set per project here
    not_before: datetime
    now: datetime
    send_until: datetime | None = None  # the end of not_before's delivery window (outbox.send_until)


@dataclass(frozen=True)
class OptionalSlot:
    """A value in the payload holding a slot (``token``: its JSON text, e.g. a Plain text's), for a
    column that may be NULL: then the whole value is replaced by ``fallback`` (JSON text)."""

    slot: str
    token: str
    fallback: str


@dataclass(frozen=True)
class KeyedSlot:
    """A value in the payload holding a slot (``token``: its JSON text, e.g. a Plain text's),
    replaced whole per row by the JSON text chosen by the row's project or specialist (``by``):
    ``values[id]``, else ``fallback`` (no such row, or NULL). The way to put a text that is not a
    plain string (a project's names per locale, a contact line) into a set-based statement."""

    by: str  # "project" | "specialist"
    token: str
    values: Mapping[int, str]
    fallback: str


@dataclass(frozen=True)
class UnitLabel:
    project_id: int
    project: str
    building: str
    number: str


@dataclass(frozen=True)
class NewOwner:
    """An owner subscribed within the welcome window."""

    id: int
    name: str
    phone: str
    chat_id: int | None
    blocked: bool
    subscription_date: date
    specialist_id: int | None


@dataclass(frozen=True)
class DueOccasion:
    id: int
    owner_id: int
    chat_id: int
    kind: str


class CareCalendarRepository(Repository):
    async def timezones(self) -> list[str]:
        found = await self.session.scalars(select(Project.timezone).distinct())
        return sorted({*found, DEFAULT_TIMEZONE})

    # ------------------------------------------------------------ welcome (DOMAIN 4.1)

    async def add_welcomes(self, timezones: Sequence[str], first: date, last: date, planned: Planned, project: KeyedSlot,
                           specialist: OptionalSlot) -> list[str]:
        """The welcome of each bound owner in ``timezones`` subscribed ``first``..``last``, keyed
        ``welcome:<owner>``, in ONE statement: his name, his project (the first by name; ``fallback``
        without a unit) and his active specialist's name (``fallback`` without one); the keys written."""
        o, st = Owner.__table__, Staff.__table__
        p, b, u, ou = Project.__table__, Building.__table__, Unit.__table__, OwnerUnit.__table__
        first_project = (select(p.c.id)
                         .select_from(ou.join(u, u.c.id == ou.c.unit_id).join(b, b.c.id == u.c.building_id)
                                      .join(p, p.c.id == b.c.project_id))
                         .where(ou.c.owner_id == o.c.id).order_by(p.c.name, p.c.id).limit(1).scalar_subquery())
        key = literal("welcome:") + cast(o.c.id, String)
        payload = self._fill(planned.payload, {
            project.token: self._keyed(project, first_project), specialist.token: self._optional(specialist, st.c.name),
            _token(NAME): self._quoted(o.c.name)})
        rows = (select(*self._columns(key, o.c.chat_id, o.c.id, payload, planned))
                .select_from(o.outerjoin(st, and_(st.c.id == o.c.specialist_id, st.c.active.is_(True))))
                .where(o.c.subscription_date.between(first, last), o.c.chat_id.is_not(None), o.c.blocked.is_(False),
                       o.c.anonymised_at.is_(None), _in_zone(o.c.id, timezones)))
        return await self._insert(rows)

    async def welcome_cards_due(self, timezones: Sequence[str], first: date, last: date) -> list[NewOwner]:
        """Owners in ``timezones`` subscribed ``first``..``last`` (index ix_owners_subscription_date),
        not anonymised, whose specialist has not been told yet (no ``welcome-staff:<owner>`` row)."""
        o, box = Owner.__table__, OutboxMessage.__table__
        told = exists(select(box.c.id).where(box.c.key == literal("welcome-staff:") + cast(o.c.id, String)))
        found = await self.core(
            select(o.c.id, o.c.name, o.c.phone, o.c.chat_id, o.c.blocked, o.c.subscription_date, o.c.specialist_id)
            .where(o.c.subscription_date.between(first, last), o.c.anonymised_at.is_(None),
                   _in_zone(o.c.id, timezones), ~told)
            .order_by(o.c.id))
        return [NewOwner(r.id, r.name, r.phone, r.chat_id, bool(r.blocked), r.subscription_date, r.specialist_id)
                for r in found]

    async def existing_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of ``keys`` the outbox has (the unique index on key), in chunks."""
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            found.update(await self.session.scalars(
                select(OutboxMessage.key).where(OutboxMessage.key.in_(list(keys[start:start + 500])))))
        return found

    async def unit_labels(self, owner_ids: Sequence[int]) -> dict[int, list[UnitLabel]]:
        """Each owner's units, in one query."""
        p, b, u, ou = Project.__table__, Building.__table__, Unit.__table__, OwnerUnit.__table__
        labels: dict[int, list[UnitLabel]] = {}
        if not owner_ids:
            return labels
        found = await self.core(
            select(ou.c.owner_id, p.c.id, p.c.name, b.c.name.label("building"), u.c.number)
            .select_from(ou.join(u, u.c.id == ou.c.unit_id).join(b, b.c.id == u.c.building_id)
                         .join(p, p.c.id == b.c.project_id))
            .where(ou.c.owner_id.in_(list(owner_ids))).order_by(ou.c.owner_id, u.c.id))
        for row in found:
            labels.setdefault(row.owner_id, []).append(UnitLabel(row.id, row.name, row.building, row.number))
        return labels

    async def set_specialist(self, owner_id: int, staff_id: int | None) -> None:
        owner = await self.session.get(Owner, owner_id)
        if owner is not None:
            owner.specialist_id = staff_id
            await self.session.flush()

    async def staff_by_phone(self, phone: str) -> Staff | None:
        return await self.session.scalar(select(Staff).where(Staff.phone == phone, Staff.active.is_(True))
                                         .order_by(Staff.id).limit(1))

    async def specialists(self, owner_ids: Sequence[int]) -> dict[int, Staff]:
        """Each owner's assigned specialist (owners without one are left out)."""
        found = await self.session.execute(
            select(Owner.id, Staff).join(Staff, Staff.id == Owner.specialist_id).where(Owner.id.in_(owner_ids)))
        return {owner_id: staff for owner_id, staff in found.all()}

    # ------------------------------------------------------------ the delivery notice (DOMAIN 4.3)

    async def projects(self, timezones: Sequence[str] | None = None) -> Sequence[Project]:
        """The projects (of ``timezones``): few, read whole for their names per locale."""
        query = select(Project).order_by(Project.id)
        if timezones is not None:
            query = query.where(Project.timezone.in_(list(timezones)))
        return (await self.session.scalars(query)).all()

    async def delivery_specialists(self, timezones: Sequence[str], first: date, last: date) -> Sequence[Staff]:
        """The active specialists of the owners whose units in ``timezone`` are delivered ``first``..``last``."""
        return await self._specialists_of(timezones, Unit.__table__.c.delivery_date.between(first, last))

    async def inspection_specialists(self, timezones: Sequence[str], delivered: Sequence[date]) -> Sequence[Staff]:
        """The active specialists of the owners whose units in ``timezone`` were delivered on ``delivered``."""
        if not delivered:
            return []
        return await self._specialists_of(timezones, Unit.__table__.c.delivery_date.in_(list(delivered)))

    async def _specialists_of(self, timezones: Sequence[str], due: ColumnElement[bool]) -> Sequence[Staff]:
        u, b, p, ou, o = (Unit.__table__, Building.__table__, Project.__table__, OwnerUnit.__table__,
                          Owner.__table__)
        # Two steps: as an IN subquery SQLite reads every due unit's owner before the zone filter.
        ids = list(await self.session.scalars(
            select(o.c.specialist_id).distinct()
            .select_from(u.join(b, b.c.id == u.c.building_id).join(p, p.c.id == b.c.project_id)
                         .join(ou, ou.c.unit_id == u.c.id).join(o, o.c.id == ou.c.owner_id))
            .where(due, p.c.timezone.in_(list(timezones)), o.c.specialist_id.is_not(None))))
        if not ids:
            return []
        return (await self.session.scalars(
            select(Staff).where(Staff.id.in_(ids), Staff.active.is_(True)).order_by(Staff.id))).all()

    async def add_delivery_notices(self, timezones: Sequence[str], first: date, last: date, planned: Planned,
                                   slots: Sequence[KeyedSlot] = ()) -> list[str]:
        """The notices of the units in ``timezone`` delivered ``first``..``last``, to each bound
        owner, keyed ``delivery:<unit>:<owner>``, with the project's delivery guides; the keys written."""
        u = Unit.__table__
        return await self._add_unit_notices(
            "delivery:", timezones, u.c.delivery_date.between(first, last), cast(u.c.delivery_date, String), planned,
            slots)

    async def add_inspection_notices(self, timezones: Sequence[str], anniversaries: Mapping[date, date],
                                     planned: Planned, slots: Sequence[KeyedSlot] = ()) -> list[str]:
        """The one-year inspection notices (DOMAIN 4.4) of the units in ``timezone`` delivered on
        a key of ``anniversaries`` (delivery date → its anniversary, the row's ``{date}``), keyed
        ``inspection:<unit>:<owner>``; the keys written."""
        if not anniversaries:
            return []
        u = Unit.__table__
        on = case({delivered: iso.isoformat() for delivered, iso in anniversaries.items()}, value=u.c.delivery_date)
        return await self._add_unit_notices(
            "inspection:", timezones, u.c.delivery_date.in_(list(anniversaries)), on, planned, slots, guides=False)

    async def _add_unit_notices(self, prefix: str, timezones: Sequence[str], due: ColumnElement[bool],
                                on_date: ColumnElement[Any], planned: Planned, slots: Sequence[KeyedSlot],
                                *, guides: bool = True) -> list[str]:
        """Keyed slots by ``project`` or ``specialist`` (the owner's, NULL without one); the plain
        ``PROJECT`` slot, if a reply still has it, is the stored name."""
        u, b, p, ou, o = (Unit.__table__, Building.__table__, Project.__table__, OwnerUnit.__table__,
                          Owner.__table__)
        keys = {"project": p.c.id, "specialist": o.c.specialist_id}
        media: ColumnElement[Any] = literal("[]", Text)
        if guides:
            by_project = await self._guides_in(timezones)
            if by_project:
                media = case({pid: json.dumps(items, ensure_ascii=False) for pid, items in by_project.items()},
                             value=p.c.id, else_="[]")
        key = literal(prefix) + cast(u.c.id, String) + literal(":") + cast(o.c.id, String)
        # files_after: the notice's text first, then its guides (services/pushes/drain.py).
        payload = self._fill({**planned.payload, "media": _MEDIA, "files_after": True}, {
            # The keyed slots first: their tokens hold the plain ones (e.g. the PROJECT slot's text).
            **{slot.token: self._keyed(slot, keys[slot.by]) for slot in slots},
            _token(NAME): self._quoted(o.c.name), _token(PROJECT): self._quoted(p.c.name),
            _token(BUILDING): self._quoted(b.c.name), _token(UNIT): self._quoted(u.c.number),
            _token(DATE_SLOT.isoformat()): self._quoted(on_date), _token(_MEDIA): media})
        rows = (select(*self._columns(key, o.c.chat_id, o.c.id, payload, planned))
                .select_from(u.join(b, b.c.id == u.c.building_id).join(p, p.c.id == b.c.project_id)
                             .join(ou, ou.c.unit_id == u.c.id).join(o, o.c.id == ou.c.owner_id))
                .where(due, p.c.timezone.in_(list(timezones)), o.c.chat_id.is_not(None), o.c.blocked.is_(False),
                       o.c.anonymised_at.is_(None)))
        return await self._insert(rows)

    async def _guides_in(self, timezones: Sequence[str]) -> dict[int, list[dict[str, str]]]:
        d = CareDocument.__table__
        found = await self.core(
            select(d.c.project_id, d.c.file_id, d.c.name).join(Project.__table__, Project.id == d.c.project_id)
            .where(d.c.kind == DELIVERY_GUIDE, d.c.removed_at.is_(None), Project.timezone.in_(list(timezones)))
            .order_by(d.c.project_id, d.c.id))
        guides: dict[int, list[dict[str, str]]] = {}
        for row in found:
            guides.setdefault(row.project_id, []).append(
                {"kind": "document", "upload": str(row.file_id), "name": row.name})
        return guides

    # ------------------------------------------------------------ family occasions (DOMAIN 4.4)

    async def occasions_on(self, timezones: Sequence[str], day: date) -> list[DueOccasion]:
        """Today's occasions of owners in ``timezones`` who may be congratulated: bound, not blocked,
        not anonymised, whose latest decision about greetings is a yes."""
        f, o = FamilyOccasion.__table__, Owner.__table__
        found = await self.core(
            select(f.c.id, f.c.owner_id, o.c.chat_id, f.c.kind).join(o, o.c.id == f.c.owner_id)
            .where(f.c.on_date == day, o.c.chat_id.is_not(None), o.c.blocked.is_(False), o.c.anonymised_at.is_(None),
                   # One consent seek per occasion due (ix_family_occasions_on_date drives): an IN
                   # (granted_owners) list reads every owner's decisions (seconds at 1M owners).
                   granted_to(GREETINGS, o.c.id), _in_zone(o.c.id, timezones))
            .order_by(f.c.id))
        return [DueOccasion(r.id, r.owner_id, r.chat_id, r.kind) for r in found]

    def add_occasion(self, occasion: FamilyOccasion) -> None:
        self.session.add(occasion)

    async def occasions(self, owner_id: int | None = None) -> Sequence[FamilyOccasion]:
        query = select(FamilyOccasion).order_by(FamilyOccasion.on_date, FamilyOccasion.id)
        if owner_id is not None:
            query = query.where(FamilyOccasion.owner_id == owner_id)
        return (await self.session.scalars(query)).all()

    async def remove_occasion(self, occasion_id: int) -> bool:
        occasion = await self.session.get(FamilyOccasion, occasion_id)
        if occasion is None:
            return False
        await self.session.delete(occasion)
        await self.session.flush()
        return True

    # ------------------------------------------------------------ documents

    def add_document(self, document: CareDocument) -> None:
        self.session.add(document)

    async def documents(self, project_id: int | None = None) -> Sequence[CareDocument]:
        query = select(CareDocument).where(CareDocument.removed_at.is_(None)).order_by(CareDocument.id)
        if project_id is not None:
            query = query.where(CareDocument.project_id == project_id)
        return (await self.session.scalars(query)).all()

    async def document(self, document_id: int) -> CareDocument | None:
        return await self.session.get(CareDocument, document_id)

    # ------------------------------------------------------------ SQL helpers

    def _quoted(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        """A text value as a JSON string literal, escaped by the database."""
        if self.dialect == "postgresql":
            return cast(func.to_json(cast(value, Text)), Text)
        return func.json_quote(cast(value, Text))

    def _optional(self, slot: OptionalSlot, value: ColumnElement[Any]) -> ColumnElement[Any]:
        filled = func.replace(literal(slot.token, Text), _token(slot.slot), self._quoted(value))
        return case((value.is_(None), literal(slot.fallback, Text)), else_=filled)

    @staticmethod
    def _keyed(slot: KeyedSlot, key: ColumnElement[Any]) -> ColumnElement[Any]:
        if not slot.values:
            return literal(slot.fallback, Text)
        return case({k: literal(v, Text) for k, v in slot.values.items()}, value=key, else_=literal(slot.fallback, Text))

    def _fill(self, payload: dict[str, Any], replacements: Mapping[str, ColumnElement[Any]]) -> ColumnElement[Any]:
        """The payload's JSON text with each token (the JSON text of a slot, ``_token``) replaced by
        the row's JSON value."""
        text: ColumnElement[Any] = literal(json.dumps(payload, ensure_ascii=False), Text)
        for token, value in replacements.items():
            text = func.replace(text, token, value)
        # PostgreSQL needs text cast to json; SQLite keeps JSON as text (CAST AS JSON would make it a number).
        return cast(text, JSON) if self.dialect == "postgresql" else type_coerce(text, JSON)

    @staticmethod
    def _columns(key: ColumnElement[Any], chat_id: Any, owner_id: Any, payload: ColumnElement[Any],
                 planned: Planned) -> tuple[ColumnElement[Any], ...]:
        return (key, literal(planned.purpose), literal(planned.priority, Integer), chat_id, owner_id, payload,
                literal("pending"), literal(planned.not_before, UtcDateTime()),
                literal(planned.not_before, UtcDateTime()), literal(planned.send_until, UtcDateTime()),
                literal(0, Integer), literal(planned.now, UtcDateTime()))

    async def _insert(self, rows: Any) -> list[str]:
        return await self.add_outbox_rows(rows)


def _token(slot: str) -> str:
    """A slot's text as it stands in the payload's JSON: a JSON string."""
    return json.dumps(slot, ensure_ascii=False)


def _in_zone(owner_id: Any, timezones: Sequence[str]) -> ColumnElement[bool]:
    """The owner has a unit in a project of ``timezones`` (or none at all, in the default zone)."""
    in_zone: ColumnElement[bool] = exists(
        select(OwnerUnit.owner_id)
        .join(Unit, Unit.id == OwnerUnit.unit_id).join(Building, Building.id == Unit.building_id)
        .join(Project, Project.id == Building.project_id)
        .where(OwnerUnit.owner_id == owner_id, Project.timezone.in_(list(timezones))))
    if DEFAULT_TIMEZONE in timezones:
        in_zone = or_(in_zone, ~exists(select(OwnerUnit.owner_id).where(OwnerUnit.owner_id == owner_id)))
    return in_zone
