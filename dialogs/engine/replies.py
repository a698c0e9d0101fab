"""What a dialog answers with: locale-free messages, their buttons, and the navigation codes."""

from __future__ import annotations

from dataclasses import dataclass

from dialogs.text import Msg, Text

# Button codes of the engine's own buttons (a choice is "c:<code>", a rating "r:<n>", an edit "e:<index>").
BACK = "<"
CANCEL = "x"
DONE = "ok"
SKIP = "-"
EDIT = "ed"
SUMMARY = "sm"  # from the edit list back to the confirmation's own buttons
PREFILL = "pf"
KEEP = "kp"  # a text step asked again (◀ Back) keeps the answer it already holds


@dataclass(frozen=True)
class Button:
    label: Text
    code: str


@dataclass(frozen=True)
class Reply:
    """One message to send.

    With ``rev`` set, buttons are dialog buttons and their callback data is
    ``callback_data(rev, code)``; without it, ``code`` is the callback data itself.
    """

    text: Text
    buttons: tuple[tuple[Button, ...], ...] = ()
    rev: int | None = None
    request_contact: Msg | None = None
    remove_keyboard: bool = False
