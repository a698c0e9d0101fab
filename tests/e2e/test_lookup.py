"""Looking cases up (issue 12, item 10): staff `/my`, a typed case number for staff and owners, the
whole history of a case (closed ones too), and the closed-case list — nobody learns whether a case
they may not see exists."""

from __future__ import annotations

from tests.e2e.test_complaints import LI, WANG, _ticket, file_complaint
from tests.factories import Team
from tests.harness import BotHarness


async def test_staff_my_lists_the_cases_they_handle_instead_of_the_bind_prompt(harness: BotHarness, team: Team) -> None:
    quality = harness.person(team.quality)
    [empty] = await quality.say("/my")
    assert "请先绑定账号" not in empty["text"]
    assert "您目前没有经办中的案件" in empty["text"] and "输入案件编号" in empty["text"]
    number = await file_complaint(harness.person(WANG), "服务态度", "物业前台说话态度很差。")
    await quality.press("受理")
    [mine] = await quality.say("/my")
    assert "您经办的待办案件" in mine["text"] and number in mine["text"]
    [card] = await quality.press(number, mine)
    assert number in card["text"] and "物业前台说话态度很差" in card["text"]
    assert "📜 处理记录" in quality.buttons(card)
    # The staff menu offers it too.
    await quality.say("/menu")
    assert "📋 我的案件" in quality.buttons()


async def test_a_typed_number_opens_the_case_for_staff_who_may_see_it_only(harness: BotHarness, team: Team) -> None:
    number = await file_complaint(harness.person(WANG), "服务质量", "电梯里的广告屏太吵。")
    quality, agent, engineer = (harness.person(team.quality), harness.person(team.agent),
                                harness.person(team.engineer))
    vp = harness.person(team.vice_president)
    for reader in (quality, agent, vp):  # the lead department, customer service, leadership
        [card] = await reader.say(number.lower())
        assert "案件详情" in card["text"] and "电梯里的广告屏太吵" in card["text"], reader.id
        assert "138****1234" in card["text"]
    # Another department: the same answer as for a number that does not exist.
    [refused] = await engineer.say(number)
    [missing] = await engineer.say("TS-2026-009999")
    assert refused["text"] == f"在您有权查看的案件中没有编号为 {number} 的案件。"
    assert missing["text"] == "在您有权查看的案件中没有编号为 TS-2026-009999 的案件。"
    assert "电梯" not in refused["text"] and not refused.get("reply_markup")


async def test_history_of_a_closed_case_for_staff_and_for_its_owner(harness: BotHarness, team: Team) -> None:
    wang, quality = harness.person(WANG), harness.person(team.quality)
    number = await file_complaint(wang, "服务态度", "保洁阿姨把快递扔了。")
    await quality.press("受理")
    await quality.press("进度")
    await quality.say("已与保洁公司核实，正在追回快递。")
    await quality.press("已解决", quality.last_with_buttons())
    await quality.say("快递已找回并送还业主。")
    await wang.press("是，已解决")
    await wang.press("5")
    await wang.press("5")
    await wang.say("谢谢")
    assert (await _ticket(harness, number)).status == "closed"

    # Staff: the closed case opens by its number and shows every step, dates in the reader's locale.
    [card] = await quality.say(number)
    assert "已结案" in card["text"]
    [history] = await quality.press("处理记录", card)
    text = history["text"]
    assert f"📜 {number} 的处理记录" in text
    assert "2026/11/23 10:00 · 提交 · 业主" in text
    assert "已受理 · 钱质检" in text
    for step in ("分派至责任部门", "提交进度报告", "正在追回快递", "向业主反馈处理结果", "业主确认处理结果",
                 "<b>结果/质量评分</b>：5"):
        assert step in text, step
    # It is on the closed list too.
    await quality.say("/queue")
    [closed] = await quality.press("已结案件")
    assert number in closed["text"] and "结案" in closed["text"]

    # The owner reads his own case's steps, without the office's internal notes.
    await wang.say("/my")
    [own] = await wang.press(number)
    [own_history] = await wang.press("处理记录", own)
    assert "2026/11/23 10:00 · 提交 · 您" in own_history["text"]
    assert "快递已找回并送还业主" in own_history["text"] and "已受理" in own_history["text"]
    assert "正在追回快递" not in own_history["text"] and "钱质检" not in own_history["text"]
    # Another owner's forged history button shows nothing.
    li = harness.person(LI)
    ticket = await _ticket(harness, number)
    assert await li.press_data(f"o1:{ticket.id}:h0", own) == []
    assert list(harness.emulator.callback_answers.values())[-1]["show_alert"]


async def test_a_long_history_is_paged_and_read_in_the_readers_language(harness: BotHarness, team: Team) -> None:
    wang = harness.person(WANG)
    number = await file_complaint(wang, "服务质量", "车库照明长期不亮。")
    for n in range(9):
        await wang.say(number)
        await wang.press("补充信息")
        await wang.say(f"第{n + 1}次补充：今天还是不亮。")
        await wang.press("跳过")
    agent = harness.person(team.agent, "张敏", "en")  # reads in English
    [card] = await agent.say(number)
    [first] = await agent.press("History", card)
    assert f"History of {number}" in first["text"] and "11/23/26, 10:00" in first["text"]
    assert "Showing 1–8 of 11" in first["text"] and "第7次补充" not in first["text"]
    assert "The owner added information · the owner" in first["text"]
    # The page turns in place: the same message shows the next events, with ◀ back and no ▶.
    assert await agent.press("Next page", first) == []
    assert "第7次补充" in first["text"] and "Showing 9–11 of 11" in first["text"]
    assert agent.buttons(first) == ["◀ Previous page"]
    assert await agent.press("Previous page", first) == []
    assert "Showing 1–8 of 11" in first["text"] and agent.buttons(first) == ["Next page ▶"]
