"""The outbox sender (DESIGN principle 5): drains due outbox rows to Telegram under its limits.

A row's life: ``pending`` → claimed under a lease (``claimed_until``) → sent, or back to
``pending`` (429, or a 5xx/timeout with backoff), or ``failed`` / ``cancelled``. A crash
between the claim and the send loses nothing: the lease expires and the row is claimed again.

Delivery is exactly once except in one window: after Telegram accepted a message and before
our commit of ``sent`` (a few milliseconds). A crash or a lost database there means the row is
sent again once its lease expires — at least once is the guarantee in that window only.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import random
import time
from collections import Counter, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNotFound,
    TelegramRetryAfter,
)
from aiogram.types import Message, ReplyKeyboardRemove
from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import Catalogs, Translator
from bot.render import Markup, inline_markup
from dialogs.engine import reply_from_json
from services.common.clock import Clock
from services.common.locale import resolve_locale
from storage.models import OutboxMessage, Owner
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- rate limiting


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
    private chats ``per_chat_per_second`` (1 by default, with an optional ``per_chat_burst``,
    i.e. at most ``burst`` sends in any ``burst / rate`` seconds), groups and channels (negative
    chat ids) ``per_group_per_minute`` (20 by default). A send needs room in both. A 429 with
    ``retry_after`` pauses *all* sending through this limiter (``pause``).

    Caveats (as PTB says of its own):

    * The limits are Telegram's published guidance, not a contract; Telegram may still answer
      429, and the caller must honour it (the sender does, by pausing here and retrying).
    * The state is per process: several bot instances each get the full budget. With N
      instances, pass limits divided by N, or accept (and honour) the occasional 429.
    * Only sends made through ``slot`` are counted. Direct replies from handlers bypass it, so
      a burst of replies and pushes to one chat together can exceed the per-chat limit.
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
        per_chat_burst: int = 1,
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


# ---------------------------------------------------------------- the sender


class Outcome(enum.Enum):
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    RETRY = "retry"  # a transient error: back to pending with backoff
    THROTTLED = "throttled"  # 429: back to pending, attempts unchanged
    LOST = "lost"  # our lease was taken over (or the row changed): left alone


@dataclass
class _Job:
    """What the sender needs of a claimed row, detached from any session."""

    id: int
    chat_id: int
    owner_id: int | None
    staff_id: int | None
    payload: Mapping[str, Any]
    attempts: int
    lease: datetime  # our claimed_until: a compare-and-set token for every later write
    done: list[int]  # message ids of parts already sent (media before the text)

    @classmethod
    def of(cls, row: OutboxMessage, lease: datetime) -> _Job:
        return cls(row.id, row.chat_id, row.owner_id, row.staff_id, row.payload, row.attempts,
                   lease, list(row.message_ids or []))


@dataclass
class _Recipient:
    locale: str = ""
    blocked: bool = False
    cancel: str | None = None


@dataclass
class _Drain:
    """State of one ``drain`` call."""

    blocked_chats: set[int] = field(default_factory=set)  # 403 seen: later rows fail without a call
    throttled: Counter[int] = field(default_factory=Counter)  # 429s per row id


Send = Callable[[], Awaitable[Message]]


class Sender:
    """Sends due outbox rows: oldest first, one chat's rows in order, chats in parallel.

    Each row is rendered when sent, in the recipient's locale then (owner, else staff, else the
    chat's choice, else ``default_locale``): media by file_id first, then the text and buttons.
    Telegram's answers: 429 pauses all sending for ``retry_after`` and puts the row back without
    counting an attempt; 5xx, network errors and timeouts back off exponentially on the clock and
    fail after ``max_attempts``; 403 fails the row, marks the owner ``blocked`` and sends nothing
    more to that chat; other 4xx fail the row at once. A row that cannot be sent never stops the
    others; a row waiting for a retry holds back the later rows of its chat.
    """

    idle_seconds = 1.0  # how long ``run`` waits for ``wake`` before looking again
    close_grace_seconds = 10.0
    max_backoff = timedelta(minutes=10)

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        bot: Bot,
        catalogs: Catalogs,
        clock: Clock,
        default_locale: str,
        limiter: RateLimiter | None = None,
        batch: int = 50,
        lease: timedelta = timedelta(seconds=60),
        max_attempts: int = 8,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.bot = bot
        self.catalogs = catalogs
        self.clock = clock
        self.default_locale = default_locale
        self.limiter = limiter or RateLimiter()
        self.batch = batch
        self.lease = lease
        self.max_attempts = max_attempts
        self._random = random.Random()
        self._draining = asyncio.Lock()  # one drain at a time per sender (run loop and callers)
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    # ------------------------------------------------------------ lifecycle

    async def run(self) -> None:
        """Drain, then wait for ``wake`` (a commit that enqueued) or a second; until ``stop``."""
        while True:
            self._wake.clear()
            try:
                await self.drain()  # returns at once after stop()
            except Exception:  # e.g. the database is unreachable: keep the loop, try again later
                log.exception("outbox drain failed")
            if self._stopping:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.idle_seconds)

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        """Let ``run`` end after the sends in flight; unsent claimed rows are released."""
        self._stopping = True
        self._wake.set()

    def start(self) -> asyncio.Task[None]:
        """``run`` as a background task (see ``close``)."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self.run(), name="outbox-sender")
        return self._task

    async def close(self) -> None:
        """Stop and wait for the task; cancel it if a long 429 pause keeps it past
        ``close_grace_seconds`` (its claimed rows then wait for their lease to expire)."""
        self.stop()
        task, self._task = self._task, None
        if task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(task), self.close_grace_seconds)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # ------------------------------------------------------------ draining

    async def drain(self) -> int:
        """Send every row due now (and rows a 429 put back, after the pause); how many were sent.

        Ends when nothing is due, or when a round changed nothing (rows waiting behind an
        earlier row of their chat that is in backoff or held by another sender).
        """
        sent = 0
        async with self._draining:
            state = _Drain()
            races = 0
            while not self._stopping:
                jobs, raced = await self._claim()
                if not jobs:
                    races += 1
                    if raced and races <= 3:  # another sender won these rows: look for others
                        continue
                    break
                races = 0
                by_chat: dict[int, list[_Job]] = {}
                for job in jobs:
                    by_chat.setdefault(job.chat_id, []).append(job)
                results = await asyncio.gather(
                    *(self._send_chat(chat_jobs, state) for chat_jobs in by_chat.values()), return_exceptions=True
                )
                outcomes: list[Outcome] = []
                for result in results:
                    if isinstance(result, BaseException):
                        if not isinstance(result, Exception):
                            raise result
                        log.error("outbox: a chat's sends stopped", exc_info=result)
                    else:
                        outcomes.extend(result)
                sent += outcomes.count(Outcome.SENT)
                if all(outcome is Outcome.LOST for outcome in outcomes):
                    break
        return sent

    async def _claim(self) -> tuple[list[_Job], bool]:
        """Rows leased to this sender, and whether another sender won some of those it read."""
        now = self.clock.now()
        async with UnitOfWork(self.sessionmaker) as uow:
            rows = list(await uow.outbox.claim_due(now, self.batch, self.lease))
            # claim_due marks the rows on their ORM objects; drop those marks and take each row
            # with a compare-and-set instead: on SQLite (no row locks) two senders that read the
            # same free rows cannot then both win them. On PostgreSQL the rows are locked anyway.
            uow.session.expunge_all()
            if not rows:
                return [], False
            jobs: list[_Job] = []
            taken_elsewhere: set[int] = set()  # chats where a row slipped to another sender
            for row in await self._in_chat_order(uow, rows, now):
                if row.chat_id in taken_elsewhere:
                    continue
                lease = self._lease_until(now)
                result = await uow.session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == row.id, OutboxMessage.status == "pending", _free(now))
                    .values(claimed_until=lease)
                )
                if getattr(result, "rowcount", 0) == 1:
                    jobs.append(_Job.of(row, lease))
                else:
                    log.debug("outbox row %s: taken by another sender", row.id)
                    taken_elsewhere.add(row.chat_id)
            await uow.commit()
        return jobs, bool(taken_elsewhere)

    async def _in_chat_order(self, uow: UnitOfWork, rows: list[OutboxMessage], now: datetime) -> list[OutboxMessage]:
        """The rows to take, oldest first, so that each chat's rows go in order: a row is taken
        only when no earlier row of its chat is waiting.

        ``claim_due`` orders by ``next_attempt_at``, so a row in backoff (or held by another
        sender, or cut off by the batch size) can have later rows of its chat claimed before
        it. Earlier rows that are free are taken too; rows behind one that is not are left.
        """
        taken = {row.id: row for row in rows}
        last: dict[int, int] = {}
        for row in rows:
            last[row.chat_id] = max(last.get(row.chat_id, 0), row.id)
        candidates = await uow.session.execute(
            select(OutboxMessage.id, OutboxMessage.chat_id).where(
                OutboxMessage.status == "pending",
                OutboxMessage.chat_id.in_(list(last)),
                OutboxMessage.not_before <= now,
                OutboxMessage.id.not_in(list(taken)),
                OutboxMessage.id < max(last.values()),
            )
        )
        earlier = {row_id: chat_id for row_id, chat_id in candidates.all() if row_id < last[chat_id]}
        if earlier:
            free = (
                select(OutboxMessage)
                .where(
                    OutboxMessage.id.in_(sorted(earlier)[: self.batch]),
                    OutboxMessage.status == "pending",
                    OutboxMessage.next_attempt_at <= now,
                    _free(now),
                )
                .order_by(OutboxMessage.id)
            )
            if uow.outbox.dialect == "postgresql":
                free = free.with_for_update(skip_locked=True)
            for row in (await uow.session.scalars(free)).all():
                taken[row.id] = row
        heads: dict[int, int] = {}
        for row_id, chat_id in earlier.items():
            if row_id not in taken:
                heads[chat_id] = min(heads.get(chat_id, row_id), row_id)
        kept = [row for row in taken.values() if row.id < heads.get(row.chat_id, row.id + 1)]
        return sorted(kept, key=lambda row: row.id)

    async def _send_chat(self, jobs: list[_Job], state: _Drain) -> list[Outcome]:
        """One chat's rows, in order; after anything but a clean result the rest wait their turn."""
        outcomes: list[Outcome] = []
        for index, job in enumerate(jobs):
            if self._stopping:
                await self._release(jobs[index:])
                break
            try:
                outcome = await self._send_one(job, state)
            except Exception:  # a database error: the row keeps its lease and is retried after it
                log.exception("outbox row %s: could not record the result", job.id)
                outcome = Outcome.LOST
            outcomes.append(outcome)
            if outcome in (Outcome.RETRY, Outcome.THROTTLED, Outcome.LOST):
                await self._release(jobs[index + 1 :])
                break
        return outcomes

    async def _send_one(self, job: _Job, state: _Drain) -> Outcome:
        if job.chat_id in state.blocked_chats:
            return await self._fail(job, "blocked")
        async with UnitOfWork(self.sessionmaker) as uow:
            recipient = await self._recipient(uow, job)
        if recipient.cancel is not None:
            await self._set(job, status="cancelled", last_error=recipient.cancel, claimed_until=None)
            return Outcome.CANCELLED
        if recipient.blocked:
            state.blocked_chats.add(job.chat_id)
            return await self._fail(job, "blocked")
        try:
            parts = self._parts(job, self.catalogs.get(recipient.locale))
        except Exception as exc:  # a malformed payload never becomes sendable: fail it, go on
            log.exception("outbox row %s: cannot render", job.id)
            return await self._fail(job, f"cannot render: {exc!r}"[:500])
        for part in parts[len(job.done) :]:
            error = await self._call(job, part, state)
            if error is not None:
                return error
            if len(job.done) < len(parts):  # media went out: a retry must not repeat them
                await self._set(job, message_ids=list(job.done))
        await self._set(
            job,
            owned=False,  # it was sent: record that even if our lease was taken over meanwhile
            status="sent",
            sent_at=self.clock.now(),
            message_ids=list(job.done),
            attempts=job.attempts + 1,
            claimed_until=None,
            last_error=None,
        )
        return Outcome.SENT

    async def _call(self, job: _Job, send: Send, state: _Drain) -> Outcome | None:
        """One Telegram request through the limiter; None when it went out, else what was recorded.

        The lease is renewed once the limiter lets the request go (a 429 pause or a group's
        minute can be long), so no other sender can take the row while it is being sent: the
        request's timeout is half the lease.
        """
        message: Message | None = None
        error: Exception | None = None
        async with self.limiter.slot(job.chat_id):
            if not await self._renew(job):
                return Outcome.LOST
            try:
                message = await send()
            except Exception as exc:  # classified below, outside the limiter's slot
                error = exc
        if message is not None:
            job.done.append(message.message_id)
            return None
        return await self._on_error(job, error, state)

    async def _on_error(self, job: _Job, error: Exception | None, state: _Drain) -> Outcome:
        if isinstance(error, TelegramRetryAfter):
            self.limiter.pause(error.retry_after)
            state.throttled[job.id] += 1
            if state.throttled[job.id] > self.max_attempts:  # bounded, even under a 429 storm
                return await self._retry(job, f"429 x{state.throttled[job.id]}: {error.message}")
            log.info("outbox row %s: 429, all sending paused for %ss", job.id, error.retry_after)
            await self._release([job])
            return Outcome.THROTTLED
        if isinstance(error, TelegramForbiddenError):
            state.blocked_chats.add(job.chat_id)
            log.info("outbox row %s: chat %s blocked the bot (%s)", job.id, job.chat_id, error.message)
            return await self._fail(job, "blocked", blocked=True)
        if isinstance(error, TelegramMigrateToChat):
            return await self._fail(job, f"chat migrated to {error.migrate_to_chat_id}")
        if isinstance(error, TelegramBadRequest | TelegramNotFound | TelegramEntityTooLarge | TelegramConflictError):
            log.warning("outbox row %s: refused by Telegram: %s", job.id, error.message)
            return await self._fail(job, error.message[:500])
        if isinstance(error, TelegramAPIError):  # 5xx, network errors and timeouts, 401: transient
            # A timeout is ambiguous (Telegram may have delivered): the retry makes it at least once.
            return await self._retry(job, f"{type(error).__name__}: {error.message}"[:500])
        # Anything else in the request: retried too, but only max_attempts times.
        log.error("outbox row %s: unexpected error while sending", job.id, exc_info=error)
        return await self._retry(job, f"{type(error).__name__}: {error}"[:500])

    def _parts(self, job: _Job, tr: Translator) -> list[Send]:
        """Media first (by file_id), then the text with its buttons, rendered for ``tr``."""
        parts: list[Send] = []
        timeout = max(1, int(self.lease.total_seconds() / 2))  # a send ends well within its lease
        for item in job.payload.get("media") or ():
            kind, file_id = item.get("kind"), item.get("file_id")
            if not isinstance(file_id, str) or not file_id:
                raise ValueError("media without a file_id")
            if kind == "photo":
                parts.append(partial(self.bot.send_photo, job.chat_id, file_id, request_timeout=timeout))
            elif kind == "document":
                parts.append(partial(self.bot.send_document, job.chat_id, file_id, request_timeout=timeout))
            else:
                raise ValueError(f"unknown media kind {kind!r}")
        if job.payload.get("reply") is not None:
            reply = reply_from_json(job.payload["reply"])
            markup: Markup | None = inline_markup(reply, tr)
            if markup is None and reply.remove_keyboard:
                markup = ReplyKeyboardRemove()
            parts.append(partial(self.bot.send_message, job.chat_id, tr.render(reply.text), reply_markup=markup,
                                 request_timeout=timeout))
        if not parts:
            raise ValueError("nothing to send")
        return parts

    # ------------------------------------------------------------ database writes

    async def _renew(self, job: _Job) -> bool:
        """Extend our lease by compare-and-set; False if the row is no longer ours to send."""
        async with UnitOfWork(self.sessionmaker) as uow:
            lease = self._lease_until(self.clock.now())
            result = await uow.session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id == job.id,
                    OutboxMessage.status == "pending",
                    OutboxMessage.claimed_until == job.lease,
                )
                .values(claimed_until=lease)
            )
            if getattr(result, "rowcount", 0) != 1:
                log.warning("outbox row %s: lease lost before sending; left to its holder", job.id)
                return False
            await uow.commit()
        job.lease = lease
        return True

    async def _recipient(self, uow: UnitOfWork, job: _Job) -> _Recipient:
        """Who receives the row now: locale, blocked and inactive are read at send time."""
        stored: str | None = None
        if job.owner_id is not None:
            owner = await uow.owners.get(job.owner_id)
            if owner is None:
                return _Recipient(cancel="owner removed")
            if owner.blocked:
                return _Recipient(blocked=True)
            stored = owner.locale
        elif job.staff_id is not None:
            staff = await uow.staff.get(job.staff_id)
            if staff is None or not staff.active:
                return _Recipient(cancel="staff inactive")
            stored = staff.locale
        chat = await uow.chats.get(job.chat_id)
        return _Recipient(resolve_locale(stored, chat.locale if chat else None, None, self.default_locale))

    async def _fail(self, job: _Job, error: str, *, blocked: bool = False) -> Outcome:
        """Never retried. ``blocked``: Telegram said 403, so mark who blocked us."""
        async with UnitOfWork(self.sessionmaker) as uow:
            await self._write(uow, job, True, status="failed", last_error=error, claimed_until=None,
                              message_ids=list(job.done) or None)
            if blocked and job.owner_id is not None:
                await uow.session.execute(update(Owner).where(Owner.id == job.owner_id).values(blocked=True))
            elif blocked and job.staff_id is None:
                await uow.session.execute(update(Owner).where(Owner.chat_id == job.chat_id).values(blocked=True))
            elif blocked:  # staff stay active: an admin decides; their pushes fail until they unblock
                log.warning("outbox: staff %s blocked the bot", job.staff_id)
            await uow.commit()
        return Outcome.FAILED

    async def _retry(self, job: _Job, error: str) -> Outcome:
        """Back off exponentially (2**attempts s, capped, with jitter); fail after max_attempts."""
        attempts = job.attempts + 1
        if attempts >= self.max_attempts:
            log.warning("outbox row %s: giving up after %d attempts: %s", job.id, attempts, error)
            await self._set(job, status="failed", attempts=attempts, last_error=error, claimed_until=None,
                            message_ids=list(job.done) or None)
            return Outcome.FAILED
        delay = min(timedelta(seconds=2**attempts), self.max_backoff) * (1 + 0.1 * self._random.random())
        log.info("outbox row %s: attempt %d failed (%s); next in %s", job.id, attempts, error, delay)
        await self._set(job, attempts=attempts, last_error=error, claimed_until=None,
                        next_attempt_at=self.clock.now() + delay, message_ids=list(job.done) or None)
        return Outcome.RETRY

    async def _release(self, jobs: list[_Job]) -> None:
        """Give rows back unsent (attempts unchanged), so this or another sender takes them next."""
        if not jobs:
            return
        async with UnitOfWork(self.sessionmaker) as uow:
            for job in jobs:
                await self._write(uow, job, True, claimed_until=None, message_ids=list(job.done) or None)
            await uow.commit()

    async def _set(self, job: _Job, *, owned: bool = True, **values: Any) -> None:
        async with UnitOfWork(self.sessionmaker) as uow:
            await self._write(uow, job, owned, **values)
            await uow.commit()

    async def _write(self, uow: UnitOfWork, job: _Job, owned: bool, **values: Any) -> None:
        statement = update(OutboxMessage).where(OutboxMessage.id == job.id)
        if owned:  # only while the row is still ours: never undo another sender's work
            statement = statement.where(OutboxMessage.status == "pending", OutboxMessage.claimed_until == job.lease)
        result = await uow.session.execute(statement.values(**values))
        if getattr(result, "rowcount", 1) != 1:
            log.warning("outbox row %s: changed by someone else; not updated", job.id)
        elif "claimed_until" in values and values["claimed_until"] is not None:
            job.lease = values["claimed_until"]

    def _lease_until(self, now: datetime) -> datetime:
        # The lease doubles as its holder's token for every later compare-and-set write; a few
        # random microseconds keep two senders that share a clock (tests) from sharing one.
        return now + self.lease + timedelta(microseconds=self._random.randrange(1, 1000))


def _free(now: datetime) -> ColumnElement[bool]:
    """Nobody holds the row: never leased, or the lease ran out (its sender died or gave up)."""
    return or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now)
