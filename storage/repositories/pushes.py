"""Outbox rows: added idempotently, claimed by a sender under a lease."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.models import OutboxMessage
from storage.repositories.base import Repository


class OutboxRepository(Repository):
    async def add_if_new(self, values: dict[str, Any]) -> bool:
        """Insert unless a row with the same idempotency key exists; True if inserted."""
        insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        statement = insert(OutboxMessage).values(**values).on_conflict_do_nothing(index_elements=["key"])
        result = await self.session.execute(statement)
        return bool(getattr(result, "rowcount", 0))

    async def add_returning_id(self, values: dict[str, Any]) -> int | None:
        """``add_if_new`` that gives the new row's id (None if the key exists)."""
        insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        statement = (insert(OutboxMessage).values(**values).on_conflict_do_nothing(index_elements=["key"])
                     .returning(OutboxMessage.id))
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def get(self, message_id: int) -> OutboxMessage | None:
        return await self.session.get(OutboxMessage, message_id)

    async def by_key(self, key: str) -> OutboxMessage | None:
        return await self.session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))

    async def claim_due(self, now: datetime, limit: int, lease: timedelta) -> Sequence[OutboxMessage]:
        """Due rows nobody holds, leased to the caller until ``now + lease`` (commit to keep them).

        On PostgreSQL ``FOR UPDATE SKIP LOCKED`` lets several senders claim disjoint rows.
        """
        query = (
            select(OutboxMessage)
            .where(
                OutboxMessage.status == "pending",
                OutboxMessage.next_attempt_at <= now,
                OutboxMessage.not_before <= now,
                or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
            )
            .order_by(OutboxMessage.priority, OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
        if self.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = (await self.session.scalars(query)).all()
        for row in rows:
            row.claimed_until = now + lease
        return rows

    async def earlier_unsent(self, chat_id: int, before_id: int, priority: int) -> bool:
        """Whether the chat has a row of this priority before ``before_id`` not sent yet (in backoff,
        or being sent by someone else): then later rows must wait their turn."""
        query = select(OutboxMessage.id).where(
            OutboxMessage.chat_id == chat_id, OutboxMessage.status == "pending",
            OutboxMessage.priority == priority, OutboxMessage.id < before_id,
        ).limit(1)
        return await self.session.scalar(query) is not None

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

    async def cancel_pending(self, key_prefix: str, reason: str) -> int:
        """Stop rows not yet sent whose key starts with ``key_prefix`` (e.g. a withdrawn consent)."""
        result = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == "pending", OutboxMessage.key.startswith(key_prefix))
            .values(status="cancelled", last_error=reason)
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

    def forget_loaded(self) -> None:
        """Detach what this session loaded (the rows are then taken by compare-and-set only)."""
        self.session.expunge_all()

    async def take(self, row_id: int, now: datetime, lease: datetime) -> bool:
        """Lease a pending row nobody holds; False if another sender won it."""
        result = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.status == "pending", _free(now))
            .values(claimed_until=lease)
        )
        return getattr(result, "rowcount", 0) == 1

    async def earlier_pending(self, last: dict[int, int], taken: set[int], now: datetime) -> dict[int, int]:
        """Pending rows due by ``now`` of the given chats that come before the chat's last taken
        row (``last``: chat id → row id) and were not taken: row id → chat id."""
        if not last:
            return {}
        candidates = await self.session.execute(
            select(OutboxMessage.id, OutboxMessage.chat_id).where(
                OutboxMessage.status == "pending",
                OutboxMessage.chat_id.in_(list(last)),
                OutboxMessage.not_before <= now,
                OutboxMessage.id.not_in(list(taken)),
                OutboxMessage.id < max(last.values()),
            )
        )
        return {row_id: chat_id for row_id, chat_id in candidates.all() if row_id < last[chat_id]}

    async def free_rows(self, ids: Sequence[int], now: datetime) -> Sequence[OutboxMessage]:
        """Those of ``ids`` that are pending, due and held by nobody (locked past others on PostgreSQL)."""
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.id.in_(list(ids)), OutboxMessage.status == "pending",
                   OutboxMessage.next_attempt_at <= now, _free(now))
            .order_by(OutboxMessage.id)
        )
        if self.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return (await self.session.scalars(query)).all()

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
        statement = update(OutboxMessage).where(OutboxMessage.id == row_id)
        if lease is not None:
            statement = statement.where(OutboxMessage.status == "pending", OutboxMessage.claimed_until == lease)
        result = await self.session.execute(statement.values(**values))
        return getattr(result, "rowcount", 1) == 1


def _free(now: datetime) -> ColumnElement[bool]:
    """Nobody holds the row: never leased, or the lease ran out (its sender died or gave up)."""
    return or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now)
