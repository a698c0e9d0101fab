"""`estatebot admin report weekly` prints the figures of tests/test_weekly_report.py's fixture."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from storage.db import create_engine, create_sessionmaker
from storage.uow import UnitOfWork
from tests.test_weekly_report import seed


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path) -> str:
    path = tmp_path / "cli" / "estatebot.db"
    path.parent.mkdir()
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return url


def _seed(url: str) -> None:
    async def go() -> None:
        engine = create_engine(url)
        try:
            await seed(lambda: UnitOfWork(create_sessionmaker(engine)))
        finally:
            await engine.dispose()

    asyncio.run(go())


def test_office_and_company_week(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    _seed(cli_db)
    assert main(["admin", "report", "weekly", "--week", "2026-W40", "--project", "HY"]) == 0
    out = capsys.readouterr().out
    assert "2026-W40 (2026-09-28 – 2026-10-04), HY" in out
    assert "total: new 2, closed 3, open 3, overdue 1" in out
    assert "  facility: new 1, closed 1, open 1, overdue 1" in out
    assert "progress within 3 working days: 1 of 2 met (50.0%)" in out
    assert "resolved within 7 days or the agreed extension: 1 of 2 met (50.0%)" in out
    assert "owner confirmation: 2 of 3 closed (66.7%)" in out
    assert "ratings: result 4.00 (2), attitude 3.00 (2)" in out
    assert "major complaints: 1\n  T4 [HY] facility / engineering, accepted" in out
    assert main(["admin", "report", "weekly", "--week", "2026-W40"]) == 0
    out = capsys.readouterr().out
    assert "company [HY, XY]" in out and "total: new 3, closed 3, open 4, overdue 1" in out
    assert main(["admin", "report", "weekly", "--project", "ZZ"]) == 1


def test_the_weekly_and_monthly_files_on_request(cli_db: str, capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    """--xlsx and --png write the workbook and chart the managers get in chat, in the chosen language."""
    from openpyxl import load_workbook

    _seed(cli_db)
    xlsx, png = tmp_path / "w.xlsx", tmp_path / "w.png"
    assert main(["admin", "report", "weekly", "--week", "2026-W40", "--project", "HY", "--xlsx", str(xlsx),
                 "--png", str(png), "--locale", "zh_Hant_HK"]) == 0
    out = capsys.readouterr().out
    assert f"workbook (zh_Hant_HK) written to {xlsx}" in out and f"chart (zh_Hant_HK) written to {png}" in out
    assert png.read_bytes().startswith(b"\x89PNG")
    book = load_workbook(xlsx)
    summary = book.worksheets[0]
    assert any("投訴" in str(cell.value) for row in summary.iter_rows() for cell in row if cell.value)
    assert summary._charts or any(sheet._charts for sheet in book.worksheets)
    monthly = tmp_path / "m.xlsx"
    assert main(["admin", "report", "monthly", "--month", "2026-09", "--xlsx", str(monthly)]) == 0
    out = capsys.readouterr().out
    assert "monthly complaint report 2026-09" in out and "report: not issued yet" in out
    assert load_workbook(monthly).worksheets[0]["A1"].value


def test_recipients_and_the_archive(cli_db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Who receives the published monthly report, set and listed; the archive of reports issued."""
    _seed(cli_db)
    assert main(["admin", "staff", "add", "--name", "吴总", "--department", "leadership", "--role",
                 "vice_president"]) == 0
    assert main(["admin", "staff", "add", "--name", "周主管", "--department", "quality", "--role", "manager",
                 "--project", "HY"]) == 0
    capsys.readouterr()
    assert main(["admin", "report", "recipients", "list"]) == 0
    assert "no recipients yet" in capsys.readouterr().out
    assert main(["admin", "report", "recipients", "add", "1", "--kind", "monthly"]) == 0
    assert main(["admin", "report", "recipients", "add", "2", "--kind", "monthly", "--project", "HY"]) == 0
    assert main(["admin", "report", "recipients", "add", "2", "--kind", "monthly", "--project", "HY"]) == 0
    out = capsys.readouterr().out
    assert "吴总 receives the monthly report (every office)" in out
    assert "周主管 already receives the monthly report (HY)" in out
    assert main(["admin", "report", "recipients", "list", "--kind", "monthly"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "monthly\tevery office\t1\t吴总 (not reachable)", "monthly\tHY\t2\t周主管 (not reachable)"]
    assert main(["admin", "report", "recipients", "remove", "2", "--kind", "monthly", "--project", "HY"]) == 0
    assert main(["admin", "report", "recipients", "remove", "2", "--kind", "monthly", "--project", "HY"]) == 1
    with pytest.raises(SystemExit):  # only the monthly report is published to a list
        main(["admin", "report", "recipients", "add", "1", "--kind", "weekly"])
    capsys.readouterr()
    assert main(["admin", "report", "archive", "list"]) == 0
    assert capsys.readouterr().out == "no reports issued\n"
    assert main(["admin", "report", "archive", "get", "99", str(tmp_path / "out")]) == 1
