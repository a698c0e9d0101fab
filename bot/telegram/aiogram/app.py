"""The aiogram adapter's dispatcher, polling and webhook. Its two handlers only translate: a
message or a button press becomes a plain ``Inbound`` event for the chat core's pipeline, which
answers through ``AiogramTransport``."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    DeleteWebhook,
    EditMessageReplyMarkup,
    EditMessageText,
    GetFile,
    GetMe,
    GetUpdates,
    Response,
    SendDocument,
    SendMessage,
    SendPhoto,
    SetMyCommands,
    SetWebhook,
)
from aiogram.types import BotCommand, CallbackQuery, Message, TelegramObject, Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.runtime import Runtime
from bot.settings import Settings
from bot.telegram.aiogram.polling import AtLeastOncePolling
from bot.telegram.aiogram.transport import AiogramTransport
from bot.telegram.common import COMMANDS, WebhookSecretMissing, webhook_secret_and_path
from handlers.inbound import ButtonIn, Inbound, MessageIn, Sender

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UpdateDoneMiddleware(BaseMiddleware):
    """Tells an observer (tests, benchmarks) when an update has been fully handled."""

    def __init__(self, callback: Callable[[int], None]) -> None:
        self._callback = callback

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        try:
            return await handler(event, data)
        finally:
            if isinstance(event, Update):
                self._callback(event.update_id)


# aiogram parses every answer as ``Response[<the method's result type>]``, a pydantic generic model
# that pydantic caches only weakly: once the garbage collector frees it, the next call builds the
# model again (milliseconds each; a fifth of a step's time under load). Holding the models of the
# methods this bot calls keeps them built.
_RESPONSE_MODELS: tuple[type, ...] = tuple(
    Response[method.__returning__]  # type: ignore[name-defined]
    for method in (GetUpdates, SendMessage, SendPhoto, SendDocument, EditMessageText, EditMessageReplyMarkup,
                   AnswerCallbackQuery, DeleteMessage, SetMyCommands, SetWebhook, DeleteWebhook, GetMe, GetFile)
)


def build_bot(settings: Settings, token: str) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
    return Bot(
        token=token,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


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
    return MessageIn(str(message.content_type))


def _sender(user: Any) -> Sender | None:
    return Sender(user.id, user.language_code) if user is not None else None


def build_dispatcher(runtime: Runtime, on_update_done: Callable[[int], None] | None = None) -> Dispatcher:
    # No FSM at all: conversation state lives in our database, never in aiogram's in-memory storage.
    dispatcher = Dispatcher(disable_fsm=True, runtime=runtime)
    if on_update_done is not None:
        dispatcher.update.outer_middleware(UpdateDoneMiddleware(on_update_done))
    transports: dict[int, AiogramTransport] = {}

    def transport(bot: Bot) -> AiogramTransport:
        if bot.id not in transports:
            transports[bot.id] = AiogramTransport(bot, runtime.catalogs)
        return transports[bot.id]

    async def on_message(message: Message, bot: Bot, event_update: Update) -> None:
        inbound = Inbound(event_update.update_id, message.chat.id, _sender(message.from_user),
                          message=message_in(message), private=message.chat.type == "private")
        await runtime.pipeline.handle(inbound, transport(bot))

    async def on_button(query: CallbackQuery, bot: Bot, event_update: Update) -> None:
        # A button under an inline-mode message has no chat: it can only be the presser's own.
        chat = query.message.chat if query.message is not None else None
        chat_id = chat.id if chat is not None else query.from_user.id
        message_id = query.message.message_id if query.message is not None else None
        inbound = Inbound(event_update.update_id, chat_id, _sender(query.from_user),
                          button=ButtonIn(query.id, query.data, message_id),
                          private=chat is None or chat.type == "private")
        await runtime.pipeline.handle(inbound, transport(bot))

    async def on_startup(bot: Bot) -> None:
        for language_code, locale in ((None, runtime.settings.default_locale), ("en", "en")):
            tr = runtime.catalogs.get(locale)
            commands = [BotCommand(command=name, description=tr.gettext(text)) for name, text in COMMANDS]
            await bot.set_my_commands(commands, language_code=language_code)
        log.info("forgot %d old update ids", await runtime.forget_old_records())
        # The drain and the planner run beside polling or the webhook and stop before the bot's session closes.
        await runtime.start_background(transport(bot))

    async def on_shutdown() -> None:
        await runtime.stop_background()

    router = Router(name="core")
    router.message.register(on_message)
    router.callback_query.register(on_button)
    dispatcher.include_router(router)
    dispatcher.startup.register(on_startup)
    dispatcher.shutdown.register(on_shutdown)
    return dispatcher


async def run_polling(runtime: Runtime, token: str) -> None:
    bot = build_bot(runtime.settings, token)
    dispatcher = build_dispatcher(runtime)
    try:
        await AtLeastOncePolling(dispatcher, bot).run(handle_signals=True)
    finally:
        await runtime.close()


def build_webhook_app(runtime: Runtime, bot: Bot, dispatcher: Dispatcher) -> web.Application:
    """aiogram's webhook handler at WEBHOOK_URL's path; requests without the secret are refused.

    Without a secret anyone who finds the URL could post updates as any owner or staff member, so
    webhook mode does not start without one (``WebhookSecretMissing``)."""
    settings = runtime.settings
    secret, path = webhook_secret_and_path(settings)

    async def on_startup(bot: Bot) -> None:
        await bot.set_webhook(settings.webhook_url or "", secret_token=secret, drop_pending_updates=False)

    dispatcher.startup.register(on_startup)
    app = web.Application()
    # Answer Telegram only once the update is handled (committed): a 2xx before that would lose
    # the update if the process died meanwhile (aiogram answers first by default).
    SimpleRequestHandler(dispatcher=dispatcher, bot=bot, secret_token=secret,
                         handle_in_background=False).register(app, path=path)
    setup_application(app, dispatcher, bot=bot)
    return app


async def run_webhook(runtime: Runtime, token: str) -> None:
    settings = runtime.settings
    bot = build_bot(settings, token)
    try:
        app = build_webhook_app(runtime, bot, build_dispatcher(runtime))
    except WebhookSecretMissing:
        await bot.session.close()
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
