"""Nobody let in through a group: the bot answers nothing personal outside a private chat."""

from __future__ import annotations

from typing import Any

from tests.factories import WANG_PHONE, bind_owner, seed_team
from tests.harness import BotHarness

GROUP = -100200300


def _group_message(user: dict[str, Any], text: str, message_id: int) -> dict[str, Any]:
    message: dict[str, Any] = {"message_id": message_id, "date": 0, "from": user, "text": text,
                               "chat": {"id": GROUP, "type": "supergroup", "title": "华苑业主群"}}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"message": message}


async def test_a_bound_owner_gets_no_case_data_in_a_group(harness: BotHarness) -> None:
    harness.person(9201)
    async with harness.uow() as uow:
        team = await seed_team(uow, harness.clock.now())
        await bind_owner(uow, WANG_PHONE, 9201)
    user = harness.emulator.users[9201]
    for n, text in enumerate(("/my", "/queue", "/start", "你好", "TS-2026-000001"), start=1):
        harness.emulator.push_update(_group_message(user, text, n))
    await harness.settle()
    said = [m["text"] for m in harness.emulator.bot_messages(GROUP)]
    # One line per command, asking for a private chat; plain chatter gets no answer at all.
    assert said == ["为保护您的个人信息，我只在私聊中提供服务，请直接私聊我。"] * 3
    assert team is not None


async def test_a_button_pressed_in_a_group_changes_nothing(harness: BotHarness) -> None:
    user = harness.emulator.user(9202, "访客", "zh-hans")
    message = {"message_id": 7, "date": 0, "chat": {"id": GROUP, "type": "group", "title": "群"},
               "from": {"id": 1, "is_bot": True, "first_name": "estatebot"}, "text": "?"}
    harness.emulator.push_update({"callback_query": {"id": "q1", "from": user, "chat_instance": "g",
                                                     "message": message, "data": "m1:inquiry"}})
    await harness.settle()
    [answer] = [p for m, p in harness.emulator.calls if m == "answerCallbackQuery"]
    assert "私聊" in answer.get("text", "")
    assert harness.emulator.bot_messages(GROUP) == []
    async with harness.uow() as uow:
        assert await uow.chats.get(GROUP) is None and await uow.chats.get(9202) is None
