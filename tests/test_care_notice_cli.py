"""`estatebot admin care notice …` and `care stats` (issue 14 items 3, 6): a notice is checked
before it is stored, prints who is in scope, shows its statistics, and is cancelled with its rows."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.cli import main
from services.care.consent import ConsentKind
from storage.db import create_engine, create_sessionmaker
from storage.uow import UnitOfWork
from tests.consent_helpers import consent_to
from tests.factories import LI_PHONE, WANG_PHONE, seed_roster


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path) -> Path:
    path = tmp_path / "cli" / "estatebot.db"
    path.parent.mkdir()
    shutil.copy(sqlite_template, path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.delenv("TIMEZONE", raising=False)
    monkeypatch.chdir(tmp_path)
    return path


async def _seed(path: Path) -> None:
    """The roster; 王芳 and 李伟 bound, 王芳 consented to events."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        async with UnitOfWork(create_sessionmaker(engine)) as uow:
            now = datetime.now(UTC)
            await seed_roster(uow, now - timedelta(days=1))
            for n, phone in enumerate((WANG_PHONE, LI_PHONE)):
                owner = await uow.owners.by_phone(phone)
                assert owner is not None
                owner.chat_id = 100 + n
                if phone == WANG_PHONE:
                    await uow.session.flush()
                    await consent_to(uow, [owner.id], now, ConsentKind.EVENTS)
            await uow.commit()
    finally:
        await engine.dispose()


def test_a_notice_is_checked_scheduled_shown_and_cancelled(cli_db: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    import asyncio

    asyncio.run(_seed(cli_db))
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    later = (today + timedelta(days=20)).isoformat()
    pdf, fake = tmp_path / "report.pdf", tmp_path / "fake.pdf"
    pdf.write_bytes(b"%PDF-1.4\nx")
    fake.write_bytes(b"<html>")
    (tmp_path / "en.txt").write_text("Open day at {place}, {date} {time}", encoding="utf-8")

    assert main(["admin", "care", "notice", "add", "--project", "HY", "--kind", "open_day", "--date", later,
                 "--building", "9栋", "--text-en", "{colour}", "--attach", str(fake)]) == 1
    err = capsys.readouterr().err
    assert "nothing was scheduled" in err
    for expected in ("no building '9栋'", "needs --time", "needs a place", "unknown placeholder {colour}",
                     "fake.pdf: not a PDF, JPEG or PNG file"):
        assert expected in err
    assert main(["admin", "care", "notice", "add", "--project", "HY", "--kind", "topping_out", "--date",
                 (today - timedelta(days=1)).isoformat()]) == 1
    assert "is in the past" in capsys.readouterr().err
    assert main(["admin", "care", "notice", "add", "--project", "HY", "--kind", "newsletter", "--date", later,
                 "--attach", str(tmp_path / "missing.pdf")]) == 1
    assert "no such file" in capsys.readouterr().err

    assert main(["admin", "care", "notice", "add", "--project", "HY", "--building", "1栋", "--kind", "open_day",
                 "--date", later, "--time", "10:30", "--place-zh_Hans_CN", "售楼处", "--text-file",
                 f"en={tmp_path / 'en.txt'}", "--attach", str(pdf)]) == 0
    out = capsys.readouterr().out
    assert "notice #1 scheduled: open_day for HY (1栋), goes out on " + (today + timedelta(days=13)).isoformat() in out
    assert "owners in scope now: 2: not on the bot 0, without consent 1, would get it 1" in out
    assert "attached: report.pdf (document)" in out

    assert main(["admin", "care", "notice", "list"]) == 0
    assert "1\t" + (today + timedelta(days=13)).isoformat() + "\topen_day\tHY\t1栋\tscheduled" in capsys.readouterr().out
    assert main(["admin", "care", "notice", "show", "1"]) == 0
    out = capsys.readouterr().out
    assert "place [zh_Hans_CN]: 售楼处" in out and "text [en]: Open day at {place}, {date} {time}" in out
    assert "10:30 (Asia/Shanghai)" in out
    assert "owners in scope now: 2: not on the bot 0, without consent 1, would get it 1" in out
    assert main(["admin", "care", "notice", "cancel", "1"]) == 0
    assert "notice #1 cancelled; messages stopped before sending: 0" in capsys.readouterr().out
    assert main(["admin", "care", "stats", "--notice", "1"]) == 0
    out = capsys.readouterr().out
    assert "\topen_day\tHY\t1栋\tcancelled\t0\t0\t0\t0\t0\t0\t0\towners in scope now: 2:" in out
    assert main(["admin", "care", "stats"]) == 0
    assert "by kind" in capsys.readouterr().out
