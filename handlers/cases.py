"""Cases in chat: /my and /queue, the owners' and staff's buttons on a case, filing from the
menu, and a typed case number. What each press may do is decided by the case's kind."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from dialogs.actions import Action, FollowUpPress, OwnerCasePress, StaffCasePress, TopicPress
from dialogs.engine import Reply
from handlers import conversation
from handlers.inbound import ButtonIn, Context, MessageIn, Response
from handlers.router import NOT_VALID, Router
from services.cases import lookup, owner_actions, staff_actions
from services.cases.kinds import registered_kinds
from services.cases.results import ActionResult
from services.cases.units import filing_context
from services.chats.pressed import PRESSED_CARD, used_message
from services.common.actor import Actor
from services.pushes.transport import Edit
from services.surveys import follow_up as survey_follow_up
from services.surveys import topics as survey_topics
from storage.uow import UnitOfWork

P = TypeVar("P", bound=Action)


def _pressed(
    press_case: Callable[[UnitOfWork, Actor, P, datetime], Awaitable[ActionResult]], *, staff_card: bool = False,
) -> Callable[[Context, P, ButtonIn], Awaitable[Response]]:
    """``staff_card``: a dialog begun from the card drops the card's buttons once it completes."""
    async def handle(ctx: Context, press: P, button: ButtonIn) -> Response:
        result = await press_case(ctx.uow, ctx.actor, press, ctx.now)
        if result.refusal is not None:
            return Response(alert=result.refusal)
        replies = list(result.replies)
        if result.begin is not None:
            name, context = result.begin
            if staff_card and not result.used and button.message_id is not None:
                context = {**context, PRESSED_CARD: button.message_id}
            replies.extend(await conversation.begin(ctx, name, context))
        edits = (await used_message(ctx.uow, ctx.actor.chat_id, button.message_id, result.done, result.left)
                 if result.used and button.message_id is not None else [])
        if result.in_place and button.message_id is not None and replies:
            edits.append(Edit(button.message_id, replies.pop(0)))
        return Response(replies, edits=edits)

    return handle


def _file(dialog: str) -> Callable[[Context], Awaitable[Response]]:
    async def handle(ctx: Context) -> Response:
        owner_id = ctx.actor.identity.owner_id
        if owner_id is None:
            return Response()
        return Response(await conversation.begin(ctx, dialog, await filing_context(ctx.uow, owner_id)))

    return handle


async def _my(ctx: Context, offset: int = 0) -> Response:
    """Owners: their cases. Staff: the open cases they handle (not the owners' "please link" answer)."""
    staff = await lookup.acting_staff(ctx.uow, ctx.actor)
    if staff is not None:
        return Response([await lookup.staff_my_cases(ctx.uow, staff, ctx.now, offset)])
    return Response([await owner_actions.my_cases(ctx.uow, ctx.actor, ctx.now, offset)])


async def _queue(ctx: Context, offset: int = 0) -> Response:
    return Response([await staff_actions.queue(ctx.uow, ctx.actor, ctx.now, offset)])


async def _closed(ctx: Context, offset: int = 0) -> Response:
    staff = await lookup.acting_staff(ctx.uow, ctx.actor)
    if staff is None:
        return Response(alert=NOT_VALID)
    return Response([await lookup.closed_cases(ctx.uow, staff, ctx.now, offset)])


async def _typed_number(ctx: Context, message: MessageIn) -> Response | None:
    """A typed case number opens the case for staff who may see it and for the owner whose it is;
    anyone else gets the same "no such case" answer whether or not it exists."""
    number = lookup.typed_number(message.text) if message.kind == "text" and message.text else None
    if number is None:
        return None
    staff = await lookup.acting_staff(ctx.uow, ctx.actor)
    if staff is not None:
        return Response([await lookup.find_for_staff(ctx.uow, staff, number, ctx.now)])
    if not ctx.actor.identity.is_owner:
        return None
    found: Reply | None = await owner_actions.find_own_case(ctx.uow, ctx.actor, number, ctx.now)
    return Response([found]) if found is not None else None


def register(router: Router) -> None:
    router.plain_command("my", _my)
    router.plain_command("queue", _queue)
    router.button(StaffCasePress, _pressed(staff_actions.staff_press, staff_card=True))
    router.button(OwnerCasePress, _pressed(owner_actions.owner_press))
    # The follow-up of survey answers and its topic investigations (the case's ride on StaffCasePress).
    router.button(FollowUpPress, _pressed(survey_follow_up.follow_up_press, staff_card=True))
    router.button(TopicPress, _pressed(survey_topics.topic_press, staff_card=True))
    router.message(_typed_number)
    router.menu_item("my", _my)
    router.menu_item("queue", _queue)
    router.page("my", _my)
    router.page("queue", _queue)
    router.page("closed", _closed)
    for kind in registered_kinds():  # 📣 投诉, 🛠 报修: the menu entry is the kind's name
        router.menu_item(kind.name, _file(kind.intake_dialog))
