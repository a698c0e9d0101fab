"""/report in chat (issue 15 item 6): managers and the leadership get the complaint report — summary,
key chart (PNG) and workbook (.xlsx) — of the offices their role covers; an office's manager only
his office, company-wide staff any office or the company. Others are refused; owners are not told
the command exists; a forged or stale press changes nothing and sends nothing."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from services.calendar.deadlines import due_after_calendar_days, due_after_working_days
from services.calendar.workdays import WorkCalendar
from services.people import admin
from services.people.project_names import set_name
from services.reports.periods import PeriodKind
from services.reports.report_chat import period_for
from storage.models import OutboxMessage, Project, Staff, Ticket
from tests.e2e.conftest import WANG
from tests.factories import Team
from tests.harness import BotHarness, Person

OFFICE_MANAGER, COMPANY_CS_MANAGER, GENERAL_MANAGER, HK_MANAGER = 6301, 6302, 6303, 6304
TZ = "Asia/Shanghai"
CN = WorkCalendar("CN")


def local(day: date, hour: int) -> datetime:
    """A Beijing wall-clock moment as UTC."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=8)


def complaint(project: Project, number: str, received: datetime, category: str, department: str, *,
              status: str = "accepted", **fields: object) -> Ticket:
    values: dict[str, object] = {"progress_due": due_after_working_days(CN, received, 3, TZ),
                                 "resolve_due": due_after_calendar_days(CN, received, 7, TZ)}
    values.update(fields)
    return Ticket(number=number, kind="complaint", project_id=project.id, category=category, description="…",
                  lead_department=department, status=status, received_at=received, created_at=received,
                  updated_at=received, **values)


async def _seed(harness: BotHarness) -> dict[str, int]:
    """A second office 新苑 (XY); 华苑's office manager, a company-wide customer-service manager and
    general manager, a Hong Kong office manager of 华苑; complaints: 华苑 three in last week
    (16–22 Nov 2026; one closed and confirmed, rated 5/4), one earlier this month, one in August
    (closed); 新苑 one last week.
    The clock is the tests' NOW: Monday 23 Nov 2026, 10:00 in Shanghai."""
    now = harness.clock.now()
    async with harness.uow() as uow:
        hy = await uow.projects.by_code("HY")
        assert hy is not None
        xy = await admin.add_project(uow, "XY", "新苑", "CN", TZ, now)
        for name, department, role, project, chat, locale in (
            ("林经理", "office", "manager", hy.id, OFFICE_MANAGER, None),
            ("黄经理", "customer_service", "manager", None, COMPANY_CS_MANAGER, None),
            ("王总经理", "leadership", "general_manager", None, GENERAL_MANAGER, None),
            ("陳經理", "office", "manager", hy.id, HK_MANAGER, "zh_Hant_HK"),
        ):
            uow.staff.add(Staff(name=name, department=department, role=role, project_id=project, active=True,
                                telegram_user_id=chat, chat_id=chat, locale=locale, created_at=now))
        uow.session.add_all([
            complaint(hy, "TS-1", local(date(2026, 11, 17), 9), "equipment", "engineering"),
            complaint(hy, "TS-2", local(date(2026, 11, 18), 9), "attitude", "customer_service",
                      status="closed", progress_reported_at=local(date(2026, 11, 18), 11),
                      resolved_at=local(date(2026, 11, 19), 10), confirmed_at=local(date(2026, 11, 19), 12),
                      closed_at=local(date(2026, 11, 20), 9), rating_result=5, rating_attitude=4),
            complaint(hy, "TS-3", local(date(2026, 11, 19), 15), "fees", "finance"),
            complaint(hy, "TS-4", local(date(2026, 11, 3), 9), "equipment", "engineering"),
            complaint(xy, "TS-5", local(date(2026, 11, 18), 10), "equipment", "engineering"),
            complaint(hy, "TS-6", local(date(2026, 8, 10), 9), "fees", "finance", status="closed",
                      progress_reported_at=local(date(2026, 8, 11), 9), resolved_at=local(date(2026, 8, 12), 9),
                      confirmed_at=local(date(2026, 8, 13), 9), closed_at=local(date(2026, 8, 14), 9),
                      rating_result=4, rating_attitude=5),
        ])
        await uow.commit()
        return {"HY": hy.id, "XY": xy.id}


def _alert(harness: BotHarness) -> str:
    return str(list(harness.emulator.callback_answers.values())[-1]["text"])


async def _files(harness: BotHarness, person: Person, before: int) -> tuple[bytes, bytes, dict[str, Any], str]:
    """What the report brought after ``before`` messages: the PNG, the workbook, the document
    message and the summary text (in that order: the files first, the text last)."""
    await harness.settle()
    photo, document, summary = person.received()[before:]
    png = harness.emulator.files[photo["photo"][-1]["file_id"]][0]
    xlsx = harness.emulator.files[document["document"]["file_id"]][0]
    return png, xlsx, document, summary["text"]


async def _outbox_rows(harness: BotHarness) -> int:
    async with harness.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


async def test_an_office_manager_sees_only_his_office(harness: BotHarness, team: Team) -> None:
    scopes = await _seed(harness)
    manager = harness.person(OFFICE_MANAGER)
    [menu] = await manager.say("/menu")
    assert "📈 投诉报告" in manager.buttons(menu)
    [card] = await manager.press("📈 投诉报告", menu)  # one office: no office choice
    assert card["text"] == "📈 华苑的投诉报告：请选择时间段"
    assert manager.buttons(card) == ["上周", "本月至今", "上月", "上季度", "去年"]
    before = len(manager.received())
    await manager.press("上周", card)
    png, xlsx, document, summary = await _files(harness, manager, before)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    # 华苑's last week: three new (TS-1, TS-2, TS-3), one closed and confirmed; open at its end TS-1,
    # TS-3 and TS-4 (filed on 3 Nov, due on 10 Nov: overdue).
    assert summary.split("\n")[:3] == [
        "📊 投诉处理周报 2026-W47", "华苑 · 2026年11月16日至2026年11月22日", "<b>投诉合计</b>：新增 3 · 结案 1 · 未结 3 · 逾期 1"]
    assert "<b>设施设备</b>：新增 1 · 结案 0 · 未结 2 · 逾期 1" in summary
    assert "<b>业主确认</b>：结案 1 件中 1 件（100.0%）" in summary
    assert "<b>业主评分（1–5）</b>：处理结果 5.00，服务态度 4.00" in summary
    assert document["document"]["file_name"] == "投诉处理周报 华苑 2026-W47.xlsx"
    assert load_workbook(io.BytesIO(xlsx))["汇总"]  # the workbook Excel opens, with its summary sheet

    # Forged presses for 新苑 and for the company: refused, nothing made, nothing sent.
    rows, before = await _outbox_rows(harness), len(manager.received())
    for data in (f"q2:weekly:{scopes['XY']}", "q2:weekly:0", f"q2:office:{scopes['XY']}", "q2:office:0"):
        await manager.press_data(data, card)
        assert _alert(harness) == "您无权查看该管理处的报告，未发送任何内容。"
    await manager.press_data(f"q2:never:{scopes['HY']}", card)
    assert _alert(harness) == "该按钮无效。"
    await harness.settle()
    assert len(manager.received()) == before and await _outbox_rows(harness) == rows


async def test_company_wide_staff_pick_the_company_or_an_office(harness: BotHarness, team: Team) -> None:
    await _seed(harness)
    for chat in (COMPANY_CS_MANAGER, GENERAL_MANAGER):
        person = harness.person(chat)
        [choice] = await person.say("/report")
        assert choice["text"] == "📈 投诉报告：请选择管理处"
        assert person.buttons(choice) == ["全公司", "华苑", "新苑"]  # the company first, then by code
    manager = harness.person(COMPANY_CS_MANAGER)
    [card] = await manager.press("新苑", choice := manager.last_with_buttons())
    assert card["text"] == "📈 新苑的投诉报告：请选择时间段"
    before = len(manager.received())
    await manager.press("上周", card)
    await manager.press("上周", card)  # a double tap: one report
    *_, summary = await _files(harness, manager, before)
    assert "新苑" in summary
    assert_figures(summary, new=1, closed=0, open_=1, overdue=0)
    [company] = await manager.press("全公司", choice)
    assert company["text"] == "📈 全公司的投诉报告：请选择时间段"
    before = len(manager.received())
    await manager.press("本月至今", company)  # 1–23 Nov: 华苑 four, 新苑 one
    _png, _xlsx, document, summary = await _files(harness, manager, before)
    assert summary.split("\n")[:2] == ["⏳ 本月尚未结束：以下为截至2026年11月23日的数据。", "📊 投诉处理月报 2026-11"]
    assert_figures(summary, new=5, closed=1, open_=4, overdue=1)
    assert document["document"]["file_name"] == "投诉处理月报（本月至今） 全公司 2026-11.xlsx"

    # Last quarter (July–September): the statistics workbook; 华苑's August complaint, closed.
    leader = harness.person(GENERAL_MANAGER)
    [card] = await leader.press("华苑", leader.last_with_buttons())
    before = len(leader.received())
    await leader.press("上季度", card)
    _png, xlsx, document, summary = await _files(harness, leader, before)
    assert summary.split("\n")[0] == "📊 投诉季度统计 2026-Q3"
    assert_figures(summary, new=1, closed=1, open_=0, overdue=0)
    assert document["document"]["file_name"] == "投诉季度统计 华苑 2026-Q3.xlsx"
    assert load_workbook(io.BytesIO(xlsx)).sheetnames == [
        "投诉汇总", "按类别统计投诉", "按牵头部门统计投诉", "维修人员考评", "投诉经办人评分", "与顾客沟通登记"]

    # The manager loses the role after the card was drawn: the press is refused, nothing is sent.
    async with harness.uow() as uow:
        staff = (await uow.session.scalars(select(Staff).where(Staff.chat_id == COMPANY_CS_MANAGER))).one()
        staff.role = "member"
        await uow.commit()
    rows, before = await _outbox_rows(harness), len(manager.received())
    await manager.press("上周", company)
    assert _alert(harness) == "只有各部门经理和公司领导可以查看投诉报告。"
    await harness.settle()
    assert len(manager.received()) == before and await _outbox_rows(harness) == rows


async def test_the_leadership_sees_the_company_wherever_placed(harness: BotHarness, team: Team) -> None:
    """A vice president the roster places in 华苑 gets the company's weekly report, and /report offers
    him the company and every office as well."""
    await _seed(harness)
    async with harness.uow() as uow:
        hy = await uow.projects.by_code("HY")
        leader = (await uow.session.scalars(select(Staff).where(Staff.chat_id == team.vice_president))).one()
        assert hy is not None
        leader.project_id = hy.id
        await uow.commit()
    person = harness.person(team.vice_president)
    [choice] = await person.say("/report")
    assert person.buttons(choice) == ["全公司", "华苑", "新苑"]
    [card] = await person.press("全公司", choice)
    assert card["text"] == "📈 全公司的投诉报告：请选择时间段"


async def test_others_are_refused_and_owners_are_not_told(harness: BotHarness, team: Team) -> None:
    await _seed(harness)
    agent = harness.person(team.agent)  # a customer-service member: not a supervisor
    [refused] = await agent.say("/report")
    assert refused["text"] == "只有各部门经理和公司领导可以查看投诉报告。"
    [menu] = await agent.say("/menu")
    assert "📈 投诉报告" not in agent.buttons(menu)
    await agent.press_data("q2:weekly:0", menu)
    assert _alert(harness) == "只有各部门经理和公司领导可以查看投诉报告。"
    owner = harness.person(WANG)
    [unknown, owner_menu] = await owner.say("/whatever")
    answer = await owner.say("/report")
    assert [m["text"] for m in answer] == [unknown["text"], owner_menu["text"]]


async def test_a_hong_kong_manager_reads_traditional_chinese(harness: BotHarness, team: Team) -> None:
    await _seed(harness)
    async with harness.uow() as uow:
        hy = await uow.projects.by_code("HY")
        assert hy is not None
        set_name(hy, "zh_Hant_HK", "華苑")  # as `estatebot admin project name HY zh_Hant_HK 華苑`
        await uow.commit()
    manager = harness.person(HK_MANAGER, language_code="zh-hk")
    [card] = await manager.say("/report")
    assert card["text"] == "📈 華苑的投訴報告：請選擇期間"
    assert manager.buttons(card) == ["上星期", "本月至今", "上個月", "上季", "去年"]
    before = len(manager.received())
    await manager.press("上星期", card)
    _png, xlsx, document, summary = await _files(harness, manager, before)
    assert summary.split("\n")[:3] == [
        "📊 投訴處理週報 2026-W47", "華苑 · 2026年11月16日至2026年11月22日", "<b>投訴總計</b>：新增 3 · 結案 1 · 未結 3 · 逾期 1"]
    assert "<b>業主確認</b>：結案 1 宗中 1 宗（100.0%）" in summary
    assert document["document"]["file_name"] == "投訴處理週報 華苑 2026-W47.xlsx"
    book = load_workbook(io.BytesIO(xlsx))
    cells = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)
    assert "投訴" in cells and "投诉" not in cells and "业主" not in cells


def assert_figures(summary: str, *, new: int, closed: int, open_: int, overdue: int) -> None:
    """The summary's complaint totals (render.summary_text's line)."""
    assert f"<b>投诉合计</b>：新增 {new} · 结案 {closed} · 未结 {open_} · 逾期 {overdue}" in summary.split("\n"), summary


@pytest.mark.parametrize(("kind", "start", "end"), [
    ("weekly", date(2026, 11, 16), date(2026, 11, 23)),
    ("mtd", date(2026, 11, 1), date(2026, 11, 24)),
    ("monthly", date(2026, 10, 1), date(2026, 11, 1)),
    ("quarterly", date(2026, 7, 1), date(2026, 10, 1)),
    ("yearly", date(2025, 1, 1), date(2026, 1, 1)),
])
def test_the_periods_seen_on_a_monday(kind: str, start: date, end: date) -> None:
    period = period_for(kind, date(2026, 11, 23))
    assert period is not None and (period.start, period.end) == (start, end)
    assert period_for("never", date(2026, 11, 23)) is None
    assert period.kind in PeriodKind
