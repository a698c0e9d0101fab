"""/language and the language buttons: the choice is kept for the chat and on the roster record."""

from __future__ import annotations

from dialogs.actions import LanguagePress, encode
from dialogs.engine import Button, Reply
from dialogs.text import N_, Msg, Plain
from handlers.inbound import ButtonIn, Context, Response
from handlers.router import NOT_VALID, Router
from services.chats.pressed import used_message
from services.common.locale import LANGUAGE_NAMES
from services.people import preferences


def language_prompt() -> Reply:
    rows = tuple((Button(Plain(name), encode(LanguagePress(code))),) for code, name in LANGUAGE_NAMES.items())
    return Reply(Msg(N_("Choose your language:")), rows)


async def _prompt(ctx: Context) -> Response:
    return Response([language_prompt()])


async def _choose(ctx: Context, press: LanguagePress, button: ButtonIn) -> Response:
    if not await preferences.set_locale(ctx.uow, ctx.actor, press.locale, ctx.now):
        return Response(alert=NOT_VALID)
    reply = Reply(Msg(N_("Language set: {language}."), {"language": LANGUAGE_NAMES[press.locale]}))
    # The picker shows the choice and loses its buttons (redrawn in the language just chosen).
    chosen = Msg(N_("Your answer: {answer}"), {"answer": Plain(LANGUAGE_NAMES[press.locale])})
    edits = await used_message(ctx.uow, ctx.actor.chat_id, button.message_id, chosen) if button.message_id else []
    return Response([reply], locale=press.locale, edits=edits)


def register(router: Router) -> None:
    router.plain_command("language", _prompt)
    router.button(LanguagePress, _choose)
    router.menu_item("lang", _prompt)
