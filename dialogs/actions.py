"""Typed callback data: the one codec for every inline button the bot draws.

A button carries an action: a small frozen dataclass with a short tag and typed fields (ids and
codes only). On the wire it is ``tag:field:field`` — the same short form Telegram has always seen
from this bot, so buttons sent before an upgrade still work — and never more than Telegram's
64 bytes. Decoding is strict: an unknown tag, a field that is not of its type, a non-ASCII digit
or an oversize payload gives ``None``, never an exception, because callback data is forged as
easily as it is pressed. Who may press a decoded action is checked against the database by the
feature that handles it.

The last ``str`` field of an action may contain ``:`` (a dialog's own button code, ``c:plumbing``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import ClassVar, TypeVar

MAX_BYTES = 64  # Telegram's limit for callback_data
_INT = re.compile(r"(0|[1-9][0-9]{0,8})")  # ids are 32-bit keys: at most 9 digits
_STR = re.compile(r"[A-Za-z0-9_:.<>+\-]{1,60}")


class CallbackDataTooLong(ValueError):
    """An action that does not fit Telegram's 64 bytes: a programming error, caught in tests."""


@dataclass(frozen=True)
class Action:
    """Base of every button action; subclasses set ``tag`` and declare ``int``/``str`` fields."""

    tag: ClassVar[str] = ""


_ACTIONS: dict[str, type[Action]] = {}
A = TypeVar("A", bound=type[Action])


def register(cls: A) -> A:
    """Make an action class decodable by its tag (tags are unique)."""
    if not re.fullmatch(r"[a-z][a-z0-9]{0,3}", cls.tag):
        raise ValueError(f"bad action tag {cls.tag!r}")
    if _ACTIONS.get(cls.tag, cls) is not cls:
        raise ValueError(f"action tag {cls.tag!r} is taken by {_ACTIONS[cls.tag].__name__}")
    for f in fields(cls):
        if f.type not in ("int", "str", int, str):
            raise TypeError(f"{cls.__name__}.{f.name}: action fields are int or str")
    _ACTIONS[cls.tag] = cls
    return cls


def encode(value: Action) -> str:
    parts = [value.tag]
    for f in fields(value):
        item = getattr(value, f.name)
        text = str(item)
        if f.type in ("int", int):
            if not isinstance(item, int) or isinstance(item, bool) or not _INT.fullmatch(text):
                raise ValueError(f"{type(value).__name__}.{f.name}: not an int from 0 to 999,999,999: {item!r}")
        elif not isinstance(item, str) or not _STR.fullmatch(text):
            raise ValueError(f"{type(value).__name__}.{f.name}: not a short ASCII code: {item!r}")
        parts.append(text)
    data = ":".join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise CallbackDataTooLong(f"{data!r} is {len(data.encode())} bytes; Telegram allows {MAX_BYTES}")
    return data


def decode(data: str | None) -> Action | None:
    """The action behind callback data, or None for anything malformed, unknown or oversize."""
    if not data or len(data.encode()) > MAX_BYTES or not data.isascii():
        return None
    tag, _, rest = data.partition(":")
    cls = _ACTIONS.get(tag)
    if cls is None:
        return None
    declared = fields(cls)
    values = rest.split(":", len(declared) - 1) if declared else []
    if not declared:
        return cls() if rest == "" and ":" not in data else None
    if len(values) != len(declared):
        return None
    parsed: dict[str, int | str] = {}
    for f, text in zip(declared, values, strict=True):
        if f.type in ("int", int):
            if not _INT.fullmatch(text):
                return None
            parsed[f.name] = int(text)
        else:
            if not _STR.fullmatch(text):
                return None
            parsed[f.name] = text
    return cls(**parsed)


# ---------------------------------------------------------------- the actions of the chat core


@register
@dataclass(frozen=True)
class DialogPress(Action):
    """A button of the dialog in progress; ``rev`` is the state revision it was drawn for."""

    tag: ClassVar[str] = "d1"
    rev: int
    code: str


@register
@dataclass(frozen=True)
class MenuPress(Action):
    tag: ClassVar[str] = "m1"
    item: str


@register
@dataclass(frozen=True)
class LanguagePress(Action):
    tag: ClassVar[str] = "l1"
    locale: str


@register
@dataclass(frozen=True)
class StaffCasePress(Action):
    """A staff member's action on a case (``view`` or one of the case kind's action codes)."""

    tag: ClassVar[str] = "t1"
    ticket: int
    action: str


@register
@dataclass(frozen=True)
class OwnerCasePress(Action):
    """An owner's answer or action on their own case."""

    tag: ClassVar[str] = "o1"
    ticket: int
    action: str


@register
@dataclass(frozen=True)
class PagePress(Action):
    """The next page of a list that can grow (``inbox``, ``queue``, ``my``), from ``offset``."""

    tag: ClassVar[str] = "p1"
    list: str
    offset: int


@register
@dataclass(frozen=True)
class ReplyPress(Action):
    """Customer service answers an entry of the communication log."""

    tag: ClassVar[str] = "c1"
    entry: int


@register
@dataclass(frozen=True)
class SurveyPress(Action):
    """An owner's button on a survey invitation (``start`` …), by invitation id."""

    tag: ClassVar[str] = "s1"
    invitation: int
    action: str


@register
@dataclass(frozen=True)
class CampaignPress(Action):
    """A customer-service manager's button on a survey campaign (start it, its report …)."""

    tag: ClassVar[str] = "s2"
    campaign: int
    action: str


@register
@dataclass(frozen=True)
class FollowUpPress(Action):
    """Customer service's button on a follow-up that is not about a case (a survey answer)."""

    tag: ClassVar[str] = "f1"
    follow_up: int
    action: str


@register
@dataclass(frozen=True)
class TopicPress(Action):
    """A customer-service manager's button on a topic investigation (record its findings)."""

    tag: ClassVar[str] = "f2"
    topic: int
    action: str


@register
@dataclass(frozen=True)
class ConsentPress(Action):
    """An owner's answer to a consent question (``yes``/``no``) or a switch in /settings
    (``on``/``off``), by kind (``greetings``, ``events``, ``surveys``)."""

    tag: ClassVar[str] = "k1"
    kind: str
    action: str


@register
@dataclass(frozen=True)
class MyDataPress(Action):
    """An owner's button about his own data (``delete``: ask for deletion; ``confirm`` / ``keep``)."""

    tag: ClassVar[str] = "r1"
    action: str


@register
@dataclass(frozen=True)
class DataRequestPress(Action):
    """A customer-service manager's decision on an owner's deletion request (``approve`` / ``refuse``)."""

    tag: ClassVar[str] = "r2"
    request: int
    action: str


@register
@dataclass(frozen=True)
class MeetingDraftPress(Action):
    """Customer service's button on its owner meeting notice (``submit``, ``edit``, ``drop``);
    ``version``: the notice's content the button was drawn for (services/care/meetings.py)."""

    tag: ClassVar[str] = "g1"
    notice: int
    action: str
    version: str


@register
@dataclass(frozen=True)
class MeetingApprovalPress(Action):
    """The office manager's decision on an owner meeting notice (``ok``: approve; ``back``: send it
    back with a comment), for the version of its content the card showed."""

    tag: ClassVar[str] = "g2"
    notice: int
    action: str
    version: str


@register
@dataclass(frozen=True)
class ReportApprovalPress(Action):
    """A monthly summary's approval (services/reports/monthly.py): the office manager's ``ok`` /
    ``back`` (send back with a comment), customer service's ``resubmit`` after a send-back — for the
    report's ``version`` the card showed."""

    tag: ClassVar[str] = "q1"
    report: int
    action: str
    version: int


@register
@dataclass(frozen=True)
class ReportMenuPress(Action):
    """``/report`` in chat (services/reports/report_chat.py): ``kind`` weekly | mtd (this month so
    far) | monthly | quarterly | yearly, or office (that scope's card); ``scope`` a project id or 0
    for the company."""

    tag: ClassVar[str] = "q2"
    kind: str
    scope: int
