"""Locale-free text: what a dialog or service wants to say, rendered later for one locale.

Nothing here translates. The renderer (``bot/i18n.py``) turns these values into HTML for the
reader's locale; plain strings are always escaped there, msgids never.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeAlias


def N_(msgid: str) -> str:
    """Mark a string for extraction by ``pybabel extract`` without translating it here."""
    return msgid


@dataclass(frozen=True)
class Msg:
    """A gettext msgid with named ``{placeholders}``; parameters are rendered recursively."""

    msgid: str
    params: Mapping[str, Text] = field(default_factory=dict)


@dataclass(frozen=True)
class Plural:
    """An ngettext message; ``n`` selects the form and is also available as ``{n}``."""

    singular: str
    plural: str
    n: int
    params: Mapping[str, Text] = field(default_factory=dict)


@dataclass(frozen=True)
class Plain:
    """Text from a user or the database: shown as is, HTML-escaped."""

    text: str


@dataclass(frozen=True)
class DateText:
    """A calendar date, formatted by Babel for the reader's locale."""

    value: date
    format: str = "long"


@dataclass(frozen=True)
class DateTimeText:
    """A moment, shown in the given IANA time zone, formatted by Babel for the reader's locale."""

    value: datetime
    timezone: str = "Asia/Shanghai"
    format: str = "medium"


@dataclass(frozen=True)
class Field:
    """One ``label: value`` line of a summary."""

    label: Msg
    value: Text


@dataclass(frozen=True)
class Lines:
    """Several pieces of text, one per line."""

    items: tuple[Text, ...]


Text: TypeAlias = Msg | Plural | Plain | DateText | DateTimeText | Field | Lines | str | int
