"""Outbox rows: added idempotently, claimed by a sender under a lease."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, bindparam, case, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.models import OutboxFile, OutboxMessage
from storage.models.care import Consent
from storage.repositories.base import Repository, sqlite_time


@dataclass(frozen=True)
class ClaimedRow:
    """What the drain needs of a row it leased."""

    id: int
    chat_id: int
    priority: int
    owner_id: int | None
    staff_id: int | None
    payload: dict[str, Any]
    attempts: int
    message_ids: list[int] | None
    purpose: str
    send_until: datetime | None  # the end of its delivery window (None: none)


class OutboxRepository(Repository):
    async def add_if_new(self, values: dict[str, Any]) -> bool:
        """Insert unless a row with the same idempotency key exists; True if inserted."""
        insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        statement = insert(OutboxMessage).values(**values).on_conflict_do_nothing(index_elements=["key"])
        result = await self.session.execute(statement)
        return bool(getattr(result, "rowcount", 0))

    async def add_all_if_new(self, rows: Sequence[dict[str, Any]]) -> set[str]:
        """``add_if_new`` for many rows, as one executemany (the driver batches it into multi-row
        statements; a planner's cards: not one statement per row); the keys inserted."""
        if not rows:
            return set()
        insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        table = cast(Table, OutboxMessage.__table__)
        statement = insert(table).on_conflict_do_nothing(index_elements=["key"]).returning(table.c.key)
        return set((await self.session.execute(statement, list(rows))).scalars().all())

    async def add_returning_id(self, values: dict[str, Any]) -> int | None:
        """``add_if_new`` that gives the new row's id (None if the key exists)."""
        if (raw := await self.sqlite3()) is not None:
            found = raw.execute(_ADD_RETURNING_ID_SQLITE, (
                values["key"], values["purpose"], values["priority"], values["chat_id"], values["owner_id"],
                values["staff_id"], json.dumps(values["payload"]), values["status"], sqlite_time(values["not_before"]),
                sqlite_time(values["next_attempt_at"]),
                sqlite_time(values["claimed_until"]) if values["claimed_until"] is not None else None,
                values["attempts"], sqlite_time(values["created_at"]))).fetchone()
            return int(found[0]) if found is not None else None
        return (await self.core(_ADD_RETURNING_ID, values)).scalar_one_or_none()

    async def get(self, message_id: int) -> OutboxMessage | None:
        return await self.session.get(OutboxMessage, message_id)

    async def add_file(self, kind: str, name: str, content: bytes, now: datetime) -> int:
        """Keep a generated file's bytes for an outbox row to upload; its id."""
        stored = OutboxFile(kind=kind, name=name, content=content, created_at=now)
        self.session.add(stored)
        await self.session.flush()
        return stored.id

    async def file(self, file_id: int) -> OutboxFile | None:
        return await self.session.get(OutboxFile, file_id)

    async def by_key(self, key: str) -> OutboxMessage | None:
        return await self.session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))

    async def unsent_of_priority(self, chat_id: int, priority: int) -> bool:
        """Whether the chat has a row of this priority not sent yet (pending: due, in backoff, or
        being sent by someone else)."""
        if (raw := await self.sqlite3()) is not None:
            return raw.execute("SELECT 1 FROM outbox WHERE chat_id = ? AND status = 'pending' AND priority = ? LIMIT 1",
                               (chat_id, priority)).fetchone() is not None
        return (await self.core(_UNSENT_OF_PRIORITY, {"chat": chat_id, "priority": priority})).first() is not None

    async def due_count(self, now: datetime) -> int:
        """Rows that should go out by ``now`` (claimed or not)."""
        query = select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now, OutboxMessage.not_before <= now
        )
        return int(await self.session.scalar(query) or 0)

    async def count_sent(self, key_prefix: str) -> int:
        query = select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status == "sent", OutboxMessage.key.startswith(key_prefix)
        )
        return int(await self.session.scalar(query) or 0)

    async def pending(self, chat_id: int | None = None) -> Sequence[OutboxMessage]:
        query = select(OutboxMessage).where(OutboxMessage.status == "pending").order_by(OutboxMessage.id)
        if chat_id is not None:
            query = query.where(OutboxMessage.chat_id == chat_id)
        return (await self.session.scalars(query)).all()

    async def answers_carrying(self, chat_id: int, rev: int, *, within: int) -> list[tuple[dict[str, Any], list[int]]]:
        """Of the chat's last ``within`` answers, those sent with a dialog's buttons of revision
        ``rev``, oldest first: (payload, Telegram's message ids) — the messages that asked a question,
        to redraw them once it is answered. The revision is read in SQL, so only those rows are decoded.
        Every dialog step runs it: prebuilt, and on SQLite straight to sqlite3 (a third of a step's
        own work through the ORM's statement building)."""
        rows: list[tuple[Any, Any]]
        if (raw := await self.sqlite3()) is not None:
            rows = [(json.loads(payload), json.loads(ids)) for payload, ids in raw.execute(
                _ANSWERS_CARRYING_SQLITE, (chat_id, within, rev)).fetchall() if payload and ids]
        else:
            found = await self.core(_ANSWERS_CARRYING, {"chat": chat_id, "within": within, "rev": rev})
            rows = [cast(tuple[Any, Any], tuple(row)) for row in found.all()]
        return [(dict(payload), [int(i) for i in ids]) for payload, ids in rows
                if isinstance(payload, dict) and isinstance(ids, list) and ids]

    async def sent_as(self, chat_id: int, message_id: int, *, within: int) -> dict[str, Any] | None:
        """The payload of the row, among the chat's last ``within`` sent rows, that went out as
        Telegram message ``message_id`` (a pressed card, to redraw it once used); None: not found."""
        query = (select(OutboxMessage.payload, OutboxMessage.message_ids)
                 .where(OutboxMessage.chat_id == chat_id, OutboxMessage.status == "sent")
                 .order_by(OutboxMessage.id.desc()).limit(within))
        for payload, ids in (await self.session.execute(query)).all():
            if isinstance(payload, dict) and isinstance(ids, list) and message_id in ids:
                return dict(payload)
        return None

    async def sent_with_prefix(self, key_prefix: str) -> list[tuple[str, int, int | None, list[int]]]:
        """(key, chat, staff, Telegram message ids) of the sent rows whose key starts with
        ``key_prefix``, oldest first (every copy of a card, to redraw them all once it is used)."""
        query = (select(OutboxMessage.key, OutboxMessage.chat_id, OutboxMessage.staff_id, OutboxMessage.message_ids)
                 .where(OutboxMessage.status == "sent", OutboxMessage.key.startswith(key_prefix))
                 .order_by(OutboxMessage.id))
        return [(key, chat_id, staff_id, [int(i) for i in ids]) for key, chat_id, staff_id, ids
                in (await self.session.execute(query)).all() if isinstance(ids, list) and ids]

    async def highest_answer_rev(self, chat_id: int, *, within: int) -> int:
        """The highest dialog revision the chat's last ``within`` answers carried (0: none)."""
        if (raw := await self.sqlite3()) is not None:
            row = raw.execute(_HIGHEST_ANSWER_REV_SQLITE, (chat_id, within)).fetchone()
            return int(row[0] or 0) if row is not None else 0
        return int((await self.core(_HIGHEST_ANSWER_REV, {"chat": chat_id, "within": within})).scalar() or 0)

    async def media_sent(self, chat_id: int, ticket_id: int) -> set[str]:
        """The file ids of the photos and files about a case in the chat's rows that went out or
        wait to go (a cancelled or failed row never reached it). Rows name their case in the
        payload (``ticket``); the chat's index keeps this to that chat's rows."""
        query = select(OutboxMessage.payload).where(
            OutboxMessage.chat_id == chat_id, OutboxMessage.status.in_(("pending", "sent")),
            _payload_ticket == ticket_id)
        return {str(item["file_id"]) for payload in (await self.session.scalars(query)).all()
                if isinstance(payload, dict)
                for item in payload.get("media") or () if isinstance(item, dict) and item.get("file_id")}

    async def cancel_pending(self, key_prefix: str, reason: str) -> int:
        """Stop rows not yet sent whose key starts with ``key_prefix`` (e.g. a withdrawn consent)."""
        result = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == "pending", OutboxMessage.key.startswith(key_prefix))
            .values(status="cancelled", last_error=reason)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def cancel_owner_pending(self, owner_id: int, purposes: Collection[str], reason: str) -> int:
        """Stop an owner's rows not yet sent that have one of ``purposes`` (a consent withdrawn);
        a row a sender holds right now is stopped too (its later writes then find it cancelled)."""
        result = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == "pending", OutboxMessage.owner_id == owner_id,
                   OutboxMessage.purpose.in_(list(purposes)))
            .values(status="cancelled", last_error=reason, claimed_until=None)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def lacking_consent(self, ids: Collection[int], needs: Mapping[str, str],
                              presumed: Collection[str] = ()) -> list[int]:
        """Of the rows ``ids``, those whose purpose needs a kind of consent (``needs``: purpose →
        kind) that their owner does not hold now (latest decision a yes). For ``presumed`` kinds
        (consent collected on paper) only a latest decision of no refuses. One query for a batch."""
        if not ids or not needs:
            return []
        o = _OUTBOX
        c = cast(Table, Consent.__table__).alias("decision")
        latest = cast(Table, Consent.__table__).alias("later")
        kind = case(*((o.c.purpose == purpose, kind) for purpose, kind in needs.items()))
        def latest_is(granted: bool) -> ColumnElement[bool]:
            return select(c.c.id).where(
                c.c.owner_id == o.c.owner_id, c.c.kind == kind, c.c.granted.is_(granted),
                c.c.id == select(func.max(latest.c.id)).where(latest.c.owner_id == c.c.owner_id,
                                                              latest.c.kind == c.c.kind).scalar_subquery(),
            ).exists()

        presumed_purposes = [purpose for purpose, needed in needs.items() if needed in presumed]
        refused = case((o.c.purpose.in_(presumed_purposes), latest_is(False)), else_=~latest_is(True)) \
            if presumed_purposes else ~latest_is(True)
        query = select(o.c.id).where(o.c.id.in_(list(ids)), o.c.purpose.in_(list(needs)),
                                     or_(o.c.owner_id.is_(None), refused))
        return [row.id for row in (await self.core(query)).all()]

    async def cancel_claimed(self, ids: Collection[int], lease: datetime, reason: str) -> None:
        """Cancel rows this lease holds, unsent (the drain found no consent for them)."""
        o = _OUTBOX
        await self.core(update(o).where(o.c.id.in_(list(ids)), o.c.status == "pending", o.c.claimed_until == lease)
                        .values(status="cancelled", last_error=reason, claimed_until=None))

    async def defer_claimed(self, ids: Collection[int], lease: datetime, start: datetime, until: datetime) -> None:
        """Give back rows this lease holds, unsent, for a later delivery window: from ``start`` to
        ``until`` (their window ended before they could go)."""
        o = _OUTBOX
        await self.core(update(o).where(o.c.id.in_(list(ids)), o.c.status == "pending", o.c.claimed_until == lease)
                        .values(not_before=start, next_attempt_at=start, send_until=until, claimed_until=None))

    async def restore_owner_cancelled(self, owner_id: int, purposes: Collection[str], reason: str,
                                      now: datetime) -> int:
        """Put back to pending an owner's rows of ``purposes`` that ``cancel_owner_pending`` stopped
        for ``reason`` and whose delivery window has not ended (a consent granted again the same
        day); those of a past day, or without a window, stay cancelled. How many."""
        result = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == "cancelled", OutboxMessage.owner_id == owner_id,
                   OutboxMessage.purpose.in_(list(purposes)), OutboxMessage.last_error == reason,
                   OutboxMessage.send_until.is_not(None), OutboxMessage.send_until > now)
            .values(status="pending", last_error=None, claimed_until=None)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def planner_lock(self) -> bool:
        """One planner at a time on PostgreSQL (an advisory lock held until the transaction ends);
        SQLite has one writer anyway."""
        if self.dialect != "postgresql":
            return True
        return bool(await self.session.scalar(text("SELECT pg_try_advisory_xact_lock(7315001)")))

    # ---------------------------------------------------------- the drain's compare-and-set writes
    # A lease (``claimed_until``) doubles as its holder's token: every write after the claim names
    # it, so a sender whose lease was taken over can never undo another sender's work.

    async def chat_heads(self, now: datetime, *, per_chat: int, limit: int,
                         busy: Collection[int] = ()) -> list[tuple[int, int]]:
        """The rows to send next, as (row id, chat id), grouped by chat in id order.

        Of each chat not in ``busy``, its waiting rows (pending, ``not_before`` passed) in id order,
        the first ``per_chat`` of them up to the first one that cannot go yet (in backoff, or held
        by a sender): so a chat's rows are always taken as a prefix and never overtake each other.
        Chats with an answer (priority 0) come first, then by how long their rows have been due; at
        most ``limit`` rows. One query (window functions: SQLite 3.25 or later, PostgreSQL).
        """
        o = _OUTBOX
        held = or_(o.c.next_attempt_at > now, and_(o.c.claimed_until.is_not(None), o.c.claimed_until >= now))
        waiting = select(
            o.c.id, o.c.chat_id, o.c.priority, o.c.next_attempt_at,
            func.row_number().over(partition_by=o.c.chat_id, order_by=o.c.id).label("place"),
            # Rows held so far in the chat's order: a row after a held one must wait.
            func.sum(case((held, 1), else_=0)).over(partition_by=o.c.chat_id, order_by=o.c.id,
                                                    rows=(None, 0)).label("held_before"),
        ).where(o.c.status == "pending", o.c.not_before <= now)
        if busy:
            waiting = waiting.where(o.c.chat_id.not_in(list(busy)))
        rows = waiting.subquery()
        heads = select(
            rows.c.id, rows.c.chat_id,
            func.min(rows.c.priority).over(partition_by=rows.c.chat_id).label("chat_priority"),
            func.min(rows.c.next_attempt_at).over(partition_by=rows.c.chat_id).label("chat_due"),
            func.min(rows.c.id).over(partition_by=rows.c.chat_id).label("chat_first"),
        ).where(rows.c.place <= per_chat, rows.c.held_before == 0).subquery()
        query = (select(heads.c.id, heads.c.chat_id)
                 .order_by(heads.c.chat_priority, heads.c.chat_due, heads.c.chat_first, heads.c.id).limit(limit))
        return [(row.id, row.chat_id) for row in (await self.core(query)).all()]

    async def take_rows(self, ids: Sequence[int], now: datetime, lease: datetime) -> list[ClaimedRow]:
        """Lease those of ``ids`` that are still pending, due and held by nobody, by compare-and-set
        in one statement (on PostgreSQL rows another sender has locked are skipped, not waited
        for): the rows won."""
        o = _OUTBOX
        free = and_(o.c.id.in_(list(ids)), o.c.status == "pending", o.c.next_attempt_at <= now,
                    o.c.not_before <= now, _free(now))
        statement = update(o).where(free)
        if self.dialect == "postgresql":
            locked = select(o.c.id).where(free).order_by(o.c.id).with_for_update(skip_locked=True)
            statement = update(o).where(o.c.id.in_(locked), free)
        statement = statement.values(claimed_until=lease).returning(
            o.c.id, o.c.chat_id, o.c.priority, o.c.owner_id, o.c.staff_id, o.c.payload, o.c.attempts,
            o.c.message_ids, o.c.purpose, o.c.send_until)
        return [ClaimedRow(row.id, row.chat_id, row.priority, row.owner_id, row.staff_id, row.payload, row.attempts,
                           row.message_ids, row.purpose, row.send_until) for row in (await self.core(statement)).all()]

    async def give_back(self, ids: Sequence[int], lease: datetime) -> None:
        """Release rows this lease holds, unsent (taken, then found behind a row another sender won)."""
        o = _OUTBOX
        await self.core(update(o).where(o.c.id.in_(list(ids)), o.c.status == "pending", o.c.claimed_until == lease)
                        .values(claimed_until=None))

    async def renew(self, row_id: int, lease: datetime, new_lease: datetime) -> bool:
        result = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.status == "pending",
                   OutboxMessage.claimed_until == lease)
            .values(claimed_until=new_lease)
        )
        return getattr(result, "rowcount", 0) == 1

    async def write(self, row_id: int, lease: datetime | None, **values: Any) -> bool:
        """Update a row; with ``lease``, only while it is still pending under that lease."""
        table = _OUTBOX
        statement = update(table).where(table.c.id == row_id)
        if lease is not None:
            statement = statement.where(table.c.status == "pending", table.c.claimed_until == lease)
        result = await self.core(statement.values(**values))
        return result.rowcount == 1

    async def record_sent(self, rows: Sequence[dict[str, Any]]) -> None:
        """Mark rows as sent, whoever holds them now (they were sent): each ``{"row": id,
        "sent_at": …, "message_ids": […], "attempts": n}``, in one batch."""
        if not rows:
            return
        if (raw := await self.sqlite3()) is not None:
            raw.executemany(
                "UPDATE outbox SET status = 'sent', sent_at = ?, message_ids = ?, attempts = ?, claimed_until = NULL, "
                "last_error = NULL WHERE id = ?",
                [(sqlite_time(row["sent_at"]), json.dumps(row["message_ids"]), row["attempts"], row["row"])
                 for row in rows])
            return
        await self.core(_RECORD_SENT, list(rows))


# Built once, on the table (Core): these run for every answer, and building a statement, or the
# ORM's bookkeeping around it, costs more than running it.
_OUTBOX = cast(Table, OutboxMessage.__table__)
_UNSENT_OF_PRIORITY = select(_OUTBOX.c.id).where(
    _OUTBOX.c.chat_id == bindparam("chat"), _OUTBOX.c.status == "pending",
    _OUTBOX.c.priority == bindparam("priority"),
).limit(1)
_ADD_RETURNING_ID = pg_insert(_OUTBOX).on_conflict_do_nothing(index_elements=["key"]).returning(_OUTBOX.c.id)
_ADD_RETURNING_ID_SQLITE = (
    'INSERT INTO outbox ("key", purpose, priority, chat_id, owner_id, staff_id, payload, status, not_before, '
    "next_attempt_at, claimed_until, attempts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    'ON CONFLICT ("key") DO NOTHING RETURNING id'
)
_RECORD_SENT = update(_OUTBOX).where(_OUTBOX.c.id == bindparam("row")).values(
    status="sent", sent_at=bindparam("sent_at"), message_ids=bindparam("message_ids"),
    attempts=bindparam("attempts"), claimed_until=None, last_error=None,
)


# The revision a dialog's answer carried (its buttons' ``DialogPress``), read from the JSON payload.
_answer_rev = OutboxMessage.payload[("reply", "rev")].as_integer()
# The case a card is about (``outbox.enqueue(ticket_id=…)``), read from the JSON payload.
_payload_ticket = OutboxMessage.payload["ticket"].as_integer()
# The chat's last ``within`` answers (``answers_carrying``, ``highest_answer_rev``), prebuilt.
_RECENT_ANSWER_IDS = (select(OutboxMessage.id)
                      .where(OutboxMessage.chat_id == bindparam("chat"), OutboxMessage.purpose == "answer")
                      .order_by(OutboxMessage.id.desc()).limit(bindparam("within")))
_ANSWERS_CARRYING = (select(OutboxMessage.payload, OutboxMessage.message_ids)
                     .where(OutboxMessage.id.in_(_RECENT_ANSWER_IDS), OutboxMessage.status == "sent",
                            _answer_rev == bindparam("rev"))
                     .order_by(OutboxMessage.id))
_HIGHEST_ANSWER_REV = select(func.max(_answer_rev)).where(OutboxMessage.id.in_(_RECENT_ANSWER_IDS))
_RECENT_ANSWER_IDS_SQLITE = "SELECT id FROM outbox WHERE chat_id = ? AND purpose = 'answer' ORDER BY id DESC LIMIT ?"
_ANSWERS_CARRYING_SQLITE = (
    f"SELECT payload, message_ids FROM outbox WHERE id IN ({_RECENT_ANSWER_IDS_SQLITE}) AND status = 'sent' "
    "AND json_extract(payload, '$.reply.rev') = ? ORDER BY id"
)
_HIGHEST_ANSWER_REV_SQLITE = (
    f"SELECT max(json_extract(payload, '$.reply.rev')) FROM outbox WHERE id IN ({_RECENT_ANSWER_IDS_SQLITE})"
)


def _free(now: datetime) -> ColumnElement[bool]:
    """Nobody holds the row: never leased, or the lease ran out (its sender died or gave up)."""
    return or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now)
