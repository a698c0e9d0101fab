"""Conversations survive restarts, updates are handled once and in order, bad input changes nothing."""

from __future__ import annotations

from tests.harness import BotHarness


async def _state(harness: BotHarness, chat_id: int) -> dict[str, object] | None:
    async with harness.uow() as uow:
        chat = await uow.chats.get(chat_id)
        return chat.dialog if chat else None


async def test_restart_mid_dialog_continues_the_same_dialog(harness: BotHarness) -> None:
    person = harness.person(9001)
    await person.say("/menu")
    await person.press("留言")
    await person.press("建议")
    await person.say("希望小区增加快递柜")
    saved = await _state(harness, 9001)
    assert saved is not None and saved["step"] == "name"

    await harness.stop()  # a deploy: the process goes away
    await harness.start()

    replies = await person.say("周女士")
    assert "我们可以通过哪个电话联系您" in replies[0]["text"]
    await person.press("跳过")
    replies = await person.press("确认")
    assert "客户服务部已收到您的留言" in replies[0]["text"]
    async with harness.uow() as uow:
        [entry] = await uow.communication.recent()
        assert (entry.kind, entry.text, entry.name, entry.phone) == ("suggestion", "希望小区增加快递柜", "周女士", None)


async def test_redelivered_update_is_handled_once(harness: BotHarness) -> None:
    person = harness.person(9002)
    await person.say("/menu")
    await person.press("留言")
    await person.press("咨询")
    harness.emulator.send_text(9002, "物业费可以用微信缴纳吗？")
    await harness.settle()
    update_id = harness.emulator.delivered[-1]
    count = len(person.received())
    harness.emulator.redeliver(update_id)
    await harness.settle()
    assert len(person.received()) == count  # no second reply
    assert harness.handled[update_id] == 2  # seen twice, acted on once
    saved = await _state(harness, 9002)
    assert saved is not None and saved["step"] == "name"
    assert saved["answers"] == {"kind": "inquiry", "text": "物业费可以用微信缴纳吗？"}


async def test_updates_from_one_chat_are_handled_in_order(harness: BotHarness) -> None:
    person = harness.person(9003)
    await person.say("/menu")
    await person.press("留言")
    await person.press("咨询")
    # Three messages at once: the text step takes the first, the name step the second,
    # the phone step the third — only if they are handled in arrival order.
    for text in ("第一条：电梯异响", "吴先生", "13612345678"):
        harness.emulator.send_text(9003, text)
    await harness.settle()
    saved = await _state(harness, 9003)
    assert saved is not None and saved["step"] == "confirm"
    assert saved["answers"] == {
        "kind": "inquiry", "text": "第一条：电梯异响", "name": "吴先生", "phone": "+8613612345678"
    }


async def test_bad_input_gets_a_clear_answer_and_changes_nothing(harness: BotHarness) -> None:
    person = harness.person(9004)
    await person.say("/menu")
    await person.press("留言")
    before = await _state(harness, 9004)
    choice_message = person.last_with_buttons()
    _, stale_data = person.find_button("建议", choice_message)

    replies = await person.say("随便打字")  # a choice step wants a button
    assert replies[0]["text"] == "请点击下方按钮进行选择。"
    replies = await person.send_sticker()
    assert replies[0]["text"] == "请点击下方按钮进行选择。"
    assert before is not None
    replies = await person.press_data(f"d1:{before['rev']}:c:hacked")  # forged option code
    assert replies[0]["text"] == "请点击下方按钮进行选择。"
    replies = await person.press_data("garbage-data")  # not our format at all
    assert replies == []
    assert await _state(harness, 9004) == before

    # The question's buttons moved to the latest reason; one copy of them is live at a time.
    assert person.buttons(choice_message) == []
    live = person.last_with_buttons()
    await person.press("咨询", live)
    assert person.buttons(live) == []  # answered questions lose their buttons
    replies = await person.press_data(stale_data, choice_message)  # a client that still shows them
    assert replies == []  # a short notice on the press, not the question again
    notice = list(harness.emulator.callback_answers.values())[-1]
    assert (notice["text"], notice["show_alert"]) == ("该按钮属于之前的问题，请使用最新消息中的按钮。", False)
    replies = await person.say("x" * 1001)
    assert replies[0]["text"] == "内容过长（1,001 字），上限为 1,000 字。"
    replies = await person.say("a\x00b")
    assert "无法保存的字符" in replies[0]["text"]
    replies = await person.send_photo()
    assert replies[0]["text"] == "请以文字回复。"
    saved = await _state(harness, 9004)
    assert saved is not None and saved["step"] == "text" and saved["answers"] == {"kind": "inquiry"}


async def test_cancel_works_at_every_step_and_back_returns(harness: BotHarness) -> None:
    person = harness.person(9005)
    await person.say("/menu")
    await person.press("留言")
    await person.press("咨询")
    replies = await person.press("返回")
    assert replies[0]["text"] == "请问您想告诉我们什么？"
    question = replies[0]
    replies = await person.say("/cancel")
    assert replies[0]["text"] == "已取消，未保存任何内容。"
    assert person.buttons(question) == [] and question["text"].endswith("✖ 已取消")  # its buttons are dead
    assert await _state(harness, 9005) is None
    replies = await person.say("/cancel")
    assert replies[0]["text"] == "当前没有可取消的操作。"


async def test_start_in_the_middle_of_a_dialog_repeats_the_question(harness: BotHarness) -> None:
    person = harness.person(9006)
    await person.say("/menu")
    await person.press("留言")
    replies = await person.say("/start")
    assert replies[-1]["text"] == "请问您想告诉我们什么？"


async def test_user_text_is_escaped_in_html(harness: BotHarness) -> None:
    person = harness.person(9007)
    await person.say("/menu")
    await person.press("留言")
    await person.press("其他")
    await person.say("<script>alert(1)</script> & <b>")
    replies = await person.say("<i>Tom</i>")
    replies = await person.press("跳过")
    summary = replies[0]["text"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;" in summary
    assert "&lt;i&gt;Tom&lt;/i&gt;" in summary
    assert "<b>姓名</b>" in summary  # our own markup stays


async def test_old_update_ids_are_forgotten_at_start(harness: BotHarness) -> None:
    from datetime import timedelta

    from services.chats.updates import prune_processed_updates

    person = harness.person(9008)
    await person.say("/help")
    harness.clock.advance(timedelta(days=8))
    async with harness.uow() as uow:
        assert await prune_processed_updates(uow, harness.clock.now()) == 1
        await uow.commit()  # the caller owns the transaction
    async with harness.uow() as uow:
        assert await uow.updates.claim(1, harness.clock.now()) is True  # the id is free again


async def test_a_late_button_answer_refused_by_telegram_is_not_an_error(harness: BotHarness) -> None:
    person = harness.person(9009)
    await person.say("/menu")
    await person.press("留言")
    # Telegram refuses answers to callback queries older than ~15 s, and edits of old messages.
    harness.emulator.inject_fault(400, "answerCallbackQuery")
    harness.emulator.inject_fault(400, "editMessageReplyMarkup")
    harness.emulator.inject_fault(400, "editMessageText")
    replies = await person.press("咨询")
    assert [m["text"] for m in replies] == ["请输入留言内容（不超过 1,000 字）。"]
    saved = await _state(harness, 9009)
    assert saved is not None and saved["step"] == "text"
