"""The core's ``Transport`` over a python-telegram-bot ``Bot``: render for the reader's locale, send,
and map PTB's exceptions onto RetryAfter / Blocked / Permanent / Transient."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
from telegram import Bot, InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove
from telegram import error as tg
from telegram.request import BaseRequest

from bot.i18n import Catalogs
from bot.telegram.ptb.markup import contact_keyboard, inline_markup
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


def _seconds(value: int | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


@contextlib.asynccontextmanager
async def mapped_errors() -> AsyncIterator[None]:
    try:
        yield
    except tg.RetryAfter as error:
        raise RetryAfter(error.message, _seconds(error.retry_after)) from error
    except tg.Forbidden as error:
        raise Blocked(error.message) from error
    except tg.ChatMigrated as error:
        raise Permanent(f"chat migrated to {error.new_chat_id}") from error
    except (tg.BadRequest, tg.Conflict, tg.InvalidToken, tg.EndPointNotFound) as error:  # BadRequest first:
        raise Permanent(error.message) from error  # it is a NetworkError too
    except (tg.TimedOut, tg.NetworkError) as error:
        raise Transient(f"{type(error).__name__}: {error.message}") from error
    except tg.TelegramError as error:  # 5xx and the rest
        raise Transient(f"{type(error).__name__}: {error.message}") from error


class PtbTransport:
    def __init__(self, bot: Bot, catalogs: Catalogs) -> None:
        self.bot = bot
        self.catalogs = catalogs

    async def send(self, chat_id: int, part: Part, locale: str, *, request_timeout: float | None = None) -> int:
        # No timeout given: the request's defaults (PTB's DEFAULT_NONE), not "wait for ever" (None).
        timeout = request_timeout if request_timeout is not None else BaseRequest.DEFAULT_NONE
        async with mapped_errors():
            if isinstance(part, Media | Upload):
                # A file already on Telegram goes by its id; a file the bot made goes up with the request.
                content: str | bytes = part.file_id if isinstance(part, Media) else part.data
                name = part.name if isinstance(part, Upload) else None
                if part.kind == "photo":
                    return (await self.bot.send_photo(chat_id, content, filename=name, read_timeout=timeout,
                                                      write_timeout=timeout)).message_id
                return (await self.bot.send_document(chat_id, content, filename=name, read_timeout=timeout,
                                                     write_timeout=timeout)).message_id
            sent = 0
            for text, markup in as_messages(self.catalogs, part, locale, KEYBOARDS):
                sent = (await self.bot.send_message(chat_id, text, reply_markup=markup, read_timeout=timeout,
                                                    write_timeout=timeout)).message_id
            return sent

    async def clear_buttons(self, chat_id: int, message_id: int) -> None:
        # A message over 48 hours old can no longer be edited: that refusal is no error.
        async with mapped_errors():
            with contextlib.suppress(tg.BadRequest):
                await self.bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id)

    async def edit(self, chat_id: int, message_id: int, reply: Reply, locale: str) -> None:
        """A message redrawn (see AiogramTransport.edit): an edit that changes nothing, or of an old
        message, is refused by Telegram and is no error for the person."""
        text, markup = as_edit(self.catalogs, reply, locale, inline_markup)
        async with mapped_errors():
            with contextlib.suppress(tg.BadRequest):
                await self.bot.edit_message_text(text, chat_id=chat_id, message_id=message_id, reply_markup=markup)

    async def delete(self, chat_id: int, message_id: int) -> None:
        """Deleted within 48 hours; an older message only loses its buttons."""
        async with mapped_errors():
            try:
                await self.bot.delete_message(chat_id=chat_id, message_id=message_id)
            except tg.BadRequest:
                with contextlib.suppress(tg.BadRequest):
                    await self.bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id)

    async def file_head(self, file_id: str, size: int) -> bytes | None:
        """The file's first bytes from the Bot API's file download (a Range request); None for a
        file the Bot API does not serve (over 20 MB) or any error."""
        try:
            found = await self.bot.get_file(file_id, read_timeout=10)
            if not found.file_path:
                return None
            timeout = aiohttp.ClientTimeout(total=10)
            async with aiohttp.ClientSession(timeout=timeout) as http, \
                    http.get(found.file_path, headers={"Range": f"bytes=0-{size - 1}"}) as response:
                response.raise_for_status()
                return (await response.content.read(size))[:size]
        except Exception as error:  # best effort: the step then goes by what the message declared
            log.warning("could not read file %s: %r", file_id, error)
            return None

    async def answer_button(self, query_id: str, alert: str | None, locale: str, *, toast: bool = False) -> None:
        """An answer to a query older than ~15 s is refused; the press was handled all the same."""
        text = self.catalogs.get(locale).gettext(alert) if alert is not None else None
        async with mapped_errors():
            with contextlib.suppress(tg.BadRequest):
                await self.bot.answer_callback_query(query_id, text=text, show_alert=text is not None and not toast)
