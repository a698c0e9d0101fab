"""Staff chats without repeats (QA after issue 12): a case's photos go to a chat once, the owner's
reason for reopening follows the reopening as one line, and the builder's representative who
answered a survey hears when its estimate is rejected."""

from __future__ import annotations

from typing import Any

from tests.e2e.test_complaints import file_complaint
from tests.e2e.test_repairs import record_survey, request_repair
from tests.factories import TEAM_CHATS, RepairTeam
from tests.harness import BotHarness, Person

WANG = 7101
TEAM = TEAM_CHATS


def _photos(person: Person) -> list[str]:
    """The file ids of the photos a person received, in order."""
    return [m["photo"][-1]["file_id"] for m in person.received() if m.get("photo")]


def _since(person: Person, before: int) -> list[dict[str, Any]]:
    return person.received()[before:]


# ---------------------------------------------------------------- photos once per chat


async def test_a_chat_gets_a_cases_photos_once_and_new_photos_only(harness: BotHarness, crew: RepairTeam) -> None:
    wang, lead, worker = harness.person(WANG), harness.person(crew.lead), harness.person(crew.worker)
    manager = harness.person(TEAM.cs_manager)
    number = await request_repair(wang, "防水", "主卫地面", "主卫地面渗水到楼下，已经持续一周。")
    assert len(_photos(lead)) == 1, "the first card about the case brings the owner's photo"
    first_photo = _photos(lead)[0]

    await record_survey(lead, "施工单位", "有防水要求", ["防水"], "800", builder="陈工")
    await manager.press("批准费用")
    # The work order goes to the repair team: the lead has the photo already, the worker not yet.
    assert "派工单" in lead.texts()[-1] and "附件" in lead.texts()[-1]  # the card counts the photos
    assert _photos(lead) == [first_photo], "no second copy of the same photo"
    assert _photos(worker) == [first_photo], "the worker's first card about the case brings it"

    # Asked for: the lead opens the case by its number and gets its photo again, with the card.
    await lead.say(number)
    assert _photos(lead) == [first_photo, first_photo]
    assert any("案件详情" in text for text in lead.texts()[-3:]) and f"📎 {number} 的照片和文件" in lead.texts()

    # The owner adds a photo: only that one goes out, once.
    await wang.say(number)
    await wang.press("补充信息")
    await wang.say("楼下邻居今天拍到天花板又湿了一片。")
    await wang.send_photo(b"\x89PNG\r\n\x1a\n-second-photo")
    await wang.press("完成")
    assert "补充了信息" in lead.texts()[-1]
    added = _photos(lead)[2:]
    assert len(added) == 1 and added[0] != first_photo


async def test_a_complaint_transferred_back_brings_no_second_copy_of_its_photo(
    harness: BotHarness, crew: RepairTeam
) -> None:
    wang = harness.person(WANG)
    agent, engineer = harness.person(TEAM.agent), harness.person(TEAM.engineer)
    number = await file_complaint(wang, "其他", "小区大门的门禁经常失灵。", photo=True)
    assert len(_photos(agent)) == 1  # "other" goes to customer service, with the photo
    await agent.press("转派")
    await agent.press("工程部")
    await agent.say("门禁属于设备问题")
    assert len(_photos(engineer)) == 1  # engineering's first card about it
    await engineer.press("转派")
    await engineer.press("客户服务部")
    await engineer.say("门禁由物业服务合同约定，不属工程部")
    assert f"将 {number} 转派给本部门" in agent.texts()[-1]
    assert len(_photos(agent)) == 1, "customer service has the photo already"


# ---------------------------------------------------------------- the reason for reopening


REASON = "还没有收到书面道歉。"


async def test_the_reason_for_reopening_follows_as_one_line_and_one_history_entry(
    harness: BotHarness, crew: RepairTeam
) -> None:
    wang, quality = harness.person(WANG), harness.person(TEAM.quality)
    number = await file_complaint(wang, "服务态度", "保安态度恶劣。")
    await quality.press("受理")
    await quality.press("已解决", quality.last_with_buttons())
    await quality.say("涉事保安已调岗。")
    await wang.press("未解决")
    assert f"业主重新打开了 {number}" in quality.texts()[-1]  # the card, at once
    before = len(quality.received())
    await wang.say(REASON)
    line = _since(quality, before)
    assert [m["text"] for m in line] == [f"↩️ 业主重新打开 {number} 的原因：{REASON}"]
    assert not line[0].get("reply_markup"), "one line, not a second card"

    # The owner's history: one entry for the reopening, with the reason under it.
    await wang.say(number)
    history = (await wang.press("处理记录"))[-1]["text"]
    assert history.count("业主重新打开") == 1 and "重新打开的原因" not in history
    assert any(line.startswith("<b>原因</b>") and REASON in line for line in history.splitlines())
    # Staff read it the same way.
    [card] = await quality.say(number)
    [staff_history] = await quality.press("处理记录", card)
    assert staff_history["text"].count("业主重新打开") == 1 and REASON in staff_history["text"]


# ---------------------------------------------------------------- the builder and a rejected estimate


async def test_the_builder_who_answered_hears_when_the_estimate_is_rejected(
    harness: BotHarness, crew: RepairTeam
) -> None:
    wang, lead, builder = harness.person(WANG), harness.person(crew.lead), harness.person(crew.builder)
    manager = harness.person(TEAM.cs_manager)
    number = await request_repair(wang, "防水", "主卫地面", "主卫地面渗水到楼下。")

    # Countersigned, then rejected.
    await record_survey(lead, "施工单位", "有防水要求", ["防水"], "800", builder="陈工")
    await builder.press("会签", builder.received()[-1])
    before = len(builder.received())
    await manager.press("驳回费用")
    await manager.say("预估偏高，请重新勘察。")
    told = _since(builder, before)
    assert [m["text"] for m in told] == [f"🏗 {number} 的预估费用被驳回，您已会签的现场勘察将重新进行"]
    assert not told[0].get("reply_markup")

    # Objected to, then rejected.
    await record_survey(lead, "施工单位", "有防水要求", ["防水"], "600", builder="陈工")
    await builder.press("提出异议", builder.received()[-1])
    await builder.say("渗水点在楼上业主自行改造的区域，不属施工单位保修范围。")
    before = len(builder.received())
    await manager.press("驳回费用", manager.last_with_buttons())
    await manager.say("请核实责任方后重新勘察。")
    assert [m["text"] for m in _since(builder, before)] == [
        f"🏗 {number} 的预估费用被驳回，您提出异议的现场勘察将重新进行"]
