"""The end of the message chain: nothing else understood the message."""

from __future__ import annotations

from dialogs.engine import Reply
from dialogs.text import N_, Msg
from handlers.inbound import Context, MessageIn, Response
from handlers.menu import main_menu, welcome
from handlers.router import Router


async def _fallback(ctx: Context, message: MessageIn) -> Response:
    identity = ctx.actor.identity
    if identity.is_owner or identity.is_staff:
        hint = Reply(Msg(N_("Sorry, I did not understand that. Please choose from the menu.")))
        return Response([hint, main_menu(identity)])
    return Response([welcome(identity), main_menu(identity)])


def register(router: Router) -> None:
    router.message(_fallback)
