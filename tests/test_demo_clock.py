"""The sandbox's demo clock (issue 12, item 16): a new sandbox starts inside working hours, and the page
moves the clock to the next working morning; the chat log it keeps across restarts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.sandbox.demo_clock import demo_start, in_working_hours, next_working_morning
from bot.sandbox.emulator import BotAPIEmulator
from bot.sandbox.state import SandboxState
from services.calendar.workdays import WorkCalendar
from services.common.clock import ManualClock

CN = WorkCalendar("CN")
SHANGHAI = "Asia/Shanghai"


def shanghai(day: str, time: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{time}+08:00").astimezone(UTC)


@pytest.mark.parametrize(("real", "start"), [
    (("2026-11-23", "10:00"), ("2026-11-23", "10:00")),  # a Monday morning: the real time
    (("2026-11-23", "19:59"), ("2026-11-23", "19:59")),
    (("2026-11-23", "20:00"), ("2026-11-24", "09:00")),  # the evening: the next morning
    (("2026-11-24", "03:10"), ("2026-11-24", "09:00")),  # the night: this morning
    (("2026-11-27", "23:00"), ("2026-11-30", "09:00")),  # Friday night: Monday
    (("2026-11-28", "11:00"), ("2026-11-30", "09:00")),  # a Saturday: staff are not pushed
    (("2026-09-30", "22:30"), ("2026-10-08", "09:00")),  # the eve of 国庆: after the holiday
    (("2026-10-10", "10:00"), ("2026-10-10", "10:00")),  # the Saturday worked instead (调休)
])
def test_a_new_demo_clock_starts_inside_working_hours(real: tuple[str, str], start: tuple[str, str]) -> None:
    begun = demo_start(shanghai(*real), SHANGHAI, CN)
    assert begun == shanghai(*start)
    assert in_working_hours(begun, SHANGHAI, CN)
    assert in_working_hours(shanghai(*real), SHANGHAI, CN) == (real == start)


@pytest.mark.parametrize(("now", "morning"), [
    (("2026-11-23", "10:00"), ("2026-11-24", "09:00")),
    (("2026-11-23", "08:30"), ("2026-11-23", "09:00")),  # still before 09:00 on a working day
    (("2026-11-28", "08:30"), ("2026-11-30", "09:00")),
    (("2026-09-30", "09:00"), ("2026-10-08", "09:00")),
])
def test_next_working_morning(now: tuple[str, str], morning: tuple[str, str]) -> None:
    assert next_working_morning(shanghai(*now), SHANGHAI, CN) == shanghai(*morning)


def test_the_chat_log_and_the_clock_come_back_after_a_restart(tmp_path: Path) -> None:
    state = SandboxState.beside(f"sqlite:///{tmp_path / 'estatebot.db'}", tmp_path / "data")
    assert state.directory == tmp_path / "estatebot.db.sandbox"
    assert SandboxState.beside("postgresql://postgres@127.0.0.1:5432/demo", Path("data")).directory == Path(
        "data/sandbox-127.0.0.1-demo")
    assert state.load() is None

    before = BotAPIEmulator()
    before.user(1001, "王芳")
    before.send_text(1001, "/menu")
    before.send_photo(1001, b"\x89PNG\r\n\x1a\n-photo")
    before.press(1001, {"message_id": 1, "chat": {"id": 1001}}, "m1:complaint")
    clock = ManualClock()
    clock.advance(timedelta(hours=7))
    state.save(clock.offset, json.dumps(before.chat_log(), ensure_ascii=False),
               {file_id: data for file_id, (data, _p, _n) in before.files.items()})

    saved = state.load()
    assert saved is not None and saved.clock_offset == timedelta(hours=7)
    after = BotAPIEmulator()
    after.restore_chat_log(saved.chat_log, state.file_data)
    assert after.messages(1001) == before.messages(1001)
    assert after.files == before.files
    assert after.users[1001]["first_name"] == "王芳"
    after.send_text(1001, "/help")
    assert after.messages(1001)[-1]["message_id"] == 3  # ids go on from the restored chat

    (state.directory / "chat-log.json").write_text("{not json", encoding="utf-8")
    assert state.load() is None  # a damaged file: a new sandbox, not a crash
    state.clear()
    assert not state.directory.exists()
