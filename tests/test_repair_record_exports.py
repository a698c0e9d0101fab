"""Record exports of a repair's own records (issue 15, item 4): 《工程派工单》 and 《现场勘察会签表》 as
.xlsx through `estatebot admin report export …`, opened with openpyxl and checked cell by cell, on
SQLite and PostgreSQL; the older commands' sheets through the new command too."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main
from services.reports.repair_exports import SURVEY_COLUMNS, WORK_ORDER_COLUMNS
from tests.repair_records_fixture import WORK_DONE, seed_repairs


@pytest.fixture
def seeded(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("TIMEZONE", raising=False)
    monkeypatch.chdir(tmp_path)
    seed_repairs(database_url)
    return database_url


def _cells(path: Path) -> tuple[list[object], list[dict[str, object]]]:
    sheet = load_workbook(path).active
    headers = [c.value for c in sheet[2]]
    return headers, [dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=3)]


def test_work_order_export(seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "orders.xlsx"
    assert main(["admin", "report", "export", "work-orders", "2026-Q4", str(path), "--project", "HY"]) == 0
    assert capsys.readouterr().out == f"1 work order(s) made out 2026-10-01 to 2026-12-31 written to {path}\n"
    sheet = load_workbook(path).active
    assert sheet["A1"].value == "工程派工单" and sheet.title == "工程派工单" and sheet["A1"].font.bold
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:P3"
    assert all(c.font.bold for c in sheet[2]) and len(WORK_ORDER_COLUMNS) == 16
    headers, rows = _cells(path)
    assert headers == ["编号", "案件编号", "派工时间", "类别", "费用承担", "涉及工种", "维修人员", "完成时限", "完工时间",
                       "维修内容", "结算金额", "验收时间", "验收人", "审计", "扣质保金", "状态"]
    (order,) = rows
    assert [order[h].value for h in ("编号", "案件编号", "类别", "费用承担", "涉及工种", "维修人员", "验收人")] == [  # type: ignore[attr-defined]
        "BX-2026-000007-1", "BX-2026-000007", "A类", "施工单位（质量保证金）", "防水、渗漏和墙面、顶棚、地面", "张师傅", "李客服"]
    issued = order["派工时间"]
    assert issued.value == datetime(2026, 11, 24, 11, 0) and issued.number_format == "yyyy-mm-dd hh:mm"  # type: ignore[attr-defined]
    due = order["完成时限"]
    assert due.value == datetime(2026, 12, 3) and due.number_format == "yyyy-mm-dd"  # type: ignore[attr-defined]
    settlement = order["结算金额"]
    assert settlement.data_type == "n" and settlement.value == 21560.5  # type: ignore[attr-defined]  # 21,560.50 yuan
    assert settlement.number_format == "#,##0.00"  # type: ignore[attr-defined]
    assert order["完工时间"].value == datetime(2026, 11, 27, 17, 45)  # type: ignore[attr-defined]
    assert order["维修内容"].value == WORK_DONE and order["维修内容"].alignment.wrap_text  # type: ignore[attr-defined]
    assert [order[h].value for h in ("审计", "扣质保金", "状态")] == ["是", "是", "已验收"]  # type: ignore[attr-defined]
    # Every project, in Hong Kong's words: the other project's order waits for its cost approval.
    hk = tmp_path / "orders_hk.xlsx"
    assert main(["admin", "report", "export", "work-orders", "2026-11", str(hk), "--locale", "zh_Hant_HK"]) == 0
    sheet = load_workbook(hk).active
    assert sheet["A1"].value == "工程派工單" and sheet.auto_filter.ref == "A2:P4"
    headers, rows = _cells(hk)
    assert headers[:4] == ["編號", "個案編號", "派工時間", "類別"] and "承建商（保留金）" in [r["費用承擔"].value for r in rows]  # type: ignore[attr-defined]
    assert [r["狀態"].value for r in rows] == ["已驗收", "等待費用審批"]  # type: ignore[attr-defined]
    assert rows[1]["派工時間"].value is None and rows[1]["結算金額"].value is None  # type: ignore[attr-defined]


def test_site_survey_export(seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "surveys.xlsx"
    assert main(["admin", "report", "export", "site-surveys", "2026Q4", str(path), "--project", "HY"]) == 0
    assert capsys.readouterr().out == f"2 site survey(s) recorded 2026-10-01 to 2026-12-31 written to {path}\n"
    sheet = load_workbook(path).active
    assert sheet["A1"].value == "现场勘察会签表" and sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:N4"
    headers, rows = _cells(path)
    assert len(headers) == len(SURVEY_COLUMNS)
    assert headers == ["案件编号", "勘察时间", "记录人", "参加人员", "责任方", "部位", "涉及工种", "预估费用", "施工单位代表",
                       "会签", "会签人", "会签时间", "异议", "备注"]
    objected, signed = rows
    assert [objected[h].value for h in ("案件编号", "记录人", "会签", "会签人", "异议")] == [  # type: ignore[attr-defined]
        "BX-2026-000007", "李客服", "有异议", "刘工", "渗漏点在业主自行改动的地漏，不属施工质量问题"]
    assert objected["责任方"].value == "施工单位（工程质量缺陷）" and objected["部位"].value == "有防水要求的卫生间、房间"  # type: ignore[attr-defined]
    estimate = signed["预估费用"]
    assert estimate.value == 1520.5  # type: ignore[attr-defined]
    assert estimate.data_type == "n" and estimate.number_format == "#,##0.00"  # type: ignore[attr-defined]
    recorded = signed["勘察时间"]
    assert recorded.value == datetime(2026, 11, 24, 9, 30) and recorded.number_format == "yyyy-mm-dd hh:mm"  # type: ignore[attr-defined]
    assert signed["会签"].value == "已会签" and signed["异议"].value is None and signed["备注"].value == "闭水试验确认防水层破损"  # type: ignore[attr-defined]
    hk = tmp_path / "surveys_hk.xlsx"
    assert main(["admin", "report", "export", "site-surveys", "2026", str(hk), "--locale", "zh_Hant_HK"]) == 0
    sheet = load_workbook(hk).active
    assert sheet["A1"].value == "現場勘察會簽表"
    headers, rows = _cells(hk)
    assert headers[:3] == ["個案編號", "勘察時間", "記錄人"] and "承建商代表" in headers and len(rows) == 3


def test_older_sheets_through_report_export(seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The repair record by the new command is the one `admin repairs export` writes; a bad period is refused."""
    old, new = tmp_path / "old.xlsx", tmp_path / "new.xlsx"
    assert main(["admin", "repairs", "export", "2026Q4", str(old), "--project", "HY"]) == 0
    assert main(["admin", "report", "export", "repairs", "2026-Q4", str(new), "--project", "HY"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"1 repair(s) received 2026-10-01 to 2026-12-31 written to {new}"
    assert [[c.value for c in r] for r in load_workbook(old).active.iter_rows()] == [
        [c.value for c in r] for r in load_workbook(new).active.iter_rows()]
    assert main(["admin", "report", "export", "complaints", "2026-W48", str(tmp_path / "c.xlsx")]) == 0
    assert capsys.readouterr().out.startswith("1 complaint(s) received 2026-11-23 to 2026-11-29")
    assert main(["admin", "report", "export", "communication", "2026-13", str(tmp_path / "x.xlsx")]) == 1
    assert "not a period" in capsys.readouterr().err
