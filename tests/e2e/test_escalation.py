"""Overdue cases do not go quiet (issue 12, item 13): escalated every working day they stay overdue,
one level up after N working days (an operator's setting), marked in /queue and in the owner's /my,
and the owner is told once that the promised date has passed and what happens next."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.e2e.test_complaints import WANG, _events, _ticket, file_complaint
from tests.factories import WANG_PHONE, RepairTeam, bind_owner, seed_repair_team
from tests.harness import BotHarness


@pytest.fixture
async def crew(harness: BotHarness, monkeypatch: pytest.MonkeyPatch) -> RepairTeam:
    async with harness.uow() as uow:
        crew = await seed_repair_team(uow, harness.clock.now())
        await bind_owner(uow, WANG_PHONE, WANG)
    # The operator sets "one level up after 2 working days" (ESCALATE_AFTER_WORKING_DAYS); the bot
    # reads it at start, as a restarted process would.
    monkeypatch.setenv("ESCALATE_AFTER_WORKING_DAYS", "2")
    await harness.stop()
    await harness.start()
    return crew


async def plan_at(harness: BotHarness, at: datetime) -> None:
    """The bot's own planner loop, one round, on the test's clock; then deliver what is due."""
    harness.clock.set(at)
    assert harness.runtime is not None
    await harness.runtime.planner_loop().run_once()
    await harness.settle()


def overdue_alerts(texts: list[str], number: str) -> list[str]:
    return [text for text in texts if text.startswith("⏰ 逾期") and number in text]


async def test_an_overdue_complaint_is_escalated_every_working_day_and_one_level_up(
    harness: BotHarness, crew: RepairTeam
) -> None:
    from tests.factories import TEAM_CHATS as team

    wang = harness.person(WANG)
    number = await file_complaint(wang, "服务态度", "保安在岗玩手机，叫了几次都不理。")
    quality = harness.person(team.quality)
    await quality.press("受理")
    await quality.press("进度")
    await quality.say("已调取监控，正在约谈。")
    assert (await _ticket(harness, number)).resolve_due == date(2026, 11, 30)  # Monday
    handler, manager, cs_manager = quality, harness.person(team.quality_manager), harness.person(team.cs_manager)
    vp, gm = harness.person(team.vice_president), harness.person(crew.general_manager)

    await plan_at(harness, datetime(2026, 11, 30, 2, 0, tzinfo=UTC))  # due today: on time
    assert overdue_alerts(manager.texts(), number) == []
    await plan_at(harness, datetime(2026, 12, 1, 2, 0, tzinfo=UTC))  # Tuesday: 1 working day late
    for person in (handler, manager, cs_manager):
        [alert] = overdue_alerts(person.texts(), number)
        assert "已逾期 1 个工作日，已上报部门经理及客户服务部经理" in alert
    assert overdue_alerts(vp.texts(), number) == []
    # The owner is told once that the date has passed, and what happens next.
    late_notices = [text for text in wang.texts() if "已超过处理期限" in text]
    assert len(late_notices) == 1 and "2026年11月30日" in late_notices[0] and "公司领导" in late_notices[0]

    await plan_at(harness, datetime(2026, 12, 1, 6, 0, tzinfo=UTC))  # the same day again: nothing more
    await harness.stop()  # nor after a restart
    await harness.start()
    await plan_at(harness, datetime(2026, 12, 1, 7, 0, tzinfo=UTC))
    assert len(overdue_alerts(manager.texts(), number)) == 1

    await plan_at(harness, datetime(2026, 12, 2, 2, 0, tzinfo=UTC))  # Wednesday: again, still level 1
    assert len(overdue_alerts(manager.texts(), number)) == 2
    assert "已逾期 2 个工作日" in overdue_alerts(handler.texts(), number)[-1]
    assert overdue_alerts(vp.texts(), number) == []
    await plan_at(harness, datetime(2026, 12, 3, 2, 0, tzinfo=UTC))  # Thursday: after 2 working days, up
    [to_vp] = overdue_alerts(vp.texts(), number)
    assert "已逾期 3 个工作日，已上报公司分管领导" in to_vp
    assert len(overdue_alerts(manager.texts(), number)) == 3  # the lower levels keep hearing of it
    await plan_at(harness, datetime(2026, 12, 5, 2, 0, tzinfo=UTC))  # Saturday: nobody is pushed
    assert len(overdue_alerts(manager.texts(), number)) == 3
    await plan_at(harness, datetime(2026, 12, 7, 2, 0, tzinfo=UTC))  # Monday: 5 working days late, top level
    assert len(overdue_alerts(manager.texts(), number)) == 4  # Saturday's planning and Monday's are one alert
    [to_gm] = overdue_alerts(gm.texts(), number)
    assert "已逾期 5 个工作日，已上报总经理" in to_gm
    assert len([text for text in wang.texts() if "已超过处理期限" in text]) == 1

    # Marked in the handler's queue and the owner's /my; the owner's case view says what happens next.
    [queue] = await handler.say("/queue")
    assert f"⏰ {number}" in queue["text"] and "已逾期（应于 2026年11月30日）" in queue["text"]
    [mine] = await wang.say("/my")
    assert f"⏰ {number}" in mine["text"] and "已逾期（应于 2026年11月30日）" in mine["text"]
    [view] = await wang.press(number, mine)
    assert "已超过处理期限" in view["text"]
    # The history records each level reached, once.
    escalations = [kind for kind in await _events(harness, number) if kind == "deadline_escalated"]
    assert len(escalations) == 3

    # Resolved: the escalation stops.
    [card] = await handler.press(number, queue)
    assert "⏰ 已逾期：应于 2026年11月30日 完成" in card["text"]
    await handler.press("已解决", card)
    await handler.say("已对保安停岗处理并向业主致歉。")
    await plan_at(harness, datetime(2026, 12, 8, 2, 0, tzinfo=UTC))
    assert len(overdue_alerts(manager.texts(), number)) == 4
    [mine] = await wang.say("/my")
    assert "⏰" not in mine["text"]


async def test_an_overdue_site_survey_is_escalated_every_working_day_too(harness: BotHarness, crew: RepairTeam) -> None:
    from tests.e2e.test_repairs import request_repair
    from tests.factories import TEAM_CHATS as team

    number = await request_repair(harness.person(WANG), "电气", "厨房", "厨房插座没电。")
    assert (await _ticket(harness, number)).progress_due == date(2026, 11, 24)  # the survey: 1 working day
    lead, manager = harness.person(crew.lead), harness.person(team.cs_manager)
    await plan_at(harness, datetime(2026, 11, 23, 8, 0, tzinfo=UTC))  # filing day: no "due tomorrow" noise
    assert not any("提醒" in text for text in lead.texts())
    for day in (25, 26):
        await plan_at(harness, datetime(2026, 11, day, 2, 0, tzinfo=UTC))
    alerts = overdue_alerts(manager.texts(), number)
    assert len(alerts) == 2 and all("的现场勘察已于 2026年11月24日 到期" in alert for alert in alerts)
    assert "已逾期 2 个工作日" in alerts[-1]
    # The owner was promised the repair, not the survey: no late notice yet.
    assert not any("已超过处理期限" in text for text in harness.person(WANG).texts())
