"""/start, /help, /menu, /cancel, /language, /inbox."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message

from bot.i18n import Translator
from bot.render import send_replies
from dialogs.engine import Button, RepeatEvent, Reply
from dialogs.text import N_, Msg, Plain
from handlers import menus as menu
from services.cases import actions as ticket_actions
from services.chats import conversations
from services.common.actor import Actor
from services.common.clock import Clock
from services.common.locale import LANGUAGE_NAMES
from services.inquiries import log as communication
from services.people import onboarding
from services.people.identity import resolve_identity
from storage.uow import UnitOfWork

LANGUAGE_PREFIX = "l1:"


def language_prompt() -> Reply:
    rows = tuple((Button(Plain(name), LANGUAGE_PREFIX + code),) for code, name in LANGUAGE_NAMES.items())
    return Reply(Msg(N_("Choose your language:")), rows)


def build_router() -> Router:
    router = Router(name="commands")
    router.message.register(start, CommandStart())
    router.message.register(help_command, Command("help"))
    router.message.register(menu_command, Command("menu"))
    router.message.register(cancel, Command("cancel"))
    router.message.register(language, Command("language"))
    router.message.register(inbox, Command("inbox"))
    router.message.register(my_cases, Command("my"))
    router.message.register(queue, Command("queue"))
    return router


async def start(
    message: Message, command: CommandObject, bot: Bot, uow: UnitOfWork, actor: Actor, tr: Translator, clock: Clock
) -> None:
    now = clock.now()
    if command.args:  # t.me/<bot>?start=<invitation code>
        outcome = await onboarding.redeem_code(
            uow, code=command.args, user_id=actor.identity.user_id, chat_id=actor.chat_id, locale=actor.locale, now=now
        )
        await uow.commit()
        identity = await resolve_identity(uow, actor.identity.user_id)
        await send_replies(bot, actor.chat_id, [onboarding.bind_reply(outcome), menu.main_menu(identity)], tr)
        return
    replies = [menu.welcome(actor.identity)]
    turn = await conversations.handle_event(uow, actor, RepeatEvent(), now)
    replies.extend(turn.replies if turn else [menu.main_menu(actor.identity)])
    await send_replies(bot, actor.chat_id, replies, tr)


async def help_command(message: Message, bot: Bot, actor: Actor, tr: Translator) -> None:
    await send_replies(bot, actor.chat_id, [menu.help_text(actor.identity)], tr)


async def menu_command(message: Message, bot: Bot, actor: Actor, tr: Translator) -> None:
    await send_replies(bot, actor.chat_id, [menu.main_menu(actor.identity)], tr)


async def cancel(message: Message, bot: Bot, uow: UnitOfWork, actor: Actor, tr: Translator, clock: Clock) -> None:
    had_dialog = await conversations.abandon(uow, actor.chat_id, clock.now())
    await uow.commit()
    text = N_("Cancelled. Nothing was saved.") if had_dialog else N_("There is nothing to cancel.")
    await send_replies(bot, actor.chat_id, [Reply(Msg(text), remove_keyboard=True)], tr)


async def language(message: Message, bot: Bot, actor: Actor, tr: Translator) -> None:
    await send_replies(bot, actor.chat_id, [language_prompt()], tr)


async def inbox(message: Message, bot: Bot, uow: UnitOfWork, actor: Actor, tr: Translator) -> None:
    await send_replies(bot, actor.chat_id, [await communication.inbox(uow, actor)], tr)


async def my_cases(message: Message, bot: Bot, uow: UnitOfWork, actor: Actor, tr: Translator) -> None:
    await send_replies(bot, actor.chat_id, [await ticket_actions.my_cases(uow, actor)], tr)


async def queue(message: Message, bot: Bot, uow: UnitOfWork, actor: Actor, tr: Translator) -> None:
    await send_replies(bot, actor.chat_id, [await ticket_actions.queue(uow, actor)], tr)
