"""Survey campaigns in chat for the customer-service manager: /surveys, and the campaign buttons
(start with a confirmation, view, report)."""

from __future__ import annotations

from dialogs.actions import CampaignPress
from handlers.inbound import ButtonIn, Context, Response
from handlers.router import Router
from services.chats.pressed import used_message
from services.surveys import campaign_chat


async def _surveys(ctx: Context) -> Response:
    return Response([await campaign_chat.campaign_list(ctx.uow, ctx.actor)])


async def _press(ctx: Context, press: CampaignPress, button: ButtonIn) -> Response:
    result = await campaign_chat.press(ctx.uow, ctx.actor, press, ctx.now, label=ctx.label)
    if result.refusal is not None:
        return Response(alert=result.refusal)
    edits = (await used_message(ctx.uow, ctx.actor.chat_id, button.message_id, result.done, result.left)
             if result.used and button.message_id is not None else [])
    return Response(list(result.replies), edits=edits)


def register(router: Router) -> None:
    router.plain_command("surveys", _surveys)
    router.menu_item("surveys", _surveys)
    router.button(CampaignPress, _press)
