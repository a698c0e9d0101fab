"""The end of the message chain: nothing else understood the message."""

from __future__ import annotations

from dialogs.engine import Reply
from dialogs.text import N_, Msg
from handlers.inbound import Context, MessageIn, Response
from handlers.menu import menu_for, welcome
from handlers.router import Router


async def _fallback(ctx: Context, message: MessageIn) -> Response:
    identity = ctx.actor.identity
    if identity.is_owner or identity.is_staff:
        hint = Reply(Msg(N_("Sorry, I did not understand that. Please choose from the menu.")))
        return Response([hint, await menu_for(ctx)])
    return Response([welcome(identity), await menu_for(ctx)])


def register(router: Router) -> None:
    router.message(_fallback)
