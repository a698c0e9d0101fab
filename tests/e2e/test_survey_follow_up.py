"""The follow-up of unhappy survey answers (issue 13 item 4, DOMAIN 3.5) through the real bot: an
overall score of 1 reaches the customer-service manager personally, who records the call in chat;
a 2 is customer service's, handled by an assistant (not reached, reminded, then reached); a topic
investigation reaches the manager once and is closed with its findings; forged and stale presses
change nothing. The answers are written straight into the tables (the chat flow has its own tests)."""

from __future__ import annotations

from datetime import UTC, datetime

from services.surveys.follow_up import follow_up_answers, handled_share
from tests.e2e.test_complaints import run_planner_at
from tests.factories import LI_PHONE, WANG_PHONE, Team
from tests.harness import BotHarness
from tests.survey_follow_up_fixture import Survey, answer, seed_survey


def _alert(harness: BotHarness) -> str:
    return str(list(harness.emulator.callback_answers.values())[-1]["text"])


async def _seed(harness: BotHarness) -> tuple[Survey, int, int]:
    now = harness.clock.now()
    async with harness.uow() as uow:
        survey = await seed_survey(uow, now)
        wang, wang_rows = await answer(uow, survey, WANG_PHONE, "1栋-1201", now, {"overall": 1, "rebuy": 2, "property": 4},
                                       {"overall__comment": "交房延期且没有任何解释", "suggest": "希望多和业主沟通"})
        await follow_up_answers(uow, wang, wang_rows, now, topic_threshold=2)
        li, li_rows = await answer(uow, survey, LI_PHONE, "1栋-1202", now, {"overall": 4, "rebuy": 2})
        await follow_up_answers(uow, li, li_rows, now, topic_threshold=2)  # the second low "rebuy": a topic
        wang_follow_up = await uow.follow_ups.of_invitation(wang.id)
        li_follow_up = await uow.follow_ups.of_invitation(li.id)
        assert wang_follow_up is not None and li_follow_up is not None
        await uow.commit()
    await harness.settle()
    return survey, wang_follow_up.id, li_follow_up.id


async def test_unhappy_survey_answers_are_followed_up_in_chat(harness: BotHarness, team: Team) -> None:
    survey, wang_id, li_id = await _seed(harness)
    manager, agent, quality = harness.person(team.cs_manager), harness.person(team.agent), harness.person(team.quality)

    # Overall 1: the manager's personally, with everything the call needs (the full number).
    card = next(m for m in manager.received() if "华苑 1栋-1201 的满意度调查答卷有不满意项" in (m.get("text") or ""))
    for shown in ("王芳", "13812341234", "总体满意度", "1 · 非常不满意", "是否会再次购买", "2 · 不满意",
                  "交房延期且没有任何解释", "其他建议", "希望多和业主沟通", "须由客户服务部经理亲自回访",
                  "请于 2026年11月24日 前致电业主"):
        assert shown in card["text"], shown
    assert "物业服务" not in card["text"]  # scored 4: not a dissatisfied item
    assert manager.buttons(card) == ["✅ 已联系上：登记回访结果", "📵 未联系上"]
    assert not any("1201" in text for text in agent.texts())  # not the assistants'
    assert quality.texts() == []

    # A 2: customer service's, the assistant included.
    agent_card = next(m for m in agent.received() if "华苑 1栋-1202" in (m.get("text") or ""))
    assert "13900001111" in agent_card["text"] and "2 · 不满意" in agent_card["text"]
    manager_copy = next(m for m in manager.received() if "华苑 1栋-1202" in (m.get("text") or ""))
    assert "13900001111" in manager_copy["text"]  # the managers may record it too

    # The topic investigation: "rebuy" scored 1–2 by two households, told to the manager once.
    [topic] = [m for m in manager.received() if "专题调查" in (m.get("text") or "")]
    assert "“是否会再次购买”" in topic["text"] and "2 户业主" in topic["text"]
    assert not any("专题调查" in text for text in agent.texts())

    # Forged and stale presses change nothing.
    await agent.press_data(f"f1:{wang_id}:fr", agent_card)
    assert _alert(harness) == "只有客户服务部经理可以登记回访。"
    await quality.press_data(f"f1:{li_id}:fn", agent_card)
    assert _alert(harness) == "该按钮无效。"
    await agent.press_data(f"f1:{li_id}:zz", agent_card)
    assert _alert(harness) == "该按钮无效。"
    await agent.press_data("f1:999999:fn", agent_card)
    assert _alert(harness) == "该按钮无效。"
    async with harness.uow() as uow:
        assert [(f.attempts, f.status) for f in await uow.follow_ups.open_for(None)] == [(0, "open"), (0, "open")]

    # The manager reaches the owner and records the outcome in chat.
    await manager.press("已联系上", card)
    assert manager.texts()[-1] == "与业主商定了什么？将与问卷答卷一并记录。"
    await manager.say("经理已上门致歉，约定每月通报交房进度。")
    replies = await manager.press("是，已满意")
    assert replies[-1]["text"] == "华苑 1栋-1201 的满意度调查回访已完成：业主现已满意。"
    # The card it came from shows the outcome, without buttons; the number is masked now (DOMAIN 5.2).
    assert manager.buttons(card) == []
    assert "✅ 回访已完成：业主现已满意。" in card["text"] and "每月通报交房进度" in card["text"]
    assert "13812341234" not in card["text"] and "138****1234" in card["text"]
    await manager.press_data(f"f1:{wang_id}:fn", card)  # an old card
    assert _alert(harness) == "该回访已完成。"
    # An assistant may look at the manager's follow-up but does not call: the number masked, not recorded.
    [observed] = await agent.press_data(f"f1:{wang_id}:fu", agent_card)
    assert "138****1234" in observed["text"] and "13812341234" not in observed["text"]

    # The assistant: it heads their queue; the first call does not reach the owner.
    [queue] = await agent.say("/queue")
    assert "📞 回访 华苑 1栋-1202 · 2026年中满意度调查 · 请于 2026年11月24日 前致电" in queue["text"]
    assert "1201" not in queue["text"]
    [from_queue] = await agent.press("📞 华苑 1栋-1202", queue)
    assert "13900001111" in from_queue["text"]
    [not_reached] = await agent.press("未联系上", from_queue)
    assert "未联系上 华苑 1栋-1202 的业主（第 1 次）" in not_reached["text"]
    assert agent.buttons(from_queue) == []  # recorded: its reply carries the buttons now
    await run_planner_at(harness, datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
    await run_planner_at(harness, datetime(2026, 11, 24, 3, 0, tzinfo=UTC))  # once a day
    reminders = [text for text in agent.texts() if "满意度调查回访尚未完成" in text]
    assert len(reminders) == 1 and "未联系上业主的次数：1" in reminders[0]
    assert not any("1201" in text and "尚未完成" in text for text in manager.texts())  # done: not reminded

    # The second call reaches the owner.
    [reminder] = [m for m in agent.received() if "满意度调查回访尚未完成" in (m.get("text") or "")]
    await agent.press("已联系上", agent.last_with_buttons())
    await agent.say("已解释车位政策，业主表示仍考虑。")
    replies = await agent.press("否，仍不满意")
    assert replies[-1]["text"] == "华苑 1栋-1202 的满意度调查回访已完成：业主仍不满意，已转交客户服务部经理再次回访。"
    # Every copy of its card — the opening one, the reminder, the manager's — is closed.
    for copy in (agent_card, manager_copy, reminder):
        assert "✅ 回访已完成：业主仍不满意。" in copy["text"], copy["text"]
        assert agent.buttons(copy) == [] and "13900001111" not in copy["text"]
    # Still unhappy after customer service called: a re-visit of the manager's own (DOMAIN 3.5), with
    # who called, what was agreed, the full number and the buttons to record it.
    revisit = manager.received()[-1]
    assert revisit["text"].startswith("😟 华苑 1栋-1202 的业主经张敏回访（2026年中满意度调查）后仍不满意，"
                                      "请经理再次回访。商定：已解释车位政策，业主表示仍考虑。")
    assert "13900001111" in revisit["text"] and "须由客户服务部经理亲自回访" not in revisit["text"]
    assert manager.buttons(revisit) == ["✅ 已联系上：登记回访结果", "📵 未联系上"]
    assert not any("请经理再次回访" in text for text in agent.texts())
    [queue] = await agent.say("/queue")
    assert "回访" not in queue["text"]  # the manager's, not the assistant's
    await manager.press("已联系上", revisit)
    await manager.say("经理上门说明车位分配方案，业主接受。")
    replies = await manager.press("是，已满意")
    assert replies[-1]["text"] == "华苑 1栋-1202 的满意度调查回访已完成：业主现已满意。"

    # The manager records the topic's findings, which closes it.
    await manager.press("登记调查结果", topic)
    await manager.say("复查发现车位配比承诺未兑现，已报公司整改。")
    assert manager.texts()[-1] == "专题调查已结束，调查结果已登记。"
    await manager.press_data(manager.find_button("登记调查结果", topic)[1], topic)
    assert _alert(harness) == "该专题调查已结束。"

    async with harness.uow() as uow:
        assert await handled_share(uow, survey.campaign_id) == (3, 3)
        topic_row = await uow.follow_ups.topic_of(survey.campaign_id, survey.project_id, "rebuy")
        assert topic_row is not None and topic_row.status == "done" and "车位配比" in (topic_row.findings or "")
        # DOMAIN 5.2: who was shown the full number is kept, once per person.
        wang_row, li_row = await uow.follow_ups.get(wang_id), await uow.follow_ups.get(li_id)
        assert wang_row is not None and li_row is not None
        manager_row, agent_row = await uow.staff.by_telegram_user(team.cs_manager), await uow.staff.by_telegram_user(team.agent)
        assert manager_row is not None and agent_row is not None
        manager_id, agent_id = manager_row.id, agent_row.id
        assert [entry[0] for entry in wang_row.phone_shown or []] == [manager_id]
        assert agent_id in [entry[0] for entry in li_row.phone_shown or []]
        assert len({entry[0] for entry in li_row.phone_shown or []}) == len(li_row.phone_shown or [])
