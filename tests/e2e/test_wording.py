"""Wording end to end (issue 12, item 22): a reply says what the button said, a photo is called a
photo, a warranty line reads as a sentence, the survey's part list names each part once, and the
Traditional catalogs read as Hong Kong and Taiwan write them (会签 is 會簽, not 會籤)."""

from __future__ import annotations

from tests.e2e.test_complaints import file_complaint
from tests.e2e.test_repairs import record_survey, request_repair
from tests.factories import (
    TEAM_CHATS,
    RepairTeam,
)
from tests.harness import BotHarness, Person

WANG, LI, CHAN = 7101, 7102, 7103

# The survey's part list: each building part once, in the order a surveyor goes through a home.
PARTS_ZH_HANS = [
    "地基基础和主体结构", "屋面防水", "有防水要求的卫生间、房间", "外墙面渗漏", "其他渗漏（内墙、地下室、管道）",
    "墙面顶棚抹灰层脱落、地面空鼓开裂", "门窗翘裂、五金件损坏", "给排水管道", "管道堵塞", "卫生洁具",
    "电气管线", "灯具、电器开关", "供热与供冷系统", "设备安装", "装修工程",
]


async def test_marking_resolved_is_confirmed_in_the_words_of_the_button(harness: BotHarness, crew: RepairTeam) -> None:
    wang = harness.person(WANG)
    number = await file_complaint(wang, "服务态度", "前台接待人员态度冷淡，不回应业主的问题。")
    quality = harness.person(TEAM_CHATS.quality)
    await quality.press("受理")
    assert "✔️ 标记为已解决" in quality.buttons()
    await quality.press("标记为已解决", quality.last_with_buttons())
    replies = await quality.say("已约谈当班人员，并当面向业主致歉。")
    confirmation = next(str(m["text"]) for m in replies if number in str(m.get("text") or ""))
    assert "已标记为已解决" in confirmation and "已处理" not in confirmation


async def test_a_photo_is_called_a_photo_in_every_chinese_variant(harness: BotHarness, crew: RepairTeam) -> None:
    wang = harness.person(WANG)
    await wang.say("/menu")
    await wang.press("投诉")
    await wang.press("服务态度")
    await wang.say("保安对访客态度恶劣。")
    replies = await wang.send_photo()
    assert "已收到 1 张照片" in replies[-1]["text"] and "文件" not in replies[-1]["text"]

    chan = harness.person(CHAN, "陳大文", "zh-hk")  # his roster locale is zh_Hant_HK
    await chan.say("/menu")
    await chan.press("投訴")
    await chan.press("服務態度")
    await chan.say("保安對訪客態度惡劣。")
    replies = await chan.send_photo()
    text = replies[-1]["text"]
    assert "已收到 1 張相片" in text and "文件" not in text and "檔案" not in text


async def test_a_part_without_a_statutory_owners_warranty_reads_as_a_sentence(
    harness: BotHarness, crew: RepairTeam
) -> None:
    # Wang's unit: completion accepted 2023-06-30, delivered 2024-01-15. Electrical wiring has a
    # builder's minimum (2 years) and none for the owner: the line says so in a sentence.
    wang = harness.person(WANG)
    await request_repair(wang, "电气", "客厅", "客厅插座没有电，跳闸后无法复位。")
    card = harness.person(crew.lead).texts()[-1]
    assert "电气管线：2023年6月30日 竣工验收，施工单位保修期 2 年（至 2025年6月30日）" in card
    assert "2024年1月15日 交付；该部位无法定业主保修期" in card
    assert "业主保修期 该部位" not in card


async def test_the_survey_lists_each_part_once(harness: BotHarness, crew: RepairTeam) -> None:
    wang = harness.person(WANG)
    await request_repair(wang, "防水", "屋顶露台", "下雨后顶层天花渗水。")
    lead = harness.person(crew.lead)
    await lead.press("登记现场勘察")
    await lead.press("施工单位")
    parts = [label for label in lead.buttons() if label not in ("◀ 返回", "✖ 取消")]
    assert parts == PARTS_ZH_HANS
    assert [label for label in parts if "屋面" in label] == ["屋面防水"]  # not 屋面防水 and 屋面渗漏


async def _hong_kong(person: Person) -> None:
    await person.say("/language")
    await person.press("香港")


async def test_the_builder_reads_countersign_as_hong_kong_writes_it(harness: BotHarness, crew: RepairTeam) -> None:
    builder = harness.person(crew.builder, "老黃", "zh-hk")
    await _hong_kong(builder)
    wang = harness.person(WANG)
    await request_repair(wang, "防水", "主卫地面", "主卫地面渗水到楼下，已经持续一周。")
    asked = len(builder.received())
    await record_survey(harness.person(crew.lead), "施工单位", "有防水要求", ["防水"], "800", builder="陈工")
    texts = [str(m.get("text") or "") for m in builder.received()[asked:]]
    assert texts and any("會簽" in text for text in texts), texts
    assert not any("會籤" in text or "会签" in text for text in texts)
