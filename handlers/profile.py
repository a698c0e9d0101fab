"""👤 My details: what the company holds about the owner (DOMAIN 5.3)."""

from __future__ import annotations

from handlers.inbound import Context, Response
from handlers.router import Router
from services.people.profile import owner_profile


async def _details(ctx: Context) -> Response:
    owner_id = ctx.actor.identity.owner_id
    return Response([await owner_profile(ctx.uow, owner_id)] if owner_id else [])


def register(router: Router) -> None:
    router.menu_item("profile", _details)
