"""The wire forms of the engine's values: replies and states as JSON, button presses as callback data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialogs.actions import DialogPress, decode, encode
from dialogs.engine.events import ButtonEvent
from dialogs.engine.replies import Button, Reply
from dialogs.engine.state import DialogState
from dialogs.text import Msg, text_from_json, text_to_json

MAX_REV = 999_999_999  # revisions on the wire have at most nine digits

# ---------------------------------------------------------------- replies (the outbox)


def reply_to_json(reply: Reply) -> dict[str, Any]:
    """A reply as JSON, for the outbox: rendered for the reader's locale only when sent."""
    return {
        "text": text_to_json(reply.text),
        "buttons": [[{"label": text_to_json(b.label), "code": b.code} for b in row] for row in reply.buttons],
        "rev": reply.rev,
        "remove_keyboard": reply.remove_keyboard,
        "request_contact": text_to_json(reply.request_contact) if reply.request_contact is not None else None,
    }


def reply_from_json(data: Mapping[str, Any]) -> Reply:
    rows = tuple(
        tuple(Button(text_from_json(b["label"]), str(b["code"])) for b in row) for row in data.get("buttons") or ()
    )
    contact = text_from_json(data["request_contact"]) if data.get("request_contact") is not None else None
    return Reply(text_from_json(data["text"]), rows, rev=data.get("rev"),
                 remove_keyboard=bool(data.get("remove_keyboard")),
                 request_contact=contact if isinstance(contact, Msg) else None)


# ---------------------------------------------------------------- dialog states (the chat row)


def state_to_json(state: DialogState) -> dict[str, Any]:
    """The state as JSON, for the chat row (``DialogState.to_json``)."""
    return state.to_json()


def state_from_json(data: Mapping[str, Any]) -> DialogState:
    """The state saved by ``state_to_json``; KeyError, TypeError or ValueError for a damaged one."""
    return DialogState.from_json(data)


# ---------------------------------------------------------------- callback data


def callback_data(rev: int, code: str) -> str:
    """The inline-button payload for a dialog button: a ``DialogPress``, short, versioned, ASCII.

    A code or revision that could not be read back (``parse_callback_data``) raises ValueError.
    """
    if not 0 <= rev <= MAX_REV:
        raise ValueError(f"revision {rev} does not fit a button")
    return encode(DialogPress(rev, code))


def parse_callback_data(data: str) -> ButtonEvent | None:
    """The press behind a dialog button's callback data; None for anything but a valid ``DialogPress``."""
    press = decode(data)
    if not isinstance(press, DialogPress) or press.rev > MAX_REV:
        return None
    return ButtonEvent(press.rev, press.code)
