"""《客户满意度测量结果报告》 on the hand-counted fixture (tests/survey_fixture.py): the workbook read
back cell by cell (types, number formats, frozen headers, native charts), and the PNG chart drawn
in all four locales without a missing glyph."""

from __future__ import annotations

import asyncio
import io
import logging
import shutil
import warnings
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.cli import main
from bot.i18n import Catalogs
from services.common.locale import SUPPORTED_LOCALES
from services.surveys.chart import chart_png
from services.surveys.report import ReportData, report_data, report_xlsx
from storage.db import create_engine, create_sessionmaker
from storage.models import FollowUp, Staff
from storage.models.surveys import SurveyInvitation
from storage.uow import UnitOfWork
from tests.conftest import NOW
from tests.survey_fixture import Seeded, seed_campaigns

UowFactory = Callable[[], UnitOfWork]


async def _data(uow_factory: UowFactory) -> ReportData:
    async with uow_factory() as uow:
        seeded = await seed_campaigns(uow, NOW)
    async with uow_factory() as uow:
        campaign = await uow.survey_metrics.campaign(seeded.current)
        assert campaign is not None
        return await report_data(uow, campaign)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_workbook_cell_by_cell(uow_factory: UowFactory, catalogs: Catalogs) -> None:
    data = await _data(uow_factory)
    book = load_workbook(io.BytesIO(report_xlsx(data, catalogs.get("en").label)))
    assert book.sheetnames == ["Monitoring", "Summary", "By owner stage", "By project",
                               "By service area", "Answers of 1–2", "Follow-up records"]
    for sheet in book.worksheets:  # the header row frozen above the data (the summary's below its info)
        header = 7 if sheet.title == "Summary" else 2
        assert sheet.freeze_panes == f"A{header + 1}"
        assert sheet[f"A{header}"].font.bold

    summary = book["Summary"]
    assert summary["A1"].value == "Customer Satisfaction Measurement Report · 2026 mid-year"
    assert book["Monitoring"]["A1"].value == "Customer Satisfaction Monitoring Information · 2026 mid-year"
    # What the summary is about sits above its table, in a block of its own.
    info = [[c.value for c in row] for row in summary.iter_rows(min_row=2, max_row=6, max_col=3)]
    assert info[0] == ["Campaign", "2026 mid-year", None] and info[1] == ["Kind", "Mid-year sample survey", None]
    assert info[2][0] == "Created" and info[2][1].date() == NOW.date() and summary["B4"].number_format == "yyyy-mm-dd"
    assert info[3][:2] == ["Previous campaign", "2025 mid-year"] and summary["C5"].number_format == "yyyy-mm-dd"
    assert info[4] == [None, None, None] and summary["A2"].font.bold
    rows = {row[0].value: row for row in summary.iter_rows(min_row=8)}
    assert [c.value for c in summary[7]] == ["Measure", "This campaign", "Target", "Previous campaign", "Change"]
    assert list(rows)[:4] == ["Sampled households", "Invited", "Surveys done", "Respondents"]
    assert "Campaign" not in rows and "Created" not in rows
    assert rows["Sampled households"][1].value == 10 and rows["Sampled households"][3].value == 4
    assert rows["Invited"][1].value == 0 and rows["Invited"][3].value == 0  # the fixture invites nobody
    assert rows["Respondents"][1].value == 6 and rows["Respondents"][1].data_type == "n"
    response = rows["Response rate"]
    assert [c.value for c in response[1:]] == [pytest.approx(0.7), 0.5, 0.5, pytest.approx(0.2)]
    assert all(c.number_format == "0.0%" for c in response[1:])
    satisfaction = rows["Satisfaction rate"]
    assert satisfaction[1].value == pytest.approx(4 / 6) and satisfaction[1].number_format == "0.0%"
    assert satisfaction[3].value == 0.5 and satisfaction[4].value == pytest.approx(4 / 6 - 0.5)
    assert rows["Loyalty rate"][1].value == pytest.approx(2 / 6)
    assert rows["Follow-ups handled"][1].value is None  # no follow-ups in this fixture: no share
    assert rows["Follow-ups handled"][2].value == 1 and rows["Follow-ups handled"][2].number_format == "0.0%"

    stages = {row[0].value: [c.value for c in row[1:]] for row in book["By owner stage"].iter_rows(min_row=3)}
    assert stages["Settling-in owners (under 1 year)"] == [3, 2, pytest.approx(2 / 3), 1, pytest.approx(1 / 3)]
    assert stages["Settled owners (1–2 years)"] == [1, 0, 0, 0, 0]
    assert book["By owner stage"]["D3"].number_format == "0.0%"
    assert len(book["By owner stage"]._charts) == 1

    projects = {row[0].value: [c.value for c in row[1:]] for row in book["By project"].iter_rows(min_row=3)}
    assert projects == {"翠湖花园": [5, 4, 0.8, 4, 0.75, 0.25], "云山府": [5, 3, 0.6, 2, 0.5, 0.5]}

    areas = book["By service area"]
    by_area = {row[0].value: [c.value for c in row[1:]] for row in areas.iter_rows(min_row=3)}
    assert by_area["Planning and design"] == [4, 3.5, 0.5, 1]
    assert by_area["Construction quality"] == [4, 2.25, 0.25, 3]
    assert by_area["Sales service"] == [0, None, None, 0]
    assert areas["C3"].number_format == "0.00" and areas["D3"].number_format == "0.0%"
    chart = areas._charts[0]
    assert type(chart).__name__ == "BarChart" and len(chart.series) == 1

    low = [[c.value for c in row] for row in book["Answers of 1–2"].iter_rows(min_row=3)]
    assert low[0][0] == "build" and low[0][2:5] == [4, 3, 0.75]  # the fixture's spec has no labels
    assert all(row[3] >= 1 for row in low)  # only the items someone answered 1–2
    assert {row[0] for row in low} == {"build", "service", "design", "overall", "rebuy", "recommend"}
    assert [c.value for c in book["Follow-up records"][2]][:4] == ["Unit", "Owner", "Phone", "Items answered 1–2"]
    assert book["Follow-up records"].max_row == 2  # no follow-ups in this fixture
    monitoring = {row[0].value: row[1].value for row in book["Monitoring"].iter_rows(min_row=3)}
    assert monitoring["Response rate"] == pytest.approx(0.7) and "Target met" in monitoring
    assert monitoring["Most dissatisfied item: build"] == 0.75


async def test_the_share_of_follow_ups_handled(uow_factory: UowFactory, catalogs: Catalogs) -> None:
    async with uow_factory() as uow:
        seeded = await seed_campaigns(uow, NOW)
        invitations = (await uow.session.scalars(select(SurveyInvitation.id).where(
            SurveyInvitation.campaign_id == seeded.current).order_by(SurveyInvitation.id))).all()
        manager = Staff(name="孫經理", department="customer_service", role="manager", active=True, created_at=NOW)
        uow.session.add(manager)
        await uow.session.flush()
        uow.session.add(FollowUp(invitation_id=invitations[0], question="build", reason="low_answer",
                                 ratings=[["build", 2]], opened_at=NOW, due=NOW.date(), status="done",
                                 assignee="manager", attempts=1, agreed="約定週三上門", satisfied=False,
                                 closed_at=NOW, closed_by=manager.id))
        for invitation, status in ((invitations[2], "done"), (invitations[4], "open")):
            uow.session.add(FollowUp(invitation_id=invitation, question="build", reason="low_answer", ratings=[],
                                     opened_at=NOW, due=NOW.date(), status=status, assignee="service"))
        await uow.commit()
    async with uow_factory() as uow:
        campaign = await uow.survey_metrics.campaign(seeded.current)
        assert campaign is not None
        data = await report_data(uow, campaign)
    assert (data.handled.done, data.handled.total) == (2, 3)
    book = load_workbook(io.BytesIO(report_xlsx(data, catalogs.get("zh_Hant_HK").label)))
    handled = {row[0].value: row[1] for row in book["匯總"].iter_rows(min_row=8)}["回訪完成率"]
    assert handled.value == pytest.approx(2 / 3) and handled.number_format == "0.0%"

    # The follow-ups one by one, for an office's audit (one statement on either database).
    records = book["回訪記錄"]
    assert [c.value for c in records[2]] == ["單位", "業主", "電話", "評 1–2 分的題目", "負責人", "狀態",
                                             "未能聯絡業主次數", "與業主商定", "現已滿意", "完成時間", "經辦人"]
    first, second, third = ([c.value for c in row] for row in records.iter_rows(min_row=3))
    assert first == ["翠湖花园 1栋-0007", "业主7", "138****0007", "build：2", "客戶服務部經理親自回訪", "回訪已完成", 1,
                     "約定週三上門", "否", NOW.replace(tzinfo=None) + timedelta(hours=8), "孫經理"]
    assert records["J3"].number_format == "yyyy-mm-dd hh:mm" and records["G3"].data_type == "n"
    assert second[:3] == ["翠湖花园 1栋-0009", "业主9", "138****0009"] and second[5:] == [
        "回訪已完成", 0, None, None, None, None]
    assert third[:3] == ["云山府 1栋-0011", "业主11", "138****0011"] and third[3:6] == [None, "客戶服務", "待回訪"]
    # Columns as wide as what they show: a CJK character counts two.
    assert records.column_dimensions["A"].width == len("翠湖花园 1栋-0001") + 5 + 2  # 5 CJK, 2 to spare


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
async def test_the_chart_has_every_glyph(uow_factory: UowFactory, catalogs: Catalogs, locale: str,
                                         caplog: pytest.LogCaptureFixture) -> None:
    data = await _data(uow_factory)
    caplog.set_level(logging.WARNING)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = chart_png(data.metrics, catalogs.get(locale).label)
    missing = [str(w.message) for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]
    assert not missing, missing
    assert not [r for r in caplog.records if "glyph" in r.getMessage().lower()]
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000


def test_traditional_labels_have_every_glyph() -> None:
    """Characters the catalogs may not use yet: Traditional and Simplified forms, digits and %."""
    from matplotlib.figure import Figure

    from services.surveys.chart import register_font

    family = register_font()
    figure = Figure()
    axes = figure.subplots()
    axes.set_title("客戶滿意度測量結果報告 磨合期業主 穩定期 老業主 準業主 規劃設計 工程質素 物業管理 銷售服務 滿意率 忠誠度 100%",
                   fontfamily=family)
    axes.set_xlabel("客户满意度监测信息 规划设计 工程质量 销售服务 满意率 忠诚度 — Satisfaction (1–5)", fontfamily=family)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.savefig(io.BytesIO(), format="png")
    assert not [str(w.message) for w in caught], [str(w.message) for w in caught]


def _seeded_cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path) -> Seeded:
    path = tmp_path / "cli.db"
    shutil.copy(sqlite_template, path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.chdir(tmp_path)  # no stray .env

    async def seed() -> Seeded:
        engine = create_engine(f"sqlite:///{path}")
        try:
            async with UnitOfWork(create_sessionmaker(engine)) as uow:
                return await seed_campaigns(uow, NOW)
        finally:
            await engine.dispose()

    return asyncio.run(seed())


def test_the_admin_cli_writes_the_report_and_prints_the_rates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeded = _seeded_cli_db(tmp_path, monkeypatch, sqlite_template)
    assert main(["admin", "survey", "rates", str(seeded.current)]) == 0
    out = capsys.readouterr().out
    assert "response rate: 70.0% (7 of 10 households; target 50%)" in out
    assert "satisfaction rate: 66.7% (4 of 6 respondents answered 4-5 on overall satisfaction)" in out
    assert "loyalty rate: 33.3% (2 of 6 answered 4-5 on all three loyalty items)" in out
    assert "previous campaign 1 (2025 mid-year): response 50.0%, satisfaction 50.0%, loyalty 50.0%" in out
    xlsx, png = tmp_path / "report.xlsx", tmp_path / "chart.png"
    assert main(["admin", "survey", "report", str(seeded.current), str(xlsx), "--locale", "zh_Hant_TW",
                 "--png", str(png)]) == 0
    assert png.read_bytes().startswith(b"\x89PNG")
    book = load_workbook(xlsx)
    assert len(book.sheetnames) == 7 and book.worksheets[1]["B8"].value == 10  # the summary's sampled households
    assert main(["admin", "survey", "rates", "999"]) == 1
    assert "no survey campaign 999" in capsys.readouterr().err
