"""Where a dialog stands (``DialogState``, saved between updates) and what one event led to (``Outcome``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from dialogs.engine.replies import Reply


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

    def to_json(self) -> dict[str, Any]:
        from dialogs.engine.codec import state_to_json  # the codec knows this class: import on use

        return state_to_json(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DialogState:
        from dialogs.engine.codec import state_from_json

        return state_from_json(data)


Status = Literal["continue", "done", "cancelled"]


@dataclass(frozen=True)
class Outcome:
    status: Status
    state: DialogState | None
    replies: tuple[Reply, ...]
    answers: Mapping[str, Any] = field(default_factory=dict)
    dialog: str = ""  # set on "done", so the caller knows which use case to run
    context: Mapping[str, Any] = field(default_factory=dict)  # set on "done": what the dialog started with
