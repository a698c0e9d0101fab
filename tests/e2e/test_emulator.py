"""The Bot API emulator itself, as aiogram sees it: methods, uploads, limits and injected faults."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup
from aiohttp import ClientSession

from bot.sandbox.emulator import DEFAULT_TOKEN, BotAPIEmulator, RateLimits, visible_text
from bot.settings import Settings
from bot.telegram.aiogram.app import build_bot


@pytest.fixture
async def bot(emulator: BotAPIEmulator) -> AsyncIterator[Bot]:
    emulator.reset()
    emulator.rate_limits = None
    settings = Settings(_env_file=None, telegram_api_base=emulator.base_url)
    client = build_bot(settings, DEFAULT_TOKEN)
    yield client
    emulator.rate_limits = None
    await client.session.close()


async def test_messages_edits_uploads_and_files(bot: Bot, emulator: BotAPIEmulator) -> None:
    me = await bot.get_me()
    assert me.username == "estate_service_bot"
    markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="OK", callback_data="x")]])
    sent = await bot.send_message(10, "<b>你好</b>", reply_markup=markup)
    assert sent.text == "<b>你好</b>" and sent.reply_markup is not None
    await bot.edit_message_text("改过了", chat_id=10, message_id=sent.message_id)
    stored = emulator.message(10, sent.message_id)
    assert stored["text"] == "改过了" and "reply_markup" not in stored
    photo = await bot.send_photo(10, BufferedInputFile(b"\x89PNG fake", "p.png"), caption="现场照片")
    assert photo.photo is not None
    again = await bot.send_photo(10, photo.photo[-1].file_id)  # re-send by file_id
    assert again.photo is not None and again.photo[-1].file_id == photo.photo[-1].file_id
    document = await bot.send_document(10, BufferedInputFile(b"a,b\n", "报表.csv"))
    assert document.document is not None and document.document.file_name == "报表.csv"
    file = await bot.get_file(document.document.file_id)
    assert file.file_path is not None
    downloaded = await bot.download_file(file.file_path)
    assert downloaded is not None and downloaded.read() == b"a,b\n"
    with pytest.raises(TelegramBadRequest):
        await bot.send_photo(10, "never-issued-file-id")
    with pytest.raises(TelegramBadRequest):
        await bot.send_message(10, "x" * 4097)


async def test_injected_faults(bot: Bot, emulator: BotAPIEmulator) -> None:
    emulator.inject_fault(429, "sendMessage", retry_after=7)
    with pytest.raises(TelegramRetryAfter) as retry:
        await bot.send_message(11, "hi")
    assert retry.value.retry_after == 7
    emulator.inject_fault(502, "sendMessage")
    with pytest.raises(TelegramServerError):
        await bot.send_message(11, "hi")
    emulator.block(11)
    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(11, "hi")
    await bot.send_message(12, "others still get messages")
    assert [m["text"] for m in emulator.bot_messages(12)] == ["others still get messages"]


async def test_rate_limits_answer_429_with_retry_after(bot: Bot, emulator: BotAPIEmulator) -> None:
    emulator.rate_limits = RateLimits(per_chat_burst=3, per_chat_per_second=1.0)
    for n in range(3):
        await bot.send_message(13, f"burst {n}")
    with pytest.raises(TelegramRetryAfter) as retry:
        await bot.send_message(13, "one too many")
    assert retry.value.retry_after >= 1
    assert emulator.stats.rejected_429 == 1
    await bot.send_message(14, "another chat is not limited by chat 13")


async def test_driver_http_api(emulator: BotAPIEmulator) -> None:
    emulator.reset()
    async with ClientSession() as http:
        async with http.post(f"{emulator.base_url}/_sandbox/updates",
                             json={"user": 15, "kind": "text", "text": "/start"}) as response:
            body = await response.json()
            assert body["ok"] and body["update_id"] == 1
        async with http.get(f"{emulator.base_url}/_sandbox/chats/15") as response:
            messages = (await response.json())["messages"]
            assert [(m["direction"], m["text"]) for m in messages] == [("in", "/start")]
        async with http.post(f"{emulator.base_url}/bot{DEFAULT_TOKEN}/getUpdates", json={"timeout": 0}) as response:
            updates = (await response.json())["result"]
            assert updates[0]["message"]["text"] == "/start"
        async with http.post(f"{emulator.base_url}/botWRONG/getMe") as response:
            assert response.status == 401


async def test_length_limits_count_the_parsed_text_not_the_html(bot: Bot, emulator: BotAPIEmulator) -> None:
    # Telegram counts a message's length after entities parsing: tags and entities are not text.
    bold = "".join(f"<b>{'好' * 39}</b>&amp;" for _ in range(100))  # 4,000 visible, 11,000+ raw
    assert len(visible_text(bold, "HTML")) == 4000
    sent = await bot.send_message(16, bold)
    assert sent.text == bold
    with pytest.raises(TelegramBadRequest, match="too long"):
        await bot.send_message(16, "<i>" + "x" * 4097 + "</i>")
    await bot.send_message(16, "<i>" + "x" * 4096 + "</i>")
    with pytest.raises(TelegramBadRequest, match="empty"):
        await bot.send_message(16, "<b></b>")
    photo = BufferedInputFile(b"\x89PNG fake", "p.png")
    await bot.send_photo(16, photo, caption="<b>" + "图" * 1024 + "</b>")
    with pytest.raises(TelegramBadRequest, match="caption is too long"):
        await bot.send_photo(16, photo, caption="图" * 1025)


async def test_a_timeout_a_lost_response_and_faults_at_a_seeded_rate(bot: Bot, emulator: BotAPIEmulator) -> None:
    emulator.inject_timeout("sendMessage", seconds=3)
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(17, "never arrives", request_timeout=1)
    assert emulator.bot_messages(17) == []  # a timeout: not carried out

    emulator.inject_lost_response("sendMessage")  # delivered, then the connection drops
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(17, "delivered, answer lost")
    emulator.inject_lost_response("sendMessage", status=502)  # delivered, then a proxy's 502
    with pytest.raises(TelegramServerError):
        await bot.send_message(17, "delivered, then a 502")
    assert [m["text"] for m in emulator.bot_messages(17)] == ["delivered, answer lost", "delivered, then a 502"]

    async def faulty_calls(seed: int) -> list[int]:
        emulator.reset()
        emulator.inject_random_faults("server_error", 0.2, "sendMessage", seed=seed)
        failed = []
        for n in range(50):
            try:
                await bot.send_message(18, f"#{n}")
            except TelegramServerError:
                failed.append(n)
        return failed

    first = await faulty_calls(7)
    assert 3 <= len(first) <= 20 and await faulty_calls(7) == first  # reproducible by its seed
    assert emulator.stats.faults["502"] == len(first)
    assert len(emulator.bot_messages(18)) == 50 - len(first)


async def test_sends_inside_a_retry_window_are_counted(bot: Bot, emulator: BotAPIEmulator) -> None:
    emulator.inject_fault(429, "sendMessage", retry_after=5)
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(19, "flood")
    await bot.send_message(20, "too early: Telegram said to wait")
    await bot.get_me()  # not a send: not counted
    assert (emulator.stats.rejected_429, emulator.stats.calls_in_retry_window) == (1, 1)
