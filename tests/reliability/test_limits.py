"""Floods under Telegram's limits: the drain's real RateLimiter against an emulator that answers 429
to anything faster. Everything is asserted by counting (messages, positions in the order Telegram
received them), never by time; the full-size versions are marked ``reliability_long``."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from sqlalchemy import select

from storage.models import OutboxMessage
from tests.harness import BotHarness
from tests.reliability.crowd import INQUIRY, Watcher, converse, queue_rows, texts

REGISTERED = "登记编号"


async def _queue(harness: BotHarness, tag: str, chats: Sequence[int]) -> None:
    """One row per entry, in this order (as a planner or an announcement writes them)."""
    async with harness.uow() as uow:
        await queue_rows(uow, tag, chats, harness.clock.now())
    assert harness.runtime is not None
    harness.runtime.wake_sender()


def _no_flood(harness: BotHarness) -> None:
    stats = harness.emulator.stats
    assert (stats.rejected_429, stats.calls_in_retry_window) == (0, 0)


async def _entries(harness: BotHarness) -> int:
    async with harness.uow() as uow:
        return len(await uow.communication.recent(limit=1000))


async def _delivered_to(harness: BotHarness, chats: set[int], count: int) -> None:
    """Until Telegram got ``count`` messages for ``chats``."""
    log = harness.emulator.delivery_log
    await harness.emulator.wait_until(lambda: sum(chat in chats for _at, chat, _id in log) >= count, seconds=120)


@pytest.mark.parametrize("people", [20, pytest.param(100, marks=pytest.mark.reliability_long)])
async def test_people_in_dialogs_under_telegrams_limits(limited: BotHarness, database_url: str, people: int) -> None:
    chats = [30_000 + n for n in range(people)]
    for chat in chats:
        limited.person(chat)
    async with Watcher(database_url) as watcher:
        await asyncio.gather(*(converse(limited.emulator, watcher, chat, INQUIRY) for chat in chats))
    await limited.settle()
    # Every input answered (converse waited for each), each message filed once, never a 429.
    assert await _entries(limited) == people
    for chat in chats:
        assert sum(REGISTERED in text for text in texts(limited.emulator, chat)) == 1
    _no_flood(limited)


@pytest.mark.parametrize(("people", "announcement", "steps"), [
    (20, 150, 3), pytest.param(20, 2000, len(INQUIRY), marks=pytest.mark.reliability_long)])
async def test_answers_go_first_while_an_announcement_drains(
    limited: BotHarness, database_url: str, people: int, announcement: int, steps: int
) -> None:
    listeners = [40_000 + n for n in range(announcement)]
    chats = [30_000 + n for n in range(people)]
    for chat in chats:
        limited.person(chat)
    await _queue(limited, "announcement", listeners)
    await _delivered_to(limited, set(listeners), 30)  # under way: the limiter is full of its rows
    log = limited.emulator.delivery_log
    passed: dict[int, int] = {}  # announcement messages Telegram got between a first input and its answer

    async def first_answer(chat: int, watcher: Watcher) -> None:
        before = len(log)
        await converse(limited.emulator, watcher, chat, INQUIRY[:1])
        answered = next(index for index in range(before, len(log)) if log[index][1] == chat)
        passed[chat] = sum(1 for _at, other, _id in log[before:answered] if other >= 40_000)

    async with Watcher(database_url) as watcher:
        await asyncio.gather(*(first_answer(chat, watcher) for chat in chats))
        still_queued = announcement - sum(1 for _at, chat, _id in log if chat >= 40_000)
        await asyncio.gather(*(converse(limited.emulator, watcher, chat, INQUIRY[1:steps]) for chat in chats))
    assert still_queued > 0  # the answers went while the announcement was still going out
    # Answers first: none waited behind the announcement's rows queued in the limiter (at most the
    # few requests already under way when the answer was ready went before it).
    assert max(passed.values()) <= 3, passed
    await limited.settle(seconds=announcement / 25 + 15)
    # Nothing unanswered: converse waited for the answers to every step.
    assert await _entries(limited) == (people if steps == len(INQUIRY) else 0)
    assert sorted(chat for _at, chat, _id in log if chat >= 40_000) == listeners  # all of it, once
    _no_flood(limited)


@pytest.mark.parametrize("owners", [60, pytest.param(200, marks=pytest.mark.reliability_long)])
async def test_a_busy_chat_does_not_hold_the_others_back(limited: BotHarness, owners: int) -> None:
    """60 rows for one staff chat (one message a second at most) queued before the owners' rows."""
    staff, chats = 6001, [50_000 + n for n in range(owners)]
    await _queue(limited, "staff", [staff] * 60)
    await _queue(limited, "owner", chats)
    await _delivered_to(limited, set(chats), owners)
    order = [chat for _at, chat, _id in limited.emulator.delivery_log]
    # The staff chat's burst of three may go first; the owners never wait behind its queue.
    assert next(index for index, chat in enumerate(order) if chat != staff) <= 3
    assert order.count(staff) < 60 / 2  # most of the staff chat's rows were still waiting
    async with limited.uow() as uow:  # the rest of the staff chat's rows are not this test's business
        await uow.outbox.cancel_pending("staff:", "test over")
        await uow.commit()
    await limited.settle()
    assert sorted(chat for chat in order if chat != staff) == chats
    _no_flood(limited)


@pytest.mark.parametrize("rows", [160, pytest.param(400, marks=pytest.mark.reliability_long)])
async def test_rows_over_forty_chats_are_all_delivered_in_order_without_a_429(limited: BotHarness, rows: int) -> None:
    chats = [60_000 + n * 40 // rows for n in range(rows)]  # chat by chat, each chat's paced at 1/s
    await _queue(limited, "spread", chats)
    await limited.settle(seconds=rows / 25 + 15)
    for chat in set(chats):
        assert texts(limited.emulator, chat) == [f"spread #{n}" for n in range(rows) if chats[n] == chat]
    async with limited.uow() as uow:
        statuses = (await uow.session.scalars(select(OutboxMessage.status))).all()
    assert statuses.count("sent") == rows
    _no_flood(limited)
