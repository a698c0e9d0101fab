"""《与顾客沟通登记表》 in chat: leaving a message from the menu, /inbox, and customer service's reply."""

from __future__ import annotations

from dialogs.actions import ReplyPress
from handlers import conversation
from handlers.inbound import ButtonIn, Context, Response
from handlers.router import Router
from services.inquiries import log


async def _leave_message(ctx: Context) -> Response:
    return Response(await conversation.begin(ctx, "inquiry", {"known": ctx.actor.identity.is_owner}))


async def _inbox(ctx: Context, offset: int = 0) -> Response:
    return Response([await log.inbox(ctx.uow, ctx.actor, offset)])


async def _reply(ctx: Context, press: ReplyPress, button: ButtonIn) -> Response:
    target = await log.begin_reply(ctx.uow, ctx.actor, press.entry)
    if isinstance(target, str):
        return Response(alert=target)
    card, dialog, context = target
    return Response([card, *await conversation.begin(ctx, dialog, context)])


def register(router: Router) -> None:
    router.plain_command("inbox", _inbox)
    router.button(ReplyPress, _reply)
    router.menu_item("inquiry", _leave_message)
    router.menu_item("inbox", _inbox)
    router.page("inbox", _inbox)
