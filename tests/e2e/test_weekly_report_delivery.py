"""The weekly complaint report in chat (issue 15 item 1), through the real bot and the emulator: on
Monday 7 December 2026 from 09:00 in Shanghai the office manager and the customer-service manager
of 华苑 get last week's (2026-W49, 30 Nov – 6 Dec) figures as text, the key chart as PNG and the
workbook, each in his own language; the leadership gets the company's; another office's manager
gets his office's; nobody else anything. Planning again (or on a second instance) sends nothing
more. After National Day (Mon 5 Oct 2026 is a holiday, work resumes Thu 8 Oct) the report of
2026-W40 goes out on the Thursday."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from services.calendar.deadlines import due_after_calendar_days, due_after_working_days
from services.calendar.workdays import WorkCalendar
from services.people import admin
from storage.models import OutboxMessage, Project, ReportFile, ReportIssue, Staff, Ticket
from storage.uow import UnitOfWork
from tests.factories import TEAM_CHATS, Team
from tests.harness import BotHarness

SHANGHAI = ZoneInfo("Asia/Shanghai")
CN = WorkCalendar("CN")
OFFICE_MANAGER, XY_MANAGER = 6201, 6202  # 华苑's 管理处经理 (reads Traditional Chinese), 新苑's


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def complaint(project: Project, number: str, received: datetime, category: str, department: str, *,
              status: str = "accepted", **fields: object) -> Ticket:
    values: dict[str, object] = {"progress_due": due_after_working_days(CN, received, 3, "Asia/Shanghai"),
                                 "resolve_due": due_after_calendar_days(CN, received, 7, "Asia/Shanghai")}
    values.update(fields)
    return Ticket(number=number, kind="complaint", project_id=project.id, category=category, description="…",
                  lead_department=department, status=status, received_at=received, created_at=received,
                  updated_at=received, **values)


async def seed(uow: UnitOfWork, now: datetime, *, added: datetime | None = None) -> None:
    """An office manager for 华苑 and one for a second office 新苑; two complaints of 华苑 in W49 (one
    major, still handled; one closed and rated) and one of 新苑. ``added``: when both offices were
    added (no report covers a week before)."""
    hy = await uow.projects.by_code("HY")
    assert hy is not None
    xy = await admin.add_project(uow, "XY", "新苑", "CN", "Asia/Shanghai", now)
    if added is not None:
        hy.created_at = xy.created_at = added
    uow.session.add_all([
        Staff(name="林經理", department="office", role="manager", project_id=hy.id, active=True, created_at=now,
              telegram_user_id=OFFICE_MANAGER, chat_id=OFFICE_MANAGER, locale="zh_Hant_HK"),
        Staff(name="何经理", department="office", role="manager", project_id=xy.id, active=True, created_at=now,
              telegram_user_id=XY_MANAGER, chat_id=XY_MANAGER),
        complaint(hy, "TS-2026-0101", at(date(2026, 12, 1), 10), "attitude", "quality", major=True),
        complaint(hy, "TS-2026-0102", at(date(2026, 11, 30), 9), "fees", "finance", status="closed",
                  progress_reported_at=at(date(2026, 11, 30), 11), resolved_at=at(date(2026, 12, 1), 10),
                  confirmed_at=at(date(2026, 12, 1), 12), closed_at=at(date(2026, 12, 2), 9),
                  rating_result=5, rating_attitude=4),
        complaint(xy, "TS-2026-0103", at(date(2026, 12, 2), 15), "equipment", "engineering"),
    ])
    await uow.commit()


async def plan_at(harness: BotHarness, moment: datetime) -> None:
    harness.clock.set(moment)
    assert harness.runtime is not None
    await harness.runtime.planner_loop().run_once()
    await harness.settle()


def report_messages(harness: BotHarness, chat: int, week: str = "2026-W") -> list[dict[str, Any]]:
    """The weekly reports a chat received (of one ``week``, or all): each its chart, its workbook and
    its text."""
    received = harness.person(chat).received()
    found: list[dict[str, Any]] = []
    for index, message in enumerate(received):
        if week in (message.get("text") or "").split("\n")[0]:
            photo, document = received[index - 2:index]
            assert photo.get("photo") and document["document"]["file_name"].endswith(".xlsx")
            found += [photo, document, message]
    return found


async def test_the_managers_get_last_weeks_report_on_monday(harness: BotHarness, team: Team) -> None:
    async with harness.uow() as uow:
        await seed(uow, harness.clock.now(), added=at(date(2026, 11, 30), 9))
    monday = date(2026, 12, 7)
    await plan_at(harness, at(monday, 8, 55))  # before the staff window: nothing yet
    assert not report_messages(harness, TEAM_CHATS.cs_manager)
    await plan_at(harness, at(monday, 9, 0))

    # 孙经理 (customer service, Simplified Chinese): the chart, the workbook, then the figures.
    photo, document, text = report_messages(harness, TEAM_CHATS.cs_manager)
    assert text["text"].split("\n") == [
        "📊 投诉处理周报 2026-W49",
        "华苑 · 2026年11月30日至2026年12月6日",
        "<b>投诉合计</b>：新增 2 · 结案 1 · 未结 1 · 逾期 0",
        "按类别：",
        "<b>服务态度</b>：新增 1 · 结案 0 · 未结 1 · 逾期 0",
        "<b>收费</b>：新增 1 · 结案 1 · 未结 0 · 逾期 0",
        "按牵头部门：",
        "<b>质管部</b>：新增 1 · 结案 0 · 未结 1 · 逾期 0",
        "<b>财务部</b>：新增 1 · 结案 1 · 未结 0 · 逾期 0",
        # Progress due Thu 3 Dec (met on the day it came) and Fri 4 Dec (not reported); the
        # resolutions are due from 7 Dec on, outside the week.
        "<b>3个工作日内反馈进度</b>：1/2（50.0%）",
        "<b>7天内（或约定延期内）解决</b>：0/0（—）",
        "<b>业主确认</b>：结案 1 件中 1 件（100.0%）",
        "<b>业主评分（1–5）</b>：处理结果 5.00，服务态度 4.00",
        "<b>重大投诉</b>：1",
        "• TS-2026-0101：处理中",
        "已完成维修（按保修类别）：",
        "<b>A类（从施工单位质量保证金扣除）</b>：0 单 · ¥0.00",
        "<b>B类，公司承担</b>：0 单 · ¥0.00",
        "<b>B类，业主付费</b>：0 单 · ¥0.00",
    ]
    assert document["document"]["file_name"] == "投诉处理周报 华苑 2026-W49.xlsx"
    png = harness.emulator.files[photo["photo"][-1]["file_id"]][0]
    assert Image.open(io.BytesIO(png)).format == "PNG"
    book = load_workbook(io.BytesIO(harness.emulator.files[document["document"]["file_id"]][0]))
    assert book.sheetnames == ["汇总", "按类别", "按牵头部门", "重大投诉", "维修（按保修类别）"]
    assert [[c.value for c in row] for row in book["按类别"].iter_rows(min_row=3)] == [
        ["服务态度", 1, 0, 1, 0], ["收费", 1, 1, 0, 0]]
    assert len(book["按类别"]._charts) == 1

    # 林經理 (the office manager, Hong Kong Traditional): the same report in his language.
    photo, document, text = report_messages(harness, OFFICE_MANAGER)
    lines = text["text"].split("\n")
    assert lines[:3] == ["📊 投訴處理週報 2026-W49", "华苑 · 2026年11月30日至2026年12月6日",
                         "<b>投訴總計</b>：新增 2 · 結案 1 · 未結 1 · 逾期 0"]
    assert "<b>3個工作天內回覆進度</b>：1/2（50.0%）" in lines
    assert document["document"]["file_name"] == "投訴處理週報 华苑 2026-W49.xlsx"
    book = load_workbook(io.BytesIO(harness.emulator.files[document["document"]["file_id"]][0]))
    assert book.sheetnames[:3] == ["匯總", "按類別", "按主責部門"]

    # 新苑's manager gets 新苑's; the leadership the company's (both offices added up).
    xy = report_messages(harness, XY_MANAGER)
    assert len(xy) == 3 and xy[-1]["text"].startswith("📊 投诉处理周报 2026-W49\n新苑 · ")
    company = report_messages(harness, TEAM_CHATS.vice_president)
    assert len(company) == 3
    assert company[-1]["text"].split("\n")[1:3] == [
        "全公司 · 2026年11月30日至2026年12月6日", "<b>投诉合计</b>：新增 3 · 结案 1 · 未结 2 · 逾期 0"]
    assert "• TS-2026-0101 (HY)：处理中" in company[-1]["text"]
    for chat in (TEAM_CHATS.agent, TEAM_CHATS.quality, TEAM_CHATS.quality_manager, TEAM_CHATS.engineer):
        assert not report_messages(harness, chat)

    # Planning again, later that day or on the next one, or from a second instance: nothing more.
    await plan_at(harness, at(monday, 9, 5))
    assert harness.runtime is not None
    await harness.runtime.planner_loop().run_once()
    await plan_at(harness, at(monday + timedelta(days=1), 10))
    for chat in (TEAM_CHATS.cs_manager, OFFICE_MANAGER, XY_MANAGER, TEAM_CHATS.vice_president):
        assert len(report_messages(harness, chat)) == 3
    async with harness.uow() as uow:
        issues = (await uow.session.scalars(
            select(ReportIssue).where(ReportIssue.kind == "weekly").order_by(ReportIssue.id))).all()
        assert [(i.kind, i.scope, i.period, i.status) for i in issues] == [
            ("weekly", f"project:{issues[0].project_id}", "2026-W49", "sent"),
            ("weekly", f"project:{issues[1].project_id}", "2026-W49", "sent"),
            ("weekly", "company", "2026-W49", "sent")]
        assert issues[0].figures is not None and issues[0].figures["totals"] == {
            "new": 2, "closed": 1, "open": 1, "overdue": 0}
        assert issues[0].figures["text"]["zh_Hans_CN"].startswith("📊 投诉处理周报 2026-W49\n华苑 · ")
        files = (await uow.session.scalars(select(ReportFile).where(ReportFile.report_id == issues[0].id))).all()
        assert sorted((f.locale, f.kind, f.name) for f in files) == [
            ("zh_Hans_CN", "png", "投诉处理周报 华苑 2026-W49.png"),
            ("zh_Hans_CN", "xlsx", "投诉处理周报 华苑 2026-W49.xlsx")]
        keys = sorted(await uow.session.scalars(select(OutboxMessage.key).where(
            OutboxMessage.purpose == "report", OutboxMessage.key.like("weekly-report:%"))))
        hy = await uow.projects.by_code("HY")
        manager = (await uow.session.scalars(select(Staff.id).where(Staff.chat_id == TEAM_CHATS.cs_manager))).one()
        assert hy is not None and f"weekly-report:{hy.id}:2026-W49:staff:{manager}" in keys
        assert len(keys) == 4


async def test_weeks_missed_while_the_planner_was_down_are_reported_late(harness: BotHarness, team: Team) -> None:
    """Offices added on 3 November; the planner first runs on Tuesday 8 December: the four weeks before
    (W46–W49) are reported then, oldest first, each once; W45 is more than four weeks back."""
    async with harness.uow() as uow:
        await seed(uow, harness.clock.now(), added=at(date(2026, 11, 3), 9))
    await plan_at(harness, at(date(2026, 12, 8), 10))
    await plan_at(harness, at(date(2026, 12, 9), 10))  # again: nothing more
    texts = [m["text"].split("\n")[0] for m in report_messages(harness, TEAM_CHATS.cs_manager) if "text" in m]
    assert texts == [f"📊 投诉处理周报 2026-W{week}" for week in (46, 47, 48, 49)]


async def test_after_a_holiday_monday_the_report_waits_for_the_first_working_day(
    harness: BotHarness, team: Team,
) -> None:
    async with harness.uow() as uow:
        await seed(uow, harness.clock.now(), added=at(date(2026, 9, 30), 10))
    # National Day 2026: Thu 1 – Wed 7 Oct off; the week of Mon 5 Oct starts working on Thursday.
    for day in (date(2026, 10, 5), date(2026, 10, 6), date(2026, 10, 7)):
        await plan_at(harness, at(day, 10))
        assert not report_messages(harness, TEAM_CHATS.cs_manager), day
    await plan_at(harness, at(date(2026, 10, 8), 9, 30))
    *_, text = report_messages(harness, TEAM_CHATS.cs_manager)
    assert text["text"].split("\n")[:2] == ["📊 投诉处理周报 2026-W40", "华苑 · 2026年9月28日至2026年10月4日"]
    assert len(report_messages(harness, TEAM_CHATS.cs_manager)) == 3
    await plan_at(harness, at(date(2026, 10, 10), 10))  # the make-up Saturday: nothing more that week
    assert len(report_messages(harness, TEAM_CHATS.cs_manager)) == 3
