"""Issue 12, items 2–6: what complaints (and the owner's side of repairs) left unsaid — who a
transfer came from and why, the whole result history, one-line notices when a case is confirmed,
rated or closed, customer service told of new messages, and one answer to a late rating."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.e2e.test_complaints import _events, _ticket, file_complaint, run_planner_at
from tests.e2e.test_repairs import record_completion, record_survey, request_repair
from tests.factories import TEAM_CHATS, RepairTeam
from tests.harness import BotHarness, Person

WANG, LI, CHAN = 7101, 7102, 7103
TEAM = TEAM_CHATS


async def _event_data(harness: BotHarness, number: str, kind: str) -> dict[str, object]:
    async with harness.uow() as uow:
        ticket = await uow.tickets.by_number(number)
        assert ticket is not None
        return dict([e for e in await uow.tickets.events(ticket.id) if e.kind == kind][-1].data)


def _new_texts(person: Person, seen: int) -> list[str]:
    return person.texts()[seen:]


# ---------------------------------------------------------------- item 2: transfers


async def test_a_transfer_says_from_whom_and_why_restarts_the_progress_clock_and_tells_the_owner(
    harness: BotHarness, crew: RepairTeam
) -> None:
    wang = harness.person(WANG)
    number = await file_complaint(wang, "服务态度", "保安在岗期间玩手机，访客登记无人管。")
    quality, engineer, agent = harness.person(TEAM.quality), harness.person(TEAM.engineer), harness.person(TEAM.agent)
    await quality.press("受理")
    assert (await _ticket(harness, number)).progress_due == date(2026, 11, 26)  # Monday + 3 working days

    # Thursday: quality finds it is about the gate equipment and passes it on.
    harness.clock.set(datetime(2026, 11, 26, 2, 0, tzinfo=UTC))
    [choice] = await quality.press("转派", quality.last_with_buttons())
    offered = quality.buttons(choice)
    assert "工程部" in offered and "钱质检" not in offered, "never the sender himself"
    assert not any("施工" in label for label in offered), "never the builder, an outside party"
    assert "周主管" in offered and "赵工" in offered
    await quality.press("工程部")
    assert "接收方会看到" in quality.texts()[-1]
    seen = {person.id: len(person.texts()) for person in (engineer, agent, wang)}
    replies = await quality.say("访客登记依赖门禁系统，门禁故障导致无法登记")
    assert "已转派给工程部" in replies[-1]["text"] and "2026年12月1日" in replies[-1]["text"]

    ticket = await _ticket(harness, number)
    # DOMAIN 1.3: the new department reports within 3 working days of receiving it (Thu → Tue);
    # the week promised to the owner still counts from the filing.
    assert (ticket.lead_department, ticket.status, ticket.handler_id) == ("engineering", "new", None)
    assert (ticket.progress_due, ticket.resolve_due) == (date(2026, 12, 1), date(2026, 11, 30))
    card = _new_texts(engineer, seen[engineer.id])[-1]
    assert f"钱质检（质管部）将 {number} 转派给本部门" in card
    assert "门禁故障导致无法登记" in card, "the reason travels with the case"
    assert "新投诉" not in card
    [line] = _new_texts(agent, seen[agent.id])
    assert line == f"↪️ 钱质检将 {number} 从质管部转派给工程部，原因：访客登记依赖门禁系统，门禁故障导致无法登记"
    [told] = _new_texts(wang, seen[wang.id])
    assert told == f"您的投诉 {number} 现改由工程部负责处理，将于 2026年12月1日 前报告进度。"
    assert "门禁故障" not in told, "the internal reason is not the owner's"
    data = await _event_data(harness, number, "transferred")
    assert data["from_department"] == "quality" and data["to_department"] == "engineering"
    assert data["progress_due"] == "2026-12-01"

    # To a person: they are told it is theirs, and the owner learns the name.
    await engineer.press("受理")
    await engineer.press("转派", engineer.last_with_buttons())
    await engineer.press("周主管")
    await engineer.say("业主主要投诉保安态度，仍应由质管部处理")
    manager = harness.person(TEAM.quality_manager)
    assert f"赵工（工程部）将 {number} 转派给您" in manager.texts()[-1]
    assert "现改由质管部的周主管负责处理" in wang.texts()[-1]
    ticket = await _ticket(harness, number)
    assert (ticket.lead_department, ticket.status) == ("quality", "accepted")
    assert await _events(harness, number) == ["created", "routed", "accepted", "transferred", "accepted",
                                              "transferred"]


# ---------------------------------------------------------------- items 3, 4: results and notices


async def test_the_owner_sees_every_result_and_the_handler_and_customer_service_hear_how_it_ended(
    harness: BotHarness, crew: RepairTeam
) -> None:
    wang = harness.person(WANG)
    number = await file_complaint(wang, "服务质量", "电梯按钮失灵一周无人修。")
    quality, agent, manager = (harness.person(TEAM.quality), harness.person(TEAM.agent),
                               harness.person(TEAM.cs_manager))
    await quality.press("受理")
    await quality.press("已解决", quality.last_with_buttons())
    await quality.say("已联系电梯维保单位更换按钮。")
    await wang.press("未解决")
    await wang.say("按钮换了但还是按不亮。")
    await quality.press("已解决", quality.last_with_buttons())
    await quality.say("已更换按钮控制板，并试运行正常。")

    [card] = await wang.say(number)
    text = card["text"]
    assert "历次处理结果：" in text
    assert "1. 2026年11月23日：已联系电梯维保单位更换按钮。" in text
    assert "❌ 您反馈未解决：按钮换了但还是按不亮。" in text
    assert "2. 2026年11月23日：已更换按钮控制板，并试运行正常。" in text and "⏳ 待您确认" in text
    assert wang.buttons(card)[:2] == ["✅ 是，已解决", "❌ 未解决"]

    seen = {person.id: len(person.texts()) for person in (quality, agent, manager, wang)}
    await wang.press("是，已解决", card)
    confirmed = f"✅ 业主已确认 {number} 的处理结果。"
    assert [_new_texts(p, seen[p.id]) for p in (quality, agent, manager)] == [[confirmed]] * 3
    await wang.press("5")
    await wang.press("4")
    replies = await wang.say("维修速度可以再快些")
    assert [r["text"] for r in replies] == ["感谢您的反馈。"]
    rated = f"⭐ 业主已评价 {number}：结果评分 5/5，态度评分 4/5。意见：维修速度可以再快些"
    assert [_new_texts(p, seen[p.id]) for p in (quality, agent, manager)] == [[confirmed, rated]] * 3
    assert not any(number in t and "业主" in t for t in _new_texts(wang, seen[wang.id])[1:-1]), "not to the owner"

    [closed_card] = await wang.say(number)
    assert "✅ 您已确认" in closed_card["text"] and "❌ 您反馈未解决" in closed_card["text"]


async def test_closing_unconfirmed_or_unrated_is_told_in_one_line(harness: BotHarness, crew: RepairTeam) -> None:
    wang = harness.person(WANG)
    quality, agent = harness.person(TEAM.quality), harness.person(TEAM.agent)
    first = await file_complaint(wang, "服务态度", "客服说话不耐烦。")
    await quality.press("受理")
    await quality.press("已解决", quality.last_with_buttons())
    await quality.say("已批评教育。")
    second = await file_complaint(wang, "服务态度", "保洁阿姨把我的快递当垃圾扔了。")
    await quality.press("受理", quality.last_with_buttons())
    await quality.press("已解决", quality.last_with_buttons())
    await quality.say("已照价赔偿。")
    await wang.press("是，已解决")
    await wang.say("/cancel")  # no time for the questions
    seen = len(agent.texts()), len(quality.texts())
    for day in (24, 25, 26, 27):
        await run_planner_at(harness, datetime(2026, 11, day, 3, 0, tzinfo=UTC))
    unconfirmed = f"⌛ {first} 已按“未确认”结案：业主 3 个工作日内未答复。"
    unrated = f"⌛ {second} 已结案（未评价）：业主 3 个工作日内未作评价。"
    assert sorted(_new_texts(agent, seen[0])) == sorted([unconfirmed, unrated])
    assert sorted(_new_texts(quality, seen[1])) == sorted([unconfirmed, unrated])


# ---------------------------------------------------------------- item 5: new messages


async def test_customer_service_is_told_of_each_new_message_with_its_reply_button(
    harness: BotHarness, crew: RepairTeam
) -> None:
    harness.clock.set(datetime(2026, 11, 28, 14, 0, tzinfo=UTC))  # Saturday 22:00 in Shanghai
    visitor = harness.person(7301, "访客")
    await visitor.say("/menu")
    await visitor.press("留言")
    await visitor.press("咨询")
    await visitor.say("请问小区是否还有车位出售？")
    await visitor.say("黄女士")
    await visitor.press("跳过")
    await visitor.press("确认")
    agent, manager, engineer = harness.person(TEAM.agent), harness.person(TEAM.cs_manager), harness.person(
        TEAM.engineer)
    assert agent.received() == [], "staff are not pushed at night or on a day off"
    harness.clock.set(datetime(2026, 11, 30, 1, 5, tzinfo=UTC))  # Monday 09:05
    await harness.settle()
    [notice] = agent.received()
    assert notice["text"].startswith("📨 客户服务部有新留言")
    assert "GT-000001" in notice["text"] and "黄女士（未登记）" in notice["text"] and "车位出售" in notice["text"]
    assert agent.buttons(notice) == ["回复 GT-000001"]
    assert "GT-000001" in manager.texts()[-1]
    assert engineer.received() == [] and harness.person(crew.office).received() == []

    # The button under the notice starts the reply, as /inbox's does.
    await agent.press("回复 GT-000001", notice)
    await agent.say("目前尚有少量车位，欢迎到售楼处咨询。")
    await agent.press("确认")
    assert "目前尚有少量车位" in visitor.texts()[-1]

    # An owner's message reaches their project's customer service, the phone masked.
    wang = harness.person(WANG)
    await wang.say("/menu")
    await wang.press("咨询、建议")
    await wang.press("表扬")
    await wang.say("感谢保安小李帮我搬家具。")
    await wang.press("确认")
    assert "GT-000002" in agent.texts()[-1] and "王芳" in agent.texts()[-1] and "138****1234" in agent.texts()[-1]


# ---------------------------------------------------------------- item 6 and the repair side of 3, 4


async def test_a_repair_reworked_then_called_back_by_phone_while_the_owner_rates(
    harness: BotHarness, crew: RepairTeam
) -> None:
    wang, lead, worker = harness.person(WANG), harness.person(crew.lead), harness.person(crew.worker)
    agent, manager = harness.person(TEAM.agent), harness.person(TEAM.cs_manager)
    number = await request_repair(wang, "电气", "厨房", "厨房插座没电，空开跳闸。")
    await record_survey(lead, "施工单位", "电气管线", ["电气"], "0")
    await worker.press("接单")
    ticket = await _ticket(harness, number)
    await record_completion(lead, ticket, "更换插座。", "0")
    await agent.press("验收合格")
    await wang.press("未解决")
    await wang.say("插座换了还是跳闸。")
    await record_completion(lead, ticket, "查出线路短路，重新布线。", "0")
    await agent.press("验收合格")

    [card] = await wang.say(number)
    assert "1. 2026年11月23日：更换插座。" in card["text"] and "❌ 您反馈未解决：插座换了还是跳闸。" in card["text"]
    assert "2. 2026年11月23日：查出线路短路，重新布线。" in card["text"]

    seen = {person.id: len(person.texts()) for person in (worker, agent, manager)}
    await wang.press("是，已解决", card)
    assert worker.texts()[-1] == f"✅ 业主已确认 {number} 的处理结果。"
    await wang.press("4")  # the owner starts rating, then leaves it for a day

    # Tuesday: customer service phones and records the callback first.
    await run_planner_at(harness, datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
    await agent.press("登记回访")
    await agent.press("4")
    await agent.press("5")
    replies = await agent.press("跳过")
    assert [r["text"] for r in replies] == [f"{number} 的回访已记录。"]
    phoned = f"📞 张敏已登记 {number} 的回访：质量评分 4/5，态度评分 5/5。"
    assert worker.texts()[-1] == phoned and manager.texts()[-1] == phoned
    assert phoned not in agent.texts(), "not to the person who recorded it"

    # The owner finishes: one answer, and what they said is kept.
    await wang.press("3")
    replies = await wang.say("第一次没修好，耽误了两天")
    assert [r["text"] for r in replies] == [
        f"感谢您的反馈。客户服务部此前已在电话回访中登记了您对 {number} 的评价；您这次的回答也已补充到案件记录中。"]
    late = (f"💬 {number} 结案后，业主又在聊天中作了评价：质量评分 4/5，态度评分 3/5。"
            "意见：第一次没修好，耽误了两天")
    assert worker.texts()[-1] == late and agent.texts()[-1] == late
    ticket = await _ticket(harness, number)
    assert (ticket.status, ticket.rating_result, ticket.rating_attitude) == ("closed", 4, 5)  # the callback's
    data = await _event_data(harness, number, "rated_after_close")
    assert data["comment"] == "第一次没修好，耽误了两天"
    assert [t for t in (worker.texts()[seen[worker.id]:]) if "未记录" in t] == []


async def test_a_complaint_closed_unrated_while_the_owner_rates_gets_one_answer(
    harness: BotHarness, crew: RepairTeam
) -> None:
    wang, quality = harness.person(WANG), harness.person(TEAM.quality)
    number = await file_complaint(wang, "服务态度", "前台不给开收据。")
    await quality.press("受理")
    await quality.press("已解决", quality.last_with_buttons())
    await quality.say("已补开收据并致歉。")
    await wang.press("是，已解决")
    await wang.press("4")
    for day in (24, 25, 26, 27):  # the owner never finishes: closed without a rating
        await run_planner_at(harness, datetime(2026, 11, day, 3, 0, tzinfo=UTC))
    assert (await _ticket(harness, number)).status == "closed"
    await wang.press("5")
    replies = await wang.press("跳过")
    assert [r["text"] for r in replies] == [f"感谢您的反馈。{number} 此前已结案，您的回答已补充到案件记录中。"]
    assert quality.texts()[-1] == f"💬 {number} 结案后，业主又在聊天中作了评价：结果评分 4/5，态度评分 5/5。"
    assert (await _events(harness, number))[-2:] == ["closed_without_rating", "rated_after_close"]
