"""The guided conversation in progress: its buttons, the messages that answer it, and /cancel.

The dialog in progress comes first in the message chain: while a question is open, what the
person sends answers it — typing a button's label is pressing it. An answered question is redrawn
with its answer and without buttons (``Response.edits``); a button pressed twice gets a short
notice, never the question again.
"""

from __future__ import annotations

from dialogs import engine
from dialogs.actions import DialogPress
from dialogs.engine import Event, Reply
from dialogs.source import DIALOGS_SOURCE
from dialogs.text import N_, Msg
from handlers.inbound import ButtonIn, Context, MessageIn, Response
from handlers.router import Router
from services.capabilities import COMPLETERS, STEP_HOOKS
from services.chats.conversations import Conversations
from services.chats.ended import ended_notice

CONVERSATIONS = Conversations(DIALOGS_SOURCE, COMPLETERS, STEP_HOOKS)
NO_LONGER_VALID = N_("This button is no longer valid.")


def message_event(message: MessageIn, sender_id: int | None) -> Event:
    """What the dialog engine sees of a chat message."""
    if message.kind == "text" and message.text is not None:
        command = message.command
        if command is not None and command[0] == "back":
            return engine.BackEvent()
        return engine.TextEvent(message.text)
    if message.kind == "contact" and message.contact_phone is not None:
        own = sender_id is not None and message.contact_user_id == sender_id
        return engine.ContactEvent(message.contact_phone, own)
    if message.kind == "photo" and message.file_id:
        return engine.PhotoEvent(message.file_id, message.file_format)
    if message.kind == "document" and message.file_id:
        return engine.DocumentEvent(message.file_id, message.file_name, message.mime_type, message.file_format)
    return engine.UnsupportedEvent(message.kind)


async def begin(ctx: Context, name: str, context: dict[str, object],
                answers: dict[str, object] | None = None) -> list[Reply]:
    """Start a dialog for the person; its first question. With another dialog unfinished, the
    question whether to drop it instead; the same dialog just started: nothing (no question twice).
    ``answers`` given earlier: it starts at its first unanswered question (a survey resumed)."""
    turn = await CONVERSATIONS.begin(ctx.uow, ctx.actor, name, context, ctx.now, answers=answers)
    ctx.edits.extend(turn.edits)
    return turn.replies


async def _answer(ctx: Context, message: MessageIn) -> Response | None:
    turn = await CONVERSATIONS.handle_event(
        ctx.uow, ctx.actor, message_event(message, ctx.actor.identity.user_id or None), ctx.now, label=ctx.label
    )
    return Response(turn.replies, edits=turn.edits) if turn is not None else None


async def _press(ctx: Context, press: DialogPress, button: ButtonIn) -> Response:
    turn = await CONVERSATIONS.handle_event(ctx.uow, ctx.actor, engine.ButtonEvent(press.rev, press.code), ctx.now)
    if turn is None:  # the dialog ended (a double tap on its last button, an old message)
        why = await ended_notice(ctx.uow, ctx.actor.chat_id, press.rev)  # ended from outside (expired)
        if why is not None:
            return Response(alert=why, clear_buttons=button.message_id)
        return Response(notice=NO_LONGER_VALID, clear_buttons=button.message_id)
    # The pressed message is redrawn with the rest; where its answer row was not found (answers sent
    # without the outbox), a question that moved on still loses its buttons.
    redrawn = any(edit.message_id == button.message_id and edit.chat_id is None for edit in turn.edits)
    clear = button.message_id if turn.moved and not redrawn else None
    return Response(turn.replies, notice=turn.notice, edits=turn.edits, clear_buttons=clear)


async def _cancel(ctx: Context, message: MessageIn, args: str) -> Response:
    dropped = await CONVERSATIONS.abandon(ctx.uow, ctx.actor.chat_id, ctx.now)
    if dropped is not None and dropped.replies:  # paused, not dropped (a survey: "Continue later")
        return Response(dropped.replies, edits=dropped.edits)
    text = N_("Cancelled. Nothing was saved.") if dropped is not None else N_("There is nothing to cancel.")
    return Response([Reply(Msg(text), remove_keyboard=True)], edits=dropped.edits if dropped is not None else [])


async def repeat(ctx: Context) -> list[Reply] | None:
    """The open question again (after /start in the middle of a dialog); None without one."""
    turn = await CONVERSATIONS.handle_event(ctx.uow, ctx.actor, engine.RepeatEvent(), ctx.now)
    return turn.replies if turn is not None else None


def register(router: Router) -> None:
    router.command("cancel", _cancel)
    router.button(DialogPress, _press)
    router.message(_answer)

