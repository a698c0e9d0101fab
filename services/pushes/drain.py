"""The outbox drain (docs/architecture.md, Pushes): sends due outbox rows through the transport under its limits.

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
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dialogs.engine import Reply, reply_from_json
from dialogs.text import Lines, Plain, Template, Text
from services.calendar.delivery import next_window
from services.common.clock import Clock
from services.common.locale import resolve_locale
from services.pushes.outbox import WrittenAnswer
from services.pushes.purposes import NEEDS_CONSENT, PRIORITY, Purpose
from services.pushes.ratelimit import RateLimiter
from services.pushes.transport import (
    Blocked,
    Media,
    Part,
    Permanent,
    RetryAfter,
    Transient,
    Transport,
    Upload,
    messages_in,
    one_keyboard_each,
)
from storage.repositories.pushes import ClaimedRow
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

NO_CONSENT = "no consent"  # last_error of a row whose owner withdrew the consent its purpose needs
MISSED_DAY = "missed its day"  # last_error of a greeting still unsent when its day's window ended


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
    priority: int = 0  # 0: an answer (the fast path's rows are all answers), sent ahead of others

    @classmethod
    def of(cls, row: ClaimedRow, lease: datetime) -> _Job:
        return cls(row.id, row.chat_id, row.owner_id, row.staff_id, row.payload, row.attempts,
                   lease, list(row.message_ids or []), row.priority)


@dataclass
class _Recipient:
    locale: str = ""
    blocked: bool = False
    cancel: str | None = None
    name: str = ""  # fills a care template's {name} (services/care/templates.py)


def named(reply: Reply, name: str) -> Reply:
    """``reply`` with the ``{name}`` of its care template texts filled with the recipient's name
    where the planner left it out (one payload planned for many owners, set-based)."""

    def fill(text: Text) -> Text:
        if isinstance(text, Template) and "name" not in text.params:
            return Template(text.default, text.texts, {**text.params, "name": Plain(name)})
        if isinstance(text, Lines):
            return Lines(tuple(fill(item) for item in text.items))
        return text

    text = fill(reply.text)
    return reply if text is reply.text else replace(reply, text=text)


@dataclass
class _Drain:
    """State of one ``drain`` call (renewed every ``state_seconds`` while it goes on)."""

    blocked_chats: set[int] = field(default_factory=set)  # 403 seen: later rows fail without a call
    throttled: Counter[int] = field(default_factory=Counter)  # 429s per row id
    started: float = field(default_factory=time.monotonic)


Send = Callable[[], Awaitable[int]]


@dataclass(frozen=True)
class _Part:
    send: Send
    messages: int  # Telegram messages it takes: what the limits count
    media: bool = False


def _by_chat(jobs: list[_Job]) -> list[list[_Job]]:
    """Claimed jobs grouped by chat, each chat's in order."""
    chats: dict[int, list[_Job]] = {}
    for job in jobs:
        chats.setdefault(job.chat_id, []).append(job)
    return list(chats.values())


def _outcomes(worker: asyncio.Task[list[Outcome]]) -> list[Outcome]:
    """What a finished chat worker did (nothing, if it failed: logged)."""
    if worker.cancelled():
        return []
    error = worker.exception()
    if error is not None:
        log.error("outbox: a chat's sends stopped", exc_info=error)
        return []
    return worker.result()


class OutboxDrain:
    """Sends due outbox rows: answers first, then oldest first; one chat's rows in order, chats in
    parallel, a few rows of each chat at a time (``per_chat``), at most ``batch`` rows in flight.

    Each row is rendered when sent, in the recipient's locale then (owner, else staff, else the
    chat's choice, else ``default_locale``): media by file_id first, then the text and buttons.
    Telegram's answers: 429 pauses all sending for ``retry_after`` and puts the row back without
    counting an attempt; 5xx, network errors and timeouts back off exponentially on the clock and
    fail after ``max_attempts``; 403 fails the row, marks the owner ``blocked`` and sends nothing
    more to that chat; other 4xx fail the row at once. A row that cannot be sent never stops the
    others; a row waiting for a retry holds back the later rows of its chat.
    """

    idle_seconds = 1.0  # how long ``run`` waits for ``wake`` before looking again
    state_seconds = 600.0  # a drain under steady load forgets 403s and 429 counts this often
    close_grace_seconds = 10.0
    max_backoff = timedelta(minutes=10)

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        transport: Transport,
        clock: Clock,
        default_locale: str,
        limiter: RateLimiter | None = None,
        batch: int = 150,
        lease: timedelta = timedelta(seconds=60),
        max_attempts: int = 8,
        per_chat: int = 3,
        presumed_consent: frozenset[str] = frozenset(),
    ) -> None:
        self.sessionmaker = sessionmaker
        self.transport = transport
        self.clock = clock
        self.default_locale = default_locale
        self.limiter = limiter or RateLimiter()
        # Rows leased at most at a time: enough for 30 messages/s over private chats at 1/s each
        # with their bursts, few enough to be sent well within a lease.
        self.batch = batch
        # Claim again once this much room was made (or rows were added, or nothing is in flight):
        # a claim reads every waiting row, too much to do for each message sent.
        self.claim_room = max(1, batch // 5)
        self.per_chat = per_chat  # rows of one chat claimed at a time: its burst (3) at once
        self.lease = lease
        self.max_attempts = max_attempts
        # Kinds of consent collected on paper (SURVEY_INVITATIONS_WITHOUT_CONSENT): only a no refuses.
        self.presumed_consent = presumed_consent
        self._random = random.Random()
        self._draining = asyncio.Lock()  # one drain at a time per sender (run loop and callers)
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._unrecorded: list[tuple[list[_Job], asyncio.Future[None]]] = []  # sent, waiting for _record_sent
        self._recording: asyncio.Task[None] | None = None

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

        Each chat with rows waiting gets a worker that sends a few of them (``per_chat``) in order
        while the limiter paces it; as workers end (once a fifth of ``batch`` is free), or when rows
        are added (``wake``), rows are claimed again for the chats that have none in flight. A chat
        paced at one message a second, or stuck in a slow request, so never holds the other chats
        back, and at most ``batch`` rows are leased at a time. Ends when nothing can be claimed and
        every worker is done: nothing is due, or what is left waits behind an earlier row of its
        chat (in backoff, or held by another sender).
        """
        sent = 0
        async with self._draining:
            state = _Drain()
            workers: dict[asyncio.Task[list[Outcome]], tuple[int, int]] = {}  # → (chat id, rows)
            races = 0
            try:
                while True:
                    if time.monotonic() - state.started > self.state_seconds:
                        state = _Drain()
                    room = self.batch - sum(rows for _chat, rows in workers.values())
                    may_claim = not self._stopping and room > 0
                    if may_claim and (not workers or room >= self.claim_room or self._wake.is_set()):
                        self._wake.clear()  # rows added before this claim are seen by it
                        busy = {chat for chat, _rows in workers.values()}
                        try:
                            jobs, raced = await self._claim(busy, room)
                        except Exception:
                            if not workers:
                                raise
                            # The database failed us: let the sends in flight finish, then look again.
                            log.exception("outbox: could not claim rows")
                            jobs, raced = [], False
                        for chat_jobs in _by_chat(jobs):
                            worker = asyncio.create_task(self._send_chat(chat_jobs, state),
                                                         name=f"outbox-chat-{chat_jobs[0].chat_id}")
                            workers[worker] = (chat_jobs[0].chat_id, len(chat_jobs))
                        if jobs:
                            races = 0
                        elif raced and races < 3:  # another sender won these rows: look for others
                            races += 1
                            continue
                    if not workers:
                        break
                    waits: set[asyncio.Task[Any]] = set(workers)
                    woken = asyncio.create_task(self._wake.wait()) if may_claim else None
                    if woken is not None:
                        waits.add(woken)
                    finished, _ = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
                    if woken is not None:
                        woken.cancel()
                    for worker in [task for task in workers if task in finished]:
                        del workers[worker]
                        sent += _outcomes(worker).count(Outcome.SENT)
            finally:  # cancelled (``close`` after its grace): rows in flight wait for their lease
                for worker in workers:
                    worker.cancel()
                if workers:
                    await asyncio.gather(*workers, return_exceptions=True)
        return sent

    def answer_lease(self, now: datetime) -> datetime | None:
        """The lease an answer is written with: the fast path holds it from the start, so the drain
        leaves it alone; if this process dies, the drain sends it once the lease runs out."""
        return None if self._stopping else self._lease_until(now)

    async def send_now(self, chat_id: int, rows: list[WrittenAnswer]) -> int:
        """The fast path for answers written with ``answer_lease``: send these rows of one chat at
        once; how many were sent. The writer checked in its transaction that no earlier answer to
        the chat is unsent, so these cannot overtake one; what fails here is released to the drain,
        and the rest of the chat's answers with it."""
        leased = sorted((row for row in rows if row.lease is not None), key=lambda row: row.id)
        if not leased or self._stopping:
            return 0
        jobs = [_Job(row.id, chat_id, None, None, row.payload, 0, row.lease, []) for row in leased if row.lease]
        state, sent = _Drain(), []
        for index, job in enumerate(jobs):
            try:
                outcome = await self._send_one(job, state, record_sent=False)
            except Exception:  # a database error: the row keeps its lease and is retried after it
                log.exception("outbox row %s: could not record the result", job.id)
                outcome = Outcome.LOST
            if outcome is not Outcome.SENT:
                await self._release(jobs[index + 1 :])
                self.wake()  # what is left (a retry, a row released) is the drain's now
                break
            sent.append(job)
        # Recorded as sent together with whatever else was sent meanwhile (a crash before that
        # commit sends them again: at least once).
        await self._mark_sent(sent)
        return len(sent)

    async def _claim(self, busy: Collection[int], room: int) -> tuple[list[_Job], bool]:
        """Up to ``room`` rows leased to this sender, at most ``per_chat`` of a chat and none of a
        ``busy`` one (its worker holds earlier rows); and whether another sender won some of the
        rows read. Each chat's rows are a prefix of what it has waiting: a row is taken only when
        no earlier row of its chat is waiting, so a chat's rows never overtake each other."""
        now = self.clock.now()
        lease = self._lease_until(now)  # one token for the whole claim
        async with UnitOfWork(self.sessionmaker) as uow:
            heads = await uow.outbox.chat_heads(now, per_chat=self.per_chat, limit=room, busy=busy)
            if not heads:
                return [], False
            won = {row.id: row for row in await uow.outbox.take_rows([row_id for row_id, _ in heads], now, lease)}
            jobs: list[_Job] = []
            taken_elsewhere: set[int] = set()  # chats where a row slipped to another sender
            behind: list[int] = []  # won, but behind a row of their chat another sender holds
            for row_id, chat_id in heads:
                if chat_id in taken_elsewhere or row_id not in won:
                    taken_elsewhere.add(chat_id)
                    if row_id in won:
                        behind.append(row_id)
                    continue
                jobs.append(_Job.of(won[row_id], lease))
            if behind:
                await uow.outbox.give_back(behind, lease)
            jobs = await self._in_window(uow, jobs, won, lease, now)
            jobs = await self._with_consent(uow, jobs, lease)
            await uow.commit()
        if taken_elsewhere:
            log.debug("outbox: rows of %d chats taken by another sender", len(taken_elsewhere))
        return jobs, bool(taken_elsewhere)

    async def _in_window(self, uow: UnitOfWork, jobs: list[_Job], won: Mapping[int, ClaimedRow], lease: datetime,
                         now: datetime) -> list[_Job]:
        """Take out the claimed rows whose delivery window has ended (``send_until``, 20:00 local: the
        bot was down, a long 429 pause, a fan-out longer than the afternoon): nothing goes out at
        night. A greeting has missed its day and is cancelled (a birthday greeting a day late is what
        its rule avoids); a care message, notice or survey still matters and waits for the next
        window. Read from the claimed rows' columns: no query unless one has ended."""
        late = [(row.id, row.purpose, until) for job in jobs
                if (until := (row := won[job.id]).send_until) is not None and until <= now]
        if not late:
            return jobs
        missed = [row_id for row_id, purpose, _ in late if purpose == Purpose.GREETING.value]
        if missed:
            await uow.outbox.cancel_claimed(missed, lease, MISSED_DAY)
        later: dict[tuple[datetime, datetime], list[int]] = defaultdict(list)  # rows of a window end alike
        for row_id, purpose, until in late:
            if purpose != Purpose.GREETING.value:
                later[next_window(until, now)].append(row_id)
        for (start, until), ids in later.items():
            await uow.outbox.defer_claimed(ids, lease, start, until)
        log.info("outbox: %d rows past their window's end: %d cancelled, %d for the next window",
                 len(late), len(missed), len(late) - len(missed))
        gone = {row_id for row_id, _, _ in late}
        return [job for job in jobs if job.id not in gone]

    async def _with_consent(self, uow: UnitOfWork, jobs: list[_Job], lease: datetime) -> list[_Job]:
        """Cancel the claimed rows whose purpose needs a consent their owner does not hold now (it
        was withdrawn after planning): one query per claim, in the claim's transaction."""
        if not any(job.priority != PRIORITY[Purpose.ANSWER] for job in jobs):
            return jobs  # answers only (the usual claim): none needs consent
        refused = set(await uow.outbox.lacking_consent(
            [job.id for job in jobs], {purpose.value: kind for purpose, kind in NEEDS_CONSENT.items()},
            self.presumed_consent))
        if not refused:
            return jobs
        await uow.outbox.cancel_claimed(refused, lease, NO_CONSENT)
        log.info("outbox: %d rows cancelled, no consent", len(refused))
        return [job for job in jobs if job.id not in refused]

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

    async def _send_one(self, job: _Job, state: _Drain, *, record_sent: bool = True) -> Outcome:
        """Send one row; ``record_sent=False`` leaves recording it as sent to the caller."""
        if job.chat_id in state.blocked_chats:
            return await self._fail(job, "blocked")
        fixed = job.payload.get("locale")
        if isinstance(fixed, str) and fixed:  # an answer: its locale is known, nothing to read
            recipient = _Recipient(fixed)
        else:
            async with UnitOfWork(self.sessionmaker) as uow:
                recipient = await self._recipient(uow, job)
        if recipient.cancel is not None:
            await self._set(job, status="cancelled", last_error=recipient.cancel, claimed_until=None)
            return Outcome.CANCELLED
        if recipient.blocked:
            state.blocked_chats.add(job.chat_id)
            return await self._fail(job, "blocked")
        try:
            parts = self._parts(job, recipient.locale, recipient.name)
        except Exception as exc:  # a malformed payload never becomes sendable: fail it, go on
            log.exception("outbox row %s: cannot render", job.id)
            return await self._fail(job, f"cannot render: {exc!r}"[:500])
        for index in range(len(job.done), len(parts)):
            # A photo Telegram refuses for good does not cost the case card its text.
            # A media part refused for good is skipped: the card's text still goes out.
            error = await self._call(job, parts[index], state, skippable=parts[index].media)
            if error is not None:
                return error
            if len(job.done) < len(parts):  # media went out: a retry must not repeat them
                await self._set(job, message_ids=list(job.done))
        if record_sent:
            await self._mark_sent([job])
        return Outcome.SENT

    async def _mark_sent(self, jobs: list[_Job]) -> None:
        """Record these rows as sent; returns once that is committed. Rows sent meanwhile by other
        chats' sends join the same transaction (a group commit): under load, one write records many
        sends instead of one each."""
        if not jobs:
            return
        done = asyncio.get_running_loop().create_future()
        self._unrecorded.append((jobs, done))
        if self._recording is None or self._recording.done():
            self._recording = asyncio.create_task(self._record_sent(), name="outbox-record-sent")
        await done

    async def _record_sent(self) -> None:
        while self._unrecorded:
            batch, self._unrecorded = self._unrecorded, []
            try:
                async with UnitOfWork(self.sessionmaker) as uow:
                    now = self.clock.now()
                    # It was sent: recorded even if our lease was taken over meanwhile.
                    await uow.outbox.record_sent([
                        {"row": job.id, "sent_at": now, "message_ids": list(job.done), "attempts": job.attempts + 1}
                        for jobs, _done in batch for job in jobs])
                    await uow.commit()
            except Exception as error:
                for _jobs, done in batch:
                    if not done.done():
                        done.set_exception(error)
                continue
            for _jobs, done in batch:
                if not done.done():
                    done.set_result(None)

    async def _call(self, job: _Job, part: _Part, state: _Drain, *, skippable: bool = False) -> Outcome | None:
        """One Telegram request through the limiter; None when it went out, else what was recorded.

        The lease is renewed once the limiter lets the request go, if waiting for the limiter (a
        429 pause, a group's minute) used up more than half of it, so no other sender can take the
        row while it is being sent: the request's timeout is half the lease.
        """
        message: int | None = None
        error: Exception | None = None
        async with self.limiter.slot(job.chat_id, messages=part.messages, urgent=job.priority == 0):
            if job.lease - self.clock.now() < self.lease / 2 and not await self._renew(job):
                return Outcome.LOST
            try:
                message = await part.send()
            except Exception as exc:  # classified below, outside the limiter's slot
                error = exc
        if message is not None:
            job.done.append(message)
            return None
        if skippable and isinstance(error, Permanent):
            log.warning("outbox row %s: a media part was refused (%s); the rest is sent", job.id, error.message)
            job.done.append(0)  # 0: this part was refused, never to be sent again
            return None
        return await self._on_error(job, error, state)

    async def _on_error(self, job: _Job, error: Exception | None, state: _Drain) -> Outcome:
        if isinstance(error, RetryAfter):
            self.limiter.pause(error.seconds)
            state.throttled[job.id] += 1
            if state.throttled[job.id] > self.max_attempts:  # bounded, even under a 429 storm
                return await self._retry(job, f"429 x{state.throttled[job.id]}: {error.message}")
            log.info("outbox row %s: 429, all sending paused for %ss", job.id, error.seconds)
            await self._release([job])
            return Outcome.THROTTLED
        if isinstance(error, Blocked):
            state.blocked_chats.add(job.chat_id)
            log.info("outbox row %s: chat %s blocked the bot (%s)", job.id, job.chat_id, error.message)
            return await self._fail(job, "blocked", blocked=True)
        if isinstance(error, Permanent):
            log.warning("outbox row %s: refused by Telegram: %s", job.id, error.message)
            return await self._fail(job, error.message[:500])
        if isinstance(error, Transient):  # 5xx, network errors and timeouts, 401
            # A timeout is ambiguous (Telegram may have delivered): the retry makes it at least once.
            return await self._retry(job, error.message[:500])
        # Anything else in the request: retried too, but only max_attempts times.
        log.error("outbox row %s: unexpected error while sending", job.id, exc_info=error)
        return await self._retry(job, f"{type(error).__name__}: {error}"[:500])

    def _parts(self, job: _Job, locale: str, name: str = "") -> list[_Part]:
        """Media first (by file_id), then the text with its buttons (a message per keyboard),
        rendered for ``locale``; a care template's ``{name}`` is the recipient's ``name``. With
        ``"files_after": true`` the text comes first and its files right after it (a care message's
        attachments belong to it; a case card's photos stand above the card)."""
        parts: list[Part | int] = []  # an int: a generated file's id (outbox_files), read when sent
        for item in job.payload.get("media") or ():
            kind, file_id, upload = item.get("kind"), item.get("file_id"), item.get("upload")
            if kind not in ("photo", "document"):
                raise ValueError(f"unknown media kind {kind!r}")
            if upload is not None:
                parts.append(int(upload))
                continue
            if not isinstance(file_id, str) or not file_id:
                raise ValueError("media without a file_id")
            parts.append(Media(kind, file_id))
        if job.payload.get("reply") is not None:
            text = one_keyboard_each(named(reply_from_json(job.payload["reply"]), name))
            parts = [*text, *parts] if job.payload.get("files_after") else [*parts, *text]
        if not parts:
            raise ValueError("nothing to send")
        timeout = max(1, int(self.lease.total_seconds() / 2))  # a send ends well within its lease
        return [_Part(partial(self._upload, job.chat_id, part, locale, timeout), 1, True) if isinstance(part, int)
                else _Part(partial(self.transport.send, job.chat_id, part, locale, request_timeout=timeout),
                           messages_in(part), isinstance(part, Media)) for part in parts]

    async def _upload(self, chat_id: int, file_id: int, locale: str, request_timeout: int) -> int:
        """Upload a generated file; its bytes are read from the database only now (a claimed row
        does not carry them)."""
        async with UnitOfWork(self.sessionmaker) as uow:
            stored = await uow.outbox.file(file_id)
            if stored is None or stored.kind not in ("photo", "document"):
                raise Permanent(f"outbox file {file_id} is missing")
            kind: Literal["photo", "document"] = "photo" if stored.kind == "photo" else "document"
            upload = Upload(kind, stored.name, stored.content)
        return await self.transport.send(chat_id, upload, locale, request_timeout=request_timeout)

    # ------------------------------------------------------------ database writes

    async def _renew(self, job: _Job) -> bool:
        """Extend our lease by compare-and-set; False if the row is no longer ours to send."""
        async with UnitOfWork(self.sessionmaker) as uow:
            lease = self._lease_until(self.clock.now())
            if not await uow.outbox.renew(job.id, job.lease, lease):
                log.warning("outbox row %s: lease lost before sending; left to its holder", job.id)
                return False
            await uow.commit()
        job.lease = lease
        return True

    async def _recipient(self, uow: UnitOfWork, job: _Job) -> _Recipient:
        """Who receives the row now: locale, name, blocked and inactive are read at send time."""
        stored: str | None = None
        name = ""
        if job.owner_id is not None:
            owner = await uow.owners.get(job.owner_id)
            if owner is None:
                return _Recipient(cancel="owner removed")
            if owner.blocked:
                return _Recipient(blocked=True)
            stored, name = owner.locale, owner.name
        elif job.staff_id is not None:
            staff = await uow.staff.get(job.staff_id)
            if staff is None or not staff.active:
                return _Recipient(cancel="staff inactive")
            stored, name = staff.locale, staff.name
        chat = await uow.chats.get(job.chat_id)
        return _Recipient(resolve_locale(stored, chat.locale if chat else None, None, self.default_locale), name=name)

    async def _fail(self, job: _Job, error: str, *, blocked: bool = False) -> Outcome:
        """Never retried. ``blocked``: Telegram said 403, so mark who blocked us."""
        async with UnitOfWork(self.sessionmaker) as uow:
            await self._write(uow, job, True, status="failed", last_error=error, claimed_until=None,
                              message_ids=list(job.done) or None)
            if blocked and job.owner_id is not None:
                await uow.owners.mark_blocked(owner_id=job.owner_id)
            elif blocked and job.staff_id is None:
                await uow.owners.mark_blocked(chat_id=job.chat_id)
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
        # Only while the row is still ours (``owned``): never undo another sender's work.
        if not await uow.outbox.write(job.id, job.lease if owned else None, **values):
            log.warning("outbox row %s: changed by someone else; not updated", job.id)
        elif "claimed_until" in values and values["claimed_until"] is not None:
            job.lease = values["claimed_until"]

    def _lease_until(self, now: datetime) -> datetime:
        # The lease doubles as its holder's token for every later compare-and-set write; a few
        # random microseconds keep two senders that share a clock (tests) from sharing one.
        return now + self.lease + timedelta(microseconds=self._random.randrange(1, 1000))

