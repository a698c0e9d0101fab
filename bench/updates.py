"""Throughput and latency of estatebot against two aiogram baselines, in the same process.

Both bots poll the same Bot API emulator over HTTP on 127.0.0.1. Each simulated person
waits for the bot's answer before the next step (as people do), many people at once.
The echo bot answers every message with its text. The mirror bot makes, for each step, the same
Bot API calls estatebot makes (a button press: answerCallbackQuery; an answered question redrawn
with its answer and no buttons, editMessageText, after a press or a typed answer; the next
question; the phone question's two messages, the second deleted once answered; the two messages
after the confirmation) with no database and no logic: the floor a chat framework sets.
estatebot runs the whole guided conversation with the database (an inquiry: menu → type → text →
name → skip phone → confirm).

    python -m bench.updates [--people 40] [--database sqlite|postgresql]

Prints updates/s and p50/p95 latency for each bot, the ratios estatebot / echo and estatebot /
mirror, and the SQL statements estatebot ran per update.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Message
from pydantic import SecretStr
from sqlalchemy import event

from bot.runtime import Runtime, freeze_startup_objects
from bot.sandbox.emulator import DEFAULT_TOKEN, BotAPIEmulator
from bot.settings import Settings
from bot.telegram.aiogram.app import UpdateDoneMiddleware, build_bot, build_dispatcher
from bot.telegram.aiogram.polling import AtLeastOncePolling
from bot.telegram.aiogram.transport import AiogramTransport
from bot.telegram.polling import AtLeastOnce
from services.pushes.ratelimit import RateLimiter
from storage.migrate import downgrade, upgrade

Step = Callable[[BotAPIEmulator, int, dict[str, Any] | None], int]


class Done:
    """Which updates the dispatcher has finished (its answer is complete, however many messages)."""

    def __init__(self) -> None:
        self._events: dict[int, asyncio.Event] = {}

    def event(self, update_id: int) -> asyncio.Event:
        return self._events.setdefault(update_id, asyncio.Event())

    def __call__(self, update_id: int) -> None:
        self.event(update_id).set()


def _text(text: str) -> Step:
    return lambda emulator, user, _last: emulator.send_text(user, text)


def _press(label: str) -> Step:
    def press(emulator: BotAPIEmulator, user: int, last: dict[str, Any] | None) -> int:
        assert last is not None
        return emulator.press_label(user, last, label)

    return press


INQUIRY: list[Step] = [
    _text("/menu"), _press("留言"), _press("咨询"), _text("电梯周末停运吗？"), _text("陈先生"), _press("跳过"),
    _press("确认"),
]
ECHO: list[Step] = [_text(f"message {n}") for n in range(len(INQUIRY))]
# The messages estatebot sends at each step of INQUIRY (the phone question is two: the contact
# keyboard and "Or choose:" with the inline buttons; the confirmation is answered by two).
MIRROR_SENDS = (1, 1, 1, 1, 2, 1, 2)
# Whether estatebot redraws the answered question at each step (it shows the answer and loses its
# buttons, editMessageText; the menu is no question), and deletes the phone question's "Or choose:"
# line once answered (deleteMessage).
MIRROR_EDITS = (False, False, True, True, True, True, True)
MIRROR_DELETES = (False, False, False, False, False, True, False)
MIRROR_BUTTONS = ("留言", "咨询", "跳过", "确认")


async def _person(emulator: BotAPIEmulator, done: Done, user: int, steps: list[Step], latencies: list[float]) -> None:
    emulator.user(user, "业主", "zh-hans")
    last: dict[str, Any] | None = None
    for step in steps:
        seen = len(emulator.bot_messages(user))
        started = time.perf_counter()
        update_id = step(emulator, user, last)
        await asyncio.wait_for(done.event(update_id).wait(), 60)
        # The answer may still be on its way through the outbox when the update is done.
        for _ in range(60_000):
            if len(emulator.bot_messages(user)) > seen:
                break
            await asyncio.sleep(0.001)
        latencies.append(time.perf_counter() - started)
        answer = emulator.bot_messages(user)[seen:]
        assert answer, f"no answer to step {steps.index(step)} for {user}"
        with_buttons = [m for m in answer if m.get("reply_markup")]
        last = with_buttons[-1] if with_buttons else answer[-1]


WARM_UP_PEOPLE = 10
ROUNDS = 3


@dataclass
class Run:
    seconds: float  # wall clock
    cpu_seconds: float  # the whole process's CPU (bot, emulator and simulated people share it)
    latencies: list[float]


async def _drive(
    emulator: BotAPIEmulator, done: Done, people: int, steps: list[Step], first_user: int,
    after_warm_up: Callable[[], None] = lambda: None,
) -> Run:
    """A warm-up round (first requests, compiled statements, catalogs: not what is measured), then
    ``ROUNDS`` rounds of ``people`` new people at once, measured together."""
    await asyncio.gather(*(_person(emulator, done, first_user + n, steps, []) for n in range(WARM_UP_PEOPLE)))
    after_warm_up()
    latencies: list[float] = []
    started, cpu = time.perf_counter(), time.process_time()
    for round_ in range(1, ROUNDS + 1):
        first = first_user + round_ * 10_000
        await asyncio.gather(*(_person(emulator, done, first + n, steps, latencies) for n in range(people)))
    return Run(time.perf_counter() - started, time.process_time() - cpu, latencies)


async def _with_polling(bot: Bot, dispatcher: Dispatcher, work: Callable[[], Awaitable[Any]]) -> Any:
    """The echo bot polls as aiogram does (the baseline)."""
    task = asyncio.create_task(dispatcher.start_polling(bot, handle_signals=False, polling_timeout=1))
    try:
        return await work()
    finally:
        await dispatcher.stop_polling()
        await task


async def _with_our_polling(bot: Bot, dispatcher: Dispatcher, work: Callable[[], Awaitable[Any]]) -> Any:
    """estatebot polls as it does in production: an update is confirmed only once handled."""
    return await _polling_while(AtLeastOncePolling(dispatcher, bot, polling_timeout=1), work)


async def _polling_while(polling: AtLeastOnce, work: Callable[[], Awaitable[Any]]) -> Any:
    task = asyncio.create_task(polling.run())
    try:
        return await work()
    finally:
        polling.stop()
        await task


async def echo_bot(emulator: BotAPIEmulator, people: int) -> Run:
    done = Done()
    dispatcher = Dispatcher(disable_fsm=True)
    dispatcher.update.outer_middleware(UpdateDoneMiddleware(done))

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    settings = Settings(_env_file=None, telegram_api_base=emulator.base_url)
    bot = build_bot(settings, DEFAULT_TOKEN)
    result: Run = await _with_polling(
        bot, dispatcher, lambda: _drive(emulator, done, people, ECHO, 100_000)
    )
    return result


async def mirror_bot(emulator: BotAPIEmulator, people: int) -> Run:
    """The same Bot API calls as estatebot's steps, without a database."""
    from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup

    done = Done()
    dispatcher = Dispatcher(disable_fsm=True)
    dispatcher.update.outer_middleware(UpdateDoneMiddleware(done))
    steps: dict[int, int] = {}
    sent: dict[int, list[int]] = {}  # the message ids of each chat's last answer
    keyboard = InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text=label, callback_data=f"d1:1:c:{n}") for n, label in enumerate(MIRROR_BUTTONS)],
        [InlineKeyboardButton(text="◀ 返回", callback_data="d1:1:<"), InlineKeyboardButton(text="✖ 取消",
                                                                                           callback_data="d1:1:x")],
    ])

    async def answer(bot: Bot, chat_id: int) -> None:
        step = steps.get(chat_id, 0) % len(MIRROR_SENDS)
        steps[chat_id] = step + 1
        previous = sent.get(chat_id, [])
        if MIRROR_EDITS[step] and previous:
            await bot.edit_message_text("请问您想告诉我们什么？\n您的回答：咨询", chat_id=chat_id, message_id=previous[0])
        if MIRROR_DELETES[step] and len(previous) > 1:
            await bot.delete_message(chat_id, previous[-1])
        sent[chat_id] = [(await bot.send_message(chat_id, "请问您想告诉我们什么？", reply_markup=keyboard)).message_id
                         for _ in range(MIRROR_SENDS[step])]

    @dispatcher.message()
    async def on_message(message: Message, bot: Bot) -> None:
        await answer(bot, message.chat.id)

    @dispatcher.callback_query()
    async def on_press(query: CallbackQuery, bot: Bot) -> None:
        await query.answer()
        assert query.message is not None
        await answer(bot, query.message.chat.id)

    settings = Settings(_env_file=None, telegram_api_base=emulator.base_url)
    bot = build_bot(settings, DEFAULT_TOKEN)
    result: Run = await _with_polling(
        bot, dispatcher, lambda: _drive(emulator, done, people, INQUIRY, 300_000)
    )
    return result


async def estate_bot(emulator: BotAPIEmulator, people: int, database_url: str, framework: str = "aiogram") -> Run:
    await upgrade(database_url)
    settings = Settings(
        _env_file=None, bot_token=SecretStr(DEFAULT_TOKEN), telegram_api_base=emulator.base_url,
        database_url=database_url, chat_framework=framework,
    )
    runtime = Runtime.create(settings)
    statements = [0]

    def count(*_args: Any) -> None:
        statements[0] += 1

    # Counted over the warm-up round only (a hook on every statement costs time of its own), every
    # statement the database runs for the bot, BEGIN and COMMIT included: on SQLite by sqlite3's own
    # trace (some statements go to sqlite3 directly), on PostgreSQL by SQLAlchemy's events.
    sync_engine = runtime.engine.sync_engine
    traced: list[Any] = []
    hooks: list[tuple[str, Callable[..., None]]] = []
    if sync_engine.dialect.driver == "inloop":  # sqlite3 itself, on the event loop (storage/sqlite_inloop.py)
        def trace(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.set_trace_callback(count)
            traced.append(dbapi_connection)

        hooks.append(("connect", trace))
    else:
        hooks += [("before_cursor_execute", count), ("begin", count), ("commit", count)]
    for name, hook in hooks:
        event.listen(sync_engine, name, hook)

    def stop_counting() -> None:
        for name, hook in hooks:
            event.remove(sync_engine, name, hook)
        for dbapi_connection in traced:
            dbapi_connection.set_trace_callback(None)
        print(f"estatebot SQL statements per update: {statements[0] / (WARM_UP_PEOPLE * len(INQUIRY)):.1f} "
              "(the pipeline, the drain and the planner; BEGIN and COMMIT included)")

    freeze_startup_objects()  # as `estatebot run` does before it takes updates
    # Answers go through the outbox drain and its limiter; the baselines send unpaced, so the drain
    # is not paced here either (with Telegram's 30 messages/s, 40 people make it limiter-bound).
    unpaced = RateLimiter(1000, 1000.0, 1000, 1000)
    done = Done()
    try:
        if framework == "ptb":
            from bot.telegram.ptb.app import build_polling

            polling = build_polling(runtime, DEFAULT_TOKEN, polling_timeout=1, on_update_done=done)
            await runtime.start_sender(polling.transport, unpaced)
            result: Run = await _polling_while(polling, lambda: _drive(emulator, done, people, INQUIRY, 200_000,
                                                                       stop_counting))
            return result
        bot = build_bot(settings, DEFAULT_TOKEN)
        await runtime.start_sender(AiogramTransport(bot, runtime.catalogs), unpaced)
        result = await _with_our_polling(
            bot, build_dispatcher(runtime, on_update_done=done),
            lambda: _drive(emulator, done, people, INQUIRY, 200_000, stop_counting),
        )
        return result
    finally:
        await runtime.close()


def _report(name: str, run: Run) -> Run:
    ordered = sorted(run.latencies)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(f"{name:<28} {len(ordered):>5} updates in {run.seconds:6.2f} s = {len(ordered) / run.seconds:7.1f} "
          f"updates/s; latency p50 {statistics.median(ordered) * 1000:6.1f} ms, p95 {p95 * 1000:6.1f} ms; "
          f"CPU {run.cpu_seconds / len(ordered) * 1000:5.2f} ms/update")
    return run


def _ratios(name: str, ours: Run, baseline: Run) -> None:
    """Throughput (wall clock) and CPU per update: on a busy machine the first is noisy, the second
    is not (one event loop does everything, so CPU per update is what bounds the throughput)."""
    throughput = (len(ours.latencies) / ours.seconds) / (len(baseline.latencies) / baseline.seconds)
    cpu = (baseline.cpu_seconds / len(baseline.latencies)) / (ours.cpu_seconds / len(ours.latencies))
    print(f"ratio estatebot / {name}: {throughput:.2f} by throughput, {cpu:.2f} by CPU per update")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=40)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    emulator = BotAPIEmulator()
    await emulator.start()
    try:
        echo = _report("aiogram echo bot (baseline)", await echo_bot(emulator, args.people))
        mirror = _report("aiogram, same calls, no db", await mirror_bot(emulator, args.people))
        if args.database == "postgresql":
            url = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
            await downgrade(url, "base")
            ours = _report("estatebot, PostgreSQL", await estate_bot(emulator, args.people, url))
            await downgrade(url, "base")
            await upgrade(url)
        else:
            with tempfile.TemporaryDirectory() as folder:
                url = f"sqlite:///{Path(folder) / 'bench.db'}"
                ours = _report("estatebot, SQLite", await estate_bot(emulator, args.people, url))
        _ratios("echo", ours, echo)
        _ratios("same calls", ours, mirror)
    finally:
        await emulator.stop()


if __name__ == "__main__":
    asyncio.run(main())
