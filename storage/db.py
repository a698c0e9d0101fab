"""Engine and session factory: built once per process from the database URL, never at import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.dialects import registry
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from storage import sqlite_inloop

registry.register(f"sqlite.{sqlite_inloop.DRIVER}", "storage.sqlite_inloop", "SQLiteDialect_inloop")


def normalize_url(url: str) -> str:
    """Accept plain ``sqlite:///`` and ``postgresql://`` URLs and pick the drivers: SQLite on the
    event loop's thread (``storage/sqlite_inloop.py``), asyncpg for PostgreSQL."""
    parsed = make_url(url)
    if parsed.drivername in ("sqlite", "sqlite+pysqlite", "sqlite+aiosqlite"):
        parsed = parsed.set(drivername=f"sqlite+{sqlite_inloop.DRIVER}")
    elif parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


def database_location(url: str) -> tuple[Path | None, str]:
    """Where a database lives: its file for SQLite (None in memory), and a short name for any database
    ("estatebot.db", "127.0.0.1-estatebot") — for keeping things beside it (the sandbox's chat log)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            return Path(parsed.database), Path(parsed.database).name
        return None, "memory"
    return None, f"{parsed.host or 'local'}-{parsed.database or 'db'}"


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # One connection per process (see sqlite_inloop); a unit of work always ends its transaction
        # itself, so the pool need not roll back again when the connection comes back.
        engine = create_async_engine(url, **({"pool_size": 1, "max_overflow": 0, "pool_reset_on_return": None}
                                              | kwargs)
                                     if sqlite_inloop.SQLiteDialect_inloop._is_url_file_db(parsed) else kwargs)
        sqlite_inloop.install(engine.sync_engine)
        return engine
    # No ping on every checkout (a round trip per unit of work): an update whose connection turns out
    # to be dropped is tried once more on a fresh one (``connection_lost``; the pipeline does). No
    # reset on return either: a unit of work always ends its transaction itself.
    return create_async_engine(url, **({"pool_reset_on_return": None} | kwargs))


def connection_lost(error: BaseException) -> bool:
    """Whether a failed unit of work failed because its connection was gone (the database restarted
    or dropped it); SQLAlchemy has then discarded that connection, and a retry gets a fresh one."""
    return isinstance(error, DBAPIError) and error.connection_invalidated


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)

