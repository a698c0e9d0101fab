"""The low-rating follow-up (回访, issue 12 item 9): it stands in the customer-service manager's
/queue, its buttons work, the manager gets the owner's full number to call, records whether the call
reached the owner, what was agreed and whether the owner is satisfied now, and it is reminded until
it is done."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.e2e.test_complaints import _events, _ticket, resolved_complaint, run_planner_at
from tests.factories import Team
from tests.harness import BotHarness


async def test_a_low_rating_follow_up_is_queued_called_and_closed(harness: BotHarness, team: Team) -> None:
    wang, number = await resolved_complaint(harness, team, "物业维修工上门后态度敷衍。", "已批评教育。")
    await wang.press("是，已解决")
    await wang.press("2")
    await wang.press("1")
    await wang.say("希望经理亲自回个电话")
    manager, agent = harness.person(team.cs_manager), harness.person(team.agent)

    # The manager's card: the owner's full number (they must call), the ratings and the comment, buttons.
    card = next(m for m in reversed(manager.received()) if "不满意，请回访" in (m.get("text") or ""))
    assert "13812341234" in card["text"] and "希望经理亲自回个电话" in card["text"]
    assert "请于 2026年11月24日 前致电业主" in card["text"]
    assert manager.buttons(card) == ["✅ 已联系上：登记回访结果", "📵 未联系上"]
    assert "13812341234" not in "".join(agent.texts())  # the agent does not call: masked if anything

    # It heads the manager's queue (the case itself is closed); not the agent's.
    [queue] = await manager.say("/queue")
    assert f"📞 回访 {number} · 服务态度 · 请于 2026年11月24日 前致电" in queue["text"]
    [agent_queue] = await agent.say("/queue")
    assert "回访" not in agent_queue["text"]
    [from_queue] = await manager.press(f"📞 {number}", queue)
    assert "13812341234" in from_queue["text"]

    # Someone else pressing the buttons changes nothing.
    ticket = await _ticket(harness, number)
    await agent.press_data(f"t1:{ticket.id}:fn", card)
    assert list(harness.emulator.callback_answers.values())[-1]["text"] == "只有客户服务部经理可以登记回访。"

    # The first call does not reach the owner: recorded, still open, reminded the next working day.
    _, not_reached_data = manager.find_button("未联系上", from_queue)
    [not_reached] = await manager.press_data(not_reached_data, from_queue)
    assert manager.buttons(from_queue) == []  # recorded: its reply carries the buttons now
    assert "未联系上 " + number + " 的业主（第 1 次）" in not_reached["text"]
    await run_planner_at(harness, datetime(2026, 11, 23, 8, 0, tzinfo=UTC))  # the same day: no reminder
    assert not any("回访尚未完成" in text for text in manager.texts())
    await run_planner_at(harness, datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
    await run_planner_at(harness, datetime(2026, 11, 24, 3, 0, tzinfo=UTC))  # planned once a day
    reminders = [text for text in manager.texts() if "回访尚未完成" in text]
    assert len(reminders) == 1 and "未联系上业主的次数：1" in reminders[0]

    # The second call reaches the owner: what was agreed, and whether they are satisfied now.
    [reminder] = [m for m in manager.received() if "回访尚未完成" in (m.get("text") or "")]
    await manager.press("已联系上", reminder)  # (the monthly report's reminder with its buttons came too)
    await manager.say("经理已致歉，维修工下周一再次上门检查。")
    replies = await manager.press("否，仍不满意")
    assert replies[-1]["text"] == f"{number} 的回访已完成：业主仍不满意，已记录在案。"
    [queue] = await manager.say("/queue")
    assert "回访" not in queue["text"]
    # The card, its reminder and the reply the press came from show the outcome, without buttons.
    for copy in (card, reminder):
        assert "✅ 回访已完成：业主仍不满意。" in copy["text"] and "维修工下周一再次上门检查" in copy["text"]
        assert manager.buttons(copy) == []
    await run_planner_at(harness, datetime(2026, 11, 25, 2, 0, tzinfo=UTC))
    assert not any("回访尚未完成" in text for text in manager.texts())  # not reminded again
    # Its buttons now say it is done; the case shows the outcome in its history.
    await manager.press_data(not_reached_data, from_queue)  # an old press
    assert list(harness.emulator.callback_answers.values())[-1]["text"] == "该回访已完成。"
    events = await _events(harness, number)
    assert events[-3:] == ["follow_up_opened", "follow_up_attempt", "follow_up_closed"]
    [case] = await manager.say(number)
    assert "✅ 回访已完成：业主仍不满意。" in case["text"] and "经理已致歉" in case["text"]
    assert "📵 未联系上" not in manager.buttons(case)
    [history] = await manager.press("处理记录", case)
    assert await manager.press("下一页", history) == []  # the page turns in place
    more = history
    assert "回访完成 · 孙经理" in more["text"] and "维修工下周一再次上门检查" in more["text"]
    assert "<b>业主现已满意</b>：否" in more["text"]
    async with harness.uow() as uow:  # showing the manager the full number is recorded, once (DOMAIN 5.2)
        [manager_id] = [s.id for s in await uow.staff.all() if s.chat_id == team.cs_manager]
        shown = [e.staff_id for e in await uow.tickets.events(ticket.id) if e.kind == "phone_shown"]
        assert shown.count(manager_id) == 1
        assert await uow.follow_ups.open_of_ticket(ticket.id) is None
