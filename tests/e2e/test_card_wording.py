"""How cards and summaries read (the QA tester's notes on the web chat): a full-width colon after a
label in Chinese, no spaces around a name in Chinese text, photos counted as photos, the builder's
objection said once, the kind's own word when a case is reopened, the follow-up promised after a
low rating, a closed case's outcome on its card, history pages turned in place, and warranty dates
in the reader's format."""

from __future__ import annotations

import re

from tests.e2e.conftest import WANG
from tests.e2e.test_complaints import _ticket, file_complaint
from tests.e2e.test_repairs import record_survey, request_repair
from tests.factories import TEAM_CHATS, RepairTeam
from tests.harness import BotHarness

TEAM = TEAM_CHATS
OBJECTION = "渗漏系业主自行改造卫生间所致，不属施工质量问题。"


async def test_labels_take_a_full_width_colon_in_chinese_and_colon_space_in_english(
    harness: BotHarness, crew: RepairTeam
) -> None:
    number = await file_complaint(harness.person(WANG), "服务质量", "电梯里的广告屏太吵。")
    quality = harness.person(TEAM.quality)
    card = quality.texts()[-1]
    assert "<b>类别</b>：服务质量" in card and f"<b>编号</b>：{number}" in card
    assert "</b>:" not in card and not re.search(r"[\u4e00-\u9fff]: ", card)
    english = harness.person(TEAM.agent, "张敏", "en")
    await english.say("/language")
    await english.press("English")
    [view] = await english.say(number)
    assert f"<b>No.</b>: {number}" in view["text"] and "：" not in view["text"].split("\n")[1]


async def test_a_repair_card_counts_photos_names_people_without_spaces_and_dates_warranty_like_the_rest(
    harness: BotHarness, crew: RepairTeam
) -> None:
    wang, lead = harness.person(WANG), harness.person(crew.lead)
    number = await request_repair(wang, "防水", "主卫地面", "主卫地面渗水到楼下，已经持续一周。")
    card = lead.texts()[-1]
    assert "<b>附件</b>：1 张照片" in card and "附件：1\n" not in card
    # Warranty dates in the reader's format, like every other date (not 2023-06-30).
    assert "2023年6月30日 竣工验收" in card and "（至 2028年6月30日）" in card
    assert not re.search(r"\d{4}-\d{2}-\d{2}", card)

    await record_survey(lead, "施工单位", "有防水要求", ["防水"], "800", builder="陈工")
    manager = harness.person(TEAM.cs_manager)
    await manager.press("批准费用", manager.last_with_buttons())
    worker = harness.person(crew.worker)
    await worker.press("接单")
    # A person's name sits in Chinese text without spaces around it; the case number keeps them.
    told = wang.texts()[-1]
    assert re.search(r"维修队的\S+师傅将负责您的报修 " + number, told), told
    took = [text for person in (lead, harness.person(TEAM.agent)) for text in person.texts() if "已接单" in text]
    assert took and all(re.search(r"🔧 \S+师傅已接单 ", text) for text in took), took


async def test_a_repair_without_photos_has_no_skipped_photo_line(harness: BotHarness, crew: RepairTeam) -> None:
    wang = harness.person(WANG)
    await wang.say("/menu")
    await wang.press("报修")
    await wang.press("防水")
    await wang.say("主卫地面")
    await wang.say("主卫地面渗水到楼下。")
    await wang.press("跳过")
    await wang.press("工作日 9:00")
    await wang.press("完成")
    summary = (await wang.press("使用"))[-1]["text"]
    assert "主卫地面渗水到楼下" in summary and "<b>位置</b>：主卫地面" in summary
    assert "已跳过" not in summary and "照片" not in summary


async def test_the_builders_objection_reads_once_on_the_notice(harness: BotHarness, crew: RepairTeam) -> None:
    wang, lead, builder = harness.person(WANG), harness.person(crew.lead), harness.person(crew.builder)
    manager = harness.person(TEAM.cs_manager)
    await request_repair(wang, "防水", "主卫地面", "主卫地面渗水到楼下。")
    await record_survey(lead, "施工单位", "有防水要求", ["防水"], "800", builder="陈工")
    await builder.press("提出异议", builder.received()[-1])
    await builder.say(OBJECTION)
    for reader in (lead, manager):
        notice = reader.texts()[-1]
        assert "有异议：" + OBJECTION in notice, notice
        assert notice.count(OBJECTION) == 1 and "<b>原因</b>" not in notice, notice


async def test_reopen_low_rating_and_the_closed_cases_card(harness: BotHarness, crew: RepairTeam) -> None:
    wang, quality = harness.person(WANG), harness.person(TEAM.quality)
    number = await file_complaint(wang, "服务态度", "保安对访客态度恶劣。")
    await quality.press("受理")
    await quality.press("已解决", quality.last_with_buttons())
    await quality.say("已约谈保安。")
    await wang.press("未解决")
    # The kind's own word, not 事项.
    assert any(f"您的投诉 {number} 已重新打开" in text for text in wang.texts()[-2:]), wang.texts()[-2:]
    await wang.say("保安没有道歉。")
    await quality.press("已解决", quality.last_with_buttons())
    await quality.say("保安已当面道歉并调岗。")
    await wang.press("是，已解决")
    await wang.press("1")
    await wang.press("2")
    replies = await wang.say("处理太慢")
    # A low rating: the owner learns that the customer-service manager will call.
    assert replies[-1]["text"] == f"感谢您的反馈。很抱歉未能让您满意，客户服务部经理将就 {number} 致电与您沟通。"
    assert (await _ticket(harness, number)).status == "closed"

    # The closed case, looked up: its last result, the ratings and the comment.
    [card] = await quality.say(number)
    text = card["text"]
    assert "<b>处理结果</b>：保安已当面道歉并调岗。" in text and "已约谈保安" not in text
    assert "<b>结果评分</b>：1/5" in text and "<b>态度评分</b>：2/5" in text and "<b>意见</b>：处理太慢" in text


async def test_history_pages_turn_in_place_and_a_single_item_is_named_alone(
    harness: BotHarness, crew: RepairTeam
) -> None:
    wang = harness.person(WANG)
    number = await file_complaint(wang, "服务质量", "车库照明长期不亮。")
    for n in range(7):
        await wang.say(number)
        await wang.press("补充信息")
        await wang.say(f"第{n + 1}次补充：今天还是不亮。")
        await wang.press("跳过")
    agent = harness.person(TEAM.agent)
    [card] = await agent.say(number)
    [page] = await agent.press("处理记录", card)
    assert "第 1–8 条，共 9 条" in page["text"] and agent.buttons(page) == ["下一页 ▶"]
    assert await agent.press("下一页", page) == []  # the same message shows the next page
    assert "第 9 条，共 9 条" in page["text"] and "–9" not in page["text"]
    assert agent.buttons(page) == ["◀ 上一页"]
    assert await agent.press("上一页", page) == []
    assert "第 1–8 条，共 9 条" in page["text"] and agent.buttons(page) == ["下一页 ▶"]
    assert agent.buttons(card)  # the card keeps its buttons: paging changes nothing
