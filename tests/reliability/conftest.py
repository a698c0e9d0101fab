"""The reliability suite's own fixture: the bot paced by Telegram's limits, which the emulator enforces."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.i18n import Catalogs
from bot.sandbox.emulator import BotAPIEmulator, RateLimits
from services.common.clock import ManualClock
from tests.harness import BotHarness


@pytest.fixture
async def limited(emulator: BotAPIEmulator, database_url: str, clock: ManualClock,
                  catalogs: Catalogs, chat_framework: str) -> AsyncIterator[BotHarness]:
    """The real bot (on each chat framework) with the drain's real RateLimiter (30/s, 1/s per chat
    with bursts of 3, 20/min per group), against an emulator that answers 429 to anything faster."""
    emulator.reset()
    emulator.rate_limits = RateLimits()
    bot = BotHarness(emulator, database_url, clock, catalogs, telegram_limits=True, framework=chat_framework)
    await bot.start()
    try:
        yield bot
        await bot.stop()
    finally:
        emulator.rate_limits = None
