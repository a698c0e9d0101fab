"""The chat core without any chat framework: plain inbound events through the pipeline, replies
out through a transport, on SQLite and PostgreSQL. The transport here records what the adapter
would send; the adapter itself (aiogram) is covered by the end-to-end tests."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from dialogs.actions import DialogPress, LanguagePress, MenuPress, OwnerCasePress, ReplyPress, encode
from dialogs.engine import Reply
from dialogs.text import Msg, Plain
from handlers import build_router
from handlers.inbound import ButtonIn, Inbound, MessageIn, Sender
from handlers.pipeline import Pipeline
from services.cases.kinds import Deadline, register_kind, registered_kinds
from services.cases.statuses import TRANSITIONS, InvalidTransition, Status, can_move, move
from services.common.clock import ManualClock
from services.pushes.planner import plan
from services.pushes.purposes import Purpose
from services.pushes.rules import PlanRound, register_rule, registered_rules
from services.pushes.transport import Media, Part, Transient
from storage.db import create_sessionmaker
from storage.models import Ticket
from storage.uow import UnitOfWork
from tests.conftest import NOW
from tests.factories import WANG_PHONE, seed_roster


@dataclass
class RecordingTransport:
    sent: list[tuple[int, Part, str]] = field(default_factory=list)
    answers: list[tuple[str, str | None, str]] = field(default_factory=list)
    cleared: list[tuple[int, int]] = field(default_factory=list)
    edited: list[tuple[int, int, Reply]] = field(default_factory=list)
    deleted: list[tuple[int, int]] = field(default_factory=list)

    async def send(self, chat_id: int, part: Part, locale: str, *, request_timeout: float | None = None) -> int:
        self.sent.append((chat_id, part, locale))
        return len(self.sent)

    async def clear_buttons(self, chat_id: int, message_id: int) -> None:
        self.cleared.append((chat_id, message_id))

    async def edit(self, chat_id: int, message_id: int, reply: Reply, locale: str) -> None:
        self.edited.append((chat_id, message_id, reply))

    async def delete(self, chat_id: int, message_id: int) -> None:
        self.deleted.append((chat_id, message_id))

    async def file_head(self, file_id: str, size: int) -> bytes | None:
        return None  # not fetched: a step goes by what the message declared

    async def answer_button(self, query_id: str, alert: str | None, locale: str, *, toast: bool = False) -> None:
        self.answers.append((query_id, alert, locale))

    def msgids(self) -> list[str]:
        return [part.text.msgid for _chat, part, _locale in self.sent
                if isinstance(part, Reply) and isinstance(part.text, Msg)]


@dataclass
class Core:
    pipeline: Pipeline
    transport: RecordingTransport
    uow: Callable[[], UnitOfWork]
    updates: int = 0

    async def send(self, user: int, message: MessageIn, *, update_id: int | None = None,
                   language: str | None = "zh-hans") -> bool:
        if update_id is None:
            self.updates += 1
            update_id = self.updates
        inbound = Inbound(update_id, user, Sender(user, language), message=message)
        return await self.pipeline.handle(inbound, self.transport) is not None

    async def press(self, user: int, data: str, message_id: int = 1) -> None:
        self.updates += 1
        inbound = Inbound(self.updates, user, Sender(user, "zh-hans"), button=ButtonIn(f"q{self.updates}", data,
                                                                                        message_id))
        await self.pipeline.handle(inbound, self.transport)


@pytest.fixture
def core(engine: AsyncEngine) -> Core:
    sessionmaker = create_sessionmaker(engine)
    pipeline = Pipeline(sessionmaker, ManualClock(NOW), build_router(), default_locale="zh_Hans_CN",
                        timezone="Asia/Shanghai")
    return Core(pipeline, RecordingTransport(), lambda: UnitOfWork(sessionmaker))


async def test_an_unknown_person_is_welcomed_and_offered_the_menu(core: Core) -> None:
    assert await core.send(501, MessageIn("text", text="/start"))
    assert core.transport.msgids()[-1] == "What would you like to do?"
    chat, welcome, locale = core.transport.sent[0]
    assert chat == 501 and locale == "zh_Hans_CN" and isinstance(welcome, Reply) and welcome.request_contact


async def test_a_redelivered_update_is_ignored(core: Core) -> None:
    assert await core.send(502, MessageIn("text", text="/help"), update_id=77)
    sent = len(core.transport.sent)
    assert not await core.send(502, MessageIn("text", text="/help"), update_id=77)
    assert len(core.transport.sent) == sent


async def test_a_menu_press_starts_a_dialog_and_its_answer_clears_the_buttons(core: Core) -> None:
    await core.send(503, MessageIn("text", text="/start"))
    await core.press(503, encode(MenuPress("inquiry")))
    assert core.transport.answers[-1][1] is None  # the spinner stops, no alert
    question = core.transport.sent[-1][1]
    assert isinstance(question, Reply) and question.rev is not None
    await core.press(503, encode(DialogPress(question.rev, "c:praise")), message_id=41)
    assert core.transport.cleared == [(503, 41)]
    async with core.uow() as uow:
        chat = await uow.chats.get(503)
        assert chat is not None and chat.dialog is not None and chat.dialog["step"] == "text"


@pytest.mark.parametrize("data", ["zz:1", "t1:1:acc", "m1:queue", "o1:999:view", "d1:1:ok", "x" * 80])
async def test_forged_or_foreign_buttons_get_an_alert_and_change_nothing(core: Core, data: str) -> None:
    await core.press(504, data)
    _query, alert, _locale = core.transport.answers[-1]
    assert alert in ("This button is not valid.", "This option is not available to you.",
                     "This button is no longer valid.")
    assert core.transport.sent == []


async def test_the_reply_follows_the_new_language_at_once(core: Core) -> None:
    await core.press(505, encode(LanguagePress("zh_Hant_HK")))
    assert core.transport.sent[-1][2] == "zh_Hant_HK"
    await core.send(505, MessageIn("text", text="/help"))
    assert core.transport.sent[-1][2] == "zh_Hant_HK"


async def test_an_owner_sees_only_their_own_case(core: Core) -> None:
    async with core.uow() as uow:
        await seed_roster(uow, NOW)
    await core.send(506, MessageIn("contact", contact_phone=WANG_PHONE, contact_user_id=506))
    await core.press(506, encode(OwnerCasePress(1, "view")))  # no case 1 exists, and none is theirs
    assert core.transport.answers[-1][1] == "This button is not valid."


async def test_a_failing_feature_rolls_back_and_says_so(core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
    from handlers import menu

    def broken(identity: object) -> Reply:
        raise RuntimeError("boom")

    monkeypatch.setattr(menu, "help_text", broken)
    await core.send(507, MessageIn("text", text="/help"), update_id=500)
    assert core.transport.msgids() == ["Sorry, something went wrong. Please try again."]
    async with core.uow() as uow:  # the update id was not recorded: a redelivery is handled again
        assert await uow.updates.claim(500, NOW)


def test_the_core_runs_without_importing_a_chat_framework() -> None:
    script = (
        "import sys, handlers, handlers.pipeline, services.capabilities, services.pushes.drain, bot.runtime, bot.cli\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('aiogram', 'telegram')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


class FlakyTransport(RecordingTransport):
    """Telegram's answer to the button fails (a network error); the replies must still go out."""

    async def answer_button(self, query_id: str, alert: str | None, locale: str, *, toast: bool = False) -> None:
        raise Transient("TelegramNetworkError: connection reset")

    async def clear_buttons(self, chat_id: int, message_id: int) -> None:
        raise RuntimeError("not even a transport error")


async def test_a_failing_button_answer_does_not_keep_the_replies_back(engine: AsyncEngine) -> None:
    sessionmaker = create_sessionmaker(engine)
    pipeline = Pipeline(sessionmaker, ManualClock(NOW), build_router(), default_locale="zh_Hans_CN",
                        timezone="Asia/Shanghai")
    transport = FlakyTransport()
    await pipeline.handle(Inbound(1, 508, Sender(508), button=ButtonIn("q", encode(MenuPress("inquiry")), 3)),
                          transport)
    assert transport.msgids() == ["What would you like to tell us?"]
    async with UnitOfWork(sessionmaker) as uow:  # the step was saved before anything was delivered
        chat = await uow.chats.get(508)
        assert chat is not None and chat.dialog is not None and chat.dialog["dialog"] == "inquiry"


async def test_the_drain_is_woken_after_the_replies(engine: AsyncEngine) -> None:
    sessionmaker = create_sessionmaker(engine)
    transport = RecordingTransport()
    woken_after: list[int] = []  # how many messages had gone out when the drain was woken
    pipeline = Pipeline(sessionmaker, ManualClock(NOW), build_router(), default_locale="zh_Hans_CN",
                        timezone="Asia/Shanghai", on_committed=lambda: woken_after.append(len(transport.sent)))
    core = Core(pipeline, transport, lambda: UnitOfWork(sessionmaker))
    async with core.uow() as uow:
        roster = await seed_roster(uow, NOW)

    async def answer(user: int, code: str | None = None, text: str | None = None) -> None:
        question = transport.sent[-1][1]
        assert isinstance(question, Reply) and question.rev is not None
        if text is not None:
            await core.send(user, MessageIn("text", text=text))
        else:
            await core.press(user, encode(DialogPress(question.rev, code or "ok")))

    # Someone not registered leaves a message; customer service answers it.
    await core.press(510, encode(MenuPress("inquiry")))
    await answer(510, "c:praise")
    await answer(510, text="物业的保安很负责，谢谢！")
    await answer(510, text="陈先生")
    await answer(510, "-")  # no phone
    await answer(510, "ok")
    await core.send(511, MessageIn("text", text=f"/start {roster.service_agent_code}"))
    await core.press(511, encode(ReplyPress(1)))
    await answer(511, text="谢谢您的表扬，我们会转达。")
    assert woken_after == []
    await answer(511, "ok")  # the relay to the person is an outbox row
    assert transport.msgids()[-1] == "Reply to {number} sent."
    assert woken_after == [len(transport.sent)]


# ---------------------------------------------------------------- statuses, kinds and push rules


def test_every_status_has_its_row_in_the_transition_table() -> None:
    assert set(TRANSITIONS) == set(Status)
    assert can_move("resolved", Status.CONFIRMED) and can_move("new", Status.NEW)
    assert not can_move("closed", Status.ACCEPTED) and not can_move("survey", Status.RESOLVED)


def test_a_move_the_table_does_not_allow_is_refused() -> None:
    ticket = Ticket(number="TS-2026-000001", status=Status.CLOSED)
    with pytest.raises(InvalidTransition, match="TS-2026-000001: closed"):
        move(ticket, Status.ACCEPTED)
    assert ticket.status == Status.CLOSED


def test_case_kinds_are_registered_once_with_distinct_prefixes() -> None:
    assert {kind.name: kind.prefix for kind in registered_kinds()} == {"complaint": "TS", "repair": "BX"}
    complaint = registered_kinds()[0]
    register_kind(complaint)  # the same kind again is harmless

    class Copy:
        name, prefix = "copy", complaint.prefix

    with pytest.raises(ValueError, match="prefix"):
        register_kind(Copy())  # type: ignore[arg-type]


def test_kinds_report_their_open_deadlines() -> None:
    complaint, repair = registered_kinds()
    ticket = Ticket(status=Status.NEW, progress_due=date(2026, 11, 26), resolve_due=date(2026, 11, 30),
                    progress_reported_at=None)
    assert [d.which for d in complaint.deadlines(ticket)] == ["progress", "resolve"]
    assert repair.deadlines(Ticket(status=Status.ISSUED, resolve_due=date(2026, 11, 30))) == [
        Deadline("resolve", date(2026, 11, 30), "Resolution")]
    # The site survey, due the next working day: escalated once late, no reminder the day before.
    assert repair.deadlines(Ticket(status=Status.SURVEY, progress_due=date(2026, 11, 24))) == [
        Deadline("progress", date(2026, 11, 24), "Site survey", remind_before=False)]


async def test_a_registered_push_rule_runs_in_every_round(uow_factory: Callable[[], UnitOfWork]) -> None:
    seen: list[datetime] = []

    class Probe:
        name = "probe"

        async def plan(self, round_: PlanRound) -> None:
            seen.append(round_.now)
            await round_.open_tickets()

    probe = Probe()
    async with uow_factory() as uow:
        await plan(uow, NOW, rules=[*registered_rules(), probe])
        await plan(uow, NOW + timedelta(minutes=1), rules=[probe])
    assert seen == [NOW, NOW + timedelta(minutes=1)]
    with pytest.raises(ValueError, match="registered already"):
        register_rule(registered_rules()[0])


async def test_a_failing_rule_is_undone_alone(uow_factory: Callable[[], UnitOfWork],
                                             caplog: pytest.LogCaptureFixture) -> None:
    """A rule that raises after writing loses its rows; the rules after it still plan, and commit."""
    from services.pushes import outbox

    class Broken:
        name = "broken"

        async def plan(self, round_: PlanRound) -> None:
            await outbox.enqueue(round_.uow, key="broken:1", purpose=Purpose.REMINDER, chat_id=1,
                                 reply=Reply(Plain("x")), now=round_.now)
            round_.planned("broken:1")
            raise RuntimeError("the chart cannot be drawn")

    class Fine:
        name = "fine"

        async def plan(self, round_: PlanRound) -> None:
            await outbox.enqueue(round_.uow, key="fine:1", purpose=Purpose.REMINDER, chat_id=1,
                                 reply=Reply(Plain("y")), now=round_.now)
            round_.planned("fine:1")

    async with uow_factory() as uow:
        report = await plan(uow, NOW, rules=[Broken(), Fine()])
        await uow.commit()
    assert report.keys == ["fine:1"]
    assert "push rule broken failed" in caplog.text
    async with uow_factory() as uow:
        assert await uow.outbox.by_key("broken:1") is None
        assert await uow.outbox.by_key("fine:1") is not None


def test_media_parts_name_their_kind() -> None:
    assert Media("photo", "AgAD").kind == "photo"
