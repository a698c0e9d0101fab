"""👤 My details and /mydata: what the company holds about the owner (DOMAIN 5.3) — on screen, and
as one file in chat; ``/mydata delete`` and the buttons of a deletion request (the owner's, and
the customer-service manager's decision)."""

from __future__ import annotations

from dialogs.actions import DataRequestPress, MyDataPress
from handlers.conversation import begin
from handlers.inbound import ButtonIn, Context, MessageIn, Response
from handlers.router import Router
from services.care import deletion
from services.care.export import send_my_data
from services.cases.results import ActionResult
from services.chats.pressed import used_message
from services.people.profile import owner_profile


async def _details(ctx: Context) -> Response:
    owner_id = ctx.actor.identity.owner_id
    return Response([await owner_profile(ctx.uow, owner_id)] if owner_id else [])


async def _my_data(ctx: Context, message: MessageIn, args: str) -> Response:
    if args.strip().lower() == "delete":
        return Response([await deletion.ask(ctx.uow, ctx.actor)])
    refusal = await send_my_data(ctx.uow, ctx.actor, ctx.now, ctx.label)
    return Response([refusal] if refusal is not None else [])


async def _answer(ctx: Context, result: ActionResult, button: ButtonIn) -> Response:
    if result.refusal is not None:
        return Response(alert=result.refusal)
    replies = list(result.replies)
    if result.begin is not None:
        replies += await begin(ctx, *result.begin)
    edits = (await used_message(ctx.uow, ctx.actor.chat_id, button.message_id, result.done, result.left)
             if result.used and button.message_id is not None else [])
    return Response(replies, edits=edits)


async def _owner_press(ctx: Context, press: MyDataPress, button: ButtonIn) -> Response:
    return await _answer(ctx, await deletion.owner_press(ctx.uow, ctx.actor, press, ctx.now), button)


async def _manager_press(ctx: Context, press: DataRequestPress, button: ButtonIn) -> Response:
    return await _answer(ctx, await deletion.manager_press(ctx.uow, ctx.actor, press, ctx.now), button)


def register(router: Router) -> None:
    router.menu_item("profile", _details)
    router.command("mydata", _my_data)
    router.button(MyDataPress, _owner_press)
    router.button(DataRequestPress, _manager_press)
