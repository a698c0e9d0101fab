"""Issue 12, item 14 (from the web chat): a used button does not stay on its message. The owner's
answer to a result, the language picker, a staff card after a one-shot action and the phone step's
"Or choose:" line each show what was done (or go) once answered; view-only presses keep the buttons."""

from __future__ import annotations

from typing import Any

from tests.e2e.test_complaints import _ticket, file_complaint
from tests.e2e.test_repairs import record_survey, request_repair
from tests.factories import TEAM_CHATS, RepairTeam
from tests.harness import BotHarness, Person

WANG, LI = 7101, 7102
TEAM = TEAM_CHATS


def _now(person: Person, message: dict[str, Any]) -> dict[str, Any]:
    """The message as the person's chat shows it now (edits applied)."""
    return person.emulator.message(person.id, int(message["message_id"]))


def _has_buttons(message: dict[str, Any]) -> bool:
    return bool(message.get("reply_markup", {}).get("inline_keyboard"))


async def _resolved(harness: BotHarness, owner: Person, text: str) -> dict[str, Any]:
    """A complaint filed, accepted and marked resolved: the owner's result message with its two answers."""
    await file_complaint(owner, "服务态度", text)
    quality = harness.person(TEAM.quality)
    await quality.press("受理", quality.last_with_buttons())
    await quality.press("已解决", quality.last_with_buttons())
    await quality.say("已约谈当班人员，并当面致歉。")
    result = owner.last_with_buttons()
    assert owner.buttons(result)[:2] == ["✅ 是，已解决", "❌ 未解决"]
    return result


async def test_the_owners_answer_to_a_result_is_shown_and_its_buttons_go(
    harness: BotHarness, crew: RepairTeam
) -> None:
    wang = harness.person(WANG)
    result = await _resolved(harness, wang, "前台接待人员态度冷淡。")
    await wang.press("是，已解决", result)
    shown = _now(wang, result)
    assert not _has_buttons(shown)
    assert "您的回答：✅ 是，已解决" in shown["text"] and "已约谈当班人员" in shown["text"]

    li = harness.person(LI, "李四")
    result = await _resolved(harness, li, "保安对访客态度恶劣。")
    await li.press("未解决", result)
    shown = _now(li, result)
    assert not _has_buttons(shown) and "您的回答：❌ 未解决" in shown["text"]


async def test_the_language_picker_shows_the_choice_and_loses_its_buttons(
    harness: BotHarness, crew: RepairTeam
) -> None:
    wang = harness.person(WANG)
    [picker] = await wang.say("/language")
    assert len(wang.buttons(picker)) == 4
    await wang.press("English", picker)
    shown = _now(wang, picker)
    assert not _has_buttons(shown)
    assert shown["text"] == "Choose your language:\nYour answer: English"


async def test_a_staff_card_loses_its_buttons_once_its_one_shot_action_is_done(
    harness: BotHarness, crew: RepairTeam
) -> None:
    wang = harness.person(WANG)
    number = await file_complaint(wang, "服务态度", "客服说话不耐烦。")
    quality = harness.person(TEAM.quality)
    new_case = quality.last_with_buttons()
    await quality.press("受理", new_case)
    assert not _has_buttons(_now(quality, new_case))  # 受理 done: nothing left to press there

    accepted = quality.last_with_buttons()
    ticket = await _ticket(harness, number)
    [card] = await quality.press_data(f"t1:{ticket.id}:view", accepted)  # a lookup from the card
    await quality.press("处理记录", card)
    assert _has_buttons(_now(quality, accepted)) and _has_buttons(_now(quality, card))  # only looked at

    # A dialog begun from the card (a progress report): the card loses its buttons once it is
    # recorded, and the confirmation carries what is left to do.
    await quality.press("进度报告", accepted)
    assert _has_buttons(_now(quality, accepted))  # not yet: the report may still be cancelled
    replies = await quality.say("已约谈客服人员，正在核实录音。")
    assert not _has_buttons(_now(quality, accepted)) and _has_buttons(replies[-1])

    await request_repair(wang, "防水", "主卫地面", "主卫地面渗水到楼下。")
    lead = harness.person(crew.lead)
    await record_survey(lead, "施工单位", "有防水要求", ["防水"], "800", builder="陈工")
    builder = harness.person(crew.builder)
    request = builder.last_with_buttons()
    await builder.press("会签", request)
    assert not _has_buttons(_now(builder, request))
    manager = harness.person(TEAM.cs_manager)
    approval = manager.last_with_buttons()
    await manager.press("批准费用", approval)
    assert not _has_buttons(_now(manager, approval))

    worker = harness.person(crew.worker)
    order = worker.last_with_buttons()
    await worker.press("接单", order)
    assert not _has_buttons(_now(worker, order))


async def test_the_or_choose_line_goes_once_the_phone_step_is_answered(
    harness: BotHarness, crew: RepairTeam
) -> None:
    wang = harness.person(WANG)
    await wang.say("/menu")
    await wang.press("投诉")
    await wang.press("服务态度")
    await wang.say("保洁阿姨把我的快递当垃圾扔了。")
    asked = await wang.press("跳过")
    if "哪一处房产" in asked[-1]["text"]:
        asked = await wang.press("1202")
    question, or_choose = asked[-2], asked[-1]
    assert "电话" in question["text"] and or_choose["text"] == "或选择："
    await wang.press("使用", or_choose)
    assert _now(wang, or_choose).get("_deleted")
    assert "您的回答" in _now(wang, question)["text"]
