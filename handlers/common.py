"""Small helpers shared by handlers."""

from __future__ import annotations

from aiogram.types import Message

from dialogs import engine
from dialogs.engine import Event


def message_event(message: Message) -> Event:
    """What the dialog engine sees of a Telegram message."""
    if message.text is not None:
        command = message.text.split(maxsplit=1)[0].split("@")[0] if message.text.startswith("/") else ""
        if command == "/back":
            return engine.BackEvent()
        return engine.TextEvent(message.text)
    if message.contact is not None:
        own = message.from_user is not None and message.contact.user_id == message.from_user.id
        return engine.ContactEvent(message.contact.phone_number, own)
    if message.photo:
        return engine.PhotoEvent(message.photo[-1].file_id)
    if message.document is not None:
        return engine.DocumentEvent(message.document.file_id, message.document.file_name or "")
    return engine.UnsupportedEvent(str(message.content_type))
