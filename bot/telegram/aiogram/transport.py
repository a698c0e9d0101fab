"""The core's ``Transport`` over an aiogram ``Bot``: render for the reader's locale, send, and
map aiogram's exceptions onto RetryAfter / Blocked / Permanent / Transient."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNotFound,
    TelegramRetryAfter,
)
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove

from bot.i18n import Catalogs
from bot.telegram.aiogram.markup import contact_keyboard, inline_markup
from bot.telegram.rendering import Keyboards, as_edit, as_messages
from dialogs.engine import Reply
from services.pushes.transport import (
    Blocked,
    Media,
    Part,
    Permanent,
    RetryAfter,
    Transient,
    Upload,
)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
KEYBOARDS: Keyboards[Markup] = Keyboards(inline_markup, contact_keyboard, ReplyKeyboardRemove)
log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def mapped_errors() -> AsyncIterator[None]:
    try:
        yield
    except TelegramRetryAfter as error:
        raise RetryAfter(error.message, error.retry_after) from error
    except TelegramForbiddenError as error:
        raise Blocked(error.message) from error
    except TelegramMigrateToChat as error:
        raise Permanent(f"chat migrated to {error.migrate_to_chat_id}") from error
    except (TelegramBadRequest, TelegramNotFound, TelegramEntityTooLarge, TelegramConflictError) as error:
        raise Permanent(error.message) from error
    except TelegramAPIError as error:  # 5xx, network errors and timeouts, 401
        raise Transient(f"{type(error).__name__}: {error.message}") from error


class AiogramTransport:
    def __init__(self, bot: Bot, catalogs: Catalogs) -> None:
        self.bot = bot
        self.catalogs = catalogs

    async def send(self, chat_id: int, part: Part, locale: str, *, request_timeout: float | None = None) -> int:
        timeout = int(request_timeout) if request_timeout is not None else None
        if isinstance(part, Media):
            send_media = self.bot.send_photo if part.kind == "photo" else self.bot.send_document
            async with mapped_errors():
                return (await send_media(chat_id, part.file_id, request_timeout=timeout)).message_id
        if isinstance(part, Upload):  # a file the bot made: its bytes go up with the request
            upload = BufferedInputFile(part.data, filename=part.name)
            send_upload = self.bot.send_photo if part.kind == "photo" else self.bot.send_document
            async with mapped_errors():
                return (await send_upload(chat_id, upload, request_timeout=timeout)).message_id
        messages = as_messages(self.catalogs, part, locale, KEYBOARDS)
        sent = 0
        async with mapped_errors():
            for text, markup in messages:
                sent = (await self.bot.send_message(chat_id, text, reply_markup=markup,
                                                    request_timeout=timeout)).message_id
        return sent

    async def clear_buttons(self, chat_id: int, message_id: int) -> None:
        # A message over 48 hours old can no longer be edited: that refusal is no error.
        async with mapped_errors():
            with contextlib.suppress(TelegramBadRequest):
                await self.bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id)

    async def edit(self, chat_id: int, message_id: int, reply: Reply, locale: str) -> None:
        """A message redrawn: its text, and its inline buttons (none: taken away, as Telegram does
        when an edit carries no keyboard). An edit that changes nothing, or of a message over 48
        hours old, is refused by Telegram: no error for the person."""
        text, markup = as_edit(self.catalogs, reply, locale, inline_markup)
        async with mapped_errors():
            with contextlib.suppress(TelegramBadRequest):
                await self.bot.edit_message_text(text=text, chat_id=chat_id, message_id=message_id,
                                                 reply_markup=markup)

    async def delete(self, chat_id: int, message_id: int) -> None:
        """Telegram lets a bot delete its own message for 48 hours; an older one is refused, and
        then only loses its buttons."""
        async with mapped_errors():
            try:
                await self.bot.delete_message(chat_id=chat_id, message_id=message_id)
            except TelegramBadRequest:
                with contextlib.suppress(TelegramBadRequest):
                    await self.bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id)

    async def file_head(self, file_id: str, size: int) -> bytes | None:
        """The file's first bytes, read from the Bot API's file download (stopped after ``size``
        bytes). None for a file the Bot API does not serve (over 20 MB) or any error."""
        try:
            found = await self.bot.get_file(file_id, request_timeout=10)
            if not found.file_path:
                return None
            api = self.bot.session.api
            if api.is_local:  # a local Bot API server hands out paths on this machine
                return await asyncio.to_thread(_read_head, str(api.wrap_local_file.to_local(found.file_path)), size)
            head = b""
            chunks = self.bot.session.stream_content(api.file_url(self.bot.token, found.file_path),
                                                     headers={"Range": f"bytes=0-{size - 1}"}, timeout=10,
                                                     chunk_size=size)
            try:
                async for chunk in chunks:
                    head += chunk
                    if len(head) >= size:
                        break
            finally:
                await chunks.aclose()
            return head[:size]
        except Exception as error:  # best effort: the step then goes by what the message declared
            log.warning("could not read file %s: %r", file_id, error)
            return None

    async def answer_button(self, query_id: str, alert: str | None, locale: str, *, toast: bool = False) -> None:
        """Telegram refuses answers to queries older than ~15 s; the press was handled all the
        same, so that refusal is not an error for the person."""
        text = self.catalogs.get(locale).gettext(alert) if alert is not None else None
        async with mapped_errors():
            with contextlib.suppress(TelegramBadRequest):
                await self.bot.answer_callback_query(query_id, text=text, show_alert=text is not None and not toast)


def _read_head(path: str, size: int) -> bytes:
    with open(path, "rb") as local:
        return local.read(size)
