"""👤 My details and /mydata: what the company holds about the owner (DOMAIN 5.3) — on screen, and
as one file in chat."""

from __future__ import annotations

from handlers.inbound import Context, Response
from handlers.router import Router
from services.care.export import send_my_data
from services.people.profile import owner_profile


async def _details(ctx: Context) -> Response:
    owner_id = ctx.actor.identity.owner_id
    return Response([await owner_profile(ctx.uow, owner_id)] if owner_id else [])


async def _my_data(ctx: Context) -> Response:
    refusal = await send_my_data(ctx.uow, ctx.actor, ctx.now, ctx.label)
    return Response([refusal] if refusal is not None else [])


def register(router: Router) -> None:
    router.menu_item("profile", _details)
    router.plain_command("mydata", _my_data)
