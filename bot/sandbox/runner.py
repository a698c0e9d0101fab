"""`estatebot run` without a token: the real bot polling the local emulator, the demo community
seeded once, and the web chat page — all on 127.0.0.1. The demo clock starts inside working hours and,
with the chats, is kept beside the database across restarts (``bot/sandbox/state.py``)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

from aiohttp import web

from bot.runtime import Runtime
from bot.sandbox.demo import DEMO_PROJECT, DEMO_REGION, seed_demo, seed_demo_consents, seed_demo_survey
from bot.sandbox.demo_care import seed_demo_care
from bot.sandbox.demo_clock import demo_start
from bot.sandbox.emulator import DEFAULT_TOKEN, BotAPIEmulator
from bot.sandbox.state import SandboxState
from bot.sandbox.web import ChatPage
from bot.telegram.polling import AtLeastOnce
from services.calendar.workdays import calendar_for
from services.chats.updates import next_update_id
from services.common.clock import ManualClock
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


async def run_sandbox(runtime: Runtime) -> None:
    settings = runtime.settings
    state = SandboxState.beside(settings.database_url, settings.data_dir)
    async with UnitOfWork(runtime.sessionmaker) as uow:
        first_update_id = await next_update_id(uow)
        calendar = await calendar_for(uow, DEMO_REGION)
        new_database = await uow.projects.by_code(DEMO_PROJECT) is None
    if new_database:
        state.clear()  # chats and a clock of an earlier database would not match this one
    saved = await asyncio.to_thread(state.load)
    # The demo clock runs with real time plus an offset: kept from the last run, or chosen so that a new
    # sandbox starts inside working hours (at night staff would see nothing for hours). The page moves it.
    real_now = datetime.now(UTC)
    clock = ManualClock()
    clock.advance(saved.clock_offset if saved else demo_start(real_now, settings.timezone, calendar) - real_now)
    runtime.use_clock(clock)
    emulator = BotAPIEmulator(DEFAULT_TOKEN, settings.sandbox_host, settings.sandbox_port,
                              first_update_id=first_update_id)
    if saved:
        emulator.restore_chat_log(saved.chat_log, state.file_data)
    base = await emulator.start()
    runtime.settings = settings.model_copy(update={"telegram_api_base": base})
    async with UnitOfWork(runtime.sessionmaker) as uow:
        if await seed_demo(uow, clock.now()):
            await uow.commit()
            log.info("seeded the demo community")
    async with UnitOfWork(runtime.sessionmaker) as uow:
        if await seed_demo_consents(uow, clock.now()):
            await uow.commit()
            log.info("recorded the demo owners' consents (as collected on paper)")
    async with UnitOfWork(runtime.sessionmaker) as uow:
        if await seed_demo_survey(uow, clock.now()):
            await uow.commit()
            log.info("seeded a draft year-end survey of the demo community")
    async with UnitOfWork(runtime.sessionmaker) as uow:
        if await seed_demo_care(uow, clock.now()):
            await uow.commit()
            log.info("seeded the demo care calendar (specialists, a delivery guide, a delivery in 10 days)")

    async def clock_moved() -> None:
        if runtime.planner is not None:
            await runtime.planner.run_once()
        runtime.wake_sender()

    page = ChatPage(emulator, clock, clock_moved, settings.timezone, calendar)
    runner = web.AppRunner(page.app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.sandbox_host, settings.sandbox_web_port).start()
    polling = _polling(runtime)
    print(f"sandbox Bot API emulator on {base} (driver API under {base}/_sandbox/)", flush=True)
    print(f"web chat: http://{settings.sandbox_host}:{settings.sandbox_web_port}/", flush=True)
    print(f"demo clock: {page.clock_line()}; chats and clock kept in {state.directory}", flush=True)
    saving = asyncio.create_task(state.keep_saved(emulator, clock), name="sandbox-state")
    try:
        await polling.run(handle_signals=True)
    finally:
        saving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await saving
        await runner.cleanup()
        await emulator.stop()
        await runtime.close()


def _polling(runtime: Runtime) -> AtLeastOnce:
    """The real bot's polling against the emulator, with the chat framework CHAT_FRAMEWORK names."""
    if runtime.settings.chat_framework == "ptb":
        from bot.telegram.ptb.app import build_polling

        return build_polling(runtime, DEFAULT_TOKEN, polling_timeout=10)
    from bot.telegram.aiogram.app import build_bot, build_dispatcher
    from bot.telegram.aiogram.polling import AtLeastOncePolling

    return AtLeastOncePolling(build_dispatcher(runtime), build_bot(runtime.settings, DEFAULT_TOKEN), polling_timeout=10)
