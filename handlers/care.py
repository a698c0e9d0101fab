"""Care notices in chat for customer service and the office managers: /care (services/care/care_chat.py)."""

from __future__ import annotations

from handlers.inbound import Context, Response
from handlers.router import Router
from services.care import care_chat


async def _care(ctx: Context) -> Response:
    return Response([await care_chat.care_reply(ctx.uow, ctx.actor, ctx.now)])


def register(router: Router) -> None:
    router.plain_command("care", _care)
    router.menu_item("care", _care)
