"""Faults Telegram (or the network) causes: a response lost after the message was delivered. The
drain cannot know whether it arrived, so it sends it again — at least once, never lost, and at
most one duplicate per lost response."""

from __future__ import annotations

from datetime import timedelta
from itertools import groupby

import pytest

from tests.harness import BotHarness
from tests.reliability.crowd import queue_rows, texts


@pytest.mark.parametrize(("rows", "rate"), [(600, 0.03)])
async def test_responses_lost_after_delivery_are_sent_again_at_most_once_each(
    harness: BotHarness, rows: int, rate: float
) -> None:
    chats = [70_000 + n % 60 for n in range(rows)]
    harness.emulator.inject_random_faults("lost", rate, "sendMessage", seed=3)
    async with harness.uow() as uow:
        await queue_rows(uow, "lost", chats, harness.clock.now())
    assert harness.sender is not None
    for _ in range(20):  # each round: what can go goes; then the clock moves past the retries' backoff
        await harness.sender.drain()  # (the bot's own drain loop sends too: one at a time)
        async with harness.uow() as uow:
            if not await uow.outbox.pending():
                break
        harness.clock.advance(timedelta(minutes=10))
    lost = harness.emulator.stats.faults["lost"]
    assert lost > 0
    duplicates = 0
    for chat in set(chats):
        received = texts(harness.emulator, chat)
        # In order, nothing missing; a repeat only right after the message it repeats.
        assert [text for text, _same in groupby(received)] == [f"lost #{n}" for n in range(rows) if chats[n] == chat]
        duplicates += len(received) - len({*received})
    assert 0 < duplicates <= lost
    async with harness.uow() as uow:
        assert await uow.outbox.count_sent("lost:") == rows
