"""Inline button presses. Callback data is never trusted: each press is checked against the
database and the presser's identity, and a forged or stale one changes nothing."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message

from bot.i18n import Catalogs, Translator
from bot.render import send_replies
from dialogs.engine import Reply, parse_callback_data
from dialogs.text import N_, Msg
from handlers import menus as menu
from handlers.commands import LANGUAGE_PREFIX, language_prompt
from services.cases import actions as ticket_actions
from services.cases import tickets
from services.chats import conversations
from services.common.actor import Actor
from services.common.clock import Clock
from services.common.locale import LANGUAGE_NAMES
from services.inquiries import log as communication
from services.people import preferences, profile
from storage.uow import UnitOfWork


def build_router() -> Router:
    router = Router(name="buttons")
    router.callback_query.register(choose_language, F.data.startswith(LANGUAGE_PREFIX))
    router.callback_query.register(menu_item, F.data.startswith(menu.MENU_PREFIX))
    router.callback_query.register(dialog_button, F.data.startswith("d1:"))
    router.callback_query.register(staff_ticket_button, F.data.startswith(tickets.STAFF_PREFIX))
    router.callback_query.register(reply_button, F.data.startswith(communication.REPLY_PREFIX))
    router.callback_query.register(owner_ticket_button, F.data.startswith(tickets.OWNER_PREFIX))
    router.callback_query.register(unknown_button)
    return router


async def _answer(query: CallbackQuery, text: str | None = None) -> None:
    """Stop the button's spinner. Telegram refuses answers to queries older than ~15 s; the
    press was handled all the same, so that refusal is not an error for the person."""
    with contextlib.suppress(TelegramBadRequest):
        await query.answer(text, show_alert=text is not None)


async def _refuse(query: CallbackQuery, tr: Translator, text: str) -> None:
    await _answer(query, tr.gettext(text))


async def choose_language(
    query: CallbackQuery, bot: Bot, uow: UnitOfWork, actor: Actor, clock: Clock, catalogs: Catalogs
) -> None:
    code = (query.data or "")[len(LANGUAGE_PREFIX) :]
    if not await preferences.set_locale(uow, actor, code, clock.now()):
        await _refuse(query, catalogs.get(actor.locale), N_("This button is not valid."))
        return
    await uow.commit()
    tr = catalogs.get(code)
    await _answer(query)
    reply = Reply(Msg(N_("Language set: {language}."), {"language": LANGUAGE_NAMES[code]}))
    await send_replies(bot, actor.chat_id, [reply], tr)


async def menu_item(
    query: CallbackQuery, bot: Bot, uow: UnitOfWork, actor: Actor, tr: Translator, clock: Clock
) -> None:
    item = menu.parse_menu_data(query.data or "")
    allowed = {code for code, _label in menu.menu_items(actor.identity)}
    if item not in allowed:
        await _refuse(query, tr, N_("This option is not available to you."))
        return
    await _answer(query)
    now = clock.now()
    replies: list[Reply]
    if item == "inquiry":
        replies = (await conversations.begin(uow, actor, "inquiry", {"known": actor.identity.is_owner}, now)).replies
    elif item == "complaint" and actor.identity.owner_id:
        context = await tickets.complaint_context(uow, actor.identity.owner_id)
        replies = (await conversations.begin(uow, actor, "complaint", context, now)).replies
    elif item == "repair" and actor.identity.owner_id:
        context = await tickets.complaint_context(uow, actor.identity.owner_id)
        replies = (await conversations.begin(uow, actor, "repair", context, now)).replies
    elif item == "my":
        replies = [await ticket_actions.my_cases(uow, actor)]
    elif item == "queue":
        replies = [await ticket_actions.queue(uow, actor)]
    elif item == "code":
        replies = (await conversations.begin(uow, actor, "invitation", {}, now)).replies
    elif item == "profile" and actor.identity.owner_id:
        replies = [await profile.owner_profile(uow, actor.identity.owner_id)]
    elif item == "inbox":
        replies = [await communication.inbox(uow, actor)]
    elif item == "contact":
        replies = [menu.contact_request()]
    else:
        replies = [language_prompt()]
    await send_replies(bot, actor.chat_id, replies, tr)


async def dialog_button(
    query: CallbackQuery, bot: Bot, uow: UnitOfWork, actor: Actor, tr: Translator, clock: Clock
) -> None:
    event = parse_callback_data(query.data or "")
    if event is None:
        await _refuse(query, tr, N_("This button is not valid."))
        return
    turn = await conversations.handle_event(uow, actor, event, clock.now())
    if turn is None:
        await _refuse(query, tr, N_("This button is no longer valid."))
        return
    await _answer(query)
    if turn.moved and isinstance(query.message, Message):
        # The question was answered: take its buttons away so they cannot be pressed twice.
        # Best effort: a message over 48 hours old can no longer be edited.
        with contextlib.suppress(TelegramBadRequest):
            await bot.edit_message_reply_markup(chat_id=actor.chat_id, message_id=query.message.message_id)
    await send_replies(bot, actor.chat_id, turn.replies, tr)


async def staff_ticket_button(
    query: CallbackQuery, bot: Bot, uow: UnitOfWork, actor: Actor, tr: Translator, clock: Clock
) -> None:
    await _ticket_button(query, bot, uow, actor, tr, clock, ticket_actions.staff_press)


async def owner_ticket_button(
    query: CallbackQuery, bot: Bot, uow: UnitOfWork, actor: Actor, tr: Translator, clock: Clock
) -> None:
    await _ticket_button(query, bot, uow, actor, tr, clock, ticket_actions.owner_press)


async def _ticket_button(
    query: CallbackQuery, bot: Bot, uow: UnitOfWork, actor: Actor, tr: Translator, clock: Clock,
    press: Callable[[UnitOfWork, Actor, str, datetime], Awaitable[ticket_actions.ActionResult]],
) -> None:
    now = clock.now()
    result = await press(uow, actor, query.data or "", now)
    if result.refusal is not None:
        await _refuse(query, tr, result.refusal)
        return
    replies = list(result.replies)
    if result.begin is not None:
        name, context = result.begin
        replies.extend((await conversations.begin(uow, actor, name, context, now)).replies)
    await uow.commit()
    await _answer(query)
    await send_replies(bot, actor.chat_id, replies, tr)


async def reply_button(
    query: CallbackQuery, bot: Bot, uow: UnitOfWork, actor: Actor, tr: Translator, clock: Clock
) -> None:
    target = await communication.begin_reply(uow, actor, query.data or "")
    if isinstance(target, str):
        await _refuse(query, tr, target)
        return
    turn = await conversations.begin(uow, actor, target[0], target[1], clock.now())
    await _answer(query)
    await send_replies(bot, actor.chat_id, turn.replies, tr)


async def unknown_button(query: CallbackQuery, tr: Translator) -> None:
    await _refuse(query, tr, N_("This button is not valid."))
