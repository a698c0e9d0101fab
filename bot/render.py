"""Turn locale-free replies into Telegram messages: text, inline and reply keyboards."""

from __future__ import annotations

from collections.abc import Iterable

from aiogram import Bot
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.i18n import Translator
from dialogs.engine import Reply, callback_data
from dialogs.text import N_, Msg

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


def inline_markup(reply: Reply, tr: Translator) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    rows = [
        [
            InlineKeyboardButton(
                text=tr.label(button.label),
                callback_data=callback_data(reply.rev, button.code) if reply.rev is not None else button.code,
            )
            for button in row
        ]
        for row in reply.buttons
        if row
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def contact_keyboard(label: Msg, tr: Translator) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=tr.label(label), request_contact=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


async def send_replies(bot: Bot, chat_id: int, replies: Iterable[Reply], tr: Translator) -> list[Message]:
    """Send each reply; a reply with both a contact button and inline buttons takes two messages
    because a Telegram message carries one keyboard."""
    sent: list[Message] = []
    for reply in replies:
        text = tr.render(reply.text)
        inline = inline_markup(reply, tr)
        if reply.request_contact is not None:
            sent.append(await bot.send_message(chat_id, text, reply_markup=contact_keyboard(reply.request_contact, tr)))
            if inline is not None:
                sent.append(await bot.send_message(chat_id, tr.render(Msg(N_("Or choose:"))), reply_markup=inline))
            continue
        markup: Markup | None = inline
        if markup is None and reply.remove_keyboard:
            markup = ReplyKeyboardRemove()
        sent.append(await bot.send_message(chat_id, text, reply_markup=markup))
    return sent
