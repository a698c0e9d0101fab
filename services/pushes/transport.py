"""The one outbound path to a chat, as the chat core and the outbox drain see it.

An adapter (``bot/telegram/aiogram``; python-telegram-bot next) implements ``Transport``: it renders
the locale-free reply for the reader's locale, sends it, and maps its framework's errors onto the
four below, so nothing above the adapter knows a chat framework's exception types.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal, Protocol

from dialogs.engine import Reply
from dialogs.text import N_, Msg


@dataclass(frozen=True)
class Media:
    """A photo or document already on Telegram's servers, re-sent by its file_id."""

    kind: Literal["photo", "document"]
    file_id: str


@dataclass(frozen=True)
class Upload:
    """A file the bot made (a report's chart or spreadsheet), uploaded with its name."""

    kind: Literal["photo", "document"]
    name: str
    data: bytes = field(repr=False)


Part = Reply | Media | Upload


@dataclass(frozen=True)
class Edit:
    """A message the bot sent before, redrawn: its text and buttons replaced by ``reply``'s (a reply
    without buttons takes them away), or with ``reply`` None only its buttons taken away."""

    message_id: int
    reply: Reply | None = None
    delete: bool = False  # the message goes altogether (an "Or choose:" line whose question was answered)
    # A message in another chat (a colleague's copy of a card), rendered in ``locale``; None: the
    # chat of the update, in its reader's locale.
    chat_id: int | None = None
    locale: str | None = None


OR_CHOOSE = Msg(N_("Or choose:"))


def one_keyboard_each(reply: Reply) -> list[Reply]:
    """The messages a reply is sent as: a Telegram message carries one keyboard, so a reply with a
    contact button and inline buttons goes as two — the question with the contact keyboard, then
    "Or choose:" with the inline buttons. The drain sends and records them one by one, so a retry
    never repeats the one that went out."""
    if reply.request_contact is not None and reply.buttons:
        return [replace(reply, buttons=(), rev=None), Reply(OR_CHOOSE, buttons=reply.buttons, rev=reply.rev)]
    return [reply]


def messages_in(part: Part) -> int:
    """How many Telegram messages sending ``part`` takes (what the limits count)."""
    return len(one_keyboard_each(part)) if isinstance(part, Reply) else 1


class TransportError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RetryAfter(TransportError):
    """429: stop sending for ``seconds``, then try the same message again."""

    def __init__(self, message: str, seconds: float) -> None:
        super().__init__(message)
        self.seconds = seconds


class Blocked(TransportError):
    """403: the person blocked the bot (or the chat is gone); nothing more reaches them."""


class Permanent(TransportError):
    """Refused for good (400, 404, 413, a migrated chat): sending it again cannot succeed."""


class Transient(TransportError):
    """5xx, network errors and timeouts: may succeed later (and may have been delivered)."""


class Transport(Protocol):
    async def send(self, chat_id: int, part: Part, locale: str, *, request_timeout: float | None = None) -> int:
        """Send one part; the id of the (last) message it took."""

    async def clear_buttons(self, chat_id: int, message_id: int) -> None:
        """Take an answered question's buttons away (best effort)."""

    async def edit(self, chat_id: int, message_id: int, reply: Reply, locale: str) -> None:
        """Redraw a message sent before with ``reply``'s text and inline buttons (best effort)."""

    async def delete(self, chat_id: int, message_id: int) -> None:
        """Delete a message the bot sent (best effort: one over 48 hours old only loses its buttons)."""

    async def file_head(self, file_id: str, size: int) -> bytes | None:
        """The first ``size`` bytes of a file a person sent (to tell what it is); None when it
        cannot be fetched (too large for the Bot API, a network error)."""

    async def answer_button(self, query_id: str, alert: str | None, locale: str, *, toast: bool = False) -> None:
        """Stop a pressed button's spinner, with an alert (a msgid) or silently (best effort);
        ``toast``: the text passes as a short notice instead of an alert to dismiss."""
