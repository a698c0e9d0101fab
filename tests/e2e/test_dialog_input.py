"""How a guided conversation takes what people send (issue 12, items 14, 17–21 and descriptions in
two messages), end to end through the real bot and the Bot API emulator.

One question has one set of live buttons: an answered question shows its answer and loses them; a
refused answer is met by its reason carrying the buttons, not by the question again; a double tap
asks nothing twice.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from storage.models import Ticket
from tests.factories import WANG_PHONE, Team, bind_owner, seed_repair_team, seed_team
from tests.harness import BotHarness, Person

WANG = 7201  # 王芳, one unit: the unit question is skipped
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 8
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"\x00" * 16


@pytest.fixture
async def team(harness: BotHarness) -> Team:
    async with harness.uow() as uow:
        team = await seed_team(uow, harness.clock.now())
        await bind_owner(uow, WANG_PHONE, WANG)
    return team


def live_question_messages(person: Person) -> list[dict[str, Any]]:
    """The messages that still carry a dialog's buttons (callback data ``d1:…``); a deleted one is gone."""
    return [m for m in person.received()
            if not m.get("_deleted") and any(str(b.get("callback_data", "")).startswith("d1:")
                   for row in m.get("reply_markup", {}).get("inline_keyboard", []) for b in row)]


def last_notice(harness: BotHarness) -> tuple[str | None, bool]:
    """The bot's answer to the latest press: its text, and whether it is an alert to dismiss."""
    answer = list(harness.emulator.callback_answers.values())[-1]
    return answer["text"], bool(answer["show_alert"])


async def start_complaint(owner: Person) -> None:
    await owner.say("/menu")
    await owner.press("投诉")


async def _ticket_by_number(harness: BotHarness, text: str) -> Ticket:
    match = re.search(r"TS-\d{4}-\d{6}|BX-\d{4}-\d{6}", text)
    assert match is not None, text
    async with harness.uow() as uow:
        ticket = await uow.tickets.by_number(match.group(0))
        assert ticket is not None
        uow.session.expunge(ticket)
        return ticket


async def _dialog(harness: BotHarness, chat_id: int) -> dict[str, Any] | None:
    async with harness.uow() as uow:
        chat = await uow.chats.get(chat_id)
        return chat.dialog if chat else None


# ---------------------------------------------------------------- item 14: one live copy of a question


async def test_answered_questions_show_their_answer_and_lose_their_buttons(harness: BotHarness, team: Team) -> None:
    wang = harness.person(WANG)
    await start_complaint(wang)
    category = wang.last_with_buttons()
    await wang.press("服务态度")
    assert wang.buttons(category) == []
    assert category["text"] == "请问您要投诉哪方面的问题？\n您的回答：服务态度"

    description = wang.last_with_buttons()  # a text step: its ◀ 返回 / ✖ 取消
    await wang.say("保安对访客态度恶劣，还推搡了我的父亲。")
    assert wang.buttons(description) == []
    assert description["text"].endswith("您的回答：保安对访客态度恶劣，还推搡了我的父亲。")

    photos = wang.last_with_buttons()
    [received] = await wang.send_photo()
    assert received["text"] == "已收到 1 张照片。可以继续发送，或点击“完成”。"
    assert wang.buttons(received) == ["完成", "◀ 返回", "✖ 取消"]
    assert wang.buttons(photos) == []  # the buttons moved to the newest line
    await wang.press("完成")
    assert wang.buttons(received) == []
    assert photos["text"].endswith("您的回答：1 张照片")

    await wang.press("使用")  # the phone on record
    dates = wang.last_with_buttons()
    for typed in ("下周五", "明天吧", "2026-02-30"):
        [reason] = await wang.say(typed)
        # The reason alone, with the question's buttons: no copy of the question, one live set of buttons.
        assert reason["text"] == "请输入日期，例如 2026年11月30日。"
        assert wang.buttons(reason) == ["跳过", "◀ 返回", "✖ 取消"]
        assert live_question_messages(wang) == [reason]
    assert wang.buttons(dates) == []
    assert sum("您希望何时解决" in text for text in wang.texts()) == 1

    [summary] = await wang.press("跳过")
    assert dates["text"].endswith("您的回答：（已跳过）")
    replies = await wang.press("确认", summary)
    assert "TS-2026-000001" in replies[-1]["text"]
    assert wang.buttons(summary) == [] and summary["text"].endswith("✅ 已确认")
    assert live_question_messages(wang) == []


async def test_options_toggle_in_place_and_the_edit_list_replaces_the_summary(harness: BotHarness) -> None:
    async with harness.uow() as uow:
        await seed_repair_team(uow, harness.clock.now())
        await bind_owner(uow, WANG_PHONE, WANG)
    wang = harness.person(WANG)
    await wang.say("/menu")
    await wang.press("报修")
    await wang.press("水暖管道")
    await wang.say("主卫")
    await wang.say("洗手盆下水管漏水，地面一直是湿的。")
    await wang.press("跳过")
    slots = wang.last_with_buttons()
    count = len(wang.received())
    assert await wang.press("工作日 9:00–12:00") == []  # redrawn in place: no new message
    assert await wang.press("周末 9:00–12:00") == []
    assert len(wang.received()) == count
    assert wang.buttons(slots)[:2] == ["✅ 工作日 9:00–12:00", "工作日 14:00–18:00"]
    await wang.press("完成", slots)
    assert wang.buttons(slots) == []
    assert slots["text"].endswith("您的回答：工作日 9:00–12:00和周末 9:00–12:00")

    summary = (await wang.press("使用"))[-1]
    assert await wang.press("修改", summary) == []  # the edit list takes the summary's place
    assert "您要修改哪一项？" in summary["text"] and "↩ 返回确认" in wang.buttons(summary)
    assert await wang.press("返回确认", summary) == []
    assert wang.buttons(summary)[:2] == ["✅ 确认", "✏️ 修改"]
    await wang.press("修改", summary)
    [location] = await wang.press("位置", summary)
    assert summary["text"].endswith("✏️ 修改：位置") and wang.buttons(summary) == []
    assert live_question_messages(wang) == [location]


async def test_a_double_tap_answers_once_and_says_so_quietly(harness: BotHarness, team: Team) -> None:
    wang = harness.person(WANG)
    await wang.say("/menu")
    menu = wang.last_with_buttons()
    await wang.press("投诉", menu)
    count = len(wang.received())
    assert await wang.press("投诉", menu) == []  # the same menu entry again: nothing asked twice
    assert last_notice(harness) == (None, False)
    assert len(wang.received()) == count
    assert sum(text == "请问您要投诉哪方面的问题？" for text in wang.texts()) == 1

    category = wang.last_with_buttons()
    _, attitude = wang.find_button("服务态度", category)
    await wang.press_data(attitude, category)
    assert await wang.press_data(attitude, category) == []  # the second tap of a double tap
    assert last_notice(harness) == ("该按钮属于之前的问题，请使用最新消息中的按钮。", False)  # a passing notice
    saved = await _dialog(harness, WANG)
    assert saved is not None and saved["step"] == "description" and saved["answers"]["category"] == "attitude"
    assert sum("请描述具体情况" in text for text in wang.texts()) == 1


async def test_a_double_tap_on_confirm_files_once(harness: BotHarness, team: Team) -> None:
    wang = harness.person(WANG)
    await wang.say("/menu")
    await wang.press("咨询、建议")
    await wang.press("建议")
    [summary] = await wang.say("希望小区增加快递柜。")
    _, confirm = wang.find_button("确认", summary)
    await wang.press_data(confirm, summary)
    assert await wang.press_data(confirm, summary) == []  # the dialog is over: a passing notice only
    assert last_notice(harness) == ("该按钮已失效。", False)
    async with harness.uow() as uow:
        assert len(await uow.communication.recent()) == 1


# ---------------------------------------------------------------- item 17: the date's example


@pytest.mark.parametrize(("language", "today", "example", "typed", "stored"), [
    ("zh-hans", datetime(2026, 11, 23, 2, 0, tzinfo=UTC), "例如：2026年11月30日", "2026年11月30日", "2026-11-30"),
    ("en", datetime(2026, 11, 23, 2, 0, tzinfo=UTC), "For example: November 30, 2026", "November 30, 2026",
     "2026-11-30"),
    ("zh-hant", datetime(2027, 3, 1, 2, 0, tzinfo=UTC), "例如：2027年3月8日", "2027年3月8日", "2027-03-08"),
    ("zh-hk", datetime(2026, 12, 30, 2, 0, tzinfo=UTC), "例如：2027年1月6日", "2027年1月6日", "2027-01-06"),
])
async def test_the_date_prompt_gives_an_example_the_step_accepts_in_the_readers_locale(
    harness: BotHarness, team: Team, language: str, today: datetime, example: str, typed: str, stored: str
) -> None:
    harness.clock.set(today)
    wang = harness.person(WANG, language_code=language)
    await wang.say("/menu")
    await wang.press("📣")
    await wang.press_data(wang.find_button("", wang.last_with_buttons())[1])  # the first category
    await wang.say("保安对访客态度恶劣，还推搡了我的父亲。")
    await wang.press_data(wang.find_button("", wang.last_with_buttons())[1])  # skip the photos
    replies = await wang.press_data(wang.find_button("", wang.last_with_buttons())[1])  # the phone on record
    assert example in replies[-1]["text"]
    assert "2026-12-01" not in replies[-1]["text"]
    await wang.say(typed)  # the example, typed back as shown, is accepted
    saved = await _dialog(harness, WANG)
    assert saved is not None and saved["step"] == "confirm" and saved["answers"]["wished_date"] == stored


# ---------------------------------------------------------------- item 18: typed labels


async def test_typing_a_buttons_label_presses_it(harness: BotHarness, team: Team) -> None:
    wang = harness.person(WANG)
    await start_complaint(wang)
    await wang.say("服务态度")  # an option's label
    await wang.say("保安对访客态度恶劣，还推搡了我的父亲。")
    photos = wang.texts()[-1]
    # Before a photo only 跳过 is offered, and the text says so (not 完成).
    assert "跳过" in photos and "完成" not in photos
    assert wang.buttons() == ["跳过", "◀ 返回", "✖ 取消"]
    await wang.send_photo()
    await wang.say("完成")
    await wang.say("使用 13812341234")
    replies = await wang.say(" 跳过 ")
    assert "请核对您的投诉并确认" in replies[-1]["text"]
    replies = await wang.say("确认")
    ticket = await _ticket_by_number(harness, replies[-1]["text"])
    assert (ticket.category, len(ticket.attachments), ticket.contact_phone) == ("attitude", 1, WANG_PHONE)
    assert live_question_messages(wang) == []


# ---------------------------------------------------------------- item 19: only pictures where a photo is asked


async def test_what_is_not_a_picture_is_refused_where_a_photo_is_asked(harness: BotHarness, team: Team) -> None:
    wang = harness.person(WANG)
    await start_complaint(wang)
    await wang.press("服务态度")
    await wang.say("保安对访客态度恶劣，还推搡了我的父亲。")
    refused = "无法添加这个文件：只接受图片（JPEG、PNG、WebP、HEIC 或 GIF）和 PDF 文件。"
    [reply] = await wang.send_document(b"just some notes\n", "notes.txt", "text/plain")
    assert reply["text"] == refused
    [reply] = await wang.send_document(b"just some notes\n", "photo.jpg", "image/jpeg")  # renamed: the bytes decide
    assert reply["text"] == refused
    [reply] = await wang.send_photo(b"\x13\x37random bytes, not a picture")
    assert reply["text"] == refused
    saved = await _dialog(harness, WANG)
    assert saved is not None and saved["step"] == "attachments" and "attachments" not in saved["answers"]

    await wang.send_photo(JPEG)
    await wang.send_document(PDF, "收据.pdf", "application/pdf")
    await wang.send_document(HEIC, "IMG_0042.HEIC", "image/heic")
    await wang.press("完成")
    await wang.press("使用")
    await wang.press("跳过")
    replies = await wang.press("确认")
    ticket = await _ticket_by_number(harness, replies[-1]["text"])
    assert [item["kind"] for item in ticket.attachments] == ["photo", "document", "document"]
    quality = harness.person(team.quality)
    forwarded = [m for m in quality.received() if m.get("photo") or m.get("document")]
    assert len(forwarded) == 3  # staff get the three, nothing broken


async def test_a_repair_takes_pictures_only(harness: BotHarness) -> None:
    async with harness.uow() as uow:
        await seed_repair_team(uow, harness.clock.now())
        await bind_owner(uow, WANG_PHONE, WANG)
    wang = harness.person(WANG)
    await wang.say("/menu")
    await wang.press("报修")
    await wang.press("水暖管道")
    await wang.say("主卫")
    await wang.say("洗手盆下水管漏水，地面一直是湿的。")
    [reply] = await wang.send_document(PDF, "报价单.pdf", "application/pdf")
    assert reply["text"] == "这个文件不是图片，请发送照片（JPEG、PNG、WebP、HEIC 或 GIF）。"
    assert wang.buttons(reply) == ["跳过", "◀ 返回", "✖ 取消"]
    [reply] = await wang.send_document(PNG, "scan.png", "image/png")
    assert reply["text"].startswith("已收到 1 个文件")


# ---------------------------------------------------------------- item 20: phones abroad


async def test_an_owner_abroad_gives_a_number_with_its_country_code(harness: BotHarness, team: Team) -> None:
    wang = harness.person(WANG)
    await start_complaint(wang)
    await wang.press("服务态度")
    await wang.say("保安对访客态度恶劣，还推搡了我的父亲。")
    await wang.press("跳过")
    await wang.say("+1 415 555 0100")
    [summary] = await wang.press("跳过")
    assert "+1 415-555-0100" in summary["text"]
    replies = await wang.press("确认")
    ticket = await _ticket_by_number(harness, replies[-1]["text"])
    assert ticket.contact_phone == "+14155550100"
    quality = harness.person(team.quality)
    assert "41****0100" in quality.texts()[-1]  # masked for staff like any number


# ---------------------------------------------------------------- item 21: an old menu button mid-dialog


@pytest.mark.parametrize(("language", "question", "keep", "go"), [
    ("zh-hans", "您的“投诉”还没有填写完。继续填写，还是放弃它、转到“报修”？", "继续填写", "转到“报修”"),
    ("zh-hk", "您的「投訴」還未填寫完。繼續填寫，還是放棄它、轉到「報修」？", "繼續填寫", "轉到「報修」"),
    ("zh-tw", "您的「投訴」還沒有填寫完。要繼續填寫，還是放棄它、改為「報修」？", "繼續填寫", "改為「報修」"),
    ("en", "You have not finished “Complaint” yet. Continue it, or drop it and go on to “Repair request”?",
     "Continue", "go to “Repair request”"),
])
async def test_an_old_menu_button_asks_before_dropping_the_dialog(
    harness: BotHarness, language: str, question: str, keep: str, go: str
) -> None:
    async with harness.uow() as uow:
        await seed_repair_team(uow, harness.clock.now())
        await bind_owner(uow, WANG_PHONE, WANG)
    wang = harness.person(WANG, language_code=language)
    await wang.say("/menu")
    menu = wang.last_with_buttons()
    await wang.press("📣", menu)
    await wang.press_data(wang.find_button("", wang.last_with_buttons())[1])  # the first category
    before = await _dialog(harness, WANG)

    [ask] = await wang.press("🛠", menu)  # the old menu, further up
    assert ask["text"] == question
    saved = await _dialog(harness, WANG)
    assert saved is not None and before is not None
    assert {k: v for k, v in saved.items() if k != "switch"} == before  # nothing dropped yet
    assert saved["switch"]["dialog"] == "repair"
    assert live_question_messages(wang) == [ask]  # the choice's buttons only
    [again] = await wang.press(keep, ask)
    assert wang.buttons(ask) == [] and live_question_messages(wang) == [again]
    saved = await _dialog(harness, WANG)
    assert saved is not None and saved["dialog"] == "complaint" and saved["step"] == "description"
    assert "switch" not in saved

    await wang.press("🛠", menu)
    await wang.press(go)
    saved = await _dialog(harness, WANG)
    assert saved is not None and saved["dialog"] == "repair" and saved["step"] == "trade"
    assert len(live_question_messages(wang)) == 1


# ---------------------------------------------------------------- a description in two messages


async def test_a_description_typed_in_two_messages_is_kept_whole(harness: BotHarness, team: Team) -> None:
    wang = harness.person(WANG)
    await start_complaint(wang)
    await wang.press("服务态度")
    await wang.say("保安对访客态度恶劣，")
    [reply] = await wang.say("还推搡了我的父亲。")
    assert reply["text"].startswith("已补充到“问题描述”。\n您可以发送最多 6 张照片或 PDF 文件。")
    assert wang.buttons(reply) == ["跳过", "◀ 返回", "✖ 取消"]
    await wang.press("跳过")
    await wang.press("使用")
    [summary] = await wang.press("跳过")
    assert "保安对访客态度恶劣，\n还推搡了我的父亲。" in summary["text"]
    replies = await wang.press("确认")
    ticket = await _ticket_by_number(harness, replies[-1]["text"])
    assert ticket.description == "保安对访客态度恶劣，\n还推搡了我的父亲。"


async def test_the_web_chat_sends_a_file_that_is_no_picture_as_a_file(harness: BotHarness) -> None:
    """The sandbox page uploads as a Telegram client does: pictures as photos, the rest as files."""
    from aiohttp import ClientSession, FormData, web

    from bot.sandbox.demo import owner_user_id, seed_demo
    from bot.sandbox.web import ChatPage

    async with harness.uow() as uow:
        assert await seed_demo(uow, harness.clock.now())
        await uow.commit()
    page = ChatPage(harness.emulator, harness.clock, harness.settle, "Asia/Shanghai")
    runner = web.AppRunner(page.app())
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    owner = harness.person(owner_user_id(0))
    await start_complaint(owner)
    await owner.press_data(owner.find_button("", owner.last_with_buttons())[1])
    await owner.say("电梯经常停在两层之间，很危险。")
    try:
        async with ClientSession() as http:
            for data, name, mime in ((b"minutes of the meeting\n", "notes.txt", "text/plain"), (PNG, "leak.png", "image/png")):
                form = FormData()
                form.add_field("photo", data, filename=name, content_type=mime)
                async with http.post(f"{url}/api/chats/{owner.id}/photo", data=form) as response:
                    assert response.status == 200
                await harness.settle()
    finally:
        await runner.cleanup()
    sent = [m for m in harness.emulator.messages(owner.id) if m["direction"] == "in" and ("photo" in m or "document" in m)]
    assert [("document" in m, m.get("document", {}).get("file_name")) for m in sent] == [(True, "notes.txt"), (False, None)]
    assert owner.texts()[-2] == "无法添加这个文件：只接受图片（JPEG、PNG、WebP、HEIC 或 GIF）和 PDF 文件。"
    assert owner.texts()[-1].startswith("已收到 1 张照片")


async def test_staff_starting_the_same_step_on_another_case_are_asked_first(harness: BotHarness, team: Team) -> None:
    from tests.e2e.test_complaints import file_complaint

    wang = harness.person(WANG)
    first = await file_complaint(wang, "服务态度", "保安对访客态度恶劣，还推搡了我的父亲。")
    second = await file_complaint(wang, "服务质量", "保洁没有按时清理楼道垃圾，气味很大。")
    quality = harness.person(team.quality)
    cards = {number: next(m for m in reversed(quality.received()) if number in (m.get("text") or "")
                          and quality.buttons(m)) for number in (first, second)}
    accepted: dict[str, dict[str, Any]] = {}
    for number in (first, second):
        [accepted[number]] = await quality.press("受理", cards[number])  # the card to act on
    await quality.press("进度", accepted[first])
    on_first = await _dialog(harness, team.quality)
    assert on_first is not None and on_first["dialog"] == "ticket_progress"
    assert await quality.press("进度", accepted[first]) == []  # the same again: nothing asked twice
    [ask] = await quality.press("进度", accepted[second])
    assert ask["text"] == "您还有未完成的操作。继续填写，还是放弃它并继续？"
    waiting = await _dialog(harness, team.quality)
    assert waiting is not None and {k: v for k, v in waiting.items() if k != "switch"} == on_first
    await quality.press("放弃并继续", ask)
    on_second = await _dialog(harness, team.quality)
    assert on_second is not None and on_second["dialog"] == "ticket_progress"
    assert on_second["context"] != on_first["context"]


async def test_typing_the_choice_answers_it_and_is_not_taken_as_the_description(harness: BotHarness) -> None:
    async with harness.uow() as uow:
        await seed_repair_team(uow, harness.clock.now())
        await bind_owner(uow, WANG_PHONE, WANG)
    wang = harness.person(WANG)
    await wang.say("/menu")
    menu = wang.last_with_buttons()
    await wang.press("投诉", menu)
    await wang.press("服务态度")
    await wang.press("报修", menu)
    [again] = await wang.say("继续填写")  # five characters: a description, were it not the choice's label
    assert again["text"] == "请描述具体情况（不超过 1,000 字）。"
    saved = await _dialog(harness, WANG)
    assert saved is not None and saved["step"] == "description" and "description" not in saved["answers"]
    assert "switch" not in saved
