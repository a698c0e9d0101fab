"""Locale by /language choice, else by Telegram's language_code (by script), else the default."""

from __future__ import annotations

import pytest

from tests.factories import Team
from tests.harness import BotHarness


@pytest.mark.parametrize(
    ("language_code", "expected"),
    [
        ("zh-hans", "请问您需要办理什么？"),
        ("zh-cn", "请问您需要办理什么？"),
        ("zh-hant", "請問需要什麼服務？"),
        ("zh-tw", "請問需要什麼服務？"),
        ("zh-hk", "請問有甚麼可以幫您？"),
        ("en", "What would you like to do?"),
        ("fr", "请问您需要办理什么？"),
        (None, "请问您需要办理什么？"),
    ],
)
async def test_locale_from_language_code(harness: BotHarness, language_code: str | None, expected: str) -> None:
    person = harness.person(8001, "User", language_code)
    replies = await person.say("/menu")
    assert replies[0]["text"] == expected


async def test_language_switch_changes_the_next_reply(harness: BotHarness) -> None:
    person = harness.person(8002, "User", "zh-hans")
    await person.say("/language")
    assert person.buttons() == ["简体中文", "繁體中文（香港）", "繁體中文（台灣）", "English"]
    replies = await person.press("English")
    assert replies[0]["text"] == "Language set: English."
    replies = await person.say("/menu")
    assert replies[0]["text"] == "What would you like to do?"
    await person.say("/language")
    await person.press("台灣")
    replies = await person.say("/help")
    assert "/menu — 功能選單" in replies[0]["text"]
    async with harness.uow() as uow:
        chat = await uow.chats.get(8002)
        assert chat is not None and chat.locale == "zh_Hant_TW"


async def test_forged_language_button_is_refused(harness: BotHarness) -> None:
    person = harness.person(8003)
    await person.say("/language")
    replies = await person.press_data("l1:xx_YY")
    assert replies == []
    assert list(harness.emulator.callback_answers.values())[-1] == {"text": "该按钮无效。", "show_alert": True}
    async with harness.uow() as uow:
        chat = await uow.chats.get(8003)
        assert chat is None or chat.locale is None


async def test_an_owner_reads_his_unit_as_his_language_writes_the_project(harness: BotHarness, team: Team) -> None:
    """华苑 is 華苑 to a Hong Kong reader and Huayuan in English: in My details and on the case card."""
    from services.people.project_names import set_name
    from tests.e2e.conftest import WANG

    async with harness.uow() as uow:
        project = await uow.projects.by_code("HY")
        assert project is not None
        set_name(project, "zh_Hant_HK", "華苑")
        set_name(project, "en", "Huayuan")
        await uow.commit()
    wang = harness.person(WANG)
    await wang.say("/language")
    await wang.press("香港")
    await wang.say("/menu")
    [details] = await wang.press("👤")
    assert "華苑 " in details["text"] and "华苑" not in details["text"], details["text"]
    await wang.say("/language")
    await wang.press("English")
    await wang.say("/menu")
    [details] = await wang.press("👤")
    assert "Huayuan " in details["text"], details["text"]
