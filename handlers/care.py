"""Care notices in chat for customer service and the office managers: /care (services/care/care_chat.py)."""

from __future__ import annotations

from handlers.inbound import Context, MessageIn, Response
from handlers.router import Router
from services.care import care_chat


async def _care(ctx: Context) -> Response:
    return Response([await care_chat.care_reply(ctx.uow, ctx.actor, ctx.now)])


async def _care_command(ctx: Context, message: MessageIn, args: str) -> Response | None:
    if not ctx.actor.identity.is_staff:
        return None  # owners are not told about staff workflow: an unknown command to them
    return await _care(ctx)


def register(router: Router) -> None:
    router.command("care", _care_command)
    router.menu_item("care", _care)
