from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import CursorResult, Date, Executable, Select, func
from sqlalchemy import cast as sa_cast
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement

from storage.models.base import utc
from storage.models.pushes import OutboxMessage

_RAW = "estatebot_sqlite3"
# The columns a set-based planner's SELECT gives, in order (``Repository.add_outbox_rows``).
OUTBOX_COLUMNS = ("key", "purpose", "priority", "chat_id", "owner_id", "payload", "status", "not_before",
                  "next_attempt_at", "send_until", "attempts", "created_at")  # session.info: (the transaction, its sqlite3 connection)


class Repository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name

    def local_date(self, moment: ColumnElement[Any] | InstrumentedAttribute[Any], zone: str, day: date) -> ColumnElement[date]:
        """The local date in ``zone`` of a stored UTC moment, in SQL: PostgreSQL converts with the
        zone's rules (``timezone()``); SQLite adds the zone's offset on ``day`` (the offices' zones —
        mainland, Hong Kong, Macau, Taiwan — keep no summer time, so it is the same all year)."""
        if self.dialect == "postgresql":
            return sa_cast(func.timezone(zone, moment), Date)
        offset = datetime.combine(day, time(), ZoneInfo(zone)).utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset else 0
        return func.date(moment, f"{minutes:+d} minutes")

    async def core(self, statement: Executable,
                   params: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None) -> CursorResult[Any]:
        """A Core statement (on tables, not mapped classes) in the session's transaction: none of the
        ORM's loading and bookkeeping, for the statements every update runs (about half the cost of
        the ORM's). It neither flushes pending ORM changes nor refreshes loaded objects: call
        ``flush_pending`` first where an ORM change made in the same transaction matters."""
        return cast(CursorResult[Any], await self.session.execute(statement, params))

    async def add_outbox_rows(self, rows: Select[Any]) -> list[str]:
        """Write the outbox rows ``rows`` selects — its columns in the order of ``OUTBOX_COLUMNS`` —
        in ONE ``INSERT … SELECT … ON CONFLICT (key) DO NOTHING`` (the set-based planners); the keys
        written."""
        insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        statement = (insert(OutboxMessage).from_select(list(OUTBOX_COLUMNS), rows)
                     .on_conflict_do_nothing(index_elements=["key"]).returning(OutboxMessage.key))
        return list((await self.session.execute(statement)).scalars().all())

    async def flush_pending(self) -> None:
        """Write what the ORM holds for this transaction (an object added or changed), so that a
        Core or sqlite3 statement after it sees it."""
        if self.session.new or self.session.dirty:
            await self.session.flush()

    async def sqlite3(self) -> sqlite3.Connection | None:
        """On SQLite, the session's own sqlite3 connection, inside its transaction; None elsewhere.

        The few statements every update runs (claim the update, who is writing, the chat's state,
        the answer rows) are written for sqlite3 directly as well: on the event loop's thread a
        statement takes microseconds, and SQLAlchemy's execution around it ~60 µs — together a tenth
        of a step's whole cost. Same rules as ``core``: no flush, no refresh of loaded objects. Values
        are stored as SQLAlchemy stores them (``sqlite_time``, ``json.dumps``), so either path reads
        what the other wrote.
        """
        if self.dialect != "sqlite":
            return None
        transaction = self.session.sync_session.get_transaction()
        known = self.session.info.get(_RAW)
        if transaction is not None and known is not None and known[0] is transaction:
            return cast(sqlite3.Connection, known[1])
        connection = await self.session.connection()  # begins the transaction if need be
        driver = cast(sqlite3.Connection, connection.sync_connection.connection.driver_connection)  # type: ignore[union-attr]
        self.session.info[_RAW] = (self.session.sync_session.get_transaction(), driver)
        return driver


def sqlite_time(value: datetime) -> str:
    """A time as ``UtcDateTime`` stores it in SQLite (SQLAlchemy's DateTime text format)."""
    return utc(value).strftime("%Y-%m-%d %H:%M:%S.%f")
