"""The owner's consents (DOMAIN 4.6): the questions after binding, answered with their buttons, and
/settings, where each kind is shown with its state and switched with one tap."""

from __future__ import annotations

from dialogs.actions import ConsentPress
from dialogs.engine import Reply
from dialogs.text import N_, Msg
from handlers.inbound import ButtonIn, Context, Response
from handlers.menu import NOT_AVAILABLE, menu_for
from handlers.router import NOT_VALID, Router
from services.care import consent
from services.chats.pressed import used_message
from services.people.identity import Kind
from services.pushes.transport import Edit

ALL_ANSWERED = N_("Thank you. You can change these choices at any time with /settings.")
ALREADY_ANSWERED = N_("You have answered this question already; /settings shows your choices.")


def _owner_id(ctx: Context) -> int | None:
    identity = ctx.actor.identity
    return identity.owner_id if identity.kind is Kind.OWNER else None


async def _settings(ctx: Context) -> Response:
    owner_id = _owner_id(ctx)
    if owner_id is None:
        return Response([Reply(Msg(NOT_AVAILABLE))])
    return Response([await consent.settings(ctx.uow, owner_id)])


async def _press(ctx: Context, press: ConsentPress, button: ButtonIn) -> Response:
    owner_id = _owner_id(ctx)
    kind = consent.kind_of(press.kind)
    if owner_id is None or kind is None or press.action not in (consent.YES, consent.NO, consent.ON, consent.OFF):
        return Response(alert=NOT_VALID)
    state = await consent.current(ctx.uow, owner_id)
    if press.action in (consent.YES, consent.NO):  # the question after binding
        if state[kind] is not None:  # answered already (a second tap, an old question)
            edits = [Edit(button.message_id)] if button.message_id else []
            return Response(alert=ALREADY_ANSWERED, edits=edits)
        granted = press.action == consent.YES
        await consent.record(ctx.uow, owner_id, kind, granted, consent.WORDING[kind], consent.Source.CHAT, ctx.now)
        edits = await used_message(ctx.uow, ctx.actor.chat_id, button.message_id, consent.answered(granted)) \
            if button.message_id else []
        following = await consent.next_question(ctx.uow, owner_id)
        if following is not None:
            return Response([following], edits=edits)
        # The last answer: the menu the questions held back (handlers/onboarding.py).
        return Response([Reply(Msg(ALL_ANSWERED)), await menu_for(ctx)], edits=edits)
    granted = press.action == consent.ON
    if state[kind] is not granted:  # a settings view drawn before another change: nothing to switch
        await consent.record(ctx.uow, owner_id, kind, granted, consent.WORDING[kind], consent.Source.SETTINGS,
                             ctx.now)
    view = await consent.settings(ctx.uow, owner_id)
    if button.message_id:
        return Response(edits=[Edit(button.message_id, view)], notice=N_("Saved."))
    return Response([view])


def register(router: Router) -> None:
    router.plain_command("settings", _settings)
    router.menu_item("settings", _settings)
    router.button(ConsentPress, _press)
