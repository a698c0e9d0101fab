"""The python-telegram-bot adapter's application, polling and webhook (``CHAT_FRAMEWORK=ptb``). As
with aiogram, its two handlers only translate: a message or a button press becomes a plain
``Inbound`` event for the chat core's pipeline, which answers through ``PtbTransport``.

PTB's ``Application`` runs here without its ``Updater``: updates come from the at-least-once
polling (``bot/telegram/polling.py``) or the webhook below, and each is handed to
``Application.process_update``, whose handlers run concurrently (``concurrent_updates``; one chat's
in order: the pipeline keeps that). No ``AIORateLimiter``: the outbox drain paces pushes itself."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

from aiohttp import web
from telegram import BotCommand, LinkPreviewOptions, Message, Update, User
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, ContextTypes, Defaults, MessageHandler
from telegram.ext import filters as tg_filters

from bot.runtime import Runtime
from bot.settings import Settings
from bot.telegram.common import COMMANDS, WebhookSecretMissing, webhook_secret_and_path
from bot.telegram.polling import AtLeastOnce
from bot.telegram.ptb.transport import PtbTransport
from handlers.inbound import ButtonIn, Inbound, MessageIn, Sender

log = logging.getLogger(__name__)
logging.getLogger("httpx").setLevel(logging.WARNING)  # PTB's HTTP client logs every request at INFO
PtbApplication = Application[Any, Any, Any, Any, Any, Any]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def build_application(settings: Settings, token: str) -> PtbApplication:
    """PTB's application on the Bot API at TELEGRAM_API_BASE (the emulator in the sandbox and tests)."""
    base = settings.telegram_api_base.rstrip("/")
    defaults = Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
    return (ApplicationBuilder().token(token).base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
            .defaults(defaults).updater(None).concurrent_updates(True)
            # Many updates and the drain's sends at once: a pool, not PTB's single connection.
            .connection_pool_size(64).pool_timeout(10.0).build())


def message_in(message: Message) -> MessageIn:
    if message.text is not None:
        return MessageIn("text", text=message.text)
    if message.contact is not None:
        return MessageIn("contact", contact_phone=message.contact.phone_number,
                         contact_user_id=message.contact.user_id)
    if message.photo:
        return MessageIn("photo", text=message.caption, file_id=message.photo[-1].file_id)
    if message.document is not None:
        return MessageIn("document", text=message.caption, file_id=message.document.file_id,
                         file_name=message.document.file_name or "", mime_type=message.document.mime_type or "")
    return MessageIn(_content_type(message))


def _content_type(message: Message) -> str:
    """aiogram's name for what the message carries ("sticker", "voice" …), as the core expects."""
    for kind in ("sticker", "voice", "video", "video_note", "audio", "animation", "location", "venue", "poll",
                 "dice", "game"):
        if getattr(message, kind, None):
            return kind
    return "unknown"


def _sender(user: User | None) -> Sender | None:
    return Sender(user.id, user.language_code) if user is not None else None


def register_handlers(application: PtbApplication, runtime: Runtime, transport: PtbTransport) -> None:
    async def on_message(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if message is None:
            return
        inbound = Inbound(update.update_id, message.chat.id, _sender(message.from_user),
                          message=message_in(message), private=message.chat.type == "private")
        await runtime.pipeline.handle(inbound, transport)

    async def on_button(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        # A button under an inline-mode message has no chat: it can only be the presser's own.
        chat = query.message.chat if query.message is not None else None
        message_id = query.message.message_id if query.message is not None else None
        inbound = Inbound(update.update_id, chat.id if chat is not None else query.from_user.id,
                          _sender(query.from_user), button=ButtonIn(query.id, query.data, message_id),
                          private=chat is None or chat.type == "private")
        await runtime.pipeline.handle(inbound, transport)

    application.add_handler(MessageHandler(tg_filters.UpdateType.MESSAGE, on_message))
    application.add_handler(CallbackQueryHandler(on_button))


async def start(application: PtbApplication, runtime: Runtime, transport: PtbTransport, *,
                background: bool = True) -> None:
    """The application initialised (getMe), the commands set, old update ids forgotten, and — unless
    the caller runs them itself — the drain and the planner started."""
    await application.initialize()
    for language_code, locale in ((None, runtime.settings.default_locale), ("en", "en")):
        tr = runtime.catalogs.get(locale)
        commands = [BotCommand(name, tr.gettext(text)) for name, text in COMMANDS]
        await application.bot.set_my_commands(commands, language_code=language_code)
    log.info("forgot %d old update ids", await runtime.forget_old_records())
    if background:
        await runtime.start_background(transport)


class PtbPolling(AtLeastOnce):
    """At-least-once long polling handing each update to PTB's application."""

    def __init__(self, application: PtbApplication, runtime: Runtime, transport: PtbTransport, *,
                 polling_timeout: int = 10, background: bool = True,
                 on_update_done: Callable[[int], None] | None = None) -> None:
        super().__init__(polling_timeout=polling_timeout)
        self.application = application
        self.runtime = runtime
        self.transport = transport
        self.background = background
        self.on_update_done = on_update_done

    async def fetch(self, offset: int | None, long_poll_seconds: int) -> Sequence[tuple[int, Update]]:
        updates = await self.application.bot.get_updates(offset=offset, timeout=long_poll_seconds, read_timeout=30,
                                                         allowed_updates=["message", "callback_query"])
        return [(update.update_id, update) for update in updates]

    async def process(self, update: Update) -> None:
        try:
            await self.application.process_update(update)
        finally:
            if self.on_update_done is not None:
                self.on_update_done(update.update_id)

    async def confirm(self, offset: int) -> None:
        await self.application.bot.get_updates(offset=offset, timeout=0, limit=1)

    async def startup(self) -> None:
        await start(self.application, self.runtime, self.transport, background=self.background)

    async def shutdown(self) -> None:
        try:
            if self.background:
                await self.runtime.stop_background()
        finally:
            await self.application.shutdown()


def build_polling(runtime: Runtime, token: str, **options: Any) -> PtbPolling:
    application = build_application(runtime.settings, token)
    transport = PtbTransport(application.bot, runtime.catalogs)
    register_handlers(application, runtime, transport)
    return PtbPolling(application, runtime, transport, **options)


async def run_polling(runtime: Runtime, token: str) -> None:
    try:
        await build_polling(runtime, token).run(handle_signals=True)
    finally:
        await runtime.close()


def build_webhook_app(runtime: Runtime, application: PtbApplication, transport: PtbTransport) -> web.Application:
    """The webhook at WEBHOOK_URL's path: a request without the secret is refused (401); an update is
    answered only once it is handled (committed), so a crash meanwhile loses nothing."""
    settings = runtime.settings
    secret, path = webhook_secret_and_path(settings)

    async def on_update(request: web.Request) -> web.Response:
        if request.headers.get(SECRET_HEADER) != secret:
            return web.Response(status=401)  # as aiogram answers it
        update = Update.de_json(await request.json(), application.bot)
        await application.process_update(update)
        return web.Response()

    async def on_startup(_app: web.Application) -> None:
        await start(application, runtime, transport)
        await application.bot.set_webhook(settings.webhook_url or "", secret_token=secret,
                                          drop_pending_updates=False)

    async def on_cleanup(_app: web.Application) -> None:
        try:
            await runtime.stop_background()
        finally:
            await application.shutdown()

    app = web.Application()
    app.router.add_post(path, on_update)
    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    return app


async def run_webhook(runtime: Runtime, token: str) -> None:
    settings = runtime.settings
    application = build_application(settings, token)
    transport = PtbTransport(application.bot, runtime.catalogs)
    register_handlers(application, runtime, transport)
    try:
        app = build_webhook_app(runtime, application, transport)
    except WebhookSecretMissing:
        await runtime.close()
        raise
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, settings.webhook_host, settings.webhook_port).start()
    log.info("webhook listening on %s:%s", settings.webhook_host, settings.webhook_port)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        await runtime.close()
