"""Webhook mode, with either chat framework: the handler behind WEBHOOK_URL's path, Telegram's secret
header checked, Telegram answered once the update is handled."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import ClientSession, web
from pydantic import SecretStr

from bot.i18n import Catalogs
from bot.runtime import Runtime
from bot.sandbox.emulator import DEFAULT_TOKEN, BotAPIEmulator
from bot.settings import Settings
from bot.telegram.aiogram.app import build_bot, build_dispatcher, build_webhook_app
from bot.telegram.common import WebhookSecretMissing
from services.common.clock import ManualClock


async def _webhook_app(runtime: Runtime, settings: Settings, framework: str) -> web.Application:
    """The framework's webhook application (its HTTP session closed again if it refuses to start)."""
    if framework == "ptb":
        from bot.telegram.ptb.app import build_application, register_handlers
        from bot.telegram.ptb.app import build_webhook_app as ptb_webhook_app
        from bot.telegram.ptb.transport import PtbTransport

        application = build_application(settings, DEFAULT_TOKEN)
        transport = PtbTransport(application.bot, runtime.catalogs)
        register_handlers(application, runtime, transport)
        return ptb_webhook_app(runtime, application, transport)  # nothing opened before its startup
    bot = build_bot(settings, DEFAULT_TOKEN)
    try:
        return build_webhook_app(runtime, bot, build_dispatcher(runtime))
    except WebhookSecretMissing:
        await bot.session.close()
        raise


@pytest.fixture
async def webhook(emulator: BotAPIEmulator, database_url: str, clock: ManualClock, catalogs: Catalogs,
                  chat_framework: str) -> AsyncIterator[str]:
    emulator.reset()
    settings = Settings(
        _env_file=None,
        bot_token=SecretStr(DEFAULT_TOKEN),
        telegram_api_base=emulator.base_url,
        database_url=database_url,
        webhook_url="https://bot.example.com/hooks/estate",
        webhook_secret=SecretStr("s3cret-token"),
    )
    runtime = Runtime.create(settings, clock=clock, catalogs=catalogs)
    app = await _webhook_app(runtime, settings, chat_framework)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}/hooks/estate"
    await runner.cleanup()
    await runtime.close()


def _update(update_id: int, text: str) -> dict[str, object]:
    user = {"id": 4242, "is_bot": False, "first_name": "Web", "language_code": "en"}
    return {"update_id": update_id, "message": {"message_id": 1, "date": 0, "from": user,
                                                "chat": {"id": 4242, "type": "private"}, "text": text,
                                                "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}}


async def test_webhook_checks_the_secret_and_handles_updates(webhook: str, emulator: BotAPIEmulator) -> None:
    assert ("setWebhook" in [method for method, _ in emulator.calls])
    async with ClientSession() as http:
        async with http.post(webhook, json=_update(1, "/menu")) as response:
            assert response.status == 401
        async with http.post(webhook, json=_update(2, "/menu"),
                             headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}) as response:
            assert response.status == 401
        assert emulator.bot_messages(4242) == []
        async with http.post(webhook, json=_update(3, "/menu"),
                             headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}) as response:
            assert response.status == 200
    messages = await emulator.wait_for_bot_messages(4242, 1)
    assert messages[0]["text"] == "What would you like to do?"


async def test_webhook_mode_does_not_start_without_a_secret(
    emulator: BotAPIEmulator, database_url: str, clock: ManualClock, catalogs: Catalogs, chat_framework: str,
) -> None:
    settings = Settings(_env_file=None, bot_token=SecretStr(DEFAULT_TOKEN), telegram_api_base=emulator.base_url,
                        database_url=database_url, webhook_url="https://bot.example.com/hooks/estate")
    runtime = Runtime.create(settings, clock=clock, catalogs=catalogs)
    with pytest.raises(WebhookSecretMissing):
        await _webhook_app(runtime, settings, chat_framework)
    await runtime.close()


def test_the_command_line_refuses_webhook_mode_without_a_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.cli import main

    database_url = f"sqlite:///{tmp_path / 'never.db'}"
    monkeypatch.setenv("BOT_TOKEN", DEFAULT_TOKEN)
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.com/hooks/estate")
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("WEBHOOK_SECRET", raising=False)
    assert main(["run"]) == 1
    assert "webhook mode needs WEBHOOK_SECRET" in capsys.readouterr().err
    assert not (tmp_path / "never.db").exists()  # it said so before touching anything


async def test_telegram_is_answered_only_after_the_update_is_handled(webhook: str, emulator: BotAPIEmulator) -> None:
    emulator.inject_fault(0, "sendMessage", delay=0.5)  # a slow reply: the handling takes that long
    async with ClientSession() as http, http.post(webhook, json=_update(7, "/menu"),
                         headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}) as response:
        assert response.status == 200
        # By the time Telegram hears 200, the reply went out (it would retry a failed delivery).
        assert [m["text"] for m in emulator.bot_messages(4242)] == ["What would you like to do?"]
