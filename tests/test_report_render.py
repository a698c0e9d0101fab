"""The complaint report rendered (services/reports/render.py) from figures written by hand: the chat
text in Simplified Chinese and English, the workbook read back cell by cell (types, number formats,
frozen headers, filters, native charts), the PNG chart in all four locales without a missing glyph,
and the file names."""

from __future__ import annotations

import io
import logging
import warnings
from collections import Counter
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from PIL import Image

from bot.i18n import Catalogs
from dialogs.text import Msg, Plain
from services.common.locale import SUPPORTED_LOCALES
from services.reports.periods import PeriodKind, parse_period
from services.reports.render import (
    COMPANY,
    file_stem,
    key_chart_png,
    report_workbook,
    summary_text,
    title_text,
)
from services.reports.weekly import Average, Met, PeriodReport, RepairCost
from storage.repositories.reports import MajorRow

WEEK = parse_period("2026-W49")  # Mon 30 Nov – Sun 6 Dec 2026
HY = Plain("华苑")


def figures() -> PeriodReport:
    """One office's week: two categories with complaints (a third only zeros), two departments, four
    progress and two resolution deadlines, a major complaint, two class A repairs and one B (owner)."""
    report = PeriodReport(WEEK.start, WEEK.end, ["HY"])
    report.by_category = {"attitude": Counter(new=2, closed=1, open=3, overdue=1), "fees": Counter(new=1),
                          "quality": Counter()}
    report.by_department = {"quality": Counter(new=2, closed=1, open=3, overdue=1), "finance": Counter(new=1)}
    report.totals = Counter(new=3, closed=1, open=3, overdue=1)
    report.progress, report.resolution = Met(4, 3), Met(2, 1)
    report.confirmed = 1
    report.rating_result, report.rating_attitude = Average(9, 2), Average(4, 1)
    report.majors = [("HY", MajorRow("TS-2026-0012", "attitude", "quality", "accepted",
                                     datetime(2026, 12, 1, 2, 30, tzinfo=UTC)))]
    report.repair_costs[("A", "builder")] = RepairCost(2, 123456)
    report.repair_costs[("B", "owner")] = RepairCost(1, 8000)
    return report


def test_the_chat_text_in_simplified_chinese(catalogs: Catalogs) -> None:
    text = catalogs.get("zh_Hans_CN").render(summary_text(figures(), HY, WEEK))
    assert text.split("\n") == [
        "📊 投诉处理周报 2026-W49",
        "华苑 · 2026年11月30日至2026年12月6日",
        "<b>投诉合计</b>：新增 3 · 结案 1 · 未结 3 · 逾期 1",
        "按类别：",
        "<b>服务态度</b>：新增 2 · 结案 1 · 未结 3 · 逾期 1",
        "<b>收费</b>：新增 1 · 结案 0 · 未结 0 · 逾期 0",  # 服务质量 has only zeros: left out
        "按牵头部门：",
        "<b>质管部</b>：新增 2 · 结案 1 · 未结 3 · 逾期 1",
        "<b>财务部</b>：新增 1 · 结案 0 · 未结 0 · 逾期 0",
        "<b>3个工作日内反馈进度</b>：3/4（75.0%）",
        "<b>7天内（或约定延期内）解决</b>：1/2（50.0%）",
        "<b>业主确认</b>：结案 1 件中 1 件（100.0%）",
        "<b>业主评分（1–5）</b>：处理结果 4.50，服务态度 4.00",
        "<b>重大投诉</b>：1",
        "• TS-2026-0012：处理中",
        "已完成维修（按保修类别）：",
        "<b>A类（从施工单位质量保证金扣除）</b>：2 单 · ¥1,234.56",
        "<b>B类，公司承担</b>：0 单 · ¥0.00",
        "<b>B类，业主付费</b>：1 单 · ¥80.00",
    ]


def test_the_chat_text_in_english_and_traditional(catalogs: Catalogs) -> None:
    english = catalogs.get("en").render(summary_text(figures(), HY, WEEK))
    assert english.split("\n")[:3] == ["📊 Weekly complaint report 2026-W49",
                                       "华苑 · November 30, 2026 – December 6, 2026",
                                       "<b>Complaints</b>: 3 new · 1 closed · 3 open · 1 overdue"]
    assert "<b>Confirmed by the owner</b>: 1 of 1 closed (100.0%)" in english
    assert "<b>Class B, paid by the owner</b>: 1 repaired · CN¥80.00" in english
    hong_kong = catalogs.get("zh_Hant_HK").render(summary_text(figures(), HY, WEEK))
    assert hong_kong.startswith("📊 投訴處理週報 2026-W49\n")
    assert "<b>3個工作天內回覆進度</b>：3/4（75.0%）" in hong_kong and "結案 1 宗中 1 宗" in hong_kong
    assert "屋主確認" in catalogs.get("zh_Hant_TW").render(summary_text(figures(), HY, WEEK))


def test_an_empty_week_and_the_company(catalogs: Catalogs) -> None:
    empty = catalogs.get("zh_Hans_CN").render(summary_text(PeriodReport(WEEK.start, WEEK.end, ["HY"]), HY, WEEK))
    assert "按类别" not in empty and "<b>投诉合计</b>：新增 0 · 结案 0 · 未结 0 · 逾期 0" in empty
    assert "<b>3个工作日内反馈进度</b>：0/0（—）" in empty and "处理结果 —，服务态度 —" in empty
    company = figures()
    company.project_codes.append("XY")
    text = catalogs.get("zh_Hans_CN").render(summary_text(company, Msg(COMPANY), WEEK))
    assert "全公司 · 2026年11月30日至2026年12月6日" in text
    assert "• TS-2026-0012 (HY)：处理中" in text  # the company's majors name their office


def test_the_workbook_cell_by_cell(catalogs: Catalogs) -> None:
    book = load_workbook(io.BytesIO(report_workbook(figures(), HY, WEEK, catalogs.get("en").label)))
    assert book.sheetnames == ["Summary", "By category", "By lead department", "Major complaints",
                               "Repairs by class"]
    assert book.properties.title == "Weekly complaint report 2026-W49 · 华苑"
    for sheet in book.worksheets:  # a bold header frozen above the data, with a filter
        header = 6 if sheet.title == "Summary" else 2
        assert sheet.freeze_panes == f"A{header + 1}"
        assert all(cell.font.bold for cell in sheet[header] if cell.value is not None)
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith(f"A{header}:")

    summary = book["Summary"]
    assert summary["A1"].value == "Weekly complaint report 2026-W49 · 华苑"
    assert [[c.value for c in row] for row in summary.iter_rows(min_row=2, max_row=4, max_col=3)] == [
        ["Scope", "华苑", None], ["Period", datetime(2026, 11, 30), datetime(2026, 12, 6)], ["Offices", "HY", None]]
    assert summary["B3"].number_format == "yyyy-mm-dd"
    assert [c.value for c in summary[6]] == ["Measure", "Value", "Counted", "Rate"]
    rows = {row[0].value: row[1:] for row in summary.iter_rows(min_row=7)}
    assert [r[0].value for r in rows.values()][:4] == [3, 1, 3, 1]
    progress = rows["Progress reported within 3 working days"]
    assert (progress[0].value, progress[1].value, progress[2].value) == (3, 4, 0.75)
    assert progress[2].number_format == "0.0%" and progress[0].data_type == "n"
    assert rows["Resolved within 7 days or the agreed extension"][2].value == 0.5
    assert rows["Confirmed by the owner"][2].value == 1
    result = rows["Average rating of the result (1–5)"]
    assert (result[0].value, result[0].number_format, result[1].value) == (4.5, "0.00", 2)
    assert rows["Major complaints"][0].value == 1

    category = book["By category"]
    assert [c.value for c in category[2]] == ["Category", "New", "Closed", "Open", "Overdue"]
    assert [[c.value for c in row] for row in category.iter_rows(min_row=3)] == [
        ["Service attitude", 2, 1, 3, 1], ["Fees", 1, 0, 0, 0]]
    assert category.auto_filter.ref == "A2:E4"
    department = book["By lead department"]
    assert [[c.value for c in row] for row in department.iter_rows(min_row=3)] == [
        ["Quality Management Department", 2, 1, 3, 1], ["Finance Department", 1, 0, 0, 0]]

    majors = book["Major complaints"]
    assert [c.value for c in majors[2]] == ["Case number", "Office", "Category", "Lead department", "Status",
                                           "Complaint received"]
    assert [c.value for c in majors[3]] == ["TS-2026-0012", "HY", "Service attitude",
                                           "Quality Management Department", "Being handled",
                                           datetime(2026, 12, 1, 10, 30)]  # Beijing time
    assert majors["F3"].number_format == "yyyy-mm-dd hh:mm"

    repairs = book["Repairs by class"]
    assert [[c.value for c in row] for row in repairs.iter_rows(min_row=3)] == [
        ["Class A (charged to the builder's deposit)", 2, 1234.56],
        ["Class B, borne by the company", 0, 0], ["Class B, paid by the owner", 1, 80]]
    assert all(repairs.cell(row, 3).number_format == "#,##0.00" for row in (3, 4, 5))

    # Native Excel charts beside the tables: four series of counts by category and department, the
    # settled cost by class, the three rates on the summary.
    charts = {sheet.title: sheet._charts for sheet in book.worksheets}
    assert [len(charts[name]) for name in book.sheetnames] == [1, 1, 1, 0, 1]
    by_category = charts["By category"][0]
    assert by_category.type == "col" and len(by_category.series) == 4
    assert by_category.series[0].val.numRef.f == "'By category'!$B$3:$B$4"
    assert by_category.series[3].cat.numRef.f == "'By category'!$A$3:$A$4"
    assert [series.tx.v for series in by_category.series] == ["New", "Closed", "Open", "Overdue"]
    assert len(charts["Repairs by class"][0].series) == 1
    assert charts["Summary"][0].series[0].val.numRef.f == "'Summary'!$D$11:$D$13"


def test_the_workbook_in_traditional_chinese_and_without_complaints(catalogs: Catalogs) -> None:
    book = load_workbook(io.BytesIO(report_workbook(figures(), HY, WEEK, catalogs.get("zh_Hant_TW").label)))
    assert book.sheetnames[:3] == ["總覽", "依類別", "依主辦部門"]
    assert book["總覽"]["A1"].value == "投訴處理週報 2026-W49 · 华苑"
    empty = PeriodReport(WEEK.start, WEEK.end, [])
    book = load_workbook(io.BytesIO(report_workbook(empty, Msg(COMPANY), WEEK, catalogs.get("zh_Hans_CN").label)))
    assert book["按类别"].max_row == 2 and not book["按类别"]._charts  # headers only, no chart of nothing
    assert book["汇总"]["B4"].value == "—"  # no offices


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_the_chart_has_every_glyph(catalogs: Catalogs, locale: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a warning: here it fails the test
        png = key_chart_png(figures(), HY, WEEK, catalogs.get(locale).label)
        empty = key_chart_png(PeriodReport(WEEK.start, WEEK.end, []), Msg(COMPANY), WEEK, catalogs.get(locale).label)
    assert not [r for r in caplog.records if "glyph" in r.getMessage().lower()]
    for picture in (png, empty):
        image = Image.open(io.BytesIO(picture))
        image.load()
        assert image.format == "PNG" and image.size[0] == 792 and image.size[1] >= 440


def test_file_names(catalogs: Catalogs) -> None:
    assert file_stem(title_text(WEEK), HY, WEEK, catalogs.get("zh_Hans_CN").label) == "投诉处理周报 华苑 2026-W49"
    assert file_stem(title_text(WEEK), HY, WEEK, catalogs.get("zh_Hant_HK").label) == "投訴處理週報 华苑 2026-W49"
    month = parse_period("2026-11", PeriodKind.MONTH)
    assert file_stem(title_text(month), Plain('A/B: "C"?'), month, catalogs.get("en").label) == \
        "Monthly complaint report A_B_ _C__ 2026-11"
