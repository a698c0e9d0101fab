"""Repairs finished in chat (issue 12): the rejection's reason reaches everyone told, the worker
reports his job done and the lead hears of it, the builder countersigns or objects, finance is asked
once per settled amount, and the owner's full phone goes only to whoever must call."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from storage.models import SiteSurvey
from tests.e2e.test_complaints import _events, _ticket, file_complaint, run_planner_at
from tests.e2e.test_repairs import record_completion, record_survey, request_repair
from tests.factories import TEAM_CHATS, WANG_PHONE, RepairTeam
from tests.harness import BotHarness, Person

WANG = 7101
TEAM = TEAM_CHATS
FULL, MASKED = WANG_PHONE[3:], "138****1234"  # 13812341234 as staff dial it


async def _staff_ids(harness: BotHarness) -> dict[int, int]:
    """Staff id by chat id."""
    async with harness.uow() as uow:
        return {s.chat_id: s.id for s in await uow.staff.all() if s.chat_id is not None}


async def _surveys(harness: BotHarness, number: str) -> list[SiteSurvey]:
    ticket = await _ticket(harness, number)
    async with harness.uow() as uow:
        surveys = list((await uow.session.scalars(
            select(SiteSurvey).where(SiteSurvey.ticket_id == ticket.id).order_by(SiteSurvey.id))).all())
        for survey in surveys:
            uow.session.expunge(survey)
        return surveys


async def _shown_to(harness: BotHarness, number: str) -> list[int]:
    """Who was shown the owner's full phone, in the case's history."""
    ticket = await _ticket(harness, number)
    async with harness.uow() as uow:
        return [e.staff_id for e in await uow.tickets.events(ticket.id) if e.kind == "phone_shown" and e.staff_id]


async def _view(person: Person, ticket_id: int) -> dict[str, Any]:
    """The case card as this person sees it now."""
    return (await person.press_data(f"t1:{ticket_id}:view", person.received()[-1]))[-1]


def _refused(harness: BotHarness) -> bool:
    return bool(list(harness.emulator.callback_answers.values())[-1]["show_alert"])


# ---------------------------------------------------------------- item 1: the rejection's reason


REASON = "A类应由施工单位直接返修，预估偏高，请重新勘察。"


async def test_a_rejected_estimate_tells_its_reason_to_everyone_told_and_on_the_card(
    harness: BotHarness, crew: RepairTeam
) -> None:
    wang, lead, manager = harness.person(WANG), harness.person(crew.lead), harness.person(TEAM.cs_manager)
    number = await request_repair(wang, "防水", "主卫地面", "主卫地面渗水到楼下，已经持续一周。")
    await record_survey(lead, "施工单位", "有防水要求", ["防水"], "800", builder="陈工")
    await manager.press("驳回费用")
    await manager.say(REASON)
    # The lead, the engineer, customer service and the office: each gets the reason with the notice.
    for chat in (crew.lead, TEAM.engineer, TEAM.agent, crew.office):
        text = harness.person(chat).texts()[-1]
        assert "预估费用被驳回" in text and REASON in text, (chat, text)
    ticket = await _ticket(harness, number)
    assert ticket.status == "survey"
    card = await _view(lead, ticket.id)
    assert REASON in card["text"] and "孙经理" in card["text"] and "客户服务部经理" in card["text"]
    # A new survey replaces the rejection on the card.
    await record_survey(lead, "施工单位", "有防水要求", ["防水"], "600", builder="陈工")
    assert REASON not in (await _view(lead, ticket.id))["text"]


# ---------------------------------------------------------------- item 7: the worker's own job


async def test_the_worker_reports_his_job_done_from_his_own_card_and_the_lead_is_told(
    harness: BotHarness, crew: RepairTeam
) -> None:
    wang, lead, worker = harness.person(WANG), harness.person(crew.lead), harness.person(crew.worker)
    agent, manager = harness.person(TEAM.agent), harness.person(TEAM.cs_manager)
    number = await request_repair(wang, "电气", "厨房", "厨房插座没电，空开跳闸。")
    await record_survey(lead, "施工单位", "电气管线", ["电气"], "300")
    await manager.press("批准费用")
    own_card = (await worker.press("接单"))[-1]
    assert worker.buttons(own_card) == ["⏳ 请业主同意延期", "✔️ 登记完工"]
    assert "刘师傅已接单" in lead.texts()[-1] and number in lead.texts()[-1]

    await worker.press("请业主同意延期", own_card)
    await worker.say("2026-11-30")
    await worker.say("需要更换整条线路")
    told = lead.texts()[-1]
    assert "刘师傅" in told and "延期至 2026年11月30日" in told and "需要更换整条线路" in told
    await wang.press("同意")
    assert "业主同意延期" in lead.texts()[-1] and "2026年11月30日" in lead.texts()[-1]

    assert worker.buttons(own_card) == []  # the answer to the request carries the card's buttons now
    await worker.press("登记完工", worker.last_with_buttons())
    await worker.say("更换厨房插座回路及空开，通电测试正常。")
    await worker.say("300")
    await worker.press("跳过")
    await worker.press("确认")
    assert "刘师傅已登记" in lead.texts()[-1] and "完工" in lead.texts()[-1]
    assert "请验收" in agent.texts()[-1]
    ticket = await _ticket(harness, number)
    worker_id = (await _staff_ids(harness))[crew.worker]
    async with harness.uow() as uow:
        order = await uow.repairs.current_order(ticket.id)
        assert order is not None and order.completed_by == worker_id
    assert ticket.status == "completed"

    # Another worker cannot record it (and nobody is told of a refused press).
    before = len(lead.received())
    await harness.person(crew.worker2).press_data(f"t1:{ticket.id}:cp", own_card)
    assert _refused(harness)
    assert len(lead.received()) == before


# ---------------------------------------------------------------- item 8: the builder's countersignature


async def test_the_builder_countersigns_the_survey_from_his_card(harness: BotHarness, crew: RepairTeam) -> None:
    wang, lead, builder = harness.person(WANG), harness.person(crew.lead), harness.person(crew.builder)
    number = await request_repair(wang, "防水", "主卫地面", "主卫地面渗水到楼下。")
    await record_survey(lead, "施工单位", "有防水要求", ["防水"], "800", builder="陈工")
    request = builder.received()[-1]
    # Written after the survey moved the repair on: its status is the new one.
    assert "请会签" in request["text"] and "等待费用审批" in request["text"]
    assert "等待现场勘察" not in request["text"]
    assert "等待施工单位代表会签" in request["text"]
    assert builder.buttons(request) == ["✍️ 会签", "✋ 提出异议"]
    await builder.say("/queue")
    assert number in builder.texts()[-1]  # what waits for the builder

    _, countersign = builder.find_button("会签", request)
    replies = await builder.press_data(countersign, request)
    assert f"您已会签 {number}" in replies[-1]["text"]
    assert "施工单位已会签" in lead.texts()[-1]
    [survey] = await _surveys(harness, number)
    assert (survey.countersign, survey.countersigned_by) == ("signed", (await _staff_ids(harness))[crew.builder])
    assert survey.countersigned_at is not None
    ticket = await _ticket(harness, number)
    assert "施工方老黄已会签" in (await _view(lead, ticket.id))["text"]
    assert builder.buttons(request) == []  # answered: nothing left to press on it
    await builder.press_data(countersign, request)  # an old press all the same
    assert _refused(harness)
    assert (await _events(harness, number)).count("survey_countersigned") == 1


OBJECTION = "渗漏系业主自行改造卫生间所致，不属施工质量问题。"


async def test_the_builder_objects_with_a_reason_and_a_redone_survey_withdraws_the_open_request(
    harness: BotHarness, crew: RepairTeam
) -> None:
    wang, lead, builder = harness.person(WANG), harness.person(crew.lead), harness.person(crew.builder)
    manager = harness.person(TEAM.cs_manager)
    number = await request_repair(wang, "防水", "主卫地面", "主卫地面渗水到楼下。")
    await record_survey(lead, "施工单位", "有防水要求", ["防水"], "800", builder="陈工")
    first_request = builder.received()[-1]
    await manager.press("驳回费用")
    await manager.say("预估偏高，请重新勘察。")
    assert "会签请求已撤回" in builder.texts()[-1]
    await builder.press("会签", first_request)  # the withdrawn request
    assert _refused(harness)
    assert [s.countersign for s in await _surveys(harness, number)] == ["withdrawn"]

    await record_survey(lead, "施工单位", "有防水要求", ["防水"], "600", builder="陈工")
    second_request = builder.received()[-1]
    assert "请会签" in second_request["text"]
    await builder.press("提出异议", second_request)
    replies = await builder.say(OBJECTION)
    assert "异议已记录" in replies[-1]["text"]
    # The surveyor and the customer-service manager (here also the approver waiting) read why.
    assert "施工单位对" in lead.texts()[-1] and OBJECTION in lead.texts()[-1]
    assert "有异议" in manager.texts()[-1] and OBJECTION in manager.texts()[-1]
    surveys = await _surveys(harness, number)
    assert [(s.countersign, s.countersign_note) for s in surveys] == [("withdrawn", None), ("objected", OBJECTION)]
    ticket = await _ticket(harness, number)
    assert "builder" not in ticket.assisting_departments  # nothing left for the builder to answer
    assert f"施工方老黄有异议：{OBJECTION}" in (await _view(manager, ticket.id))["text"]
    events = await _events(harness, number)
    assert events.count("countersign_withdrawn") == 1 and events.count("survey_objected") == 1


# ---------------------------------------------------------------- item 11: one deduction per amount


async def test_finance_is_asked_to_deduct_once_per_settled_amount(harness: BotHarness, crew: RepairTeam) -> None:
    wang, lead, agent = harness.person(WANG), harness.person(crew.lead), harness.person(TEAM.agent)
    manager, finance = harness.person(TEAM.cs_manager), harness.person(crew.finance)
    number = await request_repair(wang, "防水", "主卫地面", "主卫地面渗水到楼下。")
    await record_survey(lead, "施工单位", "有防水要求", ["防水"], "800", builder="陈工")
    await manager.press("批准费用")
    await harness.person(crew.worker).press("接单")
    ticket = await _ticket(harness, number)

    def asked() -> list[str]:
        return [text for text in finance.texts() if "保证金中扣除 ¥" in text]

    await record_completion(lead, ticket, "重做主卫防水层。", "800")
    assert len(asked()) == 1 and "¥800.00" in asked()[0]
    await agent.press("验收不合格")
    await agent.say("闭水试验仍有渗漏")
    await record_completion(lead, ticket, "重新涂刷防水涂料。", "800")
    assert len(asked()) == 1  # the same amount: finance is not asked again
    await agent.press("验收不合格")
    await agent.say("墙角仍渗水")
    await record_completion(lead, ticket, "墙角加做防水附加层。", "950")
    assert len(asked()) == 2  # a changed amount: one correction
    assert "更正" in asked()[-1] and "¥950.00" in asked()[-1] and "¥800.00" in asked()[-1]
    await manager.press("批准费用")  # 950 is above the approved 800
    await agent.press("验收合格")
    events = await _events(harness, number)
    assert events.count("deposit_deduction") == 1 and events.count("deposit_deduction_corrected") == 1


# ---------------------------------------------------------------- item 12: the owner's phone


async def test_the_full_phone_goes_only_to_whoever_must_call_and_is_recorded(
    harness: BotHarness, crew: RepairTeam
) -> None:
    wang, lead, manager = harness.person(WANG), harness.person(crew.lead), harness.person(TEAM.cs_manager)
    worker, worker2, agent = harness.person(crew.worker), harness.person(crew.worker2), harness.person(TEAM.agent)
    ids = await _staff_ids(harness)
    number = await request_repair(wang, "电气", "厨房", "厨房插座没电，空开跳闸。")
    await record_survey(lead, "施工单位", "电气管线", ["电气"], "300")
    await manager.press("批准费用")
    assert MASKED in worker.texts()[-1] and FULL not in worker.texts()[-1]  # the team's work order
    assert await _shown_to(harness, number) == []

    taken = await worker.press("接单")
    assert FULL in taken[-1]["text"]  # he arranges the visit
    ticket = await _ticket(harness, number)
    lead_card = await _view(lead, ticket.id)
    assert MASKED in lead_card["text"] and FULL not in lead_card["text"]
    assert FULL in (await _view(worker, ticket.id))["text"]
    assert await _shown_to(harness, number) == [ids[crew.worker]]  # once, however often he looks

    # Reassigned: the new worker gets the number, the earlier one no longer does.
    await lead.press("指派维修人员", lead_card)
    await lead.press("陈师傅")
    assert "您被指派负责" in worker2.texts()[-1] and FULL in worker2.texts()[-1]
    assert MASKED in (await _view(worker, ticket.id))["text"]

    await record_completion(lead, ticket, "更换厨房插座回路。", "300")
    await agent.press("验收合格")
    await wang.press("是，已解决")  # but does not rate
    await run_planner_at(harness, datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
    task = agent.texts()[-1]
    assert "今日应回访" in task and MASKED in task and FULL not in task
    assert FULL not in manager.texts()[-1]
    replies = await agent.press("登记回访")
    assert FULL in replies[0]["text"] and "请致电业主" in replies[0]["text"]  # whoever calls back
    await agent.press("5")
    await agent.press("5")
    await agent.press("跳过")
    assert (await _ticket(harness, number)).status == "closed"
    assert await _shown_to(harness, number) == [ids[crew.worker], ids[crew.worker2], ids[TEAM.agent]]


async def test_the_complaint_handler_gets_the_owners_number_in_full(harness: BotHarness, crew: RepairTeam) -> None:
    wang, quality, quality_manager = harness.person(WANG), harness.person(TEAM.quality), harness.person(
        TEAM.quality_manager)
    number = await file_complaint(wang, "服务态度", "保安对访客态度恶劣，还推搡了我的父亲。")
    assert MASKED in quality.texts()[-1] and FULL not in quality.texts()[-1]
    replies = await quality.press("受理")
    assert FULL in replies[0]["text"]
    ticket = await _ticket(harness, number)
    assert FULL in (await _view(quality, ticket.id))["text"]
    seen_by_manager = (await _view(quality_manager, ticket.id))["text"]
    assert MASKED in seen_by_manager and FULL not in seen_by_manager
    assert await _shown_to(harness, number) == [(await _staff_ids(harness))[TEAM.quality]]
