"""Build and run the bot: one Bot, one Dispatcher, our middlewares and routers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.types import BotCommand, ErrorEvent
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.i18n import Catalogs
from bot.middlewares import (
    ChatOrderMiddleware,
    I18nMiddleware,
    IdentityMiddleware,
    UnitOfWorkMiddleware,
    UpdateDoneMiddleware,
)
from bot.render import send_replies
from bot.scheduler import PlannerLoop
from bot.sender import RateLimiter, Sender
from bot.settings import Settings
from dialogs.engine import Reply
from dialogs.text import N_, Msg
from handlers import build_root_router
from services.chats.updates import prune_processed_updates
from services.common.clock import Clock, SystemClock
from services.common.locale import resolve_locale
from storage.db import create_engine, create_sessionmaker
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

COMMANDS = (
    ("start", N_("Start / link your account")),
    ("menu", N_("What you can do")),
    ("language", N_("Choose your language")),
    ("cancel", N_("Stop the current step")),
    ("help", N_("Help")),
)


@dataclass
class Runtime:
    """Everything built once per process and shared by all updates."""

    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    clock: Clock
    catalogs: Catalogs
    sender: Sender | None = None  # the outbox sender, while the dispatcher runs (start_sender)
    planner: PlannerLoop | None = None  # the reminder planner, while the dispatcher runs
    plan_in_background: bool = True  # tests turn it off and plan on their own clock

    @classmethod
    def create(cls, settings: Settings, clock: Clock | None = None, catalogs: Catalogs | None = None) -> Runtime:
        engine = create_engine(settings.database_url)
        return cls(settings, engine, create_sessionmaker(engine), clock or SystemClock(), catalogs or Catalogs())

    async def close(self) -> None:
        await self.engine.dispose()

    def wake_sender(self) -> None:
        """A commit enqueued pushes: send them now rather than at the sender's next look."""
        if self.sender is not None:
            self.sender.wake()


def build_bot(settings: Settings, token: str) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
    return Bot(
        token=token,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def build_dispatcher(runtime: Runtime, on_update_done: Callable[[int], None] | None = None) -> Dispatcher:
    # No FSM at all: conversation state lives in our database, never in aiogram's in-memory storage.
    dispatcher = Dispatcher(disable_fsm=True, runtime=runtime, clock=runtime.clock, catalogs=runtime.catalogs)
    if on_update_done is not None:
        dispatcher.update.outer_middleware(UpdateDoneMiddleware(on_update_done))
    dispatcher.update.outer_middleware(ChatOrderMiddleware())
    dispatcher.update.outer_middleware(UnitOfWorkMiddleware(runtime.sessionmaker, runtime.clock, runtime.wake_sender))
    dispatcher.update.outer_middleware(IdentityMiddleware())
    dispatcher.update.outer_middleware(
        I18nMiddleware(runtime.catalogs, runtime.settings.default_locale, runtime.settings.timezone)
    )
    dispatcher.include_router(build_root_router())
    dispatcher.errors.register(_on_error)
    dispatcher.startup.register(_set_commands)
    dispatcher.startup.register(_prune_update_ids)
    # The outbox sender runs beside polling or the webhook and stops before the bot's session closes.
    dispatcher.startup.register(start_sender)
    dispatcher.startup.register(_start_planner)
    dispatcher.shutdown.register(_stop_planner)
    dispatcher.shutdown.register(_stop_sender)
    return dispatcher


async def start_sender(runtime: Runtime, bot: Bot, limiter: RateLimiter | None = None) -> Sender:
    """The runtime's outbox sender as a background task; started once, however often called."""
    if runtime.sender is None:
        runtime.sender = Sender(
            runtime.sessionmaker, bot, runtime.catalogs, runtime.clock, runtime.settings.default_locale, limiter
        )
        runtime.sender.start()
    return runtime.sender


async def _start_planner(runtime: Runtime) -> None:
    if runtime.plan_in_background and runtime.planner is None:
        runtime.planner = PlannerLoop(runtime.sessionmaker, runtime.clock, runtime.wake_sender)
        runtime.planner.start()


async def _stop_planner(runtime: Runtime) -> None:
    planner, runtime.planner = runtime.planner, None
    if planner is not None:
        await planner.close()


async def _stop_sender(runtime: Runtime) -> None:
    sender, runtime.sender = runtime.sender, None
    if sender is not None:
        await sender.close()


async def _prune_update_ids(runtime: Runtime) -> None:
    async with UnitOfWork(runtime.sessionmaker) as uow:
        removed = await prune_processed_updates(uow, runtime.clock.now())
    log.info("forgot %d old update ids", removed)


async def _set_commands(bot: Bot, runtime: Runtime) -> None:
    for language_code, locale in ((None, runtime.settings.default_locale), ("en", "en")):
        tr = runtime.catalogs.get(locale)
        commands = [BotCommand(command=name, description=tr.gettext(text)) for name, text in COMMANDS]
        await bot.set_my_commands(commands, language_code=language_code)


async def _on_error(event: ErrorEvent, bot: Bot, runtime: Runtime) -> bool:
    """Log, and tell the person something went wrong rather than leaving them waiting."""
    log.exception("update %s failed", event.update.update_id, exc_info=event.exception)
    update = event.update
    user = update.message.from_user if update.message else (
        update.callback_query.from_user if update.callback_query else None
    )
    if user is None:
        return True
    # Private chats only: the chat id is the user's id, also for a button press.
    chat_id = update.message.chat.id if update.message else user.id
    tr = runtime.catalogs.get(resolve_locale(None, None, user.language_code, runtime.settings.default_locale))
    try:
        await send_replies(bot, chat_id, [Reply(Msg(N_("Sorry, something went wrong. Please try again.")))], tr)
    except Exception:  # the error reply is best effort; the original error is already logged
        log.warning("could not send the error reply", exc_info=True)
    return True


async def run_polling(runtime: Runtime, token: str) -> None:
    bot = build_bot(runtime.settings, token)
    dispatcher = build_dispatcher(runtime)
    try:
        await dispatcher.start_polling(bot, handle_signals=True)
    finally:
        await runtime.close()


def build_webhook_app(runtime: Runtime, bot: Bot, dispatcher: Dispatcher) -> web.Application:
    """aiogram's webhook handler at WEBHOOK_URL's path; requests without the secret are refused."""
    settings = runtime.settings
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    path = urlparse(settings.webhook_url or "").path or "/telegram"

    async def on_startup(bot: Bot) -> None:
        await bot.set_webhook(settings.webhook_url or "", secret_token=secret, drop_pending_updates=False)

    dispatcher.startup.register(on_startup)
    app = web.Application()
    SimpleRequestHandler(dispatcher=dispatcher, bot=bot, secret_token=secret).register(app, path=path)
    setup_application(app, dispatcher, bot=bot)
    return app


async def run_webhook(runtime: Runtime, token: str) -> None:
    settings = runtime.settings
    bot = build_bot(settings, token)
    app = build_webhook_app(runtime, bot, build_dispatcher(runtime))
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, settings.webhook_host, settings.webhook_port).start()
    log.info("webhook listening on %s:%s", settings.webhook_host, settings.webhook_port)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        await runtime.close()
