"""The admin command line as an office administrator reads it (issue 12, item 23): columns named as the
file names them, no logging noise, local times, inclusive periods, typed spreadsheets, honest re-import
counts and a sentence where a list is empty."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main
from dialogs.text import Msg, Plain
from services.repairs.reports import COLUMNS, Cell, period, period_text, rendered, write_xlsx
from storage.db import create_engine, create_sessionmaker
from storage.models import CommunicationEntry
from storage.uow import UnitOfWork

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path) -> Path:
    """A migrated database (a copy of the template)."""
    path = tmp_path / "cli" / "estatebot.db"
    path.parent.mkdir()
    shutil.copy(sqlite_template, path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.delenv("TIMEZONE", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return path


def test_admin_commands_print_no_log_lines(tmp_path: Path) -> None:
    """Alembic's INFO lines ("Context impl SQLiteImpl.") came with every command; now only the answer."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'estatebot.db'}", "PATH": "/usr/bin:/bin",
           "PYTHONPATH": str(PROJECT_ROOT)}

    def estatebot(*args: str) -> subprocess.CompletedProcess[str]:
        command = f"import sys; from bot.cli import main; sys.exit(main(['admin', *{list(args)!r}]))"
        return subprocess.run([sys.executable, "-c", command], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=60, check=False)

    migrated = estatebot("migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert migrated.stderr == ""
    assert migrated.stdout.startswith("database upgraded from an empty database to revision ")
    again = estatebot("migrate")
    assert (again.stderr, again.stdout.startswith("database already at revision ")) == ("", True)
    listed = estatebot("project", "list")
    assert (listed.returncode, listed.stderr) == (0, "")
    assert listed.stdout == "no projects yet; add one with: estatebot admin project add CODE NAME\n"


def test_empty_lists_say_so(cli_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["admin", "staff", "list"]) == 0
    assert capsys.readouterr().out.startswith("no staff members yet")
    assert main(["admin", "inbox"]) == 0
    assert capsys.readouterr().out == "the communication log is empty\n"
    assert main(["admin", "project", "add", "HY", "华苑"]) == 0
    capsys.readouterr()
    assert main(["admin", "warranty", "show", "HY"]) == 0
    assert "no contract overrides for HY: the statutory minimums apply" in capsys.readouterr().out
    assert main(["admin", "repairs", "ratings", "2026Q4"]) == 0
    assert capsys.readouterr().out == ("repairs received 2026-10-01 to 2026-12-31\n"
                                       "no completed repair jobs in this period\n")


def test_inbox_shows_the_office_time(cli_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    async def log_an_inquiry() -> None:
        engine = create_engine(f"sqlite:///{cli_db}")
        try:
            async with UnitOfWork(create_sessionmaker(engine)) as uow:
                uow.communication.add(CommunicationEntry(
                    created_at=datetime(2026, 11, 23, 17, 30, tzinfo=UTC), kind="inquiry", name="王芳",
                    text="停车位怎么申请？", status="open"))
                await uow.commit()
        finally:
            await engine.dispose()

    asyncio.run(log_an_inquiry())
    assert main(["admin", "inbox"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "number\treceived (Asia/Shanghai)\tkind\tstatus\tname\ttext"
    # 17:30 UTC is 01:30 the next morning in Shanghai: the date the office wrote it down.
    assert lines[1] == "GT-000001\t2026-11-24 01:30\tinquiry\topen\t王芳\t停车位怎么申请？"


def test_periods_print_their_last_day(cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert period_text(*period("2026Q4")) == "2026-10-01 to 2026-12-31"
    assert period_text(*period("2028-02")) == "2028-02-01 to 2028-02-29"
    assert period_text(*period("2026")) == "2026-01-01 to 2026-12-31"
    assert main(["admin", "repairs", "export", "2026Q4", str(tmp_path / "record.xlsx")]) == 0
    assert capsys.readouterr().out == (
        f"0 repair(s) received 2026-10-01 to 2026-12-31 written to {tmp_path / 'record.xlsx'}\n")
    sheet = load_workbook(tmp_path / "record.xlsx").active
    assert sheet["A2"].value == "编号" and sheet.max_row == 2  # headers, no rows
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref is not None


def test_the_record_sheet_stores_typed_cells_with_formats(tmp_path: Path) -> None:
    row: list[Cell] = [Plain("BX-2026-000001"), datetime(2026, 11, 23, 10, 5), Msg("Yes"), date(2026, 11, 26),
           Decimal("1200.50"), 5, None]
    path = tmp_path / "record.xlsx"
    write_xlsx(path, "维修服务及回访记录表", ["编号", "报修时间", "审计", "完成时限", "结算金额", "质量评分", "备注"],
               rendered([row], lambda text: f"«{text.text if isinstance(text, Plain) else 'yes'}»"))
    sheet = load_workbook(path).active
    number, received, audit, due, settlement, rating, comment = sheet[3]
    assert (number.value, audit.value) == ("«BX-2026-000001»", "«yes»")  # text through the reader's catalog
    assert received.is_date and received.value == datetime(2026, 11, 23, 10, 5)
    assert received.number_format == "yyyy-mm-dd hh:mm"
    assert due.is_date and due.value == datetime(2026, 11, 26) and due.number_format == "yyyy-mm-dd"
    assert settlement.data_type == "n" and settlement.value == 1200.5 and settlement.number_format == "#,##0.00"
    assert rating.data_type == "n" and rating.value == 5
    assert comment.value is None
    assert sheet.freeze_panes == "A3"  # the title and the header row stay in sight
    assert sheet.auto_filter.ref == "A2:G3"
    assert [c.font.bold for c in sheet[2]] == [True] * 7
    assert len(COLUMNS) == 23


def test_calendar_errors_name_the_files_own_columns(cli_db: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "2027.csv"
    bad.write_text("日期,上班,名称\n2027-10-32,休息,国庆节\n2027-10-02,也许,\n", encoding="utf-8")
    assert main(["admin", "calendar", "load", "CN", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "row 2, 日期: no such day" in err and "row 3, 上班: '也许' is not one of" in err
    no_working = tmp_path / "no_working.csv"
    no_working.write_text("日期,名称\n2027-10-01,国庆节\n", encoding="utf-8")
    assert main(["admin", "calendar", "load", "CN", str(no_working)]) == 1
    assert "missing columns: 上班 (working)" in capsys.readouterr().err


def test_a_project_is_named_per_locale(cli_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.i18n import Catalogs
    from services.people.project_names import names_text

    assert main(["admin", "project", "add", "HY", "华苑"]) == 0
    assert main(["admin", "project", "name", "HY", "zh_Hant_HK", "華苑"]) == 0
    assert main(["admin", "project", "name", "HY", "en", " Huayuan "]) == 0
    assert main(["admin", "project", "name", "HY", "xx", "Foo"]) == 1
    capsys.readouterr()
    assert main(["admin", "project", "list"]) == 0
    assert capsys.readouterr().out == "HY\t华苑\tCN\tAsia/Shanghai\ten=Huayuan  zh_Hant_HK=華苑\n"
    assert main(["admin", "project", "name", "HY", "en"]) == 0
    assert capsys.readouterr().out == "project HY: en readers see 华苑 (the stored name)\n"
    catalogs = Catalogs()
    text = names_text("华苑", {"zh_Hant_HK": "華苑"})
    # Taiwan readers get Hong Kong's Traditional name rather than the Simplified one; English the stored.
    assert [catalogs.get(locale).render(text) for locale in ("zh_Hans_CN", "zh_Hant_HK", "zh_Hant_TW")] == \
        ["华苑", "華苑", "華苑"]
    assert catalogs.get("en").render(names_text("华苑", None)) == "华苑"
