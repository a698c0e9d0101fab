"""Plain messages: the dialog in progress first, then contact sharing, then a helpful fallback."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import Message

from bot.i18n import Translator
from bot.render import send_replies
from dialogs.engine import Reply
from dialogs.text import N_, Msg
from handlers import menus as menu
from handlers.common import message_event
from services.cases import actions as ticket_actions
from services.chats import conversations
from services.common.actor import Actor
from services.common.clock import Clock
from services.people import onboarding
from services.people.identity import resolve_identity
from storage.uow import UnitOfWork


def build_router() -> Router:
    router = Router(name="messages")
    router.message.register(any_message)
    return router


async def any_message(
    message: Message, bot: Bot, uow: UnitOfWork, actor: Actor, tr: Translator, clock: Clock
) -> None:
    now = clock.now()
    turn = await conversations.handle_event(uow, actor, message_event(message), now)
    if turn is not None:
        await send_replies(bot, actor.chat_id, turn.replies, tr)
        return
    if message.contact is not None and message.from_user is not None:
        outcome = await onboarding.bind_by_contact(
            uow,
            user_id=message.from_user.id,
            chat_id=actor.chat_id,
            contact_phone=message.contact.phone_number,
            contact_user_id=message.contact.user_id,
            locale=actor.locale,
            now=now,
        )
        await uow.commit()
        identity = await resolve_identity(uow, message.from_user.id)
        await send_replies(bot, actor.chat_id, [onboarding.bind_reply(outcome), menu.main_menu(identity)], tr)
        return
    if message.text and actor.identity.is_owner:
        found = await ticket_actions.find_own_case(uow, actor, message.text)
        if found is not None:
            await send_replies(bot, actor.chat_id, [found], tr)
            return
    if actor.identity.is_owner or actor.identity.is_staff:
        hint = Reply(Msg(N_("Sorry, I did not understand that. Please choose from the menu.")))
        await send_replies(bot, actor.chat_id, [hint, menu.main_menu(actor.identity)], tr)
        return
    await send_replies(bot, actor.chat_id, [menu.welcome(actor.identity), menu.main_menu(actor.identity)], tr)
