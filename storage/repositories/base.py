from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Executable
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.base import utc

_RAW = "estatebot_sqlite3"  # session.info: (the transaction, its sqlite3 connection)


class Repository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name

    async def core(self, statement: Executable,
                   params: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None) -> CursorResult[Any]:
        """A Core statement (on tables, not mapped classes) in the session's transaction: none of the
        ORM's loading and bookkeeping, for the statements every update runs (about half the cost of
        the ORM's). It neither flushes pending ORM changes nor refreshes loaded objects: call
        ``flush_pending`` first where an ORM change made in the same transaction matters."""
        return cast(CursorResult[Any], await self.session.execute(statement, params))

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
