"""The monthly complaint summary's approval in chat (services/reports/monthly.py): the approver's
✔ / ↩ on his card, customer service's ↻ on a sent-back summary."""

from __future__ import annotations

from dialogs.actions import ReportApprovalPress
from handlers.conversation import begin
from handlers.inbound import ButtonIn, Context, Response
from handlers.router import Router
from services.chats.pressed import used_message
from services.reports import monthly
from services.reports.monthly_card import RESUBMIT


async def _press(ctx: Context, press: ReportApprovalPress, button: ButtonIn) -> Response:
    use_case = monthly.resubmit_press if press.action == RESUBMIT else monthly.approver_press
    result = await use_case(ctx.uow, ctx.actor, press, ctx.now, card=button.message_id)
    if result.refusal is not None:
        return Response(alert=result.refusal)
    replies = list(result.replies)
    if result.begin is not None:
        replies += await begin(ctx, *result.begin)
    edits = (await used_message(ctx.uow, ctx.actor.chat_id, button.message_id, result.done, result.left)
             if result.used and button.message_id is not None else [])
    return Response(replies, edits=edits + result.edits)


def register(router: Router) -> None:
    router.button(ReportApprovalPress, _press)
