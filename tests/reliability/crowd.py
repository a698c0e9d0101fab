"""Many people at once, for the reliability suite: owners to seed, their conversations as steps,
and one watcher that tells each of them when the bot has handled their update and sent every
answer to their chat — across crashes and restarts of the bot (it reads the database itself)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.sandbox.emulator import BotAPIEmulator
from dialogs.engine import Reply
from dialogs.text import Plain
from services.people.roster_import import import_roster
from services.pushes.outbox import enqueue
from services.pushes.purposes import Purpose
from storage.db import create_engine, create_sessionmaker
from storage.models import OutboxMessage, ProcessedUpdate
from storage.uow import UnitOfWork
from tests.factories import bind_owner, seed_team


@dataclass(frozen=True)
class Step:
    """Say ``text``, or press the button whose label contains ``press`` on the latest message with buttons."""

    text: str | None = None
    press: str | None = None


COMPLAINT = (Step("/menu"), Step(press="投诉"), Step(press="服务态度"), Step("保安对访客态度恶劣，还推搡了我的父亲。"),
             Step(press="跳过"), Step(press="使用"), Step(press="跳过"), Step(press="确认"))
INQUIRY = (Step("/menu"), Step(press="留言"), Step(press="咨询"), Step("电梯周末停运吗？"), Step("陈先生"),
           Step(press="跳过"), Step(press="确认"))
FILED = "您的投诉已登记"
ERROR = "出了点问题"


async def queue_rows(uow: UnitOfWork, tag: str, chats: Sequence[int], now: datetime) -> None:
    """One outbox row per entry of ``chats``, in this order, texts ``"{tag} #{index}"`` (as a planner
    or an announcement writes them); keys ``"{tag}:{index}"``."""
    for index, chat in enumerate(chats):
        await enqueue(uow, key=f"{tag}:{index}", purpose=Purpose.CASE, chat_id=chat,
                      reply=Reply(Plain(f"{tag} #{index}")), now=now)
    await uow.commit()


async def seed_owners(uow: UnitOfWork, now: datetime, chats: Sequence[int]) -> None:
    """The complaint team, plus one bound owner with one unit per chat id."""
    await seed_team(uow, now)
    rows = [{"project": "HY", "building": "9栋", "unit": f"{n + 1:04d}", "name": f"业主{n + 1}",
             "phone": f"137{n + 1:08d}"} for n in range(len(chats))]
    report = await import_roster(uow, rows, now)
    assert report.ok, report.errors
    await uow.commit()
    for n, chat in enumerate(chats):
        await bind_owner(uow, f"+86137{n + 1:08d}", chat)


class Watcher:
    """Resolves ``answered(update, chat)`` once the update's transaction committed (its id is in
    processed_updates) and no answer to the chat is left unsent. One poll for everyone, on a
    connection of its own: it keeps working while the bot is down."""

    def __init__(self, database_url: str) -> None:
        self._engine = create_engine(database_url)
        self._sessionmaker = create_sessionmaker(self._engine)
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Watcher:
        self._task = asyncio.create_task(self._poll())
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._engine.dispose()

    async def answered(self, update_id: int, chat_id: int, seconds: float = 90.0) -> None:
        done = asyncio.get_running_loop().create_future()
        self._waiting.append((update_id, chat_id, done))
        try:
            await asyncio.wait_for(done, seconds)
        except TimeoutError:
            raise AssertionError(f"update {update_id} of chat {chat_id} was not handled and answered") from None

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(0.05)
            waiting = [entry for entry in self._waiting if not entry[2].done()]
            self._waiting = waiting
            if not waiting:
                continue
            async with self._sessionmaker() as session:
                handled = set((await session.scalars(select(ProcessedUpdate.update_id).where(
                    ProcessedUpdate.update_id.in_([update for update, _chat, _done in waiting])))).all())
                unsent = set((await session.scalars(select(OutboxMessage.chat_id).where(
                    OutboxMessage.status == "pending", OutboxMessage.purpose == "answer",
                    OutboxMessage.chat_id.in_({chat for _update, chat, _done in waiting})))).all())
            for update, chat, done in waiting:
                if update in handled and chat not in unsent:
                    done.set_result(None)


async def converse(emulator: BotAPIEmulator, watcher: Watcher, chat: int, steps: Sequence[Step]) -> list[int]:
    """Take ``steps`` as a person does, each once the bot has answered the one before; the update ids."""
    updates: list[int] = []
    for step in steps:
        if step.text is not None:
            update = emulator.send_text(chat, step.text)
        else:
            assert step.press is not None
            message, data = button_of(emulator.bot_messages(chat), step.press)
            update = emulator.press(chat, message, data)
        updates.append(update)
        await watcher.answered(update, chat)
    return updates


def button_of(messages: list[dict[str, Any]], label: str) -> tuple[dict[str, Any], str]:
    for message in reversed(messages):
        rows = message.get("reply_markup", {}).get("inline_keyboard")
        if rows:
            for row in rows:
                for button in row:
                    if label in button["text"]:
                        return message, str(button["callback_data"])
            raise AssertionError(f"no button {label!r} on the latest question: {message.get('text')!r}")
    raise AssertionError("no message with buttons")


def texts(emulator: BotAPIEmulator, chat: int) -> list[str]:
    return [str(m.get("text") or m.get("caption") or "") for m in emulator.bot_messages(chat)]
