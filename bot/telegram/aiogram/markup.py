"""Locale-free replies as Telegram keyboards: inline buttons and the contact-sharing keyboard."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.i18n import Translator
from dialogs.actions import DialogPress, encode
from dialogs.engine import Reply
from dialogs.text import Msg


def inline_markup(reply: Reply, tr: Translator) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    rows = [
        [
            InlineKeyboardButton(
                text=tr.label(button.label),
                # With a revision, the buttons belong to the dialog in progress; else the code is the data.
                callback_data=encode(DialogPress(reply.rev, button.code)) if reply.rev is not None else button.code,
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
