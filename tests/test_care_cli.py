"""`estatebot admin care template|preview|consent` as an administrator uses them (issue 14 items 1
and 5): rewording a care message per locale (placeholders checked, who and when recorded, the
change printed), the dry run (who would get what, when, in which locale — nothing kept), and
consents collected on paper. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bot.cli import main
from dialogs.engine import Reply
from dialogs.text import DateText, Lines, Msg, Plain, Template
from services.care.consent import ConsentKind, Source, record, settings
from services.care.consent_ask import ASKED_AFTER_BINDING_SINCE
from services.pushes import outbox
from services.pushes.drain import named
from services.pushes.purposes import Purpose
from storage.db import create_engine, create_sessionmaker
from storage.models import OutboxMessage, Owner, Project
from storage.uow import UnitOfWork
from tests.conftest import NOW
from tests.factories import CHAN_PHONE, LI_PHONE, WANG_PHONE, seed_roster

GREETING_CN = "🎂 {}，生日快乐！客户服务部全体同事祝您和家人在新的一年里身体健康、幸福美满。"
GREETINGS_Q_CN = "我们可以向您发送生日及家庭喜庆祝福吗？"


@pytest.fixture
def cli_database(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The test database (SQLite, and PostgreSQL when configured) as the admin commands' DATABASE_URL."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("TIMEZONE", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return database_url


def _with_uow(url: str, work: Callable[[UnitOfWork], Awaitable[object]]) -> object:
    async def go() -> object:
        engine = create_engine(url)
        try:
            async with UnitOfWork(create_sessionmaker(engine)) as uow:
                return await work(uow)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def test_template_list_show_set_and_reset(cli_database: str, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["admin", "care", "template", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0] == "kind\tplaceholders\treworded in\tdescription"
    assert any(line.startswith("birthday\t{name} {project}\t—\tthe birthday greeting") for line in listed)

    # Refused: an unknown placeholder, a bad brace, an unknown locale, an unknown kind (nothing saved).
    assert main(["admin", "care", "template", "set", "birthday", "--locale", "zh_Hant_HK",
                 "--text", "{nom}，生日快樂 {"]) == 1
    refused = capsys.readouterr()
    assert refused.out == ""
    # Every problem reported: the bad brace AND the unknown placeholder beside it.
    assert refused.err.startswith("2 problem(s) found; nothing was saved:\n  malformed braces")
    assert refused.err.endswith("\n  unknown placeholder {nom}; this kind has {name}, {project}\n")
    assert main(["admin", "care", "template", "set", "birthday", "--locale", "zh_Hant_HK",
                 "--text", "{nom}，生日快樂"]) == 1
    assert capsys.readouterr().err == ("1 problem(s) found; nothing was saved:\n"
                                       "  unknown placeholder {nom}; this kind has {name}, {project}\n")
    assert main(["admin", "care", "template", "set", "birthday", "--locale", "fr", "--text", "x"]) == 1
    assert "unknown locale 'fr'; use one of zh_Hans_CN, zh_Hant_HK, zh_Hant_TW, en" in capsys.readouterr().err
    assert main(["admin", "care", "template", "show", "wedding_cake"]) == 1
    assert "unknown care template kind 'wedding_cake'" in capsys.readouterr().err

    assert main(["admin", "care", "template", "set", "birthday", "--locale", "zh_Hant_HK",
                 "--text", "{name}，生日快樂！", "--by", "alice"]) == 0
    assert capsys.readouterr().out == ("birthday [zh_Hant_HK] reworded by alice\n"
                                       "  was: (the built-in wording)\n  now: {name}，生日快樂！\n")
    wording = tmp_path / "birthday.txt"
    wording.write_text("{name}，祝你生日快樂！\n", encoding="utf-8")
    assert main(["admin", "care", "template", "set", "birthday", "--locale", "zh_Hant_HK",
                 "--file", str(wording), "--by", "bob"]) == 0
    assert capsys.readouterr().out == ("birthday [zh_Hant_HK] reworded by bob\n"
                                       "  was: {name}，生日快樂！\n  now: {name}，祝你生日快樂！\n")
    assert main(["admin", "care", "template", "list"]) == 0
    assert any(line.startswith("birthday\t{name} {project}\tzh_Hant_HK\t") for line in capsys.readouterr().out.splitlines())

    assert main(["admin", "care", "template", "show", "birthday"]) == 0
    shown = capsys.readouterr().out
    assert "built-in (msgid): 🎂 Happy birthday, {name}!" in shown
    assert f"[zh_Hans_CN]\n  built-in: {GREETING_CN.format('{name}')}\n  admin's text: none (the built-in wording is sent)" in shown
    assert "[zh_Hant_HK]\n  built-in: 🎂 {name}，生日快樂！" in shown
    assert "  admin's text (sent; by bob, " in shown and "Asia/Shanghai): {name}，祝你生日快樂！" in shown
    assert main(["admin", "care", "template", "show", "birthday", "--locale", "en"]) == 0
    assert "[zh_Hant_HK]" not in (only_en := capsys.readouterr().out) and "[en]\n  built-in: 🎂 Happy" in only_en

    assert main(["admin", "care", "template", "reset", "birthday", "--locale", "zh_Hant_HK", "--by", "carol"]) == 0
    assert capsys.readouterr().out == ("birthday [zh_Hant_HK] back to the built-in wording, by carol\n"
                                       "  was: {name}，祝你生日快樂！\n")
    assert main(["admin", "care", "template", "reset", "birthday", "--locale", "zh_Hant_HK"]) == 0
    assert "already has the built-in wording; nothing changed" in capsys.readouterr().out

    # The audit: one row per save and per reset (not for the reset that changed nothing), oldest first.
    assert main(["admin", "care", "template", "history", "birthday", "--locale", "zh_Hant_HK"]) == 0
    history = capsys.readouterr().out.splitlines()
    assert [line.split("\t", 1)[1] for line in history[::3]] == ["zh_Hant_HK\talice", "zh_Hant_HK\tbob",
                                                                 "zh_Hant_HK\tcarol"]
    assert history[0].endswith(" Asia/Shanghai\tzh_Hant_HK\talice")
    assert [line for i, line in enumerate(history) if i % 3] == [
        "  was: (the built-in wording)", "  now: {name}，生日快樂！",
        "  was: {name}，生日快樂！", "  now: {name}，祝你生日快樂！",
        "  was: {name}，祝你生日快樂！", "  now: (the built-in wording)"]
    assert main(["admin", "care", "template", "history", "birthday", "--locale", "en"]) == 0
    assert capsys.readouterr().out == "birthday [en]: no edits recorded (the built-in wording)\n"


async def _seed_care_day(uow: UnitOfWork) -> dict[str, int]:
    """王芳: bound, greetings yes, a solar birthday on 25 June; 李伟: bound before consent existed,
    never asked; 陳大文: greetings yes, birthday on 25 June, reads zh_Hant_HK (an admin reworded it)."""
    await seed_roster(uow, NOW)
    ids: dict[str, int] = {}
    for phone, chat in ((WANG_PHONE, 7101), (LI_PHONE, 7102), (CHAN_PHONE, 7103)):
        owner = await uow.owners.by_phone(phone)
        assert owner is not None
        ids[phone] = owner.id
        await uow.session.execute(update(Owner).where(Owner.id == owner.id).values(
            telegram_user_id=chat, chat_id=chat, bound_at=ASKED_AFTER_BINDING_SINCE - timedelta(days=30)))
    for phone in (WANG_PHONE, CHAN_PHONE):
        await uow.session.execute(update(Owner).where(Owner.id == ids[phone]).values(
            birthday_calendar="solar", birthday_month=6, birthday_day=25))
        await record(uow, ids[phone], ConsentKind.GREETINGS, True, "paper", Source.ADMIN, NOW)
    await uow.care_templates.put("birthday", "zh_Hant_HK", "{name}，生日快樂！", "alice", NOW)
    await uow.commit()
    return ids


async def _outbox_rows(uow: UnitOfWork) -> int:
    return int(await uow.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


def test_preview_lists_who_would_get_what_and_keeps_nothing(cli_database: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    ids = _with_uow(cli_database, _seed_care_day)
    assert isinstance(ids, dict)
    assert main(["admin", "care", "preview", "--date", "2026-06-24", "--days", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("care preview 2026-06-24 to 2026-06-25, the rules run at 10:00 local each day: ")
    assert "birthday_greetings" in out.splitlines()[0] and "consent_ask" in out.splitlines()[0]
    wang = f"2026-06-25 10:00 Asia/Shanghai\tbirthday:{ids[WANG_PHONE]}:2026\tgreeting\t王芳 ({WANG_PHONE})\tzh_Hans_CN"
    assert f"{wang}\n  {GREETING_CN.format('王芳')}\n" in out
    chan = f"birthday:{ids[CHAN_PHONE]}:2026\tgreeting\t陳大文 ({CHAN_PHONE})\tzh_Hant_HK\n  陳大文，生日快樂！\n"
    assert chan in out
    # 李伟 was bound before consent existed and never asked: the question, with its buttons, on the first day.
    ask = f"2026-06-24 10:00 Asia/Shanghai\tconsent-ask:{ids[LI_PHONE]}:"
    assert ask in out and f"  {GREETINGS_Q_CN}\n" in out and "  buttons: [✅ 可以] [不用了，谢谢]\n" in out
    assert "\ncounts:\nkind\tlocale\trows\nbirthday\tzh_Hans_CN\t1\nbirthday\tzh_Hant_HK\t1\n" in out
    assert "consent-ask\tzh_Hans_CN\t1\n" in out
    assert out.endswith("dry run: nothing was sent or kept\n")
    assert _with_uow(cli_database, _outbox_rows) == 0  # rolled back

    assert main(["admin", "care", "preview", "--date", "2026-06-25", "--kind", "birthday", "--limit", "1"]) == 0
    limited = capsys.readouterr().out
    assert limited.count("\tbirthday:") == 1 and "… and 1 more (--limit)" in limited and "consent-ask:" not in limited
    assert "total\t\t2\n" in limited
    assert main(["admin", "care", "preview", "--date", "2026-06-26", "--kind", "birthday"]) == 0
    assert "nothing would be sent of kind birthday\n" in capsys.readouterr().out
    assert main(["admin", "care", "preview", "--days", "0"]) == 1
    assert _with_uow(cli_database, _outbox_rows) == 0


async def _pending_greeting(uow: UnitOfWork) -> int:
    owner = await uow.owners.by_phone(WANG_PHONE)
    assert owner is not None and owner.chat_id is not None
    await outbox.enqueue(uow, key="birthday:test", purpose=Purpose.GREETING, chat_id=owner.chat_id,
                         reply=Reply(Plain("生日快乐")), now=NOW, owner_id=owner.id,
                         not_before=NOW + timedelta(days=1))
    await uow.commit()
    return owner.id


async def _greeting_status(uow: UnitOfWork) -> tuple[str, str | None]:
    row = await uow.outbox.by_key("birthday:test")
    assert row is not None
    return row.status, row.last_error


def test_consent_from_paper_and_its_history(cli_database: str, capsys: pytest.CaptureFixture[str]) -> None:
    _with_uow(cli_database, _seed_care_day)
    assert main(["admin", "care", "consent", "show", "--owner", "138 0000 0000"]) == 1
    assert "no owner with phone +8613800000000" in capsys.readouterr().err
    assert main(["admin", "care", "consent", "show", "--owner", "139 0000 1111"]) == 0
    assert capsys.readouterr().out == (f"李伟 ({LI_PHONE}), times in Asia/Shanghai\n"
                                       "no decision recorded for any kind yet\n")

    _with_uow(cli_database, _pending_greeting)
    assert main(["admin", "care", "consent", "set", "--owner", "13812341234", "--kind", "greetings",
                 "--granted", "no", "--wording", "form-2024"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"王芳 ({WANG_PHONE}): greetings no (was yes), recorded ")
    assert out[0].endswith(" Asia/Shanghai, source admin, wording form-2024")
    assert out[1] == "1 pending greetings message(s) cancelled"
    assert _with_uow(cli_database, _greeting_status) == ("cancelled", "consent withdrawn: greetings")
    assert main(["admin", "care", "consent", "set", "--owner", "13812341234", "--kind", "events",
                 "--granted", "yes"]) == 0
    assert "events yes (was never asked)" in capsys.readouterr().out
    assert main(["admin", "care", "consent", "show", "--owner", "+86 138 1234 1234"]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert shown[:3] == [f"王芳 ({WANG_PHONE}), times in Asia/Shanghai", "recorded\tkind\tdecision\tsource\twording",
                         "2026-11-23 10:00\tgreetings\tyes\tadmin\tpaper"]
    assert [line.split("\t")[1:] for line in shown[3:]] == [["greetings", "no", "admin", "form-2024"],
                                                            ["events", "yes", "admin", "paper"]]


async def test_settings_dates_are_in_the_owners_project_zone(uow_factory: Callable[[], UnitOfWork]) -> None:
    async with uow_factory() as uow:
        await seed_roster(uow, NOW)
        owner = await uow.owners.by_phone(WANG_PHONE)
        assert owner is not None
        late = datetime(2026, 12, 6, 17, 0, tzinfo=UTC)  # 7 December 01:00 in Shanghai, still 6 December in LA
        await record(uow, owner.id, ConsentKind.GREETINGS, True, "paper", Source.ADMIN, late)
        shanghai = await settings(uow, owner.id)
        await uow.session.execute(update(Project).values(timezone="America/Los_Angeles"))
        los_angeles = await settings(uow, owner.id)
    assert isinstance(shanghai.text, Lines) and isinstance(los_angeles.text, Lines)
    assert _date_in(shanghai.text) == date(2026, 12, 7)
    assert _date_in(los_angeles.text) == date(2026, 12, 6)


def _date_in(lines: Lines) -> date:
    greetings = lines.items[1]
    assert isinstance(greetings, Msg) and isinstance(greetings.params["date"], DateText)
    return greetings.params["date"].value


def test_the_drain_fills_the_recipients_name_where_the_planner_left_it_out() -> None:
    template = Template("🎂 Happy birthday!", {"zh_Hant_HK": "{name}，生日快樂！"})
    filled = named(Reply(Lines((template, Plain("x")))), "陳大文")
    assert isinstance(filled.text, Lines) and filled.text.items[0] == Template(
        "🎂 Happy birthday!", {"zh_Hant_HK": "{name}，生日快樂！"}, {"name": Plain("陳大文")})
    given = Reply(Template("{name}", {}, {"name": Plain("王芳")}))
    assert named(given, "张敏") is given  # a name the planner gave stays
    plain = Reply(Msg("Hello"))
    assert named(plain, "张敏") is plain


def test_check_reports_every_problem_even_beside_a_malformed_brace() -> None:
    from services.care.templates import check

    allowed = frozenset({"name", "project"})
    assert check("{nam}，生日快樂！{project", allowed) == [
        "malformed braces (expected '}' before end of string); write {{ and }} for literal braces",
        "unknown placeholder {nam}; this kind has {name}, {project}"]
    assert check("{{lit}} {name:>3} {} }", allowed) == [
        "malformed braces (Single '}' encountered in format string); write {{ and }} for literal braces",
        "{name} takes no format (write {name} only)", "a placeholder needs a name, e.g. {name}"]
    assert check("{{{name}}} {project}", allowed) == []
