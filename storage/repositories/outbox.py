"""Outbox rows: added idempotently, claimed by a sender under a lease."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
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
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
        if self.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = (await self.session.scalars(query)).all()
        for row in rows:
            row.claimed_until = now + lease
        return rows

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
