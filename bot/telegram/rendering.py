"""A locale-free ``Reply`` as Telegram messages, for either adapter: the text rendered for the
reader's locale and one keyboard per message, built with the framework's own keyboard classes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.i18n import Catalogs, Translator
from dialogs.engine import Reply
from dialogs.text import Msg
from services.pushes.transport import Permanent, one_keyboard_each

M = TypeVar("M")  # the framework's keyboard markup
Inline = TypeVar("Inline")  # its inline keyboard markup


@dataclass(frozen=True)
class Keyboards(Generic[M]):
    inline: Callable[[Reply, Translator], M | None]  # the reply's inline buttons, if any
    contact: Callable[[Msg, Translator], M]  # the one-button keyboard that shares the phone number
    remove: Callable[[], M]  # takes a reply keyboard away

    def message(self, reply: Reply, tr: Translator) -> tuple[str, M | None]:
        """One message: its text and its one keyboard."""
        if reply.request_contact is not None:
            return tr.render(reply.text), self.contact(reply.request_contact, tr)
        markup = self.inline(reply, tr)
        if markup is None and reply.remove_keyboard:
            markup = self.remove()
        return tr.render(reply.text), markup


def as_messages(catalogs: Catalogs, reply: Reply, locale: str, keyboards: Keyboards[M]) -> list[tuple[str, M | None]]:
    """The messages of a reply for ``locale``. A reply with both a contact button and inline
    buttons takes two, because a Telegram message carries one keyboard. A reply that cannot be
    rendered (a broken placeholder in a translation, oversize button data) can never be sent:
    Permanent."""
    try:
        tr = catalogs.get(locale)
        return [keyboards.message(one, tr) for one in one_keyboard_each(reply)]
    except Exception as error:
        raise Permanent(f"cannot render: {error!r}"[:500]) from error


def as_edit(catalogs: Catalogs, reply: Reply, locale: str,
           inline: Callable[[Reply, Translator], Inline | None]) -> tuple[str, Inline | None]:
    """A message redrawn: its text and its inline buttons (none: taken away; an edit carries no
    other keyboard). Permanent if it cannot be rendered."""
    try:
        tr = catalogs.get(locale)
        return tr.render(reply.text), inline(reply, tr)
    except Exception as error:
        raise Permanent(f"cannot render: {error!r}"[:500]) from error
