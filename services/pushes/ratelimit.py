"""Telegram's sending limits, modelled on python-telegram-bot's ``AIORateLimiter``."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import AsyncIterator


class _Window:
    """At most ``limit`` sends in any ``period`` seconds: a sliding log, as Telegram counts."""

    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period
        self.in_flight = 0
        self._done: deque[float] = deque()  # completion times, non-decreasing

    def delay(self, now: float) -> float | None:
        """Seconds until a send may start: 0 now, None if only a send in flight can free a place."""
        while self._done and self._done[0] <= now - self.period:
            self._done.popleft()
        if len(self._done) + self.in_flight < self.limit:
            return 0.0
        if self._done:
            return self._done[0] + self.period - now
        return None

    def release(self, now: float) -> None:
        self.in_flight -= 1
        self._done.append(now)

    def idle(self, now: float) -> bool:
        return not self.in_flight and self.delay(now) == 0.0 and not self._done


class RateLimiter:
    """Telegram's limits for sending, modelled on python-telegram-bot's ``AIORateLimiter``.

    An overall limiter (``overall_per_second``, 30 by default) plus one limiter per chat:
    private chats ``per_chat_per_second`` (1 by default, with ``per_chat_burst`` 3: at most
    ``burst`` sends in any ``burst / rate`` seconds, so an answer of two or three messages goes out
    at once, as Telegram tolerates in private chats), groups and channels (negative
    chat ids) ``per_group_per_minute`` (20 by default). A send needs room in both. A 429 with
    ``retry_after`` pauses *all* sending through this limiter (``pause``).

    Caveats (as PTB says of its own):

    * The limits are Telegram's published guidance, not a contract; Telegram may still answer
      429, and the caller must honour it (the sender does, by pausing here and retrying).
    * The state is per process: several bot instances each get the full budget. With N
      instances, pass limits divided by N, or accept (and honour) the occasional 429.
    * Only sends made through ``slot`` are counted: answers and pushes both go through the outbox
      drain, so they share it; button answers and edits (no message) are not counted.
    * A send is counted from the moment it starts until its response arrives, then as sent at
      that later moment. Throughput is therefore slightly below the limit (by one round trip
      per send), but network jitter can never make Telegram see two sends closer than allowed.
    * Waiters are not served first-come first-served. Order within a chat is the caller's job
      (the sender sends one chat's rows one after another).
    * ``pause`` cannot recall requests already in flight; it delays the ones not yet started.
    """

    def __init__(
        self,
        overall_per_second: int = 30,
        per_chat_per_second: float = 1.0,
        per_chat_burst: int = 3,
        per_group_per_minute: int = 20,
    ) -> None:
        self._overall = _Window(overall_per_second, 1.0)
        self._private = (per_chat_burst, per_chat_burst / per_chat_per_second)
        self._group = (per_group_per_minute, 60.0)
        self._chats: dict[int, _Window] = {}
        self._paused_until = 0.0
        self._released = asyncio.Event()

    def pause(self, seconds: float) -> None:
        """Stop starting new sends for ``seconds`` (Telegram's ``retry_after``), for every chat."""
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)

    @property
    def paused_for(self) -> float:
        return max(0.0, self._paused_until - time.monotonic())

    @contextlib.asynccontextmanager
    async def slot(self, chat_id: int) -> AsyncIterator[None]:
        """Wait for room to send one message to ``chat_id``; hold it while the request runs."""
        window = self._chats.get(chat_id)
        if window is None:
            window = self._chats[chat_id] = _Window(*(self._group if chat_id < 0 else self._private))
        await self._acquire(window)
        try:
            yield
        finally:
            now = time.monotonic()
            window.release(now)
            self._overall.release(now)
            self._released.set()
            self._released = asyncio.Event()
            if len(self._chats) > 1000:  # forget chats that no longer constrain anything
                self._chats = {key: w for key, w in self._chats.items() if not w.idle(now)}

    async def _acquire(self, window: _Window) -> None:
        while True:
            now = time.monotonic()
            if self._paused_until > now:
                await asyncio.sleep(self._paused_until - now)
                continue
            delays = (self._overall.delay(now), window.delay(now))
            if delays == (0.0, 0.0):
                self._overall.in_flight += 1
                window.in_flight += 1
                return
            known = [delay for delay in delays if delay]
            released = self._released
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(released.wait(), max(known) if known else None)
