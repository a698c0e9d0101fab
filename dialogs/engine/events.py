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
    """A picture sent as a photo. ``format``: what its first bytes are (``dialogs.files.sniff``:
    "jpeg", …, "" for unreadable bytes), or None when they could not be fetched."""

    file_id: str
    format: str | None = None


@dataclass(frozen=True)
class DocumentEvent:
    """A file. ``format`` as for a photo; ``mime_type`` and ``file_name`` as the sender's client
    reported them."""

    file_id: str
    file_name: str = ""
    mime_type: str = ""
    format: str | None = None


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
