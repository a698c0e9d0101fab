"""Crashes: the bot killed at random points while owners file complaints, right after a filing
committed, and a 502 on the answer to ✅ 确认 — nothing unhandled, nothing unanswered, nothing
filed twice, no error shown for a step that was saved."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storage.models import Ticket
from tests.harness import BotHarness
from tests.reliability.crowd import COMPLAINT, ERROR, FILED, Watcher, button_of, converse, seed_owners, texts

FIRST_OWNER = 20_000


async def _tickets(harness: BotHarness) -> int:
    async with harness.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(Ticket)) or 0)


async def _restart(harness: BotHarness) -> None:
    """A new process: the dead one's leases on answers it had not sent run out meanwhile."""
    await harness.start()
    harness.clock.advance(timedelta(seconds=61))
    assert harness.runtime is not None
    harness.runtime.wake_sender()


@pytest.mark.parametrize(("owners", "crashes"), [
    pytest.param(20, 2, id="20-owners"),
    pytest.param(150, 5, id="150-owners", marks=pytest.mark.reliability_long),
])
async def test_owners_filing_while_the_bot_is_killed_at_random_points(
    harness: BotHarness, database_url: str, owners: int, crashes: int
) -> None:
    chats = [FIRST_OWNER + n for n in range(owners)]
    async with harness.uow() as uow:
        await seed_owners(uow, harness.clock.now(), chats)
    for chat in chats:
        harness.person(chat)
    steps = owners * len(COMPLAINT)
    generator = random.Random(11)
    # Kill points counted in handled updates: random, and reproducible.
    kills = sorted(generator.sample(range(steps // 10, steps * 8 // 10), crashes))

    async def killer() -> None:
        for kill in kills:
            while sum(harness.handled.values()) < kill:  # noqa: ASYNC110 - a count, not an event
                await asyncio.sleep(0.005)
            await asyncio.sleep(generator.uniform(0, 0.05))  # anywhere in an update's handling
            await harness.crash()
            await _restart(harness)

    async with Watcher(database_url) as watcher:
        chaos = asyncio.create_task(killer())
        sent = await asyncio.gather(*(converse(harness.emulator, watcher, chat, COMPLAINT) for chat in chats))
        await chaos
    await harness.settle()

    async with harness.uow() as uow:
        for chat, updates in zip(chats, sent, strict=True):
            for update in updates:
                # Handled: its transaction committed (the update id is recorded with it) …
                assert not await uow.updates.claim(update, harness.clock.now()), f"update {update} never handled"
                # … and answered: the answers written with it were sent.
                answer = await uow.outbox.by_key(f"answer:{chat}:{update}:0")
                assert answer is not None and answer.status == "sent", f"update {update} handled without a reply"
    assert await _tickets(harness) == owners  # nobody's complaint filed twice, or lost
    for chat in chats:
        received = texts(harness.emulator, chat)
        assert sum(FILED in text for text in received) >= 1  # at least once: a crash may repeat one
        assert not any(ERROR in text for text in received)
    assert harness.emulator.stats.rejected_429 == 0


async def test_the_owner_is_told_the_complaint_is_filed_after_a_kill_right_after_the_commit(
    harness: BotHarness, database_url: str
) -> None:
    chat = FIRST_OWNER + 500  # its own chat: the emulator delivers the delayed answer after this test
    async with harness.uow() as uow:
        await seed_owners(uow, harness.clock.now(), [chat])
    harness.person(chat)
    async with Watcher(database_url) as watcher:
        await converse(harness.emulator, watcher, chat, COMPLAINT[:-1])
        # The answer to ✅ 确认 is on its way when the process dies, right after the commit.
        harness.emulator.inject_fault(0, "sendMessage", delay=2.0)
        await converse_until_filed(harness, chat)
        await harness.crash()
        await _restart(harness)
        await harness.settle()
    received = texts(harness.emulator, chat)
    assert any(FILED in text for text in received)
    assert await _tickets(harness) == 1  # the press, delivered again to the new process, filed nothing more


async def converse_until_filed(harness: BotHarness, chat: int) -> None:
    """Press ✅ 确认 and return once the filing committed (its answer may still be on its way)."""
    message, data = button_of(harness.emulator.bot_messages(chat), "确认")
    harness.emulator.press(chat, message, data)
    for _ in range(400):
        if await _tickets(harness) == 1:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the filing never committed")


async def test_a_502_on_the_answer_to_confirm_files_once_and_shows_no_error(
    harness: BotHarness, database_url: str
) -> None:
    chat = FIRST_OWNER + 600
    async with harness.uow() as uow:
        await seed_owners(uow, harness.clock.now(), [chat])
    harness.person(chat)
    async with Watcher(database_url) as watcher:
        await converse(harness.emulator, watcher, chat, COMPLAINT[:-1])
        harness.emulator.inject_fault(502, "sendMessage", chat_id=chat)  # Telegram fails the answer to ✅ 确认
        message, data = button_of(harness.emulator.bot_messages(chat), "确认")
        update = harness.emulator.press(chat, message, data)
        await harness.settle_updates(15)
        assert await _tickets(harness) == 1  # the step was committed
        assert not any(ERROR in text for text in texts(harness.emulator, chat))
        harness.clock.advance(timedelta(seconds=5))  # the drain's backoff, on the test clock
        assert harness.runtime is not None
        harness.runtime.wake_sender()
        await watcher.answered(update, chat)
    await harness.settle()
    received = texts(harness.emulator, chat)
    assert sum(FILED in text for text in received) == 1
    assert not any(ERROR in text for text in received)
    assert await _tickets(harness) == 1
