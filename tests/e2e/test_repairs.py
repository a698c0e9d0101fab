"""Repairs end to end (DOMAIN 2): an owner's photo to a rated, costed and approved close."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from services.repairs.reports import COLUMNS, RECORD_TITLE, record_rows, rendered, worker_ratings, write_xlsx
from storage.models import Ticket
from tests.e2e.test_complaints import _events, _ticket, run_planner_at
from tests.factories import TEAM_CHATS, WANG_PHONE, RepairTeam, Team
from tests.harness import BotHarness, Person

WANG, LI, CHAN = 7101, 7102, 7103


TEAM: Team = TEAM_CHATS


async def request_repair(owner: Person, trade: str, where: str, text: str, *, unit: str | None = None) -> str:
    await owner.say("/menu")
    await owner.press("报修")
    await owner.press(trade)
    await owner.say(where)
    await owner.say(text)
    await owner.send_photo()
    await owner.press("完成")
    await owner.press("工作日 9:00")
    await owner.press("周末 9:00")
    await owner.press("完成")
    if unit is not None:
        await owner.press(unit)
    await owner.press("使用")
    replies = await owner.press("确认")
    match = re.search(r"BX-\d{4}-\d{6}", str(replies[-1]["text"]))
    assert match is not None, replies[-1]["text"]
    return match.group(0)


async def record_survey(surveyor: Person, party: str, part: str, trades: list[str], estimate: str,
                        builder: str | None = None) -> list[dict[str, object]]:
    await surveyor.press("登记现场勘察")
    await surveyor.press(party)
    await surveyor.press(part)
    for trade in trades:
        await surveyor.press(trade)
    await surveyor.press("完成")
    await surveyor.say(estimate)
    if builder is not None:
        assert "施工单位代表" in surveyor.texts()[-1]
        await surveyor.say(builder)
    await surveyor.say("张敏、赵工、李队长")
    await surveyor.press("跳过")
    assert "现场勘察会签表" in surveyor.texts()[-1]
    return await surveyor.press("确认")


async def record_completion(lead: Person, ticket: Ticket, work: str, settlement: str) -> None:
    card = await lead.press_data(f"t1:{ticket.id}:view", lead.received()[-1])  # the case as it is now
    await lead.press("登记完工", card[-1])
    await lead.say(work)
    await lead.say(settlement)
    await lead.press("跳过")
    await lead.press("确认")


async def test_class_a_repair_from_photo_to_rated_close(harness: BotHarness, crew: RepairTeam, tmp_path: Path) -> None:
    wang = harness.person(WANG)
    number = await request_repair(wang, "防水", "主卫地面", "主卫地面渗水到楼下，已经持续一周。")
    assert number == "BX-2026-000001"
    assert "2026年11月24日" in wang.texts()[-1]  # survey within 1 working day of Monday 23 Nov
    ticket = await _ticket(harness, number)
    assert (ticket.kind, ticket.status, ticket.lead_department) == ("repair", "survey", "repair")
    assert ticket.progress_due == date(2026, 11, 24) and len(ticket.attachments) == 1
    async with harness.uow() as uow:
        repair = await uow.repairs.get(ticket.id)
        assert repair is not None
        assert (repair.trade, repair.warranty_class, repair.payer) == ("waterproofing", "A", "builder")
        assert repair.visit_slots == ["wd_am", "we_am"] and repair.location == "主卫地面"

    # The survey team is told, with the warranty reason and the phone masked.
    agent, lead = harness.person(TEAM.agent), harness.person(crew.lead)
    card = lead.texts()[-1]
    assert "新报修" in card and "A类（施工单位保修）" in card
    assert "有防水要求的卫生间、房间：2023年6月30日 竣工验收，施工单位保修期 5 年（至 2028年6月30日）" in card
    assert "138****1234" in card and WANG_PHONE[3:] not in card
    assert "登记现场勘察" in " ".join(agent.buttons())
    assert harness.person(crew.worker).texts() == []  # workers get the work order, not the survey

    # Survey: builder responsible, one trade, 800 yuan → the builder countersigns, the CS manager approves.
    replies = await record_survey(lead, "施工单位", "有防水要求", ["防水"], "800", builder="陈工")
    assert "等待费用审批" in str(replies[-1]["text"]) and "¥800.00" in str(replies[-1]["text"])
    assert "会签" in harness.person(crew.builder).texts()[-1]
    manager = harness.person(TEAM.cs_manager)
    assert "费用待审批" in manager.texts()[-1] and "¥800.00" in manager.texts()[-1]
    assert "已完成现场勘察" in wang.texts()[-1]
    ticket = await _ticket(harness, number)
    assert ticket.status == "approval" and ticket.progress_reported_at is not None

    # Only the customer-service manager may approve 800 yuan.
    for presser in (agent, harness.person(TEAM.vice_president), harness.person(crew.lead)):
        await presser.press_data(f"t1:{ticket.id}:ap", manager.received()[-1])
    assert all(a["show_alert"] for a in list(harness.emulator.callback_answers.values())[-3:])
    assert (await _ticket(harness, number)).status == "approval"
    replies = await manager.press("批准费用")
    assert "派工单 BX-2026-000001-1 已下达" in str(replies[-1]["text"])

    # The work order: one trade → 3 working days from Monday.
    ticket = await _ticket(harness, number)
    assert (ticket.status, ticket.resolve_due) == ("issued", date(2026, 11, 26))
    worker = harness.person(crew.worker)
    assert "派工单 BX-2026-000001-1（A类）" in worker.texts()[-1]
    assert "已派工" in wang.texts()[-1] and "2026年11月26日" in wang.texts()[-1]
    await worker.press("接单")
    assert "刘师傅" in wang.texts()[-1]
    assert (await _ticket(harness, number)).status == "in_progress"

    # The lead records completion; class A → deducted from the builder's deposit; customer service checks.
    await record_completion(lead, ticket, "重做主卫防水层并闭水试验48小时，无渗漏。", "800")
    finance = harness.person(crew.finance)
    assert "质量保证金中扣除 ¥800.00" in finance.texts()[-1]
    assert "请验收" in agent.texts()[-1]
    await agent.press("验收合格")
    assert "已完工并通过验收" in wang.texts()[-1]

    # The owner confirms and rates in chat: that is the callback.
    await wang.press("是，已解决")
    await wang.press("5")
    await wang.press("4")
    await wang.press("跳过")
    ticket = await _ticket(harness, number)
    assert (ticket.status, ticket.rating_result, ticket.rating_attitude) == ("closed", 5, 4)
    assert await _events(harness, number) == [
        "created", "warranty_decided", "surveyed", "approval_requested", "cost_approved", "work_order_issued",
        "worker_assigned", "completed", "deposit_deduction", "resolved", "confirmed", "rated",
    ]

    # 《维修服务及回访记录表》 and the worker's rating.
    async with harness.uow() as uow:
        rows = await record_rows(uow, date(2026, 10, 1), date(2027, 1, 1))
        ratings = await worker_ratings(uow, date(2026, 10, 1), date(2027, 1, 1))
    assert len(rows) == 1
    assert [(r.name, r.jobs, r.rated, r.quality, r.attitude) for r in ratings] == [("刘师傅", 1, 1, 5.0, 4.0)]
    tr = harness.catalogs.get("zh_Hans_CN")
    path = tmp_path / "record.xlsx"
    write_xlsx(path, tr.gettext(RECORD_TITLE), [tr.gettext(c) for c in COLUMNS], rendered(rows, tr.label))
    sheet = load_workbook(path).active
    assert sheet["A1"].value == "维修服务及回访记录表"
    values = [c.value for c in sheet[3]]
    assert values[0] == number and "138****1234" in values and "A类（施工单位保修）" in values
    assert "刘师傅" in values and 5 in values and 4 in values
    # Typed cells with display formats (issue 12, item 23): they sort, filter and add up in Excel.
    cells = {header.value: cell for header, cell in zip(sheet[2], sheet[3], strict=True)}
    received, due, settlement = cells["报修时间"], cells["完成时限"], cells["结算金额"]
    assert isinstance(received.value, datetime) and received.number_format == "yyyy-mm-dd hh:mm"
    assert received.value.tzinfo is None and received.value.date() == date(2026, 11, 23)
    assert isinstance(due.value, datetime) and due.number_format == "yyyy-mm-dd"  # openpyxl reads dates back so
    assert settlement.data_type == "n" and settlement.value == 800 and settlement.number_format == "#,##0.00"
    assert cells["质量评分"].data_type == "n" and cells["态度评分"].value == 4
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == f"A2:{get_column_letter(len(COLUMNS))}3"


async def _survey_and_issue_b(harness: BotHarness, crew: RepairTeam) -> tuple[str, Ticket]:
    """Li's door (building 2栋 has no completion date; delivered 2024-05-20, owner's 1 year over):
    class B paid by the owner; two trades, 5,000 yuan → deputy chief engineer, then vice-president."""
    li = harness.person(LI)
    number = await request_repair(li, "门窗", "客厅阳台", "阳台推拉门变形，关不严，漏风。", unit="2栋-0801")
    lead = harness.person(crew.lead)
    assert "B类，业主付费" in lead.texts()[-1] and "无竣工验收日期记录" in lead.texts()[-1]
    await record_survey(lead, "施工单位", "门窗翘裂", ["门窗", "墙面"], "5000", builder="陈工")
    engineer = harness.person(crew.deputy_chief_engineer)
    vice_president = harness.person(TEAM.vice_president)
    assert "费用待审批" in engineer.texts()[-1]
    assert vice_president.texts() == []  # the review comes first
    ticket = await _ticket(harness, number)
    await vice_president.press_data(f"t1:{ticket.id}:ap", engineer.received()[-1])  # not their step yet
    assert list(harness.emulator.callback_answers.values())[-1]["show_alert"]
    await engineer.press("批准费用")
    assert "费用待审批" in vice_president.texts()[-1]
    await vice_president.press("批准费用")
    ticket = await _ticket(harness, number)
    # Two trades → 7 working days from Monday 23 Nov.
    assert (ticket.status, ticket.resolve_due) == ("issued", date(2026, 12, 2))
    assert "费用由您承担" in li.texts()[-1] and "¥5,000.00" in li.texts()[-1]
    return number, ticket


async def test_class_b_two_step_approval_and_consent_to_extend(harness: BotHarness, crew: RepairTeam) -> None:
    number, ticket = await _survey_and_issue_b(harness, crew)
    li, lead = harness.person(LI), harness.person(crew.lead)
    await lead.press("指派维修人员")
    await lead.press("陈师傅")
    assert "陈师傅" in li.texts()[-1]
    worker2 = harness.person(crew.worker2)
    assert "您被指派负责" in worker2.texts()[-1]

    # A longer job: the deadline moves only when the owner agrees.
    await worker2.press("请业主同意延期")
    await worker2.say("2026-12-10")
    await worker2.say("定制门扇需要到货")
    assert "是否同意" in li.texts()[-1]
    await li.press("不同意")
    assert (await _ticket(harness, number)).resolve_due == date(2026, 12, 2)
    await worker2.press("请业主同意延期")
    await worker2.say("2026-12-09")
    await worker2.say("定制门扇需要到货，已催厂家")
    await li.press("同意")
    ticket = await _ticket(harness, number)
    assert ticket.resolve_due == date(2026, 12, 9)
    async with harness.uow() as uow:
        order = await uow.repairs.current_order(ticket.id)
        assert order is not None and order.due == date(2026, 12, 9) and order.order_type == "B"
    events = await _events(harness, number)
    assert events.count("extension_requested") == 2 and "extension_declined" in events and "extension_agreed" in events


async def test_settlement_over_approval_audit_check_failure_and_phone_callback(
    harness: BotHarness, crew: RepairTeam
) -> None:
    number, ticket = await _survey_and_issue_b(harness, crew)
    li, lead, agent = harness.person(LI), harness.person(crew.lead), harness.person(TEAM.agent)
    await harness.person(crew.worker).press("接单")
    # The final cost exceeds the approved 5,000: 25,000 needs the general manager and an audit.
    await record_completion(lead, ticket, "更换推拉门及门框，修补墙面。", "25000")
    assert "结算金额 ¥25,000.00 待审批" in lead.texts()[-1]
    assert "超过 20,000 元，请审计" in harness.person(crew.finance).texts()[-1]
    general_manager = harness.person(crew.general_manager)
    assert "结算待审批" in general_manager.texts()[-1]
    await agent.press_data(f"t1:{ticket.id}:ck", agent.received()[-1])  # no check before approval
    assert list(harness.emulator.callback_answers.values())[-1]["show_alert"]
    await general_manager.press("批准费用")
    assert "结算已批准" in agent.texts()[-1]
    await agent.press("验收不合格")
    await agent.say("门框与墙面之间有缝隙")
    assert "验收不合格" in lead.texts()[-1] and (await _ticket(harness, number)).status == "in_progress"
    await record_completion(lead, ticket, "补打发泡胶并收口。", "25000")  # already approved: no second approval
    assert "请验收" in agent.texts()[-1]
    assert sum("请审计" in text for text in harness.person(crew.finance).texts()) == 1  # the same amount: once
    await agent.press("验收合格")
    await li.press("是，已解决")
    assert (await _ticket(harness, number)).status == "confirmed"

    # The owner does not rate in chat: on the callback day customer service calls and records it.
    await run_planner_at(harness, datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
    assert "今日应回访" in agent.texts()[-1]
    await agent.press("登记回访")
    await agent.press("2")
    await agent.press("3")
    await agent.say("工期太长")
    ticket = await _ticket(harness, number)
    assert (ticket.status, ticket.rating_result, ticket.rating_attitude) == ("closed", 2, 3)
    assert "不满意" in harness.person(TEAM.cs_manager).texts()[-1]  # a low rating opens a follow-up
    async with harness.uow() as uow:
        order = await uow.repairs.current_order(ticket.id)
        assert order is not None and order.audit_required and not order.deposit_deduction
        repair = await uow.repairs.get(ticket.id)
        assert repair is not None and repair.callback_by is not None
        approvals = await uow.repairs.approvals_of(ticket.id)
        assert [(a.stage, a.status, [s["step"] for s in a.steps]) for a in approvals] == [
            ("estimate", "approved", ["deputy_chief_engineer", "vice_president"]),
            ("settlement", "approved", ["general_manager"]),
        ]


@pytest.mark.parametrize(("estimate", "approver"), [
    ("0", None), ("1000", "cs_manager"), ("1000.01", "deputy_chief_engineer"),
    ("10000", "deputy_chief_engineer"), ("10000.01", "general_manager"),
])
async def test_approval_thresholds(harness: BotHarness, crew: RepairTeam, estimate: str, approver: str | None) -> None:
    wang, lead = harness.person(WANG), harness.person(crew.lead)
    number = await request_repair(wang, "电气", "厨房", "厨房插座没电，空开跳闸。")
    await record_survey(lead, "施工单位", "电气管线", ["电气"], estimate, builder="陈工" if float(estimate) > 500 else None)
    ticket = await _ticket(harness, number)
    chats = {"cs_manager": TEAM.cs_manager, "deputy_chief_engineer": crew.deputy_chief_engineer,
             "general_manager": crew.general_manager}
    if approver is None:
        assert ticket.status == "issued"  # nothing to approve
        return
    assert ticket.status == "approval"
    for step, chat in chats.items():
        told = any("费用待审批" in text for text in harness.person(chat).texts())
        assert told == (step == approver), step


async def test_deadlines_across_the_national_day_holiday(harness: BotHarness, crew: RepairTeam) -> None:
    # Filed Wednesday 30 Sep 2026: 1-7 Oct are holidays and Saturday 10 Oct is an adjusted working day.
    harness.clock.set(datetime(2026, 9, 30, 2, 0, tzinfo=UTC))
    wang, lead, manager = harness.person(WANG), harness.person(crew.lead), harness.person(TEAM.cs_manager)
    number = await request_repair(wang, "水暖", "厨房水槽", "厨房水槽下水管漏水。")
    assert (await _ticket(harness, number)).progress_due == date(2026, 10, 8)
    await record_survey(lead, "施工单位", "给排水管道", ["水暖"], "300")
    await manager.press("批准费用")
    ticket = await _ticket(harness, number)
    assert ticket.resolve_due == date(2026, 10, 10)  # 8, 9 and the working Saturday 10 Oct


async def test_warranty_override_is_recorded_and_changes_the_work_order(harness: BotHarness, crew: RepairTeam) -> None:
    wang, agent = harness.person(WANG), harness.person(TEAM.agent)
    number = await request_repair(wang, "墙面", "次卧", "次卧墙面抹灰层大面积脱落。")
    await agent.press("更改保修类别")
    await agent.press("B类，公司承担")
    await agent.say("业主为老客户，公司同意承担")
    assert "B类，公司承担" in agent.texts()[-1]
    await record_survey(agent, "施工单位", "抹灰层脱落", ["墙面"], "200")
    ticket = await _ticket(harness, number)
    async with harness.uow() as uow:
        repair = await uow.repairs.get(ticket.id)
        order = await uow.repairs.current_order(ticket.id)
        assert repair is not None and order is not None
        assert (repair.warranty_class, repair.payer, order.order_type, order.deposit_deduction) == (
            "B", "company", "B", False)
        assert repair.override is not None and repair.override["reason"] == "业主为老客户，公司同意承担"
    card = await agent.press_data(f"t1:{ticket.id}:view", agent.received()[-1])
    assert "工作人员改定" in str(card[-1]["text"]) and "业主为老客户" in str(card[-1]["text"])
    assert "warranty_overridden" in await _events(harness, number)


async def test_owners_and_staff_only_reach_what_is_theirs(harness: BotHarness, crew: RepairTeam) -> None:
    wang, li = harness.person(WANG), harness.person(LI)
    number = await request_repair(wang, "电气", "客厅", "客厅灯不亮。")
    ticket = await _ticket(harness, number)
    await li.say(number)
    assert f"没有编号为 {number}" in li.texts()[-1]
    before = len(harness.emulator.callback_answers)
    await li.press_data(f"t1:{ticket.id}:sv", li.received()[-1])  # an owner forging a staff button
    await harness.person(crew.worker).press_data(f"t1:{ticket.id}:sv", li.received()[-1])  # not a surveyor
    await harness.person(crew.finance).press_data(f"t1:{ticket.id}:zz", li.received()[-1])  # forged action
    answers = list(harness.emulator.callback_answers.values())[before:]
    assert len(answers) == 3 and all(a["show_alert"] for a in answers)
    assert (await _ticket(harness, number)).status == "survey"
    await wang.say("/my")
    assert number in wang.texts()[-1] and "等待现场勘察" in wang.texts()[-1]


async def test_planner_chases_the_survey_the_approval_and_the_work_order(harness: BotHarness, crew: RepairTeam) -> None:
    wang, lead, manager = harness.person(WANG), harness.person(crew.lead), harness.person(TEAM.cs_manager)
    number = await request_repair(wang, "电气", "书房", "书房插座冒火花。")

    def notices() -> list[str]:
        """The manager's messages but the periodic reports (weekly figures, monthly approval card, and
        their chart and workbook, sent without a caption)."""
        return [text for text in manager.texts()
                if text and not text.startswith(("📊", "📝", "📢")) and "投诉处理月报" not in text]

    await run_planner_at(harness, datetime(2026, 11, 24, 2, 0, tzinfo=UTC))  # due today: nothing yet
    assert not any("逾期" in text for text in notices())
    await run_planner_at(harness, datetime(2026, 11, 25, 2, 0, tzinfo=UTC))
    assert "逾期：BX-2026-000001 的现场勘察已于 2026年11月24日 到期" in notices()[-1]
    await record_survey(lead, "施工单位", "电气管线", ["电气"], "300")
    await run_planner_at(harness, datetime(2026, 11, 25, 8, 0, tzinfo=UTC))  # the same day: no reminder
    assert "等待您审批" not in notices()[-1]
    await run_planner_at(harness, datetime(2026, 11, 26, 2, 0, tzinfo=UTC))
    assert "等待您审批" in notices()[-1]
    await run_planner_at(harness, datetime(2026, 11, 26, 3, 0, tzinfo=UTC))  # planned once only
    assert sum("等待您审批" in text for text in notices()) == 1
    await manager.press("批准费用", manager.received()[-1])
    ticket = await _ticket(harness, number)
    assert ticket.resolve_due == date(2026, 12, 1)  # Thursday + 3 working days
    await run_planner_at(harness, datetime(2026, 11, 30, 2, 0, tzinfo=UTC))
    assert "提醒" in harness.person(crew.worker).texts()[-1]
    await run_planner_at(harness, datetime(2026, 12, 2, 2, 0, tzinfo=UTC))
    # (From December the manager also hears that the quarter has no community event: care cadence.)
    assert any("逾期" in text and number in text for text in notices()[-2:]), notices()[-3:]
