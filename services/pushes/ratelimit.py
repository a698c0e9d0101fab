"""Telegram's sending limits, modelled on python-telegram-bot's ``AIORateLimiter``."""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import itertools
import time
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field


class _Window:
    """At most ``limit`` sends in any ``period`` seconds: a sliding log, as Telegram counts."""

    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period
        self.in_flight = 0
        self._done: deque[float] = deque()  # completion times, non-decreasing

    def room(self, messages: int) -> int:
        """``messages`` capped at the limit: a reply of more messages than a window holds still goes
        (as several sends would), instead of waiting for ever."""
        return min(messages, self.limit)

    def delay(self, now: float, messages: int = 1) -> float | None:
        """Seconds until ``messages`` sends may start: 0 now, None if only a send in flight can free
        a place."""
        while self._done and self._done[0] <= now - self.period:
            self._done.popleft()
        excess = len(self._done) + self.in_flight + self.room(messages) - self.limit
        if excess <= 0:
            return 0.0
        if excess <= len(self._done):
            return self._done[excess - 1] + self.period - now
        return None

    def take(self, messages: int) -> None:
        self.in_flight += self.room(messages)

    def untake(self, messages: int) -> None:
        """Give places back that were taken for a send that never started."""
        self.in_flight -= self.room(messages)

    def release(self, now: float, messages: int = 1) -> None:
        self.in_flight -= self.room(messages)
        self._done.extend([now] * self.room(messages))

    def idle(self, now: float) -> bool:
        return not self.in_flight and self.delay(now) == 0.0 and not self._done


@dataclass(order=True)
class _Waiter:
    key: tuple[int, int]  # (0 urgent else 1, arrival): served in this order
    window: _Window = field(compare=False)
    messages: int = field(compare=False)
    granted: asyncio.Future[None] = field(compare=False)


class RateLimiter:
    """Telegram's limits for sending, modelled on python-telegram-bot's ``AIORateLimiter``.

    An overall limiter (``overall_per_second``, 30 by default) plus one limiter per chat:
    private chats ``per_chat_per_second`` (1 by default, with ``per_chat_burst`` 3: at most
    ``burst`` sends in any ``burst / rate`` seconds, so an answer of two or three messages goes out
    at once, as Telegram tolerates in private chats), groups and channels (negative
    chat ids) ``per_group_per_minute`` (20 by default). A send needs room in both. A 429 with
    ``retry_after`` pauses *all* sending through this limiter (``pause``).

    Waiters are served in order: ``urgent`` sends first (an answer to what a person just did:
    a long announcement waiting here never holds one back), then first come, first served. A
    waiter whose own chat has no room lets the ones behind it pass, and keeps its place for when it
    has; a chat's next message queues behind those that came meanwhile. So every chat gets its
    turn and none falls behind, to be paced alone at the end. One the overall limit holds holds
    everyone behind it.

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
    * One ``slot`` may carry several messages (``messages``): a reply with a contact button and
      inline buttons is two Telegram messages, and Telegram counts both.
    * Sends start at least ``1 / (6 * overall_per_second)`` s apart: thirty requests fired at once
      would each wait for the others' answers, and as a send counts until its answer, a burst would
      cost every following second that wait.
    * Order within a chat is the caller's job (the sender sends one chat's rows one after another).
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
        self._spacing = 1.0 / (6 * overall_per_second)
        self._next_start = 0.0  # no send starts before this (monotonic)
        self._private = (per_chat_burst, per_chat_burst / per_chat_per_second)
        self._group = (per_group_per_minute, 60.0)
        self._chats: dict[int, _Window] = {}
        self._paused_until = 0.0
        self._waiters: list[_Waiter] = []  # sorted by key
        self._arrivals = itertools.count()
        self._timer: asyncio.TimerHandle | None = None

    def pause(self, seconds: float) -> None:
        """Stop starting new sends for ``seconds`` (Telegram's ``retry_after``), for every chat."""
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)

    @property
    def paused_for(self) -> float:
        return max(0.0, self._paused_until - time.monotonic())

    @contextlib.asynccontextmanager
    async def slot(self, chat_id: int, *, messages: int = 1, urgent: bool = False) -> AsyncIterator[None]:
        """Wait for room to send ``messages`` messages to ``chat_id``; hold it while the request runs.
        ``urgent`` sends go before the others."""
        window = self._chats.get(chat_id)
        if window is None:
            window = self._chats[chat_id] = _Window(*(self._group if chat_id < 0 else self._private))
        await self._acquire(window, messages, (0 if urgent else 1, next(self._arrivals)))
        try:
            yield
        finally:
            now = time.monotonic()
            window.release(now, messages)
            self._overall.release(now, messages)
            self._dispatch()
            if len(self._chats) > 1000:  # forget chats that no longer constrain anything
                waiting = {id(waiter.window) for waiter in self._waiters}
                self._chats = {key: w for key, w in self._chats.items() if not w.idle(now) or id(w) in waiting}

    async def _acquire(self, window: _Window, messages: int, key: tuple[int, int]) -> None:
        waiter = _Waiter(key, window, messages, asyncio.get_running_loop().create_future())
        bisect.insort(self._waiters, waiter)
        self._dispatch()
        try:
            await waiter.granted
        except asyncio.CancelledError:
            if waiter.granted.done() and not waiter.granted.cancelled():  # granted, never used
                window.untake(messages)
                self._overall.untake(messages)
            elif waiter in self._waiters:
                self._waiters.remove(waiter)
            self._dispatch()
            raise

    def _dispatch(self) -> None:
        """Let waiters go, in order, while there is room; look again when room will be made."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        now = time.monotonic()
        if self._paused_until > now:
            wake: float | None = self._paused_until - now
        else:
            wake = None
            for waiter in list(self._waiters):
                if self._next_start > now:  # smoothing: this one (and those behind it) a moment later
                    wake = self._next_start - now if wake is None else min(wake, self._next_start - now)
                    break
                if waiter.granted.done():  # cancelled while waiting: it removes itself
                    self._waiters.remove(waiter)
                    continue
                overall = self._overall.delay(now, waiter.messages)
                if overall != 0.0:  # nobody behind it goes first; a release (or the window) frees room
                    wake = overall if wake is None or (overall is not None and overall < wake) else wake
                    break
                own = waiter.window.delay(now, waiter.messages)
                if own == 0.0:
                    self._next_start = now + self._spacing * waiter.messages
                    self._overall.take(waiter.messages)
                    waiter.window.take(waiter.messages)
                    self._waiters.remove(waiter)
                    waiter.granted.set_result(None)
                elif own is not None:
                    wake = own if wake is None else min(wake, own)
        if wake is not None and self._waiters:
            self._timer = asyncio.get_running_loop().call_later(wake, self._dispatch)
