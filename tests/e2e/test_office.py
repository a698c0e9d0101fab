"""Around the complaints: the holiday-schedule warning, replies to inquiries, routing overrides."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.calendar.workdays import package_schedule_until
from services.complaints.routing import set_override
from tests.e2e.test_complaints import WANG, _ticket, file_complaint, run_planner_at
from tests.factories import WANG_PHONE, Team
from tests.harness import BotHarness


async def test_managers_are_warned_weekly_from_november_about_a_missing_schedule(
    harness: BotHarness, team: Team
) -> None:
    if (package_schedule_until("CN") or 0) >= 2027:
        pytest.skip("the holidays package already has the 2027 schedule")
    manager, agent = harness.person(team.cs_manager), harness.person(team.agent)

    def warnings() -> list[str]:  # the managers also hear of the care cadence (the quarterly report)
        return [text for text in manager.texts() if "节假日安排" in text]

    await run_planner_at(harness, datetime(2026, 10, 30, 2, 0, tzinfo=UTC))  # October: too early to warn
    assert warnings() == []
    await run_planner_at(harness, datetime(2026, 11, 2, 2, 0, tzinfo=UTC))
    assert "2027 年的节假日安排尚未导入" in warnings()[-1]
    assert not any("节假日安排" in text for text in agent.texts())  # managers only
    await run_planner_at(harness, datetime(2026, 11, 4, 2, 0, tzinfo=UTC))  # the same week: nothing new
    assert len(warnings()) == 1
    await run_planner_at(harness, datetime(2026, 11, 9, 2, 0, tzinfo=UTC))  # next week: reminded again
    assert len(warnings()) == 2
    async with harness.uow() as uow:
        from services.calendar.schedule_import import load_calendar

        report = await load_calendar(uow, "CN", [{"date": "2027-02-06", "working": "休息"}], harness.clock.now())
        assert report.ok
        await uow.commit()
    await run_planner_at(harness, datetime(2026, 11, 16, 2, 0, tzinfo=UTC))  # loaded: no more warnings
    assert len(warnings()) == 2


async def test_customer_service_replies_to_an_inquiry_through_the_bot(harness: BotHarness, team: Team) -> None:
    visitor = harness.person(7301, "访客")
    await visitor.say("/menu")
    await visitor.press("留言")
    await visitor.press("建议")
    await visitor.say("建议在地下车库增加充电桩")
    await visitor.say("黄女士")
    await visitor.press("跳过")
    await visitor.press("确认")
    agent = harness.person(team.agent)
    await agent.say("/inbox")
    await agent.press("回复 GT-000001")
    await agent.say("感谢建议！充电桩方案已提交工程部评估，预计下月答复可行性。")
    replies = await agent.press("确认")
    assert replies[-1]["text"] == "已发送对 GT-000001 的回复。"
    assert "客户服务部回复了您的留言 GT-000001" in visitor.texts()[-1]
    assert "充电桩方案已提交工程部评估" in visitor.texts()[-1]
    async with harness.uow() as uow:
        entry = await uow.communication.get(1)
        assert entry is not None and entry.status == "answered" and entry.replied_by is not None
    # Answered messages leave the inbox, and their reply buttons stop working.
    replies = await agent.say("/inbox")
    assert replies[0]["text"] == "暂无待处理留言。"
    assert await agent.press_data("c1:1") == []
    assert list(harness.emulator.callback_answers.values())[-1]["text"] == "该留言已回复。"
    # Someone outside customer service cannot reply.
    engineer = harness.person(team.engineer)
    assert await engineer.press_data("c1:1", agent.received()[0]) == []


async def test_a_project_routing_override_sends_fees_to_customer_service(harness: BotHarness, team: Team) -> None:
    async with harness.uow() as uow:
        project = await uow.projects.by_code("HY")
        assert project is not None
        await set_override(uow, project.id, "fees", "customer_service")
        await uow.commit()
    number = await file_complaint(harness.person(WANG), "收费", "停车费多收了一个月。")
    assert (await _ticket(harness, number)).lead_department == "customer_service"
    assert "新投诉" in harness.person(team.agent).texts()[-1]


async def test_an_owner_who_blocked_the_bot_is_reachable_again_after_writing(harness: BotHarness, team: Team) -> None:
    async with harness.uow() as uow:
        owner = await uow.owners.by_phone(WANG_PHONE)
        assert owner is not None
        owner.blocked = True
        await uow.commit()
    await harness.person(WANG).say("/menu")
    async with harness.uow() as uow:
        owner = await uow.owners.by_phone(WANG_PHONE)
        assert owner is not None and owner.blocked is False
