"""Two bot processes on one PostgreSQL database, in webhook mode behind the emulator's alternating
delivery (a load balancer's view of two instances), with Telegram's limits enforced.

Many people at once: owners file complaints, visitors leave inquiries, each waiting for the bot's
answer before the next step (as people do), their updates spread over both processes. Counted, never
timed: no message sent twice, no case number twice, everyone answered, the planner's push planned
once, no 429 and no call inside a retry window — the two processes share one sending budget.

Also the emulator's webhook delivery itself (alternation, the secret header, retries).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession, web
from sqlalchemy import select

from bot.sandbox.emulator import DEFAULT_TOKEN, BotAPIEmulator, RateLimits
from services.people.roster_import import import_roster
from storage.db import create_engine, create_sessionmaker
from storage.models import CommunicationEntry, OutboxMessage, Ticket
from storage.uow import UnitOfWork
from tests.conftest import NOW
from tests.factories import seed_team

ROOT = Path(__file__).resolve().parents[2]
SECRET = "two-instances-secret"
COMPLAINTS = 6  # owners, each filing a complaint
INQUIRIES = 10  # visitors, each leaving an inquiry
OWNER_IDS = range(8001, 8001 + COMPLAINTS)
VISITOR_IDS = range(8101, 8101 + INQUIRIES)
STEP_SECONDS = 30.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# ---------------------------------------------------------------- the emulator's webhook delivery


async def test_the_emulator_delivers_updates_to_several_webhooks_in_turn_and_retries(
    emulator: BotAPIEmulator,
) -> None:
    emulator.reset()
    received: list[tuple[str, int, str | None]] = []
    refuse_next = {"b": 1}  # b answers its first request with 500: the update is tried again

    def app(name: str) -> web.Application:
        async def hook(request: web.Request) -> web.Response:
            update = await request.json()
            if refuse_next.get(name):
                refuse_next[name] -= 1
                return web.Response(status=500)
            received.append((name, update["update_id"], request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
            return web.Response()

        application = web.Application()
        application.router.add_post("/hook", hook)
        return application

    runners = [web.AppRunner(app(name)) for name in ("a", "b")]
    urls = []
    for runner in runners:
        await runner.setup()
        port = _free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        urls.append(f"http://127.0.0.1:{port}/hook")
    try:
        delivery = await emulator.start_webhook(urls, SECRET)
        ids = [emulator.send_text(8201 + n, f"hello {n}") for n in range(4)]
        for _ in range(500):
            if len(received) == 4:
                break
            await asyncio.sleep(0.01)
        assert sorted(update_id for _name, update_id, _secret in received) == ids
        assert {secret for _name, _update_id, secret in received} == {SECRET}
        assert delivery.refused == 1 and delivery.given_up == []
        assert delivery.posts[urls[0]] >= 2 and delivery.posts[urls[1]] >= 2  # alternating, retry included
        assert sum(delivery.posts.values()) == 5
        async with ClientSession() as http, http.get(f"{emulator.base_url}/bot{DEFAULT_TOKEN}/getUpdates") as response:
            assert response.status == 409  # no getUpdates while a webhook is set, as on Telegram
    finally:
        await emulator.stop_webhook()
        for runner in runners:
            await runner.cleanup()


# ---------------------------------------------------------------- two bot processes


@dataclass
class Instance:
    """One bot process and everything it printed."""

    url: str
    process: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)
    reader: asyncio.Task[None] | None = None

    async def read(self) -> None:
        assert self.process.stdout is not None
        while line := await self.process.stdout.readline():
            self.lines.append(line.decode(errors="replace").rstrip())

    def said(self, pattern: str) -> list[re.Match[str]]:
        return [match for line in self.lines if (match := re.search(pattern, line))]


async def _start(emulator: BotAPIEmulator, database_url: str, framework: str = "aiogram") -> Instance:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET")}
    env.update(BOT_TOKEN=DEFAULT_TOKEN, TELEGRAM_API_BASE=emulator.base_url, DATABASE_URL=database_url,
               WEBHOOK_URL=url, WEBHOOK_SECRET=SECRET, WEBHOOK_HOST="127.0.0.1", WEBHOOK_PORT=str(port),
               LOG_LEVEL="INFO", ESTATEBOT_TEST_NOW=NOW.isoformat(), PYTHONPATH=str(ROOT),
               CHAT_FRAMEWORK=framework)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.e2e.instance", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    instance = Instance(url, process)
    instance.reader = asyncio.create_task(instance.read())
    return instance


async def _listening(instance: Instance) -> None:
    for _ in range(6000):  # importing aiogram takes seconds on a busy machine
        if instance.said("webhook listening on"):
            return
        if instance.process.returncode is not None or (instance.reader and instance.reader.done()):
            break
        await asyncio.sleep(0.02)
    raise AssertionError("the bot process did not start:\n" + "\n".join(instance.lines[-40:]))


async def _stop(instance: Instance) -> None:
    if instance.process.returncode is None:
        instance.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(instance.process.wait(), 30)
        except TimeoutError:
            instance.process.kill()
            await instance.process.wait()
    if instance.reader is not None:
        await instance.reader


Message = dict[str, Any]
Act = Callable[[BotAPIEmulator, int, Message | None], int]
Until = Callable[[list[Message]], Message | None]


def says(text: str) -> Act:
    return lambda emulator, user, _last: emulator.send_text(user, text)


def presses(label: str) -> Act:
    def press(emulator: BotAPIEmulator, user: int, last: Message | None) -> int:
        assert last is not None
        return emulator.press_label(user, last, label)

    return press


def button(label: str) -> Until:
    """The newest new message with a button ``label`` (the next step presses it)."""
    def find(messages: list[Message]) -> Message | None:
        for message in reversed(messages):
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                if any(label in b["text"] for b in row):
                    return message
        return None

    return find


def anything(messages: list[Message]) -> Message | None:
    return messages[-1] if messages else None


def text(pattern: str) -> Until:
    return lambda messages: next((m for m in messages if re.search(pattern, m.get("text") or "")), None)


COMPLAINT: list[tuple[Act, Until]] = [
    (says("/menu"), button("投诉")), (presses("投诉"), button("服务态度")), (presses("服务态度"), anything),
    (says("物业前台的工作人员态度很差，希望改进。"), button("跳过")), (presses("跳过"), button("使用")),
    (presses("使用"), button("跳过")), (presses("跳过"), button("确认")), (presses("确认"), text(r"TS-\d{4}-\d{6}")),
]
INQUIRY: list[tuple[Act, Until]] = [
    (says("/menu"), button("留言")), (presses("留言"), button("咨询")), (presses("咨询"), anything),
    (says("电梯周末停运吗？"), anything), (says("陈先生"), button("跳过")), (presses("跳过"), button("确认")),
    (presses("确认"), text(r"GT-\d{6}")),
]


async def _person(emulator: BotAPIEmulator, user: int, steps: list[tuple[Act, Until]]) -> str:
    """Each step waits for the bot's answer; the last answer's number."""
    loop = asyncio.get_running_loop()
    last: Message | None = None
    for index, (act, until) in enumerate(steps):
        seen = len(emulator.bot_messages(user))
        act(emulator, user, last)
        deadline = loop.time() + STEP_SECONDS
        while (last := until(emulator.bot_messages(user)[seen:])) is None:
            if loop.time() > deadline:
                texts = [m.get("text") for m in emulator.bot_messages(user)]
                raise AssertionError(f"{user}: no answer to step {index}; received {texts}")
            await asyncio.sleep(0.02)
    assert last is not None
    match = re.search(r"(TS-\d{4}-\d{6}|GT-\d{6})", last.get("text") or "")
    assert match is not None
    return match.group(1)


async def _seed(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with UnitOfWork(create_sessionmaker(engine)) as uow:
            await seed_team(uow, NOW)
            rows = [{"project": "HY", "building": "3栋", "unit": f"{n:04d}", "name": f"业主{n}",
                     "phone": f"1391234{n:04d}"} for n in OWNER_IDS]
            report = await import_roster(uow, rows, NOW)
            assert report.ok, report.errors
            await uow.commit()
            for n in OWNER_IDS:
                owner = await uow.owners.by_phone(f"+861391234{n:04d}")
                assert owner is not None
                owner.telegram_user_id = owner.chat_id = n
            await uow.commit()
    finally:
        await engine.dispose()


@dataclass
class Outcome:
    rows: list[OutboxMessage]
    tickets: list[str]
    entries: int


async def _settled_outcome(database_url: str) -> Outcome:
    """Once nothing is left to send: the outbox, the case numbers and the log entries."""
    engine = create_engine(database_url)
    sessionmaker = create_sessionmaker(engine)
    try:
        for _ in range(3000):
            async with UnitOfWork(sessionmaker) as uow:
                if not await uow.outbox.pending():
                    break
            await asyncio.sleep(0.02)
        async with UnitOfWork(sessionmaker) as uow:
            rows = list((await uow.session.scalars(select(OutboxMessage))).all())
            tickets = list((await uow.session.scalars(select(Ticket.number))).all())
            entries = len((await uow.session.scalars(select(CommunicationEntry.id))).all())
            uow.session.expunge_all()
        return Outcome(rows, tickets, entries)
    finally:
        await engine.dispose()


@pytest.fixture
async def limited(emulator: BotAPIEmulator) -> AsyncIterator[BotAPIEmulator]:
    """The session's emulator enforcing Telegram's limits, for this test only."""
    emulator.reset()
    emulator.rate_limits = RateLimits()
    try:
        yield emulator
    finally:
        await emulator.stop_webhook()
        emulator.rate_limits = None


async def test_two_instances_behind_alternating_webhooks_share_one_budget(
    limited: BotAPIEmulator, postgres_url: str,
) -> None:
    emulator = limited
    await _seed(postgres_url)
    # One instance on each chat framework (as during a switch from one to the other): the same
    # database, one sender, one budget.
    instances = [await _start(emulator, postgres_url, framework) for framework in ("aiogram", "ptb")]
    try:
        for instance in instances:
            await _listening(instance)
        delivery = await emulator.start_webhook([instance.url for instance in instances], SECRET)
        numbers = await asyncio.gather(*(_person(emulator, user, COMPLAINT) for user in OWNER_IDS),
                                       *(_person(emulator, user, INQUIRY) for user in VISITOR_IDS))
        outcome = await _settled_outcome(postgres_url)
    except BaseException:
        for instance in instances:
            await _stop(instance)
            print(f"---- {instance.url}", *instance.lines[-60:], sep="\n")  # pytest shows it with the failure
        raise
    finally:
        for instance in instances:
            await _stop(instance)
    logs = "\n".join(line for instance in instances for line in instance.lines)

    # Both processes handled updates; exactly one of them sent, for both.
    assert all(delivery.posts[instance.url] >= 20 for instance in instances), delivery.posts
    assert delivery.given_up == []
    assert sum(len(instance.said("this instance is the leader")) for instance in instances) == 1, logs
    # Everyone answered; no case number twice.
    complaints, inquiries = numbers[:COMPLAINTS], numbers[COMPLAINTS:]
    assert len(set(complaints)) == COMPLAINTS and all(n.startswith("TS-2026-") for n in complaints)
    assert len(set(inquiries)) == INQUIRIES
    assert sorted(outcome.tickets) == sorted(complaints) and outcome.entries == INQUIRIES
    # No message sent twice: every message Telegram got is a sent outbox row's (a reply with a contact
    # button is two messages, its row records the second), and every sent row's message was delivered.
    delivered = {(chat, m["message_id"]): m for chat in emulator.chat_ids() for m in emulator.bot_messages(chat)}
    recorded = Counter((row.chat_id, message_id) for row in outcome.rows if row.status == "sent"
                       for message_id in row.message_ids or [])
    assert max(recorded.values()) == 1 and set(recorded) <= set(delivered)
    for (chat, message_id), message in delivered.items():
        if (chat, message_id) not in recorded:
            assert "_reply_keyboard" in message and (chat, message_id + 1) in recorded, message
    assert {row.status for row in outcome.rows} == {"sent"}
    sends = sum(emulator.stats.by_method[method] for method in ("sendMessage", "sendPhoto", "sendDocument"))
    assert sends == len(delivered)  # not one send refused
    # The planner's pushes (next year's holiday schedule is missing; the care cadence's reminder that
    # the quarter's report is not out; on the first working days of a week or month, the complaint
    # reports) were planned once, by one process.
    warnings = [row for row in outcome.rows if row.key.startswith("calendar:")]
    planned = [row for row in outcome.rows
               if row.key.startswith(("calendar:", "cadence:", "weekly-report:", "monthly-report:"))]
    assert warnings and sum(int(m.group(1)) for instance in instances
                            for m in instance.said(r"planned (\d+) pushes")) == len(planned), logs
    # One budget: Telegram never had to say 429, so nothing was sent inside a retry window either.
    assert emulator.stats.rejected_429 == 0
    assert emulator.stats.calls_in_retry_window == 0
