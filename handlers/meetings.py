"""Owner meeting notices in chat: ``/meeting`` (customer service drafts one), the drafter's buttons
(submit, edit, discard) and the office manager's (approve, send back)."""

from __future__ import annotations

from dialogs.actions import MeetingApprovalPress, MeetingDraftPress
from handlers.conversation import begin
from handlers.inbound import ButtonIn, Context, MessageIn, Response
from handlers.router import Router
from services.care import meeting_approval, meetings
from services.care.meetings import PressResult
from services.chats.pressed import used_message


async def _answer(ctx: Context, result: PressResult, button: ButtonIn | None = None) -> Response:
    if result.refusal is not None:
        return Response(alert=result.refusal)
    replies = list(result.replies)
    if result.begin is not None:
        replies += await begin(ctx, *result.begin, answers=result.answers or None)
    edits = (await used_message(ctx.uow, ctx.actor.chat_id, button.message_id, result.done, result.left)
             if button is not None and result.used and button.message_id is not None else [])
    edits += result.edits
    return Response(replies, edits=edits)


async def draft(ctx: Context) -> Response:
    """Start drafting an owner meeting notice (``/meeting``; the /care card's 📝 button)."""
    return await _answer(ctx, await meetings.start(ctx.uow, ctx.actor, ctx.now))


async def _meeting(ctx: Context, message: MessageIn, args: str) -> Response | None:
    if not ctx.actor.identity.is_staff:
        return None  # owners are not told about staff workflow: an unknown command to them
    return await draft(ctx)


async def _drafter_press(ctx: Context, press: MeetingDraftPress, button: ButtonIn) -> Response:
    result = await meetings.drafter_press(ctx.uow, ctx.actor, press, ctx.now, card=button.message_id)
    return await _answer(ctx, result, button)


async def _approver_press(ctx: Context, press: MeetingApprovalPress, button: ButtonIn) -> Response:
    result = await meeting_approval.approver_press(ctx.uow, ctx.actor, press, ctx.now, card=button.message_id)
    return await _answer(ctx, result, button)


def register(router: Router) -> None:
    router.command("meeting", _meeting)
    router.button(MeetingDraftPress, _drafter_press)
    router.button(MeetingApprovalPress, _approver_press)
