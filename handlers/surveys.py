"""An owner's survey in chat: the invitation's buttons (start, not now, don't ask me again) and
/survey, which resumes the latest open survey at its first unanswered question with the earlier
answers kept."""

from __future__ import annotations

from dialogs.actions import SurveyPress
from dialogs.engine import Reply
from dialogs.text import N_, Msg
from handlers.conversation import begin
from handlers.inbound import ButtonIn, Context, Response
from handlers.router import Router
from services.surveys import answering
from services.surveys.push_rules import DECLINE, LATER, START

NOT_NOW = N_("All right. You can answer it later: send /survey at any time.")


async def _survey(ctx: Context) -> Response:
    owner_id = ctx.actor.identity.owner_id
    invitation = await ctx.uow.survey_responses.latest_open(owner_id, ctx.now) if owner_id is not None else None
    if invitation is None:
        return Response([Reply(Msg(answering.NONE_OPEN))])
    name, context, answers = answering.start_of(invitation)
    return Response(await begin(ctx, name, context, answers))


async def _press(ctx: Context, press: SurveyPress, button: ButtonIn) -> Response:
    if press.action not in (START, LATER, DECLINE):
        return Response(alert=answering.NOT_YOURS)
    found = await answering.openable(ctx.uow, ctx.actor, press.invitation, ctx.now)
    if isinstance(found, str):
        return Response(alert=found)
    if press.action == LATER:
        return Response([Reply(Msg(NOT_NOW))], clear_buttons=button.message_id)
    if press.action == DECLINE:
        await answering.decline(ctx.uow, found, ctx.actor.chat_id, ctx.now)
        return Response([Reply(Msg(answering.DECLINED_REPLY))], clear_buttons=button.message_id)
    name, context, answers = answering.start_of(found)
    return Response(await begin(ctx, name, context, answers), clear_buttons=button.message_id)


def register(router: Router) -> None:
    router.plain_command("survey", _survey)
    router.menu_item("survey", _survey)
    router.button(SurveyPress, _press)
