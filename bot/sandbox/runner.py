"""`estatebot run` without a token: the real bot polling the local emulator, the demo community
seeded once, and the web chat page — all on 127.0.0.1."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.runtime import Runtime
from bot.sandbox.demo import seed_demo
from bot.sandbox.emulator import DEFAULT_TOKEN, BotAPIEmulator
from bot.sandbox.web import ChatPage
from bot.telegram.aiogram.app import build_bot, build_dispatcher
from bot.telegram.aiogram.polling import AtLeastOncePolling
from services.chats.updates import next_update_id
from services.common.clock import ManualClock
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


async def run_sandbox(runtime: Runtime) -> None:
    settings = runtime.settings
    # The sandbox's clock starts at the real time and moves when the page says so.
    clock = ManualClock()
    runtime.use_clock(clock)
    async with UnitOfWork(runtime.sessionmaker) as uow:
        first_update_id = await next_update_id(uow)
    emulator = BotAPIEmulator(DEFAULT_TOKEN, settings.sandbox_host, settings.sandbox_port,
                              first_update_id=first_update_id)
    base = await emulator.start()
    runtime.settings = settings.model_copy(update={"telegram_api_base": base})
    async with UnitOfWork(runtime.sessionmaker) as uow:
        if await seed_demo(uow, clock.now()):
            await uow.commit()
            log.info("seeded the demo community")

    async def clock_moved() -> None:
        if runtime.planner is not None:
            await runtime.planner.run_once()
        runtime.wake_sender()

    page = ChatPage(emulator, clock, clock_moved, settings.timezone)
    runner = web.AppRunner(page.app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.sandbox_host, settings.sandbox_web_port).start()
    bot = build_bot(runtime.settings, DEFAULT_TOKEN)
    dispatcher = build_dispatcher(runtime)
    print(f"sandbox Bot API emulator on {base} (driver API under {base}/_sandbox/)", flush=True)
    print(f"web chat: http://{settings.sandbox_host}:{settings.sandbox_web_port}/", flush=True)
    try:
        await AtLeastOncePolling(dispatcher, bot, polling_timeout=10).run(handle_signals=True)
    finally:
        await runner.cleanup()
        await emulator.stop()
        await runtime.close()
