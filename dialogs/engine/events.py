"""What a chat can send to a dialog: plain, framework-free events."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TextEvent:
    text: str


@dataclass(frozen=True)
class ButtonEvent:
    """An inline button press; ``rev`` is the state revision the button was drawn for."""

    rev: int
    code: str


@dataclass(frozen=True)
class ContactEvent:
    phone: str
    own: bool


@dataclass(frozen=True)
class PhotoEvent:
    file_id: str


@dataclass(frozen=True)
class DocumentEvent:
    file_id: str
    file_name: str = ""


@dataclass(frozen=True)
class UnsupportedEvent:
    """Anything else a chat can carry: stickers, voice, location, polls…"""

    kind: str


@dataclass(frozen=True)
class BackEvent:
    pass


@dataclass(frozen=True)
class CancelEvent:
    pass


@dataclass(frozen=True)
class RepeatEvent:
    """Show the current prompt again (e.g. after /start in the middle of a dialog)."""


Event = (
    TextEvent
    | ButtonEvent
    | ContactEvent
    | PhotoEvent
    | DocumentEvent
    | UnsupportedEvent
    | BackEvent
    | CancelEvent
    | RepeatEvent
)
