"""Long polling that confirms an update to Telegram only once it has been handled, for any chat
framework (``bot/telegram/aiogram/polling.py``, ``bot/telegram/ptb/polling.py`` say how to fetch
and how to hand over one update).

A framework's own polling moves the ``getUpdates`` offset past an update as soon as it hands it out
and runs its handler as a task: an update whose handler had not committed when the process died is
never delivered again. Here the offset only moves past the longest run of updates whose handling
has *finished* (its transaction committed, or the pipeline decided it is a redelivery or answered
its failure), so after a crash Telegram delivers again everything not yet finished, and the
processed-update table makes the redelivery of an update that did commit harmless. Updates are
still handled concurrently (one chat's in order: the pipeline keeps that), up to Telegram's 100
unconfirmed updates.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

log = logging.getLogger(__name__)


class AtLeastOnce(ABC):
    def __init__(self, *, polling_timeout: int = 10, stop_grace_seconds: float = 10.0) -> None:
        self.polling_timeout = polling_timeout
        self.stop_grace_seconds = stop_grace_seconds
        self.busy_poll_seconds = 0.25
        self._stop = asyncio.Event()
        self._tasks: dict[int, asyncio.Task[Any]] = {}  # received, not yet confirmed: in flight or finished
        self.offset: int | None = None  # the next getUpdates offset: everything below it is confirmed

    @abstractmethod
    async def fetch(self, offset: int | None, long_poll_seconds: int) -> Sequence[tuple[int, Any]]:
        """One ``getUpdates``: the updates as (update id, the framework's update)."""

    @abstractmethod
    async def process(self, update: Any) -> None:
        """Hand one update to the framework's handlers and wait until they are done."""

    @abstractmethod
    async def confirm(self, offset: int) -> None:
        """A last ``getUpdates`` that only confirms (Telegram marks everything below as seen)."""

    @abstractmethod
    async def startup(self) -> None:
        """Before the first fetch (the framework's startup handlers)."""

    @abstractmethod
    async def shutdown(self) -> None:
        """After the last confirmation (shutdown handlers; close the framework's session)."""

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
        """Startup, polling until ``stop``, shutdown."""
        if handle_signals:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                with contextlib.suppress(NotImplementedError):
                    loop.add_signal_handler(sig, self.stop)
        await self.startup()
        try:
            await self._poll()
        finally:
            try:
                await self._finish()
            finally:
                await self.shutdown()

    async def _poll(self) -> None:
        stopping = asyncio.create_task(self._stop.wait())
        try:
            while not self._stop.is_set():
                self._confirm_finished()
                fetch = asyncio.create_task(self.fetch(self.offset, self.polling_timeout))
                await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
                if not fetch.done():
                    fetch.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await fetch
                    break
                try:
                    updates = fetch.result()
                except Exception as error:  # Telegram unreachable: try again shortly, never give up
                    log.error("getUpdates failed: %s: %s", type(error).__name__, error)
                    await self._pause(1.0, stopping)
                    continue
                for update_id, update in updates:
                    if update_id not in self._tasks:
                        self._tasks[update_id] = asyncio.create_task(
                            self._handle(update_id, update), name=f"update-{update_id}")
                running = [task for task in self._tasks.values() if not task.done()]
                if running:
                    # Telegram hands unconfirmed updates back at once (and the framework parses each
                    # one again), so while some are being handled, ask again only when they all are —
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

    async def _handle(self, update_id: int, update: Any) -> None:
        try:
            await self.process(update)
        except Exception:  # the pipeline answers its own failures; this is a bug in the adapter
            log.exception("update %s: unhandled error", update_id)

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
            with contextlib.suppress(Exception):
                await self.confirm(self.offset)

    async def _pause(self, seconds: float, stopping: asyncio.Task[Any]) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(stopping), seconds)
