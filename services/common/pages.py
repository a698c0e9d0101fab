"""Lists that can grow are shown a page at a time, so a message never passes Telegram's 4,096
characters nor an inline keyboard its limits."""

from __future__ import annotations

from dialogs.actions import PagePress, encode
from dialogs.engine import Button
from dialogs.text import N_, Msg, Text

MAX_ITEM_TEXT = 200  # characters of a person's message shown in a list (the whole text on its card)


def page_note(offset: int, shown: int, total: int) -> Text:
    """"Showing 6–10 of 23", only when the list does not fit one page."""
    if offset == 0 and shown >= total:
        return ""
    if shown == 1:  # "Showing 17 of 17", not "17–17"
        return Msg(N_("Showing {start} of {total}"), {"start": offset + 1, "total": total})
    return Msg(N_("Showing {start}–{end} of {total}"), {"start": offset + 1, "end": offset + shown, "total": total})


def next_page(list_name: str, offset: int, shown: int, total: int) -> tuple[tuple[Button, ...], ...]:
    if offset + shown >= total:
        return ()
    return ((Button(Msg(N_("Next page ▶")), encode(PagePress(list_name, offset + shown))),),)


def clipped(text: str, limit: int = MAX_ITEM_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
