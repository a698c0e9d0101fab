"""What the chat core takes and gives: a plain inbound event from any chat framework, and the
response to deliver. Adapters translate their framework's updates into these and back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from dialogs.engine import Reply
from dialogs.text import Text
from services.common.actor import Actor
from services.pushes.transport import Edit
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Sender:
    user_id: int
    language_code: str | None = None


@dataclass(frozen=True)
class MessageIn:
    """A chat message. ``kind`` is text, contact, photo, document, or what else it carries (sticker …)."""

    kind: str
    text: str | None = None  # a text message's text, or a photo's or document's caption
    contact_phone: str | None = None
    contact_user_id: int | None = None  # set by Telegram only when the contact is a Telegram user
    file_id: str | None = None
    file_name: str = ""
    mime_type: str = ""  # a document's, as the sender's client declared it
    file_format: str | None = None  # what the file's first bytes are (dialogs.files.sniff); None: not read

    @property
    def command(self) -> tuple[str, str] | None:
        """``/start CODE`` → ("start", "CODE"); ``/help@estatebot`` → ("help", ""). A caption
        counts too (a photo sent with "/cancel" cancels), as Telegram clients let people do."""
        if not self.text or not self.text.startswith("/"):
            return None
        head, *rest = self.text.split(maxsplit=1)
        return head[1:].split("@", 1)[0], rest[0].strip() if rest else ""


@dataclass(frozen=True)
class ButtonIn:
    """An inline button press: its callback data, and the message that carried the button."""

    query_id: str
    data: str | None
    message_id: int | None = None


@dataclass(frozen=True)
class Inbound:
    update_id: int | None  # None where the channel has no redelivery to guard against
    chat_id: int
    sender: Sender | None
    message: MessageIn | None = None
    button: ButtonIn | None = None
    private: bool = True  # a one-to-one chat with the person (groups and channels are not)


@dataclass
class Response:
    """What to deliver: replies (rendered for ``locale`` by the adapter), and for a button press
    the answer to its spinner (``alert``: a msgid shown as an alert) and whose buttons to clear."""

    replies: list[Reply] = field(default_factory=list)
    alert: str | None = None
    notice: str | None = None  # a msgid shown in passing on the press (a double tap), when there is no alert
    clear_buttons: int | None = None  # message id of an answered question
    locale: str | None = None  # None: the reader's locale as resolved for the update
    edits: list[Edit] = field(default_factory=list)  # messages sent before, redrawn (an answered question)


@dataclass
class Context:
    """One update being handled: its unit of work (committed by the pipeline), who acts, and when."""

    uow: UnitOfWork
    actor: Actor
    now: datetime
    label: Callable[[Text], str] | None = None  # a button label as the reader sees it (their locale)
    # Earlier messages to redraw, collected where a feature only returns replies (a dialog begun
    # from another feature's press moves the open question's buttons); delivered with the response.
    edits: list[Edit] = field(default_factory=list)
