"""Long polling that confirms an update to Telegram only once it has been handled.

aiogram's own polling (``Dispatcher.start_polling``) moves the ``getUpdates`` offset past an update
as soon as it hands it out and runs its handler as a task: an update whose handler had not
committed when the process died is never delivered again. Here the offset only moves past the
longest run of updates whose handling has *finished* (its transaction committed, or the pipeline
decided it is a redelivery or answered its failure), so after a crash Telegram delivers again
everything not yet finished, and the processed-update table makes the redelivery of an update that
did commit harmless. Updates are still handled concurrently (one chat's in order: the pipeline
keeps that), up to Telegram's 100 unconfirmed updates.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import GetUpdates
from aiogram.types import Update

log = logging.getLogger(__name__)


class AtLeastOncePolling:
    def __init__(self, dispatcher: Dispatcher, bot: Bot, *, polling_timeout: int = 10,
                 close_bot_session: bool = True, stop_grace_seconds: float = 10.0) -> None:
        self.dispatcher = dispatcher
        self.bot = bot
        self.polling_timeout = polling_timeout
        self.close_bot_session = close_bot_session
        self.stop_grace_seconds = stop_grace_seconds
        self.busy_poll_seconds = 0.25
        self._stop = asyncio.Event()
        self._tasks: dict[int, asyncio.Task[Any]] = {}  # received, not yet confirmed: in flight or finished
        self.offset: int | None = None  # the next getUpdates offset: everything below it is confirmed

    def stop(self) -> None:
        self._stop.set()

    def cut_off(self) -> None:
        """Stop at once, as a crash would: updates in flight are cancelled and not confirmed, so
        Telegram delivers them again to the next process."""
        self.stop_grace_seconds = 0
        for task in self._tasks.values():
            task.cancel()
        self.stop()

    async def run(self, *, handle_signals: bool = False) -> None:
        """Startup handlers, polling until ``stop``, shutdown handlers (as ``start_polling`` does)."""
        if handle_signals:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                with contextlib.suppress(NotImplementedError):
                    loop.add_signal_handler(sig, self.stop)
        workflow = {"dispatcher": self.dispatcher, "bots": (self.bot,), **self.dispatcher.workflow_data}
        await self.dispatcher.emit_startup(bot=self.bot, **workflow)
        try:
            await self._poll(workflow)
        finally:
            try:
                await self._finish()
                await self.dispatcher.emit_shutdown(bot=self.bot, **workflow)
            finally:
                if self.close_bot_session:
                    await self.bot.session.close()

    async def _poll(self, workflow: dict[str, Any]) -> None:
        allowed = self.dispatcher.resolve_used_update_types()
        stopping = asyncio.create_task(self._stop.wait())
        try:
            while not self._stop.is_set():
                self._confirm_finished()
                request = GetUpdates(offset=self.offset, timeout=self.polling_timeout, allowed_updates=allowed)
                fetch = asyncio.create_task(self.bot(request, request_timeout=self.polling_timeout + 30))
                await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
                if not fetch.done():
                    fetch.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await fetch
                    break
                try:
                    updates: list[Update] = fetch.result()
                except Exception as error:  # Telegram unreachable: try again shortly, never give up
                    log.error("getUpdates failed: %s: %s", type(error).__name__, error)
                    await self._pause(1.0, stopping)
                    continue
                new = [update for update in updates if update.update_id not in self._tasks]
                for update in new:
                    self._tasks[update.update_id] = asyncio.create_task(
                        self._handle(update, workflow), name=f"update-{update.update_id}")
                running = [task for task in self._tasks.values() if not task.done()]
                if running:
                    # Telegram hands unconfirmed updates back at once (and aiogram parses each one
                    # again), so while some are being handled, ask again only when they all are —
                    # or after a moment, so that a slow update does not hold up the others long.
                    await self._settle(running, stopping)
        finally:
            stopping.cancel()

    async def _settle(self, running: list[asyncio.Task[Any]], stopping: asyncio.Task[Any]) -> None:
        """Until every running update is handled, ``busy_poll_seconds`` pass, or a stop."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.busy_poll_seconds
        pending: set[asyncio.Task[Any]] = set(running)
        while pending and not stopping.done():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            _done, pending = await asyncio.wait({*pending, stopping}, timeout=remaining,
                                                return_when=asyncio.FIRST_COMPLETED)
            pending.discard(stopping)

    async def _handle(self, update: Update, workflow: dict[str, Any]) -> None:
        try:
            await self.dispatcher.feed_update(self.bot, update, **workflow)
        except Exception:  # the pipeline answers its own failures; this is a bug in the adapter
            log.exception("update %s: unhandled error", update.update_id)

    def _confirm_finished(self) -> None:
        """Move the offset past the longest run of finished updates (lowest ids first)."""
        for update_id in sorted(self._tasks):
            task = self._tasks[update_id]
            if not task.done() or task.cancelled():  # a cut-off update stays for the next process
                break
            del self._tasks[update_id]
            self.offset = update_id + 1

    async def _finish(self) -> None:
        """On a stop, let the updates in flight finish (for a while), then confirm what did."""
        running = [task for task in self._tasks.values() if not task.done()]
        if running:
            _done, pending = await asyncio.wait(running, timeout=self.stop_grace_seconds)
            for task in pending:  # delivered again after the restart
                task.cancel()
        self._confirm_finished()
        if self.offset is not None:
            # A last call that only confirms (Telegram marks everything below the offset as seen).
            with contextlib.suppress(Exception):
                await self.bot(GetUpdates(offset=self.offset, timeout=0, limit=1))

    async def _pause(self, seconds: float, stopping: asyncio.Task[Any]) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(stopping), seconds)
