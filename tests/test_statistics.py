"""Quarterly and yearly statistics (issue 15 item 3) on SQLite and PostgreSQL: the figures of
tests/statistics_fixture.py (counted by hand in its docstring) and the workbook read back cell by cell."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from io import BytesIO
from typing import TYPE_CHECKING

import pytest

from dialogs.text import Plain
from services.reports.periods import PeriodKind, parse_period
from services.reports.statistics import (
    HandlerFigures,
    Statistics,
    WorkerFigures,
    company_statistics,
    office_statistics,
    statistics_workbook,
)
from tests.statistics_fixture import UowFactory, seed

if TYPE_CHECKING:
    from bot.i18n import Catalogs

Q3 = parse_period("2026-Q3", PeriodKind.QUARTER)


def worker(figures: WorkerFigures) -> tuple[object, ...]:
    return (figures.name, figures.jobs, figures.on_time, figures.reworks, figures.confirmed, figures.quality.count,
            figures.quality.value, figures.attitude.value, figures.low, figures.cost_fen)


def handler(figures: HandlerFigures) -> tuple[object, ...]:
    return (figures.name, figures.closed, figures.confirmed, figures.result.value, figures.attitude.value,
            (figures.progress.due, figures.progress.met), (figures.resolution.due, figures.resolution.met))


async def office(uow_factory: UowFactory) -> Statistics:
    await seed(uow_factory)
    async with uow_factory() as uow:
        project = await uow.projects.by_code("HY")
        assert project is not None
        return await office_statistics(uow, project, Q3)


async def test_office_quarter_by_hand(uow_factory: UowFactory) -> None:
    stats = await office(uow_factory)
    # 王师傅: R2 completed 07:30 on 6 Aug (23:30 UTC on the 5th) is late; R5 (1 Oct 00:30) and R6 are
    # outside the quarter, and so is R6's failed check. 李师傅: R3's failed check is a rework; R4 on
    # time by its extended date.
    assert [worker(w) for w in stats.workers] == [
        ("李师傅", 2, 2, 1, 1, 1, 4.0, 5.0, 0, 8000),
        ("王师傅", 2, 1, 0, 2, 2, 3.5, 3.5, 1, 45050),
    ]
    assert stats.workers[1].on_time_rate == 0.5
    # 陈静: C3's progress at 23:30 on the due day is met, its resolution at 07:00 the day after is not.
    assert [handler(h) for h in stats.handlers] == [
        ("张敏", 2, 2, 4.5, 4.0, (2, 1), (2, 2)),
        ("陈静", 2, 1, 3.0, 2.0, (2, 2), (1, 0)),
    ]
    assert (stats.handlers[0].deadlines.due, stats.handlers[0].deadlines.met) == (4, 3)
    assert stats.handlers[1].confirmation_rate == 0.5
    # The handlers' deadlines add up to the office's complaint figures.
    report = stats.complaints
    assert dict(report.totals) == {"new": 4, "closed": 4, "open": 1, "overdue": 0}
    assert (report.progress.due, report.progress.met, report.resolution.due, report.resolution.met) == (4, 3, 3, 2)
    assert report.confirmed == 3 and report.rating_result.value == 4.0
    assert report.rating_attitude.value == pytest.approx(10 / 3)
    log = stats.communication
    assert dict(log.logged) == {"inquiry": 1, "suggestion": 1, "praise": 1}
    assert (log.total, log.answered, log.timed) == (3, 2, 2)
    assert log.average_hours == pytest.approx(19.25)  # (2.5 + 36) / 2
    assert [row[0] for row in log.items] == [Plain("GT-000001"), Plain("GT-000002"), Plain("GT-000003")]
    assert log.items[0][4] == Plain("138****5678") and log.items[2][4] == Plain("139****1111")
    assert log.items[0][8] == datetime(2026, 7, 2, 11, 30)  # answered at, Beijing wall clock


async def test_company_quarter_adds_the_offices(uow_factory: UowFactory) -> None:
    await seed(uow_factory)
    async with uow_factory() as uow:
        stats = await company_statistics(uow, Q3)
    # R7 in XY: done on time, reopened by its owner on 9 Jul (a rework); C6 in XY for 张敏.
    wang = next(w for w in stats.workers if w.name == "王师傅")
    assert worker(wang) == ("王师傅", 3, 2, 1, 3, 3, 4.0, 4.0, 1, 50050)
    zhang = next(h for h in stats.handlers if h.name == "张敏")
    assert handler(zhang)[:3] == ("张敏", 3, 3)
    assert zhang.result.value == pytest.approx(13 / 3) and zhang.attitude.value == 4.0
    assert (zhang.deadlines.due, zhang.deadlines.met) == (6, 5)
    assert stats.complaints.totals["closed"] == 5
    log = stats.communication
    assert dict(log.logged) == {"inquiry": 2, "suggestion": 1, "praise": 1} and log.answered == 3
    assert log.average_hours == pytest.approx(39.5 / 3)


async def test_an_empty_quarter(uow_factory: UowFactory) -> None:
    await seed(uow_factory)
    async with uow_factory() as uow:
        stats = await company_statistics(uow, parse_period("2025-Q1"))
    assert stats.workers == [] and stats.handlers == []
    assert stats.communication.total == 0 and stats.communication.average_hours is None


async def test_the_year_takes_every_quarter(uow_factory: UowFactory) -> None:
    await seed(uow_factory)
    async with uow_factory() as uow:
        project = await uow.projects.by_code("HY")
        assert project is not None
        stats = await office_statistics(uow, project, parse_period("2026", PeriodKind.YEAR))
    wang = next(w for w in stats.workers if w.name == "王师傅")
    # R1, R2, R5, R6; R6's failed check on 29 Jun.
    assert (wang.jobs, wang.on_time, wang.reworks, wang.cost_fen) == (4, 3, 1, 55050)
    assert stats.communication.total == 4  # E5 on 1 Oct too


def _rows(sheet: object, first: int) -> list[list[object]]:
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=first)]  # type: ignore[attr-defined]


async def test_the_workbook_cell_by_cell(uow_factory: UowFactory, catalogs: Catalogs) -> None:
    from openpyxl import load_workbook

    stats = await office(uow_factory)
    data = statistics_workbook(stats, Plain("华苑"), Q3, catalogs.get("en").label)
    book = load_workbook(BytesIO(data))
    assert book.sheetnames == ["Complaints summary", "Complaints by category", "Complaints by lead department",
                               "Repair workers' evaluation", "Complaint handlers' ratings", "Communication log"]

    summary = book["Complaints summary"]
    assert summary["A1"].value == "华苑: quarterly statistics, Q3 2026 — Complaints summary"
    assert [summary["A2"].value, summary["B2"].value] == ["Figure", "Value"]
    assert summary["A2"].font.b and summary.freeze_panes == "A3" and summary.auto_filter.ref.startswith("A2:B")
    figures = {row[0]: row[1] for row in _rows(summary, 3)}
    assert figures["New complaints"] == 4 and figures["Open at the period's end"] == 1
    assert figures["Progress on time (rate)"] == 0.75 and figures["Resolved on time (rate)"] == pytest.approx(2 / 3)
    assert figures["Average attitude rating"] == pytest.approx(10 / 3)
    assert figures["Settled cost, class B borne by the company (yuan)"] == Decimal("300.5")
    formats = {row[0].value: row[1].number_format for row in summary.iter_rows(min_row=3)}
    assert formats["Progress on time (rate)"] == "0.0%" and formats["Average result rating"] == "0.00"
    assert formats["Settled cost, class A (yuan)"] == "#,##0.00" and formats["New complaints"] == "General"

    categories = {row[0]: row[1:] for row in _rows(book["Complaints by category"], 3)}
    assert categories["Service quality"] == [2, 2, 0, 0]

    workers = book["Repair workers' evaluation"]
    assert [c.value for c in workers[2]][:4] == ["Worker", "Jobs completed", "On time", "On-time rate"]
    assert _rows(workers, 3) == [
        ["李师傅", 2, 2, 1.0, 1, 1, 1, 4.0, 5.0, 0, 80],
        ["王师傅", 2, 1, 0.5, 0, 2, 2, 3.5, 3.5, 1, Decimal("450.5")],
    ]
    assert workers["D3"].number_format == "0.0%" and workers["H3"].number_format == "0.00"
    assert workers["K4"].number_format == "#,##0.00" and isinstance(workers["B3"].value, int)
    assert workers.freeze_panes == "A3" and workers.auto_filter.ref == "A2:K4"
    chart = workers._charts[0]
    assert type(chart).__name__ == "BarChart" and len(chart.series) == 2
    # The quality and attitude averages per worker, named by their headers.
    assert [s.val.numRef.f for s in chart.series] == ["'Repair workers'' evaluation'!$H$3:$H$4",
                                                      "'Repair workers'' evaluation'!$I$3:$I$4"]
    assert (chart.series[0].cat.numRef or chart.series[0].cat.strRef).f == "'Repair workers'' evaluation'!$A$3:$A$4"

    handlers = book["Complaint handlers' ratings"]
    assert _rows(handlers, 3) == [
        ["张敏", 2, 2, 1.0, 2, 4.5, 4.0, 2, 1, 2, 2, 0.75],
        ["陈静", 2, 1, 0.5, 1, 3.0, 2.0, 2, 2, 1, 0, pytest.approx(2 / 3)],
    ]
    assert handlers["L3"].number_format == "0.0%" and len(handlers._charts) == 1
    assert [s.val.numRef.f.rpartition("!")[2] for s in handlers._charts[0].series] == ["$F$3:$F$4", "$G$3:$G$4"]

    log = book["Communication log"]
    info = {row[0]: row[1] for row in _rows(log, 2)[:6]}
    assert info == {"Inquiry": 1, "Suggestion": 1, "Praise": 1, "Other": 0, "Answered messages": 2,
                    "Average hours to answer": 19.25}
    assert log["B7"].number_format == "0.00"
    assert [c.value for c in log[9]][:3] == ["No.", "Time", "Type"] and log.freeze_panes == "A10"
    rows = _rows(log, 10)
    assert rows[0][:5] == ["GT-000001", datetime(2026, 7, 2, 9, 0), "Inquiry", "赵先生", "138****5678"]
    assert rows[0][6:] == ["可在管理处或线上缴纳。", "刘芳", datetime(2026, 7, 2, 11, 30)]
    assert log["B10"].number_format == "yyyy-mm-dd hh:mm"
    assert rows[2][3] == "游客 (not registered)" and rows[2][6:] == [None, None, None]
    assert OWNER_DIGITS not in data.decode("latin-1")


OWNER_DIGITS = "13812345678"


TITLES = {
    "zh_Hans_CN": ("华苑季度统计（2026年第3季度）——维修人员考评", "华苑年度统计（2026年）——维修人员考评", "业主确认数"),
    "zh_Hant_HK": ("华苑季度統計（2026年第3季）——維修人員評核", "华苑年度統計（2026年）——維修人員評核", "業主確認數"),
    "zh_Hant_TW": ("华苑季度統計（2026年第3季）——維修人員考評", "华苑年度統計（2026年）——維修人員考評", "屋主確認數"),
}


@pytest.mark.parametrize("locale", sorted(TITLES))
async def test_the_workbook_in_chinese(uow_factory: UowFactory, catalogs: Catalogs, locale: str) -> None:
    from openpyxl import load_workbook

    stats = await office(uow_factory)
    label = catalogs.get(locale).label
    quarterly = load_workbook(BytesIO(statistics_workbook(stats, Plain("华苑"), Q3, label))).worksheets[3]
    yearly = load_workbook(BytesIO(statistics_workbook(stats, Plain("华苑"), parse_period("2026"), label))).worksheets[3]
    title, year_title, confirmations = TITLES[locale]
    assert (quarterly["A1"].value, yearly["A1"].value, quarterly["F2"].value) == (title, year_title, confirmations)
    assert quarterly.title == title.rpartition("——")[2]
    categories = load_workbook(BytesIO(statistics_workbook(stats, Plain("华苑"), Q3, label))).worksheets[1]
    assert all(not str(row[0].value).isascii() for row in categories.iter_rows(min_row=3))  # every label translated
