"""The delivery window of owners' care messages (DOMAIN 4.6, 09:00–20:00 local): the window a row
is planned for, the next one for a row that missed it, and a kind turned off and on again the same
day restoring that day's messages (on SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from dialogs.engine import Reply
from dialogs.text import Plain
from services.calendar.delivery import delivery_window, next_window
from services.care.consent import WORDING, ConsentKind, Source, record
from services.pushes import outbox
from services.pushes.purposes import Purpose
from storage.uow import UnitOfWork
from tests.factories import LI_PHONE, WANG_PHONE, seed_roster

SHANGHAI, HONG_KONG = "Asia/Shanghai", "Asia/Hong_Kong"
GREETINGS, EVENTS = ConsentKind.GREETINGS, ConsentKind.EVENTS


def _utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 5, day, hour, minute, tzinfo=UTC)


def test_the_window_a_row_is_planned_for() -> None:
    # 06:00 in Shanghai (22:00 UTC the day before): 09:00 to 20:00 that day.
    assert delivery_window(_utc(2, 22), SHANGHAI) == (_utc(3, 1), _utc(3, 12))
    # 13:00: from now to 20:00.
    assert delivery_window(_utc(3, 5), HONG_KONG) == (_utc(3, 5), _utc(3, 12))
    # 21:00: tomorrow's window.
    assert delivery_window(_utc(3, 13), SHANGHAI) == (_utc(4, 1), _utc(4, 12))


def test_the_next_window_after_one_that_ended() -> None:
    until = _utc(3, 12)  # 20:00 in Shanghai on 3 May
    assert next_window(until, _utc(3, 14)) == (_utc(4, 1), _utc(4, 12))  # 22:00: tomorrow 09:00–20:00
    assert next_window(until, until) == (_utc(4, 1), _utc(4, 12))  # 20:00 sharp is outside
    assert next_window(until, _utc(4, 3)) == (_utc(4, 1), _utc(4, 12))  # 11:00 the next day: that window, open
    assert next_window(until, _utc(6, 13)) == (_utc(7, 1), _utc(7, 12))  # down for days: the first one ahead


async def test_a_kind_turned_on_again_the_same_day_restores_that_days_messages(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    planned = _utc(2, 22)  # 06:00 on 3 May in Shanghai
    start, until = delivery_window(planned, SHANGHAI)
    async with uow_factory() as uow:
        await seed_roster(uow, planned)
        wang, li = await uow.owners.by_phone(WANG_PHONE), await uow.owners.by_phone(LI_PHONE)
        assert wang is not None and li is not None
        for owner in (wang.id, li.id):
            for kind in (GREETINGS, EVENTS):
                await record(uow, owner, kind, True, WORDING[kind], Source.CHAT, planned - timedelta(days=9))
        rows = (  # key, owner, purpose, the end of its window
            ("today", wang.id, Purpose.GREETING, until),
            ("yesterday", wang.id, Purpose.GREETING, until - timedelta(days=1)),  # its day has passed
            ("no-window", wang.id, Purpose.GREETING, None),  # written before windows were kept
            ("event", wang.id, Purpose.EVENT, until),  # another kind
            ("li", li.id, Purpose.GREETING, until),  # another owner
        )
        for key, owner, purpose, end in rows:
            await outbox.enqueue(uow, key=key, purpose=purpose, chat_id=owner, reply=Reply(Plain(key)), now=planned,
                                 owner_id=owner, not_before=end - timedelta(hours=11) if end else start,
                                 send_until=end)
        await uow.commit()
    async with uow_factory() as uow:
        for owner in (wang.id, li.id):  # both turn greetings off at 07:00, and Wang events too
            await record(uow, owner, GREETINGS, False, WORDING[GREETINGS], Source.SETTINGS, _utc(2, 23))
        await record(uow, wang.id, EVENTS, False, WORDING[EVENTS], Source.SETTINGS, _utc(2, 23))
        await uow.commit()
    async with uow_factory() as uow:  # Wang turns greetings on again at 08:00
        assert await record(uow, wang.id, GREETINGS, True, WORDING[GREETINGS], Source.SETTINGS, _utc(3, 0)) == 1
        assert uow.enqueued == 1  # the sender is woken
        await uow.commit()
    async with uow_factory() as uow:
        found = {key: (row.status, row.last_error) for key, *_ in rows if (row := await uow.outbox.by_key(key))}
    assert found == {
        "today": ("pending", None),
        "yesterday": ("cancelled", "consent withdrawn: greetings"),
        "no-window": ("cancelled", "consent withdrawn: greetings"),
        "event": ("cancelled", "consent withdrawn: events"),
        "li": ("cancelled", "consent withdrawn: greetings"),
    }
    async with uow_factory() as uow:  # turned on again after 20:00: nothing of that day comes back
        assert await record(uow, li.id, GREETINGS, True, WORDING[GREETINGS], Source.SETTINGS, until) == 0
        await uow.commit()
