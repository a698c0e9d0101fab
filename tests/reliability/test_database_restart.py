"""A database connection that went away between two updates (PostgreSQL restarted, or dropped it):
the pool does not ping every connection it hands out, so the update that meets the dead connection
is tried once more on a fresh one — the person gets the answer, not an error."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.db import create_engine
from tests.harness import BotHarness


async def _drop_the_bots_connections(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            result = await connection.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' "
                "AND application_name <> 'estatebot leader lock'"))  # the pool's; failover is tested elsewhere
            return int(result.scalar_one())
    finally:
        await engine.dispose()


async def test_an_update_on_a_dropped_connection_is_answered(harness: BotHarness, database_url: str) -> None:
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("SQLite runs in the process: no connection to lose")
    person = harness.person(9501)
    await person.say("/menu")
    assert await _drop_the_bots_connections(database_url) >= 1
    answer = await person.press("留言")
    assert answer, "no answer after the connection was dropped"
    assert not any("出了点问题" in text for text in person.texts())
    person.find_button("咨询")  # the next question, with its buttons
