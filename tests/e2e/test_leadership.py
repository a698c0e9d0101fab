"""Several instances on one PostgreSQL database: one leader sends for all (bot/leadership.py).

Instances here are runtimes in this process, each with its own engine, lock connection and Bot API
session, as separate processes would have (tests/e2e/test_instances.py runs real processes). A
follower's transport points at a second emulator, so anything it sent itself would show there.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import text

from bot.i18n import Catalogs
from bot.leadership import LeaderTiming
from bot.runtime import Runtime
from bot.sandbox.emulator import DEFAULT_TOKEN, BotAPIEmulator
from bot.settings import Settings
from dialogs.engine import Reply
from dialogs.text import Plain
from handlers.inbound import Inbound, MessageIn, Sender
from services.common.clock import ManualClock
from services.pushes.outbox import enqueue
from services.pushes.purposes import Purpose
from services.pushes.transport import Transport
from storage.db import create_engine, create_sessionmaker
from storage.leadership import LeaderLock, announce_outbox_writes
from storage.uow import UnitOfWork
from tests.frameworks import transport_on

FAST = LeaderTiming(retry_seconds=0.05, check_seconds=0.05, takeover_pause=0.2)


@pytest.fixture
async def elsewhere() -> AsyncIterator[BotAPIEmulator]:
    """A second Bot API: where a follower's own sends would land (they must not happen)."""
    server = BotAPIEmulator()
    await server.start()
    yield server
    await server.stop()


@dataclass
class Instance:
    runtime: Runtime
    transport: Transport

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.runtime.sessionmaker)

    @property
    def leading(self) -> bool:
        return self.runtime.leadership is not None and self.runtime.leadership.leading


@pytest.fixture
async def instances(postgres_url: str, clock: ManualClock, catalogs: Catalogs,
                    chat_framework: str) -> AsyncIterator[Callable[[BotAPIEmulator], Awaitable[Instance]]]:
    started: list[Instance] = []
    transports = contextlib.AsyncExitStack()

    async def start(api: BotAPIEmulator) -> Instance:
        settings = Settings(_env_file=None, bot_token=SecretStr(DEFAULT_TOKEN), telegram_api_base=api.base_url,
                            database_url=postgres_url)
        runtime = Runtime.create(settings, clock=clock, catalogs=catalogs)
        runtime.plan_in_background = False
        runtime.leader_timing = FAST
        transport = await transports.enter_async_context(transport_on(chat_framework, settings, catalogs))
        instance = Instance(runtime, transport)
        started.append(instance)
        await runtime.start_background(instance.transport)
        return instance

    yield start
    for instance in started:
        await instance.runtime.close()
    await transports.aclose()


async def _until(condition: Callable[[], bool], what: str, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out waiting: {what}")


async def _sent(instance: Instance, key_prefix: str, expected: int) -> int:
    """Rows recorded as sent, once there are ``expected`` or after a while (the emulator has a
    message a moment before the drain records it)."""
    for _ in range(250):
        async with instance.uow() as uow:
            sent = await uow.outbox.count_sent(key_prefix)
        if sent >= expected:
            break
        await asyncio.sleep(0.02)
    return sent


async def _push(instance: Instance, key: str, chat_id: int, text: str) -> None:
    async with instance.uow() as uow:
        await enqueue(uow, key=key, purpose=Purpose.CASE, chat_id=chat_id, reply=Reply(Plain(text)),
                      now=instance.runtime.clock.now())
        await uow.commit()


async def test_a_followers_answer_reaches_the_person_through_the_leader(
    instances: Callable[[BotAPIEmulator], Awaitable[Instance]], emulator: BotAPIEmulator, elsewhere: BotAPIEmulator,
) -> None:
    emulator.reset()
    leader = await instances(emulator)
    follower = await instances(elsewhere)
    assert leader.leading and not follower.leading
    assert leader.runtime.sender is not None and follower.runtime.sender is None
    # The leader's drain looks on its own only once an hour now: only the follower's NOTIFY can wake it.
    leader.runtime.sender.idle_seconds = 3600

    inbound = Inbound(1, 4301, Sender(4301, "en"), message=MessageIn("text", text="/menu"))
    await follower.runtime.pipeline.handle(inbound, follower.transport)

    [answer] = await emulator.wait_for_bot_messages(4301, 1)
    assert answer["text"] == "What would you like to do?"
    assert elsewhere.calls == []  # the follower made no Bot API call at all
    assert await _sent(follower, "answer:4301:1:", 1) == 1


async def test_when_the_leader_dies_another_instance_takes_over_and_sends_what_is_pending(
    instances: Callable[[BotAPIEmulator], Awaitable[Instance]], emulator: BotAPIEmulator, elsewhere: BotAPIEmulator,
    postgres_url: str, clock: ManualClock,
) -> None:
    emulator.reset()
    first = await instances(elsewhere)
    second = await instances(emulator)
    assert first.leading and not second.leading
    drain = first.runtime.sender
    assert drain is not None
    drain.limiter.pause(60)  # it claims a row, then hangs before sending it, and dies so
    await _push(first, "pending:claimed", 4302, "claimed by the leader that died")
    first.runtime.wake_sender()
    for _ in range(250):
        async with first.uow() as uow:
            row = await uow.outbox.by_key("pending:claimed")
            if row is not None and row.claimed_until is not None:
                break
        await asyncio.sleep(0.02)
    else:
        raise AssertionError("the leader never claimed the row")

    # Its lock's session ends, as when its process dies: PostgreSQL frees the lock.
    pid = first.runtime.leadership.lock.backend_pid() if first.runtime.leadership else None
    assert pid is not None
    engine = create_engine(postgres_url)
    async with engine.begin() as connection:
        await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    await engine.dispose()
    await _until(lambda: second.leading, "the follower to take over")
    await _until(lambda: not first.leading and first.runtime.sender is None, "the old leader to stop")
    await _push(second, "pending:new", 4303, "written after the takeover")
    second.runtime.wake_sender()

    [new] = await emulator.wait_for_bot_messages(4303, 1)
    assert new["text"] == "written after the takeover"
    assert emulator.bot_messages(4302) == []  # still leased by the dead leader
    clock.advance(timedelta(seconds=61))  # the lease runs out
    second.runtime.wake_sender()
    [claimed] = await emulator.wait_for_bot_messages(4302, 1)
    assert claimed["text"] == "claimed by the leader that died"
    assert elsewhere.calls == []  # the dead leader sent nothing
    assert await _sent(second, "pending:", 2) == 2


async def test_a_commit_that_adds_outbox_rows_notifies_and_a_rollback_does_not(postgres_url: str,
                                                                               clock: ManualClock) -> None:
    heard: list[int] = []
    lock = LeaderLock(postgres_url)
    assert await lock.try_take(lambda: None)
    await lock.listen(lambda: heard.append(1))
    engine = create_engine(postgres_url)
    announcing = [True]
    announce_outbox_writes(engine, lambda: announcing[0])
    sessionmaker = create_sessionmaker(engine)

    async def write(key: str, *, commit: bool) -> None:
        async with UnitOfWork(sessionmaker) as uow:
            for n in range(3):  # three rows, one notification
                await enqueue(uow, key=f"{key}:{n}", purpose=Purpose.CASE, chat_id=4303, reply=Reply(Plain(key)),
                              now=clock.now())
            if commit:
                await uow.commit()

    async def heard_after(action: Awaitable[None]) -> int:
        before = len(heard)
        await action
        async with engine.connect() as connection:  # a round trip: a notification would be here by now
            await connection.execute(text("SELECT 1"))
        await asyncio.sleep(0.05)
        return len(heard) - before

    try:
        assert await heard_after(write("rolled-back", commit=False)) == 0
        assert await heard_after(write("committed", commit=True)) == 1
        announcing[0] = False  # this instance is the leader itself: it wakes its own drain
        assert await heard_after(write("by-the-leader", commit=True)) == 0
    finally:
        await lock.release()
        await engine.dispose()
    second = LeaderLock(postgres_url)
    try:
        assert await second.try_take(lambda: None)  # released at once: the next one takes it
    finally:
        await second.release()
