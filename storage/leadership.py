"""PostgreSQL's part of "one instance sends" (docs/architecture.md, Several instances).

``LeaderLock``: a session-level advisory lock on a connection of its own, outside the pool and
kept for the process's life. The instance holding it is the only one that sends; PostgreSQL frees
the lock when that connection ends, so when the leader dies another instance can take it.

``announce_outbox_writes``: a transaction that added outbox rows sends ``NOTIFY`` before it
commits. PostgreSQL delivers a notification only when (and if) the transaction commits, so the
leader, listening on its lock connection, is woken exactly when there is something new to send.

SQLite is one process: ``shares_database`` is False there and none of this is used.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from storage.db import normalize_url

log = logging.getLogger(__name__)

LEADER_LOCK = 7315002  # the planner's transaction-level lock is 7315001
CHANNEL = "estatebot_outbox"
_NOTIFY = f"SELECT pg_notify('{CHANNEL}', '')"
_OUTBOX_INSERT = "INSERT INTO outbox "
_WROTE = "estatebot_outbox_written"
# The server drops a leader whose host vanished (no FIN) after about idle + interval x count
# seconds, which frees the lock; the default would be two hours.
_KEEPALIVES = {"tcp_keepalives_idle": "10", "tcp_keepalives_interval": "5", "tcp_keepalives_count": "3"}


def shares_database(url: str) -> bool:
    """Whether several processes may use this database at once (PostgreSQL, not SQLite)."""
    return make_url(normalize_url(url)).get_backend_name() == "postgresql"


class LeaderLock:
    """The leader's advisory lock, on one asyncpg connection that is not the pool's."""

    def __init__(self, url: str, *, timeout: float = 5.0) -> None:
        self._engine = create_async_engine(
            normalize_url(url), poolclass=NullPool,
            connect_args={"server_settings": {"application_name": "estatebot leader lock", **_KEEPALIVES}})
        self._timeout = timeout
        self._connection: AsyncConnection | None = None
        self._raw: Any = None  # the asyncpg connection under it: asyncpg's own calls, never a transaction

    async def try_take(self, on_lost: Callable[[], None]) -> bool:
        """Take the lock if nobody holds it (connecting first if needed); ``on_lost`` is called if
        the connection ends later (the lock is then gone)."""
        if self._raw is None or self._raw.is_closed():
            await self._drop()
            self._connection = await asyncio.wait_for(self._engine.connect(), self._timeout)
            self._raw = (await self._connection.get_raw_connection()).driver_connection
            self._raw.add_termination_listener(lambda _connection: on_lost())
        return bool(await self._raw.fetchval("SELECT pg_try_advisory_lock($1)", LEADER_LOCK, timeout=self._timeout))

    async def held(self) -> bool:
        """Whether the lock is still ours: the session that took it is alive (a round trip)."""
        if self._raw is None or self._raw.is_closed():
            return False
        try:
            await self._raw.fetchval("SELECT 1", timeout=self._timeout)
        except Exception as error:  # whatever broke, the session, and with it the lock, cannot be trusted
            log.warning("leader lock connection failed: %s: %s", type(error).__name__, error)
            await self._drop()
            return False
        return True

    async def listen(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` on every ``NOTIFY`` of the outbox channel (a commit that added rows)."""
        await self._raw.add_listener(CHANNEL, lambda *_args: callback())

    async def release(self) -> None:
        """Give the lock up at once (the next instance's first try succeeds) and disconnect."""
        if self._raw is not None and not self._raw.is_closed():
            with contextlib.suppress(Exception):
                await self._raw.fetchval("SELECT pg_advisory_unlock_all()", timeout=self._timeout)
        await self._drop()
        await self._engine.dispose()

    def backend_pid(self) -> int | None:
        """The server process of the lock's session (tests end it to play a leader's death)."""
        if self._raw is None or self._raw.is_closed():
            return None
        return int(self._raw.get_server_pid())

    async def _drop(self) -> None:
        connection, self._connection, self._raw = self._connection, None, None
        if connection is not None:
            with contextlib.suppress(Exception):  # closing a broken connection: nothing left to save
                await connection.invalidate()


def announce_outbox_writes(engine: AsyncEngine, when: Callable[[], bool]) -> None:
    """From now on, a transaction on ``engine`` that inserted outbox rows sends ``NOTIFY`` on
    ``CHANNEL`` just before its commit, while ``when()`` (this instance does not send itself).

    Hooked on the engine's statements rather than on the callers, so every writer (answers, pushes
    of a use case, the planner, the admin CLI) wakes the leader without knowing about it.
    """
    sync = engine.sync_engine

    @event.listens_for(sync, "after_cursor_execute")
    def _seen(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith(_OUTBOX_INSERT):
            connection.info[_WROTE] = True

    @event.listens_for(sync, "commit")
    def _announce(connection: Any) -> None:
        # Still inside the transaction: PostgreSQL sends the notification with the commit, or never.
        if connection.info.pop(_WROTE, False) and when():
            connection.exec_driver_sql(_NOTIFY)

    @event.listens_for(sync, "rollback")
    def _forget(connection: Any) -> None:
        if not connection.invalidated:  # an invalidated connection's info goes with it
            connection.info.pop(_WROTE, None)
