"""Locale-free text: what a dialog or service wants to say, rendered later for one locale.

Nothing here translates. The renderer (``bot/i18n.py``) turns these values into HTML for the
reader's locale; plain strings are always escaped there, msgids never.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeAlias


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
class Localized:
    """Text typed by an administrator in several locales (``{"zh_Hans_CN": "…", "en": "…"}``).

    Never translated: the renderer shows the reader's locale, else one of the same script
    (zh_Hant_TW ↔ zh_Hant_HK), else Simplified Chinese, else the first given, HTML-escaped like
    ``Plain``. The mapping keeps its order and is copied, so the value stays as constructed.
    """

    texts: Mapping[str, str]

    def __post_init__(self) -> None:
        texts = dict(self.texts)
        if not texts:
            raise ValueError("localized text needs at least one locale")
        for locale, text in texts.items():
            if not isinstance(locale, str) or not locale:
                raise ValueError(f"a locale is a non-empty string, not {locale!r}")
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"the {locale} text is empty")
        object.__setattr__(self, "texts", texts)


@dataclass(frozen=True)
class Template:
    """A care message an administrator may reword (services/care/templates.py): his text for the
    reader's exact locale if he wrote one (escaped like ``Plain``), else the built-in ``default``
    msgid translated; either way ``{placeholders}`` are filled with ``params``, rendered for the
    reader. The placeholders were checked when the text was saved."""

    default: str
    texts: Mapping[str, str] = field(default_factory=dict)
    params: Mapping[str, Text] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "texts", dict(self.texts))


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
class Money:
    """An amount in yuan (a decimal string, exact), formatted by Babel as currency."""

    amount: str
    currency: str = "CNY"


@dataclass(frozen=True)
class Percent:
    """A share as a percentage ("0.456" → 45.6 %), formatted by Babel for the reader's locale. The
    value is the fraction as a decimal string (exact, like ``Money``); ``decimals`` digits shown."""

    value: str
    decimals: int = 0


@dataclass(frozen=True)
class ListText:
    """Items joined the reader's way (「甲、乙和丙」, "A, B and C"), by Babel."""

    items: tuple[Text, ...]


@dataclass(frozen=True)
class Field:
    """One ``label: value`` line of a summary."""

    label: Label
    value: Text


@dataclass(frozen=True)
class Lines:
    """Several pieces of text, one per line."""

    items: tuple[Text, ...]


Text: TypeAlias = (
    Msg | Plural | Plain | Localized | Template | DateText | DateTimeText | Money | Percent | ListText | Field | Lines | str
    | int
)
Label: TypeAlias = Msg | Localized
"""A name shown before a value (a summary line, an edit button): a msgid, or an administrator's text."""


# ---------------------------------------------------------------- JSON form (outbox rows)


def text_to_json(text: Text) -> Any:
    """A JSON value that ``text_from_json`` turns back into the same text."""
    if isinstance(text, bool):
        return {"t": "plain", "v": str(text)}
    if isinstance(text, int | str):
        return text
    if isinstance(text, Msg):
        return {"t": "msg", "id": text.msgid, "p": {k: text_to_json(v) for k, v in text.params.items()}}
    if isinstance(text, Plural):
        return {"t": "plural", "s": text.singular, "pl": text.plural, "n": text.n,
                "p": {k: text_to_json(v) for k, v in text.params.items()}}
    if isinstance(text, Plain):
        return {"t": "plain", "v": text.text}
    if isinstance(text, Localized):
        return {"t": "localized", "v": dict(text.texts)}
    if isinstance(text, Template):
        return {"t": "template", "d": text.default, "v": dict(text.texts),
                "p": {k: text_to_json(v) for k, v in text.params.items()}}
    if isinstance(text, DateText):
        return {"t": "date", "v": text.value.isoformat(), "f": text.format}
    if isinstance(text, DateTimeText):
        return {"t": "datetime", "v": text.value.isoformat(), "tz": text.timezone, "f": text.format}
    if isinstance(text, Money):
        return {"t": "money", "v": text.amount, "c": text.currency}
    if isinstance(text, Percent):
        return {"t": "percent", "v": text.value, "d": text.decimals}
    if isinstance(text, ListText):
        return {"t": "list", "v": [text_to_json(item) for item in text.items]}
    if isinstance(text, Field):
        return {"t": "field", "l": text_to_json(text.label), "v": text_to_json(text.value)}
    if isinstance(text, Lines):
        return {"t": "lines", "v": [text_to_json(item) for item in text.items]}
    raise TypeError(f"not text: {text!r}")


def text_from_json(data: Any) -> Text:
    if isinstance(data, int | str):
        return data
    kind = data["t"]
    if kind == "msg":
        return Msg(data["id"], {k: text_from_json(v) for k, v in data["p"].items()})
    if kind == "plural":
        make = Plural  # an alias, so message extraction does not mistake this call for a msgid
        return make(data["s"], data["pl"], int(data["n"]), {k: text_from_json(v) for k, v in data["p"].items()})
    if kind == "plain":
        return Plain(data["v"])
    if kind == "localized":
        return Localized(dict(data["v"]))
    if kind == "template":
        return Template(data["d"], dict(data["v"]), {k: text_from_json(v) for k, v in data["p"].items()})
    if kind == "date":
        return DateText(date.fromisoformat(data["v"]), data["f"])
    if kind == "datetime":
        return DateTimeText(datetime.fromisoformat(data["v"]), data["tz"], data["f"])
    if kind == "money":
        return Money(str(data["v"]), str(data["c"]))
    if kind == "percent":
        return Percent(str(data["v"]), int(data["d"]))
    if kind == "list":
        return ListText(tuple(text_from_json(item) for item in data["v"]))
    if kind == "field":
        label = text_from_json(data["l"])
        if not isinstance(label, Msg | Localized):
            raise ValueError("a field label is a Msg or Localized")
        return Field(label, text_from_json(data["v"]))
    if kind == "lines":
        return Lines(tuple(text_from_json(item) for item in data["v"]))
    raise ValueError(f"unknown text kind {kind!r}")
