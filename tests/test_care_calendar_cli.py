"""`estatebot admin care specialist|document|occasion`: validation and what the administrator reads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from tests.factories import seed_roster

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path) -> Path:
    """A migrated database (a copy of the template) with the test roster."""
    import asyncio
    from datetime import UTC, datetime

    from storage.db import create_engine, create_sessionmaker
    from storage.uow import UnitOfWork

    path = tmp_path / "cli" / "estatebot.db"
    path.parent.mkdir()
    shutil.copy(sqlite_template, path)

    async def seed() -> None:
        engine = create_engine(f"sqlite:///{path}")
        try:
            async with UnitOfWork(create_sessionmaker(engine)) as uow:
                await seed_roster(uow, datetime(2026, 12, 1, tzinfo=UTC))
        finally:
            await engine.dispose()

    asyncio.run(seed())
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.delenv("TIMEZONE", raising=False)
    monkeypatch.chdir(tmp_path)
    return path


def test_specialist_set_and_cleared(cli_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["admin", "care", "specialist", "set", "--owner", "13812341234", "--staff", "13600000001"]) == 0
    assert "王芳 (138****1234): customer specialist is now 张敏" in capsys.readouterr().out
    assert main(["admin", "care", "specialist", "set", "--owner", "13812341234", "--none"]) == 0
    assert "customer specialist is now nobody" in capsys.readouterr().out
    assert main(["admin", "care", "specialist", "set", "--owner", "13812341234", "--staff", "13600000009"]) == 1
    assert "no active staff member with phone '13600000009'" in capsys.readouterr().err
    assert main(["admin", "care", "specialist", "set", "--owner", "13700000000", "--staff", "13600000001"]) == 1
    assert "no owner with phone" in capsys.readouterr().err


def test_documents_are_checked_by_content(cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "guide.pdf"
    fake.write_bytes(b"<html>not a pdf</html>")
    assert main(["admin", "care", "document", "add", "--project", "HY", str(fake)]) == 1
    assert "must be a PDF, JPEG or PNG file (checked by its content)" in capsys.readouterr().err
    assert main(["admin", "care", "document", "add", "--project", "XX", str(fake)]) == 1
    capsys.readouterr()
    big = tmp_path / "big.pdf"
    big.write_bytes(PDF + b"0" * (20 * 1024 * 1024))
    assert main(["admin", "care", "document", "add", "--project", "HY", str(big)]) == 1
    assert "larger than 20 MB" in capsys.readouterr().err
    good = tmp_path / "guide.bin"
    good.write_bytes(PDF)
    assert main(["admin", "care", "document", "add", "--project", "HY", str(good), "--name", "交付指南.pdf"]) == 0
    assert "document 1: 交付指南.pdf (PDF" in capsys.readouterr().out
    assert main(["admin", "care", "document", "list", "--project", "HY"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "id\tproject\tname\tadded" and lines[1].startswith("1\tHY\t交付指南.pdf\t")
    assert main(["admin", "care", "document", "remove", "1"]) == 0
    capsys.readouterr()
    assert main(["admin", "care", "document", "remove", "1"]) == 1
    assert main(["admin", "care", "document", "list"]) == 0
    assert "no delivery guides" in capsys.readouterr().out


def test_occasions(cli_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["admin", "care", "occasion", "add", "--owner", "13812341234", "--kind", "party", "--date", "2026-12-20"])
    with pytest.raises(SystemExit):
        main(["admin", "care", "occasion", "add", "--owner", "13812341234", "--kind", "birth", "--date", "20.12.2026"])
    capsys.readouterr()
    assert main(["admin", "care", "occasion", "add", "--owner", "13812341234", "--kind", "wedding",
                 "--date", "2026-12-20", "--note", "女儿出嫁", "--by", "张敏"]) == 0
    assert capsys.readouterr().out.startswith("occasion 1: wedding on 2026-12-20")
    assert main(["admin", "care", "occasion", "list", "--owner", "13812341234"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "1\t王芳\twedding\t2026-12-20\t女儿出嫁"
    assert main(["admin", "care", "occasion", "remove", "1"]) == 0
    assert main(["admin", "care", "occasion", "remove", "1"]) == 1
    assert main(["admin", "care", "occasion", "list"]) == 0
    assert "no family occasions recorded" in capsys.readouterr().out
