from __future__ import annotations

from tests.harness import BotHarness


async def test_start_greets_an_unknown_person(harness: BotHarness) -> None:
    person = harness.person(5001)
    replies = await person.say("/start")
    assert "欢迎使用客户服务" in replies[0]["text"]
    assert replies[0]["_reply_keyboard"]["keyboard"][0][0]["request_contact"] is True
