"""The outbox drain against the Bot API emulator, with Telegram's limits enforced by both.

    python -m bench.drain [--database sqlite|postgresql] [--fanout 10000] [--hang 30]

The drain sends through the real aiogram transport and its RateLimiter (Telegram's defaults: 30
messages/s overall, 1/s per private chat with bursts of 3, 20/min per group); the emulator
answers 429 to anything faster. For each mix it prints the messages/s and how close that comes to
what the limits allow for that mix — the time an ideal sender would need under the same limits
(``ideal_seconds``) over the time taken —, the 429s and the sends made inside a 429's retry window:

* 400 rows over 40 chats (ten each): queued chat by chat, and interleaved;
* a fan-out of ``--fanout`` rows, one to each of as many chats (an announcement);
* head of line: 60 rows for one staff chat queued before 200 owner rows (one each): the time to
  the first and to the last owner message, against what the limits allow;
* a hang: one chat's request hangs until the drain's request timeout (``--hang`` seconds, half
  its lease), 200 rows over 20 chats: the time until the other chats' rows are delivered;
* with the limits lifted (emulator unlimited, limiter out of the way): the ceiling in messages/s.

PostgreSQL: ``--database postgresql`` uses ``TEST_DATABASE_URL`` (its schema is rebuilt).
"""

from __future__ import annotations

import argparse
import asyncio
import heapq
import os
import tempfile
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import Catalogs
from bot.sandbox.emulator import DEFAULT_TOKEN, BotAPIEmulator, RateLimits
from bot.settings import Settings
from bot.telegram.aiogram.app import build_bot
from bot.telegram.aiogram.transport import AiogramTransport
from dialogs.engine import Reply
from dialogs.text import Plain
from services.common.clock import SystemClock
from services.pushes.drain import OutboxDrain
from services.pushes.outbox import enqueue
from services.pushes.purposes import Purpose
from services.pushes.ratelimit import RateLimiter
from storage.db import create_engine, create_sessionmaker
from storage.migrate import downgrade, upgrade
from storage.models import OutboxMessage
from storage.uow import UnitOfWork

TELEGRAM = RateLimits()
STAFF_CHAT = 6001
UNLIMITED = 1_000_000


def ideal_seconds(chats: Sequence[int], limits: RateLimits = TELEGRAM) -> list[float]:
    """When an ideal sender could send each row (rows in queue order, ``chats[i]`` the chat of row
    i) under the emulator's limits: each chat's rows in order, every row as early as the limits
    allow. A greedy schedule: whichever chat may send next, sends."""
    rows: dict[int, deque[int]] = {}
    for index, chat in enumerate(chats):
        rows.setdefault(chat, deque()).append(index)
    sent_by_chat: dict[int, deque[float]] = {chat: deque() for chat in rows}
    overall: deque[float] = deque()
    ready = [(0.0, queue[0], chat) for chat, queue in rows.items()]  # (chat may send at, row, chat)
    heapq.heapify(ready)
    times = [0.0] * len(chats)
    while ready:
        at, row, chat = heapq.heappop(ready)
        if len(overall) >= limits.overall_per_second:
            at = max(at, overall[-limits.overall_per_second] + 1.0)
        times[row] = at
        overall.append(at)
        window, allowed = ((60.0, limits.per_group_per_minute) if chat < 0 else
                           (limits.per_chat_burst / limits.per_chat_per_second, limits.per_chat_burst))
        mine = sent_by_chat[chat]
        mine.append(at)
        queue = rows[chat]
        queue.popleft()
        if queue:
            heapq.heappush(ready, (mine[-allowed] + window if len(mine) >= allowed else at, queue[0], chat))
    return times


@dataclass
class Result:
    rows: int
    seconds: float
    rejected_429: int
    in_retry_window: int
    delivered: list[tuple[float, int]]  # (seconds from the start, chat id), in delivery order

    @property
    def rate(self) -> float:
        return self.rows / self.seconds


class Bench:
    def __init__(self, emulator: BotAPIEmulator, sessionmaker: async_sessionmaker[AsyncSession],
                 transport: AiogramTransport) -> None:
        self.emulator = emulator
        self.sessionmaker = sessionmaker
        self.transport = transport
        self.clock = SystemClock()

    async def _queue(self, chats: Sequence[int], tag: str) -> None:
        async with UnitOfWork(self.sessionmaker) as uow:
            await uow.session.execute(delete(OutboxMessage))
            for index, chat in enumerate(chats):
                await enqueue(uow, key=f"bench:{tag}:{index}", purpose=Purpose.CASE, chat_id=chat,
                              reply=Reply(Plain(f"{tag} #{index}")), now=self.clock.now())
            await uow.commit()

    async def run(self, chats: Sequence[int], tag: str, *, limited: bool = True, hang: float = 0.0,
                  hung_chat: int | None = None) -> Result:
        """Queue one row per entry of ``chats`` and drain until they are sent. With ``hung_chat``, its
        first request hangs past the drain's request timeout (``hang`` s, half the lease): the run
        ends once every other chat's rows are delivered (the hung one's is left to its retry)."""
        self.emulator.reset()
        self.emulator.rate_limits = TELEGRAM if limited else None
        if hung_chat is not None:
            self.emulator.inject_timeout("sendMessage", seconds=hang + 5, chat_id=hung_chat)
        limiter = RateLimiter() if limited else RateLimiter(UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED)
        await self._queue(chats, tag)
        lease = timedelta(seconds=2 * hang) if hang else timedelta(seconds=60)
        drain = OutboxDrain(self.sessionmaker, self.transport, self.clock, "zh_Hans_CN", limiter=limiter, lease=lease)
        wanted = sum(1 for chat in chats if chat != hung_chat)
        log = self.emulator.delivery_log
        started = time.monotonic()
        task = asyncio.create_task(drain.drain())
        while sum(1 for _at, chat, _message in log if chat != hung_chat) < wanted:
            await asyncio.sleep(0.005)
            if task.done() and sum(1 for _at, chat, _message in log if chat != hung_chat) < wanted:
                task.result()  # rows wait for a retry (after a 5xx or a timeout): drain again
                await asyncio.sleep(0.1)
                task = asyncio.create_task(drain.drain())
        measured = [(at - started, chat) for at, chat, _message in log if chat != hung_chat]
        stats = self.emulator.stats
        result = Result(wanted, measured[-1][0], stats.rejected_429, stats.calls_in_retry_window, measured)
        drain.stop()
        await task
        return result


def _share(ideal: float, actual: float) -> str:
    return f"{ideal / actual * 100:5.1f} % of what the limits allow ({ideal:.2f} s ideal, {actual:.2f} s taken)"


async def main(database: str, fanout: int, hang: float) -> None:
    emulator = BotAPIEmulator()
    await emulator.start()
    with tempfile.TemporaryDirectory() as folder:
        if database == "postgresql":
            url = os.environ.get("TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/test"
            await downgrade(url, "base")
        else:
            url = f"sqlite:///{Path(folder) / 'bench.db'}"
        await upgrade(url)
        engine = create_engine(url)
        bot = build_bot(Settings(_env_file=None, bot_token=SecretStr(DEFAULT_TOKEN),
                                 telegram_api_base=emulator.base_url), DEFAULT_TOKEN)
        bench = Bench(emulator, create_sessionmaker(engine), AiogramTransport(bot, Catalogs()))
        print(f"outbox drain on {database}; Telegram's limits on both sides (30/s, 1/s per chat with bursts of 3)")
        try:
            await _mixes(bench, fanout, hang)
        finally:
            await bot.session.close()
            await engine.dispose()
            await emulator.stop()


async def _mixes(bench: Bench, fanout: int, hang: float) -> None:
    for order, spread in (("chat by chat", [1000 + n // 10 for n in range(400)]),
                          ("interleaved", [1000 + n % 40 for n in range(400)])):
        run = await bench.run(spread, "spread")
        print(f"400 rows over 40 chats, {order}: {run.rate:6.1f} msg/s, "
              f"{_share(ideal_seconds(spread)[-1], run.seconds)}; 429s {run.rejected_429}, "
              f"sends in a retry window {run.in_retry_window}")

    if fanout:
        announcement = [100_000 + n for n in range(fanout)]
        run = await bench.run(announcement, "fanout")
        print(f"{fanout} rows to {fanout} chats: {run.rate:6.1f} msg/s, "
              f"{_share(ideal_seconds(announcement)[-1], run.seconds)}; 429s {run.rejected_429}, "
              f"sends in a retry window {run.in_retry_window}")

    line = [STAFF_CHAT] * 60 + [2000 + n for n in range(200)]
    ideal = ideal_seconds(line)
    run = await bench.run(line, "line")
    owners = [at for at, chat in run.delivered if chat != STAFF_CHAT]
    staff_before = sum(1 for at, chat in run.delivered if chat == STAFF_CHAT and at <= owners[-1])
    print(f"head of line (60 rows to one staff chat, then 200 owners): the first owner message after "
          f"{owners[0]:.2f} s (limits allow {min(ideal[60:]):.2f} s), all 200 after {owners[-1]:.2f} s "
          f"(limits allow {max(ideal[60:]):.2f} s; {staff_before} staff rows sent by then); "
          f"all 260 after {run.seconds:.1f} s (limits allow {max(ideal):.1f} s); 429s {run.rejected_429}")

    if hang:
        hung = [3000 + n % 20 for n in range(200)]
        others = [chat for chat in hung if chat != 3000]
        run = await bench.run(hung, "hang", hang=hang, hung_chat=3000)
        print(f"a {hang:.0f} s hang in one of 20 chats: the other 19 chats' {len(others)} rows delivered after "
              f"{run.seconds:.2f} s (limits allow {ideal_seconds(others)[-1]:.2f} s); 429s {run.rejected_429}")

    ceiling = [4000 + n % 200 for n in range(2000)]
    run = await bench.run(ceiling, "ceiling", limited=False)
    print(f"limits lifted, 2000 rows over 200 chats: {run.rate:6.1f} msg/s (the ceiling)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--fanout", type=int, default=10_000)
    parser.add_argument("--hang", type=float, default=30.0, help="the hung request's timeout (0: skip)")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.database, arguments.fanout, arguments.hang))
