"""`estatebot admin report quarterly|yearly` prints the figures of tests/statistics_fixture.py and writes
the workbook."""

from __future__ import annotations

import asyncio
import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from services.reports.periods import PeriodKind, last_complete
from storage.db import create_engine, create_sessionmaker
from storage.uow import UnitOfWork
from tests.statistics_fixture import seed


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path) -> str:
    path = tmp_path / "cli" / "estatebot.db"
    path.parent.mkdir()
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)  # no stray .env

    async def go() -> None:
        engine = create_engine(url)
        try:
            await seed(lambda: UnitOfWork(create_sessionmaker(engine)))
        finally:
            await engine.dispose()

    asyncio.run(go())
    return url


def test_quarterly_office_and_company(cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    book = tmp_path / "q3.xlsx"
    assert main(["admin", "report", "quarterly", "--quarter", "2026-Q3", "--project", "HY", "--xlsx", str(book),
                 "--locale", "en"]) == 0
    out = capsys.readouterr().out
    assert "quarterly statistics 2026-Q3 (2026-07-01 – 2026-09-30), HY [HY]" in out
    assert ("complaints: new 4, closed 4, open 1, overdue 0; progress on time 3/4 (75.0%), resolved on time "
            "2/3 (66.7%); confirmed 3 of 4; ratings: result 4.00, attitude 3.33; major 0") in out
    assert "  李师傅: 2, 2 (100.0%), 1, 1, 1, 4.00, 5.00, 0, 80.00" in out
    assert "  王师傅: 2, 1 (50.0%), 0, 2, 2, 3.50, 3.50, 1, 450.50" in out
    assert "  张敏: 2, 2 (100.0%), 2, 4.50, 4.00, 1/2 (50.0%), 2/2 (100.0%)" in out
    assert "  陈静: 2, 1 (50.0%), 1, 3.00, 2.00, 2/2 (100.0%), 0/1 (0.0%)" in out
    assert ("communication log: 3 (inquiry 1, praise 1, suggestion 1); answered 2; average time to answer 19.2 h"
            in out)
    assert f"workbook (en) written to {book}" in out
    sheet = load_workbook(book)["Repair workers' evaluation"]
    assert sheet["A1"].value == "华苑: quarterly statistics, Q3 2026 — Repair workers' evaluation"
    assert [c.value for c in sheet[4]][:3] == ["王师傅", 2, 1]

    assert main(["admin", "report", "quarterly", "--quarter", "2026Q3"]) == 0
    out = capsys.readouterr().out
    assert "2026-Q3 (2026-07-01 – 2026-09-30), company [HY, XY]" in out
    assert "  王师傅: 3, 2 (66.7%), 1, 3, 3, 4.00, 4.00, 1, 500.50" in out


def test_yearly_and_mistakes(cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "2026.xlsx"
    assert main(["admin", "report", "yearly", "--year", "2026", "--project", "HY", "--xlsx", str(book)]) == 0
    out = capsys.readouterr().out
    assert "yearly statistics 2026 (2026-01-01 – 2026-12-31), HY" in out
    assert "  王师傅: 4, 3 (75.0%), 1, 2, 2, 3.50, 3.50, 1, 550.50" in out
    assert "workbook (zh_Hans_CN)" in out and book.stat().st_size > 0
    # Without a period: the last complete one (what the defaults give today, printed as such).
    assert main(["admin", "report", "yearly"]) == 0
    today = date.today()
    assert f"yearly statistics {last_complete(PeriodKind.YEAR, today).code}" in capsys.readouterr().out
    assert main(["admin", "report", "quarterly"]) == 0
    assert f"quarterly statistics {last_complete(PeriodKind.QUARTER, today).code}" in capsys.readouterr().out
    assert main(["admin", "report", "quarterly", "--project", "ZZ"]) == 1
    with pytest.raises(SystemExit):
        main(["admin", "report", "quarterly", "--quarter", "2026"])
