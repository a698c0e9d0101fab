"""Where a dialog stands (``DialogState``, saved between updates) and what one event led to (``Outcome``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from dialogs.engine.replies import Reply
from dialogs.text import Msg, Text


@dataclass(frozen=True)
class DialogState:
    """Everything needed to resume a dialog; ``to_json``/``from_json`` round-trip it."""

    dialog: str
    step: str
    answers: Mapping[str, Any] = field(default_factory=dict)
    context: Mapping[str, Any] = field(default_factory=dict)
    history: tuple[str, ...] = ()
    rev: int = 1
    editing: bool = False

    # The JSON form lives with the class, so that this module needs nothing of the codec
    # (``dialogs.engine.codec.state_to_json``/``state_from_json`` are these two).
    def to_json(self) -> dict[str, Any]:
        return {
            "dialog": self.dialog,
            "step": self.step,
            "answers": dict(self.answers),
            "context": dict(self.context),
            "history": list(self.history),
            "rev": self.rev,
            "editing": self.editing,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DialogState:
        """The state saved by ``to_json``; KeyError, TypeError or ValueError for a damaged one."""
        return cls(
            dialog=str(data["dialog"]),
            step=str(data["step"]),
            answers=dict(data.get("answers") or {}),
            context=dict(data.get("context") or {}),
            history=tuple(data.get("history") or ()),
            rev=int(data.get("rev", 1)),
            editing=bool(data.get("editing", False)),
        )


Status = Literal["continue", "done", "cancelled", "paused"]


@dataclass(frozen=True)
class Outcome:
    """What one event led to: the new state, the messages to send, and what becomes of the question
    asked before it (the messages carrying the previous revision's buttons).

    A question that moved on (a new revision, or the dialog ended) loses its buttons; ``answered``
    is the line to show on it ("Your answer: …"). ``refresh`` redraws the question in place instead
    of sending anything (a toggled option, the edit list). ``notice`` is a short note for the
    pressed button's alert when nothing is sent (a double tap on an answered question).

    "paused" (a dialog with ``pause_text`` left with its Cancel, "⏸ Continue later"): like "done",
    no state, but ``answers`` are the answers so far, for the caller to keep aside.
    """

    status: Status
    state: DialogState | None
    replies: tuple[Reply, ...]
    answers: Mapping[str, Any] = field(default_factory=dict)
    dialog: str = ""  # set on "done", so the caller knows which use case to run
    context: Mapping[str, Any] = field(default_factory=dict)  # set on "done": what the dialog started with
    answered: Text | None = None
    refresh: Reply | None = None
    notice: Msg | None = None
