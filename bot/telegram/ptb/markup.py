"""Locale-free replies as python-telegram-bot keyboards: inline buttons and the contact keyboard."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.i18n import Translator
from dialogs.actions import DialogPress, encode
from dialogs.engine import Reply
from dialogs.text import Msg


def inline_markup(reply: Reply, tr: Translator) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    # With a revision, the buttons belong to the dialog in progress; else the code is the data.
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(tr.label(button.label),
                              callback_data=encode(DialogPress(reply.rev, button.code)) if reply.rev is not None
                              else button.code)
         for button in row]
        for row in reply.buttons if row
    ])


def contact_keyboard(label: Msg, tr: Translator) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup([[KeyboardButton(tr.label(label), request_contact=True)]], resize_keyboard=True,
                               one_time_keyboard=True)
