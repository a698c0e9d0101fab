"""The real bot, in this process, polling the Bot API emulator over HTTP on 127.0.0.1.

Tests talk to it as users would (``Person.say``, ``press``, ``share_contact`` …) and wait
for the bot to finish each update — no sleeps: the dispatcher reports every handled update.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Mapping
from typing import Any, cast

from pydantic import SecretStr

from bot.i18n import Catalogs
from bot.runtime import Runtime
from bot.sandbox.emulator import DEFAULT_TOKEN, BotAPIEmulator
from bot.settings import Settings
from bot.telegram.polling import AtLeastOnce
from services.common.clock import ManualClock
from services.pushes.drain import OutboxDrain
from services.pushes.ratelimit import RateLimiter
from storage.uow import UnitOfWork


class BotHarness:
    def __init__(self, emulator: BotAPIEmulator, database_url: str, clock: ManualClock, catalogs: Catalogs, *,
                 telegram_limits: bool = False, framework: str = "aiogram") -> None:
        self.emulator = emulator
        self.framework = framework  # the chat framework the bot runs on: aiogram or ptb
        self.telegram_limits = telegram_limits  # the drain paced as in production (RateLimiter's defaults)
        self.database_url = database_url
        self.clock = clock
        self.catalogs = catalogs
        self.handled: Counter[int] = Counter()
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.runtime: Runtime | None = None
        self.sender: OutboxDrain | None = None
        self.polling: AtLeastOnce | None = None

    async def start(self) -> None:
        settings = Settings(
            _env_file=None,
            bot_token=SecretStr(DEFAULT_TOKEN),
            telegram_api_base=self.emulator.base_url,
            database_url=self.database_url,
            chat_framework=self.framework,
        )
        self.runtime = Runtime.create(settings, clock=self.clock, catalogs=self.catalogs)
        self.runtime.plan_in_background = False  # tests plan explicitly after moving the clock
        # The same sender the adapter's startup would start; started here to hold it at once.
        # Tests do not pace pushes like Telegram (1/s per chat) unless they ask; the sender's own
        # tests and the reliability suite do. A restart gets a new limiter, as a new process would.
        limiter = RateLimiter() if self.telegram_limits else RateLimiter(1000, 1000.0, 1000, 1000)
        if self.framework == "ptb":
            from bot.telegram.ptb.app import build_polling

            ptb = build_polling(self.runtime, DEFAULT_TOKEN, polling_timeout=1, on_update_done=self._done)
            self.sender = await self.runtime.start_sender(ptb.transport, limiter)
            self.polling = ptb
        else:
            from bot.telegram.aiogram.app import build_bot, build_dispatcher
            from bot.telegram.aiogram.polling import AtLeastOncePolling
            from bot.telegram.aiogram.transport import AiogramTransport

            bot = build_bot(settings, DEFAULT_TOKEN)
            self.sender = await self.runtime.start_sender(AiogramTransport(bot, self.catalogs), limiter)
            self.polling = AtLeastOncePolling(build_dispatcher(self.runtime, on_update_done=self._done), bot,
                                              polling_timeout=1)
        self._task = asyncio.create_task(self.polling.run())

    async def stop(self) -> None:
        """Stop as a deploy would: polling ends, connections close; the database stays."""
        if self._task is None:
            return
        try:
            await self.settle()
        finally:
            assert self.runtime is not None and self.polling is not None
            self.polling.stop()
            await self._task
            await self.runtime.close()
            self._task = None

    async def crash(self) -> None:
        """Die in the middle of handling: what is in flight is cut off, nothing more is confirmed."""
        assert self.polling is not None and self._task is not None and self.runtime is not None
        self.polling.cut_off()
        await self._task
        await self.runtime.close()
        self._task = None

    def uow(self) -> UnitOfWork:
        """A unit of work on the bot's own database, for seeding and for assertions."""
        assert self.runtime is not None
        return UnitOfWork(self.runtime.sessionmaker)

    def _done(self, update_id: int) -> None:
        self.handled[update_id] += 1
        self._changed.set()

    def _settled(self) -> bool:
        # Every update sent (a redelivery counts again) has been through the dispatcher.
        return all(self.handled[update_id] >= count for update_id, count in self.emulator.pushed.items())

    async def settle(self, seconds: float = 15.0) -> None:
        """Wait until every update injected so far has been handled and the outbox rows due
        (on the test's clock) have been sent."""
        await self.settle_updates(seconds)
        deadline = asyncio.get_running_loop().time() + seconds
        # The background sender may hold some rows itself: wait until nothing due is left.
        while self.sender is not None and await self._due_rows():
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("the outbox did not drain")
            if not await self.sender.drain():
                await asyncio.sleep(0.01)
            await self.settle_updates(seconds)

    async def _due_rows(self) -> int:
        async with self.uow() as uow:
            return await uow.outbox.due_count(self.clock.now())

    async def settle_updates(self, seconds: float) -> None:
        deadline = asyncio.get_running_loop().time() + seconds
        while not self._settled():
            if self._task is not None and self._task.done():
                self._task.result()
                raise AssertionError("polling stopped")
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError(f"bot did not settle: pending={self.emulator.pending_updates}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.05))

    def person(self, user_id: int, first_name: str = "业主", language_code: str | None = "zh-hans") -> Person:
        self.emulator.user(user_id, first_name, language_code)
        return Person(self, user_id)


class Person:
    """One Telegram user in a private chat with the bot."""

    def __init__(self, harness: BotHarness, user_id: int) -> None:
        self.harness = harness
        self.id = user_id

    @property
    def emulator(self) -> BotAPIEmulator:
        return self.harness.emulator

    def received(self) -> list[dict[str, Any]]:
        return self.emulator.bot_messages(self.id)

    def texts(self) -> list[str]:
        return [m.get("text") or m.get("caption") or "" for m in self.received()]

    async def say(self, text: str) -> list[dict[str, Any]]:
        before = len(self.received())
        self.emulator.send_text(self.id, text)
        await self.harness.settle()
        return self.received()[before:]

    async def share_contact(self, phone: str, *, own: bool = True, contact_user_id: int | None = None) -> list[dict[str, Any]]:
        before = len(self.received())
        if own:
            self.emulator.send_own_contact(self.id, phone)
        else:
            self.emulator.send_contact(self.id, phone, contact_user_id=contact_user_id)
        await self.harness.settle()
        return self.received()[before:]

    async def send_photo(self, data: bytes | None = None) -> list[dict[str, Any]]:
        before = len(self.received())
        if data is None:
            self.emulator.send_photo(self.id)
        else:
            self.emulator.send_photo(self.id, data)
        await self.harness.settle()
        return self.received()[before:]

    async def send_document(self, data: bytes, file_name: str, mime_type: str) -> list[dict[str, Any]]:
        """A file sent "as a file", with the name and type the client declares."""
        before = len(self.received())
        self.emulator.send_document(self.id, data, file_name, mime_type)
        await self.harness.settle()
        return self.received()[before:]

    async def send_sticker(self) -> list[dict[str, Any]]:
        before = len(self.received())
        self.emulator.send_sticker(self.id)
        await self.harness.settle()
        return self.received()[before:]

    async def press(self, label: str, message: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Press the inline button whose label contains ``label`` on the latest message showing one."""
        target, data = self.find_button(label, message)
        return await self.press_data(data, target)

    async def press_data(self, data: str, message: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        target = message or self.last_with_buttons()
        before = len(self.received())
        self.emulator.press(self.id, target, data)
        await self.harness.settle()
        return self.received()[before:]

    def last_with_buttons(self) -> dict[str, Any]:
        for message in reversed(self.received()):  # a deleted message is gone from the chat
            if not message.get("_deleted") and message.get("reply_markup", {}).get("inline_keyboard"):
                return cast(dict[str, Any], message)  # the live record: later edits show through
        raise AssertionError("no message with inline buttons")

    def find_button(self, label: str, message: Mapping[str, Any] | None = None) -> tuple[Mapping[str, Any], str]:
        target = message or self.last_with_buttons()
        for row in target.get("reply_markup", {}).get("inline_keyboard", []):
            for button in row:
                if label in button["text"]:
                    return target, str(button["callback_data"])
        labels = [b["text"] for row in target.get("reply_markup", {}).get("inline_keyboard", []) for b in row]
        raise AssertionError(f"no button {label!r} among {labels}")

    def buttons(self, message: Mapping[str, Any] | None = None) -> list[str]:
        target = self.last_with_buttons() if message is None else message
        return [b["text"] for row in target.get("reply_markup", {}).get("inline_keyboard", []) for b in row]
