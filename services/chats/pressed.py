"""A used button's message: once a press has done what it offered (a case accepted, an answer
given, a language chosen), the message it was on shows what was done and loses its buttons, so
nothing looks actionable that is not. View-only presses (history, paging) leave it as it was."""

from __future__ import annotations

from dialogs import engine
from dialogs.engine import Button, Reply
from dialogs.text import Lines, Text
from services.pushes.transport import Edit, one_keyboard_each
from storage.uow import UnitOfWork

# How far back the pressed message is looked for among the chat's sent messages; an older one
# only loses its buttons (its text is kept as it is).
_LOOK_BACK = 200


async def used_message(uow: UnitOfWork, chat_id: int, message_id: int, done: Text | None = None,
                       left: tuple[tuple[Button, ...], ...] = ()) -> list[Edit]:
    """The pressed message redrawn with ``done`` under its text and only the buttons ``left`` (what
    the presser may still do from it); without either, its buttons are only taken away. When the
    message is not found among what the bot sent: its buttons go, unless some are left (then it
    stays as it was — its other buttons still work)."""
    if done is None and not left:
        return [Edit(message_id)]
    payload = await uow.outbox.sent_as(chat_id, message_id, within=_LOOK_BACK)
    stored = payload.get("reply") if payload is not None else None
    try:
        reply = engine.reply_from_json(stored) if isinstance(stored, dict) else None
    except (KeyError, TypeError, ValueError):
        reply = None
    if reply is None:
        return [] if left else [Edit(message_id)]
    shown = one_keyboard_each(reply)[-1]  # the message that carried the inline buttons
    return [Edit(message_id, Reply(Lines((shown.text, done)) if done is not None else shown.text, left))]


# A dialog begun from a staff card's button (a reason to give, a form to fill) carries the card's
# message id in its context under this key: once the dialog completes, records something on the
# case and sends a new card (with what is left to do), the old card loses its buttons.
PRESSED_CARD = "pressed_card"


async def last_event_id(uow: UnitOfWork, ticket_id: object) -> int | None:
    """The case's latest history event (a press or dialog that recorded nothing leaves it as it was)."""
    if not isinstance(ticket_id, int):
        return None
    return max((event.id for event in await uow.tickets.events(ticket_id)), default=None)
