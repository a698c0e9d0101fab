"""Two instances against one: does a second instance break Telegram's limits, or speed anything up?

    python -m bench.instances [--rows 300] [--people 40]

PostgreSQL only (``TEST_DATABASE_URL``, default postgresql://postgres@127.0.0.1:5432/test; its
schema is rebuilt). The Bot API emulator enforces Telegram's limits (30 messages/s overall, 1/s per
private chat with bursts of 3) and counts its 429s and the sends made while a 429's ``retry_after``
was still running ("in retry windows"). Two parts:

1. The drain: ``--rows`` pushes queued over ``rows / 2`` chats, sent by
   * one instance;
   * two senders on the outbox, each with its own limiter (what two instances did before the leader);
   * two instances with leadership (runtimes in this process, each with its own engine and lock
     connection): the leader sends, the other does not.
2. End to end: ``--people`` visitors leave an inquiry at once (seven steps each, each waiting for the
   answer), through webhook delivery alternating over the instances: one ``estatebot run`` process,
   then two (real processes, as deployed).

Prints, for each: messages/s, 429s, sends in retry windows (and updates/s end to end).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import socket
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.i18n import Catalogs
from bot.runtime import Runtime
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
from storage.uow import UnitOfWork

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-instances"
SENDS = ("sendMessage", "sendPhoto", "sendDocument")


class Counts:
    """What the emulator saw during one run."""

    def __init__(self, emulator: BotAPIEmulator) -> None:
        self.emulator = emulator
        self.started = time.perf_counter()

    def report(self, name: str, messages: int, updates: int | None = None) -> None:
        seconds = time.perf_counter() - self.started
        stats = self.emulator.stats
        calls = sum(stats.by_method[method] for method in SENDS)
        rate = f"{updates / seconds:6.1f} updates/s, " if updates is not None else ""
        print(f"{name:<46} {messages:>5} messages in {seconds:6.2f} s = {rate}{messages / seconds:5.1f} messages/s; "
              f"{calls} send calls, {stats.rejected_429} 429s, {stats.calls_in_retry_window} in retry windows",
              flush=True)


async def _fresh(url: str) -> None:
    await downgrade(url, "base")
    await upgrade(url)


# ---------------------------------------------------------------- part 1: the drain


async def _queue(url: str, rows: int) -> None:
    engine = create_engine(url)
    clock = SystemClock()
    try:
        async with UnitOfWork(create_sessionmaker(engine)) as uow:
            for n in range(rows):  # interleaved, as a planner writes them
                chat = 700_000 + n % max(1, rows // 2)
                await enqueue(uow, key=f"bench:{n}", purpose=Purpose.CASE, chat_id=chat,
                              reply=Reply(Plain(f"#{n}")), now=clock.now())
            await uow.commit()
    finally:
        await engine.dispose()


async def _until_sent(url: str, rows: int) -> None:
    engine = create_engine(url)
    try:
        while True:
            async with UnitOfWork(create_sessionmaker(engine)) as uow:
                if await uow.outbox.count_sent("bench:") >= rows:
                    return
            await asyncio.sleep(0.05)
    finally:
        await engine.dispose()


async def _drain_run(emulator: BotAPIEmulator, url: str, rows: int, name: str,
                     senders: Callable[[], Awaitable[Callable[[], Awaitable[None]]]]) -> None:
    await _fresh(url)
    await _queue(url, rows)
    emulator.reset()
    emulator.rate_limits = RateLimits()
    counts = Counts(emulator)
    stop = await senders()
    try:
        await _until_sent(url, rows)
        counts.report(name, rows)
    finally:
        await stop()


def _settings(emulator: BotAPIEmulator, url: str) -> Settings:
    return Settings(_env_file=None, bot_token=SecretStr(DEFAULT_TOKEN), telegram_api_base=emulator.base_url,
                    database_url=url)


async def part_drain(emulator: BotAPIEmulator, url: str, rows: int) -> None:
    catalogs = Catalogs()

    def independent(count: int) -> Callable[[], Awaitable[Callable[[], Awaitable[None]]]]:
        """``count`` senders, each with its own engine, session and limiter: each thinks it has the budget."""
        async def start() -> Callable[[], Awaitable[None]]:
            parts = []
            for _ in range(count):
                engine = create_engine(url)
                bot = build_bot(_settings(emulator, url), DEFAULT_TOKEN)
                drain = OutboxDrain(create_sessionmaker(engine), AiogramTransport(bot, catalogs), SystemClock(),
                                    "zh_Hans_CN", RateLimiter())
                drain.start()
                parts.append((engine, bot, drain))

            async def stop() -> None:
                for engine, bot, drain in parts:
                    await drain.close()
                    await bot.session.close()
                    await engine.dispose()

            return stop
        return start

    async def with_leadership() -> Callable[[], Awaitable[None]]:
        runtimes = []
        for _ in range(2):
            runtime = Runtime.create(_settings(emulator, url), catalogs=catalogs)
            runtime.plan_in_background = False
            bot = build_bot(runtime.settings, DEFAULT_TOKEN)
            await runtime.start_background(AiogramTransport(bot, catalogs))
            runtimes.append((runtime, bot))
        leaders = sum(1 for runtime, _bot in runtimes if runtime.sender is not None)
        assert leaders == 1, leaders

        async def stop() -> None:
            for runtime, bot in runtimes:
                await runtime.close()
                await bot.session.close()

        return stop

    print(f"part 1: {rows} pushes over {rows // 2} chats, Telegram's limits", flush=True)
    await _drain_run(emulator, url, rows, "one instance", independent(1))
    await _drain_run(emulator, url, rows, "two instances, each sending (before)", independent(2))
    await _drain_run(emulator, url, rows, "two instances, the leader sends", with_leadership)


# ---------------------------------------------------------------- part 2: end to end, real processes


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def _process(emulator: BotAPIEmulator, url: str) -> tuple[str, asyncio.subprocess.Process, list[str]]:
    port = _free_port()
    webhook = f"http://127.0.0.1:{port}/telegram"
    env = {**os.environ, "BOT_TOKEN": DEFAULT_TOKEN, "TELEGRAM_API_BASE": emulator.base_url, "DATABASE_URL": url,
           "WEBHOOK_URL": webhook, "WEBHOOK_SECRET": SECRET, "WEBHOOK_HOST": "127.0.0.1", "WEBHOOK_PORT": str(port),
           "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=ROOT, env=env,
                                                   stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    lines: list[str] = []

    async def read() -> None:
        assert process.stderr is not None
        while line := await process.stderr.readline():
            lines.append(line.decode(errors="replace").rstrip())

    asyncio.get_running_loop().create_task(read())
    # Ready once its webhook answers (an empty body: 401 without the secret).
    from aiohttp import ClientError, ClientSession

    async with ClientSession() as http:
        for _ in range(3000):
            if process.returncode is not None:
                raise RuntimeError("the bot process exited:\n" + "\n".join(lines[-30:]))
            try:
                async with http.post(webhook, json={}):
                    return webhook, process, lines
            except ClientError:
                await asyncio.sleep(0.05)
    raise RuntimeError("the bot process did not start")


Message = dict[str, Any]


def _button(message: Message, label: str) -> str | None:
    for row in message.get("reply_markup", {}).get("inline_keyboard", []):
        for button in row:
            if label in button["text"]:
                return str(button["callback_data"])
    return None


# (what the person does, what the answer shows: a button's label or a pattern of its text)
INQUIRY = [("say", "/menu", "留言"), ("press", "留言", "咨询"), ("press", "咨询", ""), ("say", "电梯周末停运吗？", ""),
           ("say", "陈先生", "跳过"), ("press", "跳过", "确认"), ("press", "确认", r"/GT-\d{6}")]


async def _visitor(emulator: BotAPIEmulator, user: int) -> None:
    last: Message | None = None
    for action, value, expect in INQUIRY:
        seen = len(emulator.bot_messages(user))
        if action == "say":
            emulator.send_text(user, value)
        else:
            assert last is not None
            data = _button(last, value)
            assert data is not None, (value, last.get("text"))
            emulator.press(user, last, data)
        for _ in range(60_000):
            new = emulator.bot_messages(user)[seen:]
            found = [m for m in new if (re.search(expect[1:], m.get("text") or "") if expect.startswith("/")
                                        else _button(m, expect) if expect else True)]
            if found:
                last = found[-1]
                break
            await asyncio.sleep(0.01)
        else:
            raise RuntimeError(f"visitor {user}: no answer to {value!r}")


async def _end_to_end(emulator: BotAPIEmulator, url: str, people: int, instances: int) -> None:
    await _fresh(url)
    emulator.reset()
    emulator.rate_limits = RateLimits()
    started = [await _process(emulator, url) for _ in range(instances)]
    try:
        await emulator.start_webhook([webhook for webhook, _process_, _lines in started], SECRET)
        counts = Counts(emulator)
        await asyncio.gather(*(_visitor(emulator, 900_000 + n) for n in range(people)))
        messages = sum(len(emulator.bot_messages(chat)) for chat in emulator.chat_ids())
        name = "one process" if instances == 1 else f"{instances} processes, alternating webhook"
        counts.report(name, messages, updates=people * len(INQUIRY))
    finally:
        await emulator.stop_webhook()
        for _webhook, process, _lines in started:
            process.send_signal(signal.SIGTERM)
            await process.wait()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--people", type=int, default=40)
    args = parser.parse_args()
    url = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    emulator = BotAPIEmulator()
    await emulator.start()
    try:
        await part_drain(emulator, url, args.rows)
        print(f"part 2: {args.people} visitors leave an inquiry at once (webhook), Telegram's limits", flush=True)
        await _end_to_end(emulator, url, args.people, 1)
        await _end_to_end(emulator, url, args.people, 2)
    finally:
        await emulator.stop()
        await _fresh(url)


if __name__ == "__main__":
    asyncio.run(main())
