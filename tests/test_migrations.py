"""Migration stairway: every revision upgrades, downgrades and upgrades again, and head matches the models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from storage.db import create_engine
from storage.migrate import alembic_config, downgrade, upgrade
from storage.models import Base
from tests.conftest import BACKENDS, POSTGRES_URL


def _revisions(url: str) -> list[tuple[str, str]]:
    """(revision, what to downgrade it to) from base to head."""
    script = ScriptDirectory.from_config(alembic_config(url))
    revisions = list(script.walk_revisions("base", "heads"))
    revisions.reverse()
    steps = []
    for revision in revisions:
        down = revision.down_revision
        assert down is None or isinstance(down, str), "merge revisions are not expected"
        steps.append((revision.revision, down or "base"))
    return steps


def _inspect(connection: Connection) -> tuple[set[str], str | None, list[Any]]:
    tables = set(inspect(connection).get_table_names())
    current = MigrationContext.configure(connection).get_current_revision()
    context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": True})
    return tables, current, list(compare_metadata(context, Base.metadata))


async def _state(url: str) -> tuple[set[str], str | None, list[Any]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_inspect)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_stairway(backend: str, tmp_path: Path) -> None:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'stairway.db'}"
    elif POSTGRES_URL:
        url = POSTGRES_URL  # shared with the other tests: left at head and empty below
    else:
        pytest.skip("PostgreSQL tests need TEST_DATABASE_URL (set by .ci/run)")
    steps = _revisions(url)
    assert steps, "no migrations found"
    model_tables = set(Base.metadata.tables)
    try:
        await downgrade(url, "base")
        tables, current, _ = await _state(url)
        assert current is None
        assert tables - {"alembic_version"} == set()

        for revision, down in steps:
            await upgrade(url, revision)
            assert (await _state(url))[1] == revision
            await downgrade(url, down)
            assert (await _state(url))[1] == (None if down == "base" else down)
            await upgrade(url, revision)
            assert (await _state(url))[1] == revision

        tables, current, differences = await _state(url)
        assert current == steps[-1][0]
        assert tables - {"alembic_version"} == model_tables
        assert differences == [], differences
    finally:
        # Whatever happened, hand the database back at head and empty (a fresh upgrade from base).
        await downgrade(url, "base")
        await upgrade(url)
