"""The end of the delivery window enforced when sending (DOMAIN 4.6: owners' care messages
09:00–20:00 local): a row the drain claims after its ``send_until`` is never sent at night — a
greeting has missed its day and is dropped, a care message waits for the next morning. Through the
real sender and the Bot API emulator, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import Catalogs
from bot.sandbox.emulator import DEFAULT_TOKEN, BotAPIEmulator
from bot.settings import Settings
from dialogs.engine import Reply
from dialogs.text import Plain
from services.calendar.delivery import delivery_window
from services.common.clock import ManualClock
from services.pushes.drain import MISSED_DAY, OutboxDrain
from services.pushes.outbox import enqueue
from services.pushes.purposes import Purpose
from services.pushes.ratelimit import RateLimiter
from services.pushes.transport import Transport
from storage.db import create_sessionmaker
from storage.models import OutboxMessage
from storage.uow import UnitOfWork
from tests.frameworks import transport_on

ZONE = "Asia/Shanghai"
PLANNED = datetime(2027, 5, 2, 22, 0, tzinfo=UTC)  # 06:00 on 3 May in Shanghai
NIGHT = datetime(2027, 5, 3, 14, 0, tzinfo=UTC)  # 22:00 there
NEXT_MORNING = datetime(2027, 5, 4, 1, 0, tzinfo=UTC)  # 09:00 there


@pytest.fixture
async def transport(emulator: BotAPIEmulator, catalogs: Catalogs, chat_framework: str) -> AsyncIterator[Transport]:
    settings = Settings(_env_file=None, bot_token=SecretStr(DEFAULT_TOKEN), telegram_api_base=emulator.base_url)
    async with transport_on(chat_framework, settings, catalogs) as made:
        yield made


async def test_past_20_00_a_greeting_is_dropped_and_a_care_message_waits_for_the_next_morning(
    emulator: BotAPIEmulator, engine: AsyncEngine, transport: Transport,
) -> None:
    emulator.reset()
    emulator.rate_limits = None
    clock = ManualClock(PLANNED)
    sessionmaker = create_sessionmaker(engine)
    start, until = delivery_window(PLANNED, ZONE)
    assert (start, until) == (datetime(2027, 5, 3, 1, tzinfo=UTC), datetime(2027, 5, 3, 12, tzinfo=UTC))
    rows = (  # key, chat, purpose, the end of its window
        ("greeting", 601, Purpose.GREETING, until),
        ("care", 602, Purpose.CARE, until),
        ("case", 602, Purpose.CASE, None),  # after the care row in its chat: a case message has no window
        ("old-care", 603, Purpose.CARE, until - timedelta(days=3)),  # the bot was down for days
        ("night-case", 604, Purpose.CASE, None),
    )
    async with UnitOfWork(sessionmaker) as uow:
        for key, chat, purpose, end in rows:
            await enqueue(uow, key=key, purpose=purpose, chat_id=chat, reply=Reply(Plain(key)), now=PLANNED,
                          not_before=start, send_until=end)
        await uow.commit()

    clock.set(NIGHT)  # the sender comes at 22:00
    fast = RateLimiter(overall_per_second=30, per_chat_per_second=100, per_chat_burst=10)
    drain = OutboxDrain(sessionmaker, transport, clock, "zh_Hans_CN", limiter=fast)
    assert await drain.drain() == 2
    assert [m.get("text") for chat in (601, 602, 603, 604) for m in emulator.bot_messages(chat)] == \
        ["case", "night-case"]
    async with UnitOfWork(sessionmaker) as uow:
        found: dict[str, OutboxMessage] = {key: row for key, *_ in rows
                                           if (row := await uow.outbox.by_key(key)) is not None}
        uow.session.expunge_all()
    assert (found["greeting"].status, found["greeting"].last_error) == ("cancelled", MISSED_DAY)
    for key in ("care", "old-care"):  # tomorrow's window: 09:00 to 20:00 local
        row = found[key]
        assert (row.status, row.not_before, row.next_attempt_at, row.send_until, row.claimed_until, row.attempts) \
            == ("pending", NEXT_MORNING, NEXT_MORNING, NEXT_MORNING + timedelta(hours=11), None, 0)

    clock.set(NEXT_MORNING - timedelta(minutes=1))
    assert await drain.drain() == 0
    clock.set(NEXT_MORNING)
    assert await drain.drain() == 2
    assert [m.get("text") for m in emulator.bot_messages(602)] == ["case", "care"]
    assert [m.get("text") for m in emulator.bot_messages(603)] == ["old-care"]
    assert not emulator.bot_messages(601)
