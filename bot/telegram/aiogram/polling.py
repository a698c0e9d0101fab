"""At-least-once long polling (``bot/telegram/polling.py``) over an aiogram ``Dispatcher``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import GetUpdates
from aiogram.types import Update

from bot.telegram.polling import AtLeastOnce


class AtLeastOncePolling(AtLeastOnce):
    def __init__(self, dispatcher: Dispatcher, bot: Bot, *, polling_timeout: int = 10,
                 close_bot_session: bool = True, stop_grace_seconds: float = 10.0) -> None:
        super().__init__(polling_timeout=polling_timeout, stop_grace_seconds=stop_grace_seconds)
        self.dispatcher = dispatcher
        self.bot = bot
        self.close_bot_session = close_bot_session
        self._workflow: dict[str, Any] = {"dispatcher": dispatcher, "bots": (bot,), **dispatcher.workflow_data}
        self._allowed = dispatcher.resolve_used_update_types()

    async def fetch(self, offset: int | None, long_poll_seconds: int) -> Sequence[tuple[int, Update]]:
        request = GetUpdates(offset=offset, timeout=long_poll_seconds, allowed_updates=self._allowed)
        updates: list[Update] = await self.bot(request, request_timeout=long_poll_seconds + 30)
        return [(update.update_id, update) for update in updates]

    async def process(self, update: Update) -> None:
        await self.dispatcher.feed_update(self.bot, update, **self._workflow)

    async def confirm(self, offset: int) -> None:
        await self.bot(GetUpdates(offset=offset, timeout=0, limit=1))

    async def startup(self) -> None:
        await self.dispatcher.emit_startup(bot=self.bot, **self._workflow)

    async def shutdown(self) -> None:
        try:
            await self.dispatcher.emit_shutdown(bot=self.bot, **self._workflow)
        finally:
            if self.close_bot_session:
                await self.bot.session.close()
