"""Several instances on one PostgreSQL database, one sending budget (docs/architecture.md, Several instances).

Telegram's limits (30 messages/s, a chat's pace) are the bot's, not a process's: two processes that
each pace themselves to the full budget together get 429s. So exactly one instance sends — the
leader, holding an advisory lock (``storage/leadership.py``). Every instance handles updates; a
follower writes its answers as outbox rows nobody holds, and its commit's ``NOTIFY`` wakes the
leader's drain, which sends everything through its one limiter, answers first.

Failover: followers try to take the lock every ``retry_seconds``. When the leader dies, PostgreSQL
frees its lock as its connection ends; a follower takes it, waits ``takeover_pause`` and starts
its drain, which sends what is pending (rows the dead leader had leased, after their lease).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from services.pushes.outbox import WrittenAnswer
from storage.leadership import LeaderLock

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LeaderTiming:
    retry_seconds: float = 2.0  # a follower tries to take the lock this often
    check_seconds: float = 1.0  # the leader checks that its lock connection is alive this often
    # A follower that takes over waits this long before its first send: by then the old leader's last
    # sends have left Telegram's windows (3 s for a chat's burst, 1 s overall), and a leader that only
    # lost its lock connection has stopped (it gives its drain half of this to finish).
    takeover_pause: float = 4.0


class LeaderSends:
    """A follower's outbound path for answers: rows nobody holds, for the leader's drain to send
    (woken by the commit's NOTIFY); no fast path."""

    def answer_lease(self, now: datetime) -> datetime | None:
        return None

    async def send_now(self, chat_id: int, rows: list[WrittenAnswer]) -> int:
        return 0  # never called: rows written without a lease are the drain's


class Leadership:
    """Takes the lock (at once if free, else every ``retry_seconds``), then ``elected()``; when the
    lock's connection fails, ``deposed(True)`` (the lock is gone: stop within half the takeover pause,
    since another instance may be taking over) and tries again; on ``close``, ``deposed(False)`` (the
    lock is still ours: stop at leisure, then it is released). ``notified()`` is called, while
    leading, on every commit of another instance that added outbox rows."""

    def __init__(self, lock: LeaderLock, *, elected: Callable[[], Awaitable[None]],
                 deposed: Callable[[bool], Awaitable[None]], notified: Callable[[], None],
                 timing: LeaderTiming | None = None) -> None:
        self.lock = lock
        self.timing = timing or LeaderTiming()
        self._elected = elected
        self._deposed = deposed
        self._notified = notified
        self._leading = False
        self._followed = False  # another instance led while we waited: pause before taking over
        self._stop = asyncio.Event()
        self._poke = asyncio.Event()  # the lock's connection ended, or stop
        self._task: asyncio.Task[None] | None = None

    @property
    def leading(self) -> bool:
        return self._leading

    async def start(self) -> None:
        """Try once now (a lone instance leads from its first update), then keep watching."""
        await self._attempt()
        self._task = asyncio.create_task(self._run(), name="leadership")

    async def close(self) -> None:
        """Stop sending first, then give the lock up, so the next leader never overlaps with us."""
        self._stop.set()
        self._poke.set()
        task, self._task = self._task, None
        if task is not None:
            await task
        if self._leading:
            self._leading = False
            await self._deposed(False)
        await self.lock.release()

    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                await self._watch()
            except Exception:  # keep watching whatever happened: an instance must never stop trying
                log.exception("leadership: unexpected error")
                await self._wait(self.timing.retry_seconds)

    async def _watch(self) -> None:
        if not self._leading:
            await self._wait(self.timing.retry_seconds)
            if not self._stop.is_set():
                await self._attempt()
            return
        await self._wait(self.timing.check_seconds)
        if self._stop.is_set() or await self.lock.held():
            return
        log.warning("lost the leader lock: this instance stops sending; another one takes over")
        self._leading = False
        self._followed = True
        await self._deposed(True)

    async def _attempt(self) -> None:
        try:
            taken = await self.lock.try_take(self._poke.set)
        except Exception as error:  # the database is unreachable: try again later
            log.warning("could not try the leader lock: %s: %s", type(error).__name__, error)
            taken = False
        if not taken:
            if not self._followed:
                log.info("another instance sends; this one hands its answers to it")
            self._followed = True
            return
        if self._followed:
            await self._pause(self.timing.takeover_pause)
            if self._stop.is_set() or not await self.lock.held():
                return
        try:
            await self.lock.listen(self._notified)
        except Exception as error:  # the connection broke right away: the next check sees it
            log.warning("could not listen for outbox rows: %s: %s", type(error).__name__, error)
        self._leading = True
        self._followed = False
        log.info("this instance is the leader: it sends for every instance")
        await self._elected()

    async def _pause(self, seconds: float) -> None:
        """``seconds`` in full (only a stop ends it sooner)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not self._stop.is_set() and (remaining := deadline - loop.time()) > 0:
            await self._wait(remaining)

    async def _wait(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._poke.wait(), seconds)
        if not self._stop.is_set():
            self._poke.clear()
