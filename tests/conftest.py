"""Fixtures: databases (SQLite always, PostgreSQL when TEST_DATABASE_URL is set), the Bot API
emulator (one per session) and the real bot running against it (one per test)."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.clock import ManualClock
from storage.db import create_engine, create_sessionmaker
from storage.migrate import downgrade, upgrade
from storage.models import Base
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.i18n import Catalogs
    from bot.sandbox.emulator import BotAPIEmulator
    from tests.harness import BotHarness



def _per_worker(url: str | None) -> str | None:
    """Under pytest-xdist each worker gets a PostgreSQL database of its own (test → test_gw1), made
    on first use: the tests empty and migrate theirs freely."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    address, _, query = url.partition("?")
    server, _, name = address.rpartition("/")
    return f"{server}/{name}_{worker}" + (f"?{query}" if query else "")


async def _create_database(url: str) -> None:
    import asyncpg  # type: ignore[import-untyped]

    address = url.split("?", 1)[0]
    server, _, name = address.rpartition("/")
    connection = await asyncpg.connect(server.replace("postgresql+asyncpg://", "postgresql://") + "/postgres")
    try:
        if not await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


POSTGRES_URL = _per_worker(os.environ.get("TEST_DATABASE_URL"))
BACKENDS = ["sqlite", "postgresql"]
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, a Monday


@pytest.fixture(scope="session")
async def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    await upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
async def postgres_ready() -> str | None:
    """The PostgreSQL test database, migrated from scratch once per session (None if not configured)."""
    if not POSTGRES_URL:
        return None
    if os.environ.get("PYTEST_XDIST_WORKER"):
        await _create_database(POSTGRES_URL)
    await downgrade(POSTGRES_URL, "base")
    await upgrade(POSTGRES_URL)
    return POSTGRES_URL


async def _truncate_all(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()


@pytest.fixture(params=BACKENDS)
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path, postgres_ready: str | None
) -> str:
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    if postgres_ready is None:
        pytest.skip("PostgreSQL tests need TEST_DATABASE_URL (set by .ci/run)")
    await _truncate_all(postgres_ready)
    return postgres_ready


@pytest.fixture
async def postgres_url(postgres_ready: str | None) -> str:
    """The PostgreSQL test database, emptied, for what only PostgreSQL does (several instances)."""
    if postgres_ready is None:
        pytest.skip("several instances share a PostgreSQL database (TEST_DATABASE_URL)")
    await _truncate_all(postgres_ready)
    return postgres_ready


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def uow_factory(engine: AsyncEngine) -> Callable[[], UnitOfWork]:
    sessionmaker = create_sessionmaker(engine)
    return lambda: UnitOfWork(sessionmaker)


# ---------------------------------------------------------------- the bot end to end
# aiogram is imported inside these fixtures so that pure unit tests never pay for it.


@pytest.fixture(scope="session")
async def emulator() -> AsyncIterator[BotAPIEmulator]:
    from bot.sandbox.emulator import BotAPIEmulator

    server = BotAPIEmulator()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture(scope="session")
def catalogs() -> Catalogs:
    from bot.i18n import Catalogs

    return Catalogs()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


# The chat frameworks the end-to-end tests run the bot on (issue 16): every test that uses the
# ``harness`` runs on each; python-telegram-bot's on SQLite only, to keep the suite within its time.
FRAMEWORKS = ("aiogram", "ptb")


@pytest.fixture(params=FRAMEWORKS)
def chat_framework(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """python-telegram-bot on PostgreSQL is left out (the adapter is the same over either database)."""
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        (dropped if params.get("chat_framework") == "ptb" and params.get("database_url") == "postgresql"
         else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture
async def harness(
    emulator: BotAPIEmulator, database_url: str, clock: ManualClock, catalogs: Catalogs, chat_framework: str
) -> AsyncIterator[BotHarness]:
    from tests.harness import BotHarness

    emulator.reset()
    bot = BotHarness(emulator, database_url, clock, catalogs, framework=chat_framework)
    await bot.start()
    yield bot
    await bot.stop()
