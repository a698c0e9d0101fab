"""`estatebot run` without a token: the real bot, polling the local emulator on 127.0.0.1."""

from __future__ import annotations

import logging

from bot.app import Runtime, build_bot, build_dispatcher
from bot.sandbox.emulator import DEFAULT_TOKEN, BotAPIEmulator

log = logging.getLogger(__name__)


async def run_sandbox(runtime: Runtime) -> None:
    settings = runtime.settings
    emulator = BotAPIEmulator(DEFAULT_TOKEN, settings.sandbox_host, settings.sandbox_port)
    base = await emulator.start()
    runtime.settings = settings.model_copy(update={"telegram_api_base": base})
    bot = build_bot(runtime.settings, DEFAULT_TOKEN)
    dispatcher = build_dispatcher(runtime)
    print(f"sandbox Bot API emulator on {base} (driver API under {base}/_sandbox/)", flush=True)
    try:
        await dispatcher.start_polling(bot, handle_signals=True, polling_timeout=10)
    finally:
        await emulator.stop()
        await runtime.close()
