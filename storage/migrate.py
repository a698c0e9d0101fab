"""Alembic, driven from code: ``upgrade(url)`` / ``downgrade(url, rev)`` without an ini file."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import create_engine, normalize_url

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return config


async def _run(url: str, action: str, revision: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_apply, url, action, revision)
    finally:
        await engine.dispose()


def _apply(connection: Connection, url: str, action: str, revision: str) -> None:
    config = alembic_config(url)
    config.attributes["connection"] = connection
    if action == "upgrade":
        command.upgrade(config, revision)
    else:
        command.downgrade(config, revision)


async def upgrade(url: str, revision: str = "head") -> None:
    await _run(url, "upgrade", revision)


async def downgrade(url: str, revision: str) -> None:
    await _run(url, "downgrade", revision)


def upgrade_sync(url: str, revision: str = "head") -> None:
    asyncio.run(upgrade(url, revision))


async def schema_status(engine: AsyncEngine, url: str) -> tuple[str, str | None]:
    """Where the database's schema stands: ("current", None), ("behind", None), or
    ("unknown", revision) for a revision this code does not know (a newer estatebot migrated it)."""
    async with engine.connect() as connection:
        current = set(await connection.run_sync(_current_heads))
    script = ScriptDirectory.from_config(alembic_config(url))
    if current == set(script.get_heads()):
        return "current", None
    for revision in sorted(current):
        try:
            script.get_revision(revision)
        except CommandError:
            return "unknown", revision
    return "behind", None


async def current_revision(url: str) -> str | None:
    """The revision the database is at (None: never migrated), for saying what a migration did."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            heads = await connection.run_sync(_current_heads)
    finally:
        await engine.dispose()
    return ", ".join(sorted(heads)) or None


def _current_heads(connection: Connection) -> tuple[str, ...]:
    return MigrationContext.configure(connection).get_current_heads()
