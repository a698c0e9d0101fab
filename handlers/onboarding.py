"""/start and linking a chat account to the roster: by the owner's own phone contact, a typed
invitation code, or a deep link ``t.me/<bot>?start=<code>``."""

from __future__ import annotations

from dialogs.engine import Reply
from handlers import conversation
from handlers.inbound import Context, MessageIn, Response
from handlers.menu import contact_request, menu_for, welcome
from handlers.router import Router
from services.care import consent
from services.people import onboarding
from services.people.identity import Identity, Kind, resolve_identity


async def _start(ctx: Context, message: MessageIn, args: str) -> Response:
    actor = ctx.actor
    if args:  # t.me/<bot>?start=<invitation code>
        outcome = await onboarding.redeem_code(
            ctx.uow, code=args, user_id=actor.identity.user_id, chat_id=actor.chat_id, locale=actor.locale,
            now=ctx.now,
        )
        identity = await resolve_identity(ctx.uow, actor.identity.user_id)
        return Response([onboarding.bind_reply(outcome), *await _linked(ctx, identity)])
    replies = [welcome(actor.identity)]
    replies.extend(await conversation.repeat(ctx) or [await menu_for(ctx)])
    return Response(replies)


async def _contact(ctx: Context, message: MessageIn) -> Response | None:
    """A shared contact outside a dialog: link the account by it."""
    if message.kind != "contact" or message.contact_phone is None:
        return None
    actor = ctx.actor
    outcome = await onboarding.bind_by_contact(
        ctx.uow, user_id=actor.identity.user_id, chat_id=actor.chat_id, contact_phone=message.contact_phone,
        contact_user_id=message.contact_user_id, locale=actor.locale, now=ctx.now,
    )
    identity = await resolve_identity(ctx.uow, actor.identity.user_id)
    return Response([onboarding.bind_reply(outcome), *await _linked(ctx, identity)])


async def _linked(ctx: Context, identity: Identity | None) -> list[Reply]:
    """After a link attempt: an owner just linked is told what he agreed to on paper and asked the
    consents he has not decided, one kind at a time (DOMAIN 4.6); the menu then comes after his last
    answer (handlers/consent.py), not between two questions. Otherwise the menu now."""
    if identity is None or identity.kind is not Kind.OWNER or identity.owner_id is None:
        return [await menu_for(ctx, identity)]
    told = await consent.after_binding(ctx.uow, identity.owner_id)
    if await consent.next_question(ctx.uow, identity.owner_id) is not None:
        return told
    return [*told, await menu_for(ctx, identity)]


async def _code(ctx: Context) -> Response:
    return Response(await conversation.begin(ctx, "invitation", {}))


async def _share_contact(ctx: Context) -> Response:
    return Response([contact_request()])


def register(router: Router) -> None:
    router.command("start", _start)
    router.message(_contact)
    router.menu_item("code", _code)
    router.menu_item("contact", _share_contact)
