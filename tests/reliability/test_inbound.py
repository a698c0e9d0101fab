"""Inbound at least once: an update is confirmed to Telegram only after it was handled, so one that a
crash cut off before its commit is delivered again to the next process and handled then."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator

from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.db import create_engine
from tests.harness import BotHarness


@contextlib.asynccontextmanager
async def writes_held(database_url: str) -> AsyncIterator[None]:
    """Hold the database's write lock (SQLite) or the update-id table (PostgreSQL): the bot's
    transaction for the next update cannot commit until this ends."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        lock = sqlite3.connect(str(url.database), timeout=1, isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        return
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("LOCK TABLE processed_updates IN EXCLUSIVE MODE"))
            yield
            await connection.rollback()
    finally:
        await engine.dispose()


async def _polling(harness: BotHarness) -> None:
    """Wait until the bot polls (its start-up, which writes to the database, is over)."""
    for _ in range(200):
        if any(method == "getUpdates" for method, _params in harness.emulator.calls):
            return
        await asyncio.sleep(0.025)
    raise AssertionError("the bot never polled")


async def _delivered(harness: BotHarness, update_id: int, times: int = 1) -> None:
    for _ in range(200):
        if harness.emulator.delivered.count(update_id) >= times:
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"update {update_id} was not delivered {times}×")


async def test_an_update_cut_off_before_its_commit_is_handled_after_the_restart(
    harness: BotHarness, database_url: str
) -> None:
    person = harness.person(9101)
    await _polling(harness)
    async with writes_held(database_url):
        update_id = harness.emulator.send_text(9101, "/help")
        await _delivered(harness, update_id)
        await asyncio.sleep(0.2)  # the bot is inside the update's transaction, waiting for the lock
        await harness.crash()
    assert person.texts() == []  # nothing was answered, nothing was committed
    cut_off = harness.handled[update_id]

    await harness.start()
    for _ in range(200):  # the harness counts the cut-off run as handled: wait for the new one
        if harness.handled[update_id] > cut_off:
            break
        await asyncio.sleep(0.025)
    await harness.settle()
    assert harness.handled[update_id] == cut_off + 1  # delivered again; the new process handled it
    [reply] = person.texts()
    assert "/menu" in reply
    async with harness.uow() as uow:
        assert not await uow.updates.claim(update_id, harness.clock.now())  # recorded once, by the restart


async def test_handled_updates_are_confirmed_and_not_delivered_again(harness: BotHarness) -> None:
    person = harness.person(9102)
    await person.say("/help")
    await person.say("/menu")
    await harness.stop()
    await harness.start()
    await harness.settle()
    assert len(person.texts()) == 2
    assert set(harness.handled.values()) == {1}  # confirmed on the way out: nothing handled twice
