"""Reading what people type: text, dates, amounts, and whether an event answers a step."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from dialogs.engine.events import ButtonEvent, ContactEvent, Event, TextEvent
from dialogs.engine.replies import KEEP, PREFILL, SKIP
from dialogs.engine.state import DialogState
from dialogs.engine.steps import (
    SCALE_LABELS,
    AmountStep,
    ChoiceStep,
    DateStep,
    Option,
    PhoneStep,
    RatingStep,
    Step,
    TextStep,
    TimeStep,
)
from dialogs.phones import normalize_phone
from dialogs.text import N_, DateText, Money, Msg

CONTROL_EXCEPTIONS = {"\n", "\t"}


@dataclass(frozen=True)
class _Valid:
    value: Any


@dataclass(frozen=True)
class _Invalid:
    message: Msg


def validate_text(text: str, min_len: int, max_len: int) -> _Valid | _Invalid:
    cleaned = unicodedata.normalize("NFC", text).strip()
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co") and ch not in CONTROL_EXCEPTIONS for ch in cleaned):
        return _Invalid(Msg(N_("The text contains characters that cannot be stored. Please type it again.")))
    if len(cleaned) < max(min_len, 1):
        return _Invalid(Msg(N_("Please write at least {n} characters."), {"n": max(min_len, 1)}))
    if len(cleaned) > max_len:
        return _Invalid(
            Msg(N_("That is too long ({length} characters); the limit is {limit}."), {"length": len(cleaned), "limit": max_len})
        )
    return _Valid(cleaned)


_DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号號]?$"),
    re.compile(r"^(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号號]?$"),
    # English, as Babel shows dates to an English reader: "November 30, 2026", "Nov 30", "30 Nov 2026".
    re.compile(r"^(?P<mon>[a-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:\s*,?\s*(?P<y>\d{4}))?$"),
    re.compile(r"^(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>[a-z]{3,9})\.?(?:\s*,?\s*(?P<y>\d{4}))?$"),
)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
EXAMPLE_DAYS_AHEAD = 7  # the example a date prompt shows: a week from today, moved into the allowed range


def _month(name: str | None, number: str | None) -> int | None:
    if number is not None:
        return int(number)
    if name is None:
        return None
    for index, month in enumerate(_MONTHS, start=1):
        if month.startswith(name) and (len(name) >= 3 or name == month):
            return index
    return None


def parse_date(text: str, today: date) -> date | None:
    """Dates as people type them: 2026-12-01, 2026/12/1, 2026年12月1日, 12月1日, December 1, 2026,
    1 Dec (a date without a year is the next such day)."""
    cleaned = unicodedata.normalize("NFKC", text).strip().lower()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(cleaned)
        if not match:
            continue
        parts = match.groupdict()
        month = _month(parts.get("mon"), parts.get("m"))
        if month is None:
            return None
        try:
            if parts.get("y"):
                return date(int(parts["y"]), month, int(parts["d"]))
            candidate = date(today.year, month, int(parts["d"]))
            return candidate if candidate >= today else date(today.year + 1, candidate.month, candidate.day)
        except ValueError:
            return None
    return None


def date_range(step: DateStep, today: date) -> tuple[date | None, date | None]:
    """The earliest and latest day the step accepts (None: no bound)."""
    earliest = today + timedelta(days=step.min_offset_days) if step.min_offset_days is not None else None
    latest = today + timedelta(days=step.max_offset_days) if step.max_offset_days is not None else None
    return earliest, latest


def example_date(step: DateStep, today: date) -> date:
    """A day the step would accept, to show as an example: a week ahead, within the range."""
    earliest, latest = date_range(step, today)
    example = today + timedelta(days=EXAMPLE_DAYS_AHEAD)
    if latest is not None and example > latest:
        example = latest
    if earliest is not None and example < earliest:
        example = earliest
    return example


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_AFTERNOON = ("下午", "午后", "午後", "傍晚", "晚上", "夜里", "夜裡", "晚", "pm", "p.m.")
_MORNING = ("上午", "早上", "早晨", "凌晨", "am", "a.m.")
_TIME = re.compile(r"^(?P<h>\d{1,2})\s*(?:[:.]\s*(?P<m>\d{2})|[点點时時]\s*(?:(?P<half>半)|(?P<cm>\d{1,2})\s*分?|(?P<q>[一三])刻)?"
                   r"|(?=\s*$))\s*(?:钟|鐘|整)?$")


def _cn_number(text: str) -> str:
    """Chinese numerals up to 59 as digits (两点 → 2点, 十二点 → 12点, 四十五分 → 45分)."""
    def one(match: re.Match[str]) -> str:
        tens, _, units = match.group(0).partition("十")
        if "十" not in match.group(0):
            return str(_CN_DIGITS[tens])
        return str((_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0))
    return re.sub(r"[零〇一二两兩三四五六七八九]?十[一二三四五六七八九]?|[零〇一二两兩三四五六七八九](?!刻)", one, text)


def parse_time(text: str) -> str | None:
    """A time of day as people type it: 19:45, 19：45, 7:45 pm, 14点30, 14點半, 下午2点, 晚上7点半,
    下午两点一刻; "HH:MM", or None."""
    cleaned = unicodedata.normalize("NFKC", text).strip().lower().replace(" ", "")
    period = ""
    for word in (*_AFTERNOON, *_MORNING, "中午"):
        if cleaned.startswith(word) or cleaned.endswith(word):
            period = word
            cleaned = cleaned.removeprefix(word) if cleaned.startswith(word) else cleaned.removesuffix(word)
            break
    match = _TIME.match(_cn_number(cleaned))
    if match is None:
        return None
    hour = int(match["h"])
    minute = 30 if match["half"] else 15 if match["q"] == "一" else 45 if match["q"] == "三" else \
        int(match["m"] or match["cm"] or 0)
    if (period in _AFTERNOON and 1 <= hour < 12) or (period == "中午" and 1 <= hour <= 2):
        hour += 12
    elif period in _MORNING and hour == 12:
        hour = 0
    elif period and hour > 12 and period not in _AFTERNOON:
        return None  # "上午14点"
    return f"{hour:02d}:{minute:02d}" if hour <= 23 and minute <= 59 else None


_AMOUNT = re.compile(r"^[¥￥]?\s*(?P<n>[0-9]{1,3}(,[0-9]{3})+|[0-9]+)(?P<f>\.[0-9]{1,2})?\s*(元|yuan|rmb|cny)?$",
                     re.IGNORECASE)


def parse_amount(text: str) -> Decimal | None:
    """Yuan to the fen: "1200", "1,200.50", "¥1200", "1200元", full-width digits. Never a float."""
    match = _AMOUNT.match(unicodedata.normalize("NFKC", text).strip())
    if match is None:
        return None
    try:
        return Decimal(match["n"].replace(",", "") + (match["f"] or "")).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def accept(step: Step, state: DialogState, event: Event, today: date, options: Sequence[Option]) -> _Valid | _Invalid:
    """The answer an event gives to a single-answer step, or why it does not.

    ``options`` are the step's options in the state's context (for a choice step).
    """
    if isinstance(event, ButtonEvent) and event.code == SKIP:
        return _Valid(None) if step.optional else _Invalid(Msg(N_("This step cannot be skipped.")))
    if isinstance(step, TimeStep) and isinstance(event, TextEvent):
        typed = parse_time(event.text)
        if typed is not None and step.earliest <= typed <= step.latest:
            return _Valid(typed)
        return _Invalid(Msg(N_("Please choose one of the buttons, or type a time between {start} and {end}, for "
                               "example 19:45 or 7:45 pm."), {"start": step.earliest, "end": step.latest}))
    if isinstance(step, ChoiceStep):
        if isinstance(event, ButtonEvent) and event.code.startswith("c:"):
            code = event.code[2:]
            if any(o.code == code for o in options):
                return _Valid(code)
        return _Invalid(Msg(N_("Please choose one of the buttons.")))
    if isinstance(step, TextStep):
        earlier = state.answers.get(step.key)
        if isinstance(event, ButtonEvent) and event.code == KEEP and isinstance(earlier, str) and earlier:
            return _Valid(earlier)
        if isinstance(event, TextEvent):
            return validate_text(event.text, step.min_len, step.max_len)
        return _Invalid(Msg(N_("Please answer with a text message.")))
    if isinstance(step, PhoneStep):
        if isinstance(event, ContactEvent):
            if not event.own:
                return _Invalid(Msg(N_("Please share your own phone number, not someone else's contact.")))
            phone = normalize_phone(event.phone)
            return _Valid(phone) if phone else _Invalid(Msg(N_("That phone number is not valid.")))
        if isinstance(event, ButtonEvent) and event.code == PREFILL and step.prefill_from:
            prefill = state.context.get(step.prefill_from)
            if prefill and normalize_phone(str(prefill)):
                return _Valid(normalize_phone(str(prefill)))
        if isinstance(event, TextEvent) and step.allow_typed:
            phone = normalize_phone(event.text)
            if phone:
                return _Valid(phone)
            return _Invalid(Msg(N_(
                "That is not a valid phone number. Please type it again, e.g. 13812345678 or +852 91234567; "
                "a number outside mainland China, Hong Kong, Macau and Taiwan with + and its country code, "
                "e.g. +1 415 555 0100.")))
        return _Invalid(Msg(N_("Please share your phone number with the button, or type it.")))
    if isinstance(step, DateStep):
        parsed = parse_date(event.text, today) if isinstance(event, TextEvent) else None
        if parsed is None:
            return _Invalid(Msg(N_("Please type a date, for example {date}."),
                                {"date": DateText(example_date(step, today))}))
        earliest, latest = date_range(step, today)
        if earliest and latest and not earliest <= parsed <= latest:
            return _Invalid(
                Msg(N_("Please choose a date between {start} and {end}."), {"start": DateText(earliest), "end": DateText(latest)})
            )
        if earliest and parsed < earliest:
            return _Invalid(Msg(N_("Please choose a date on or after {start}."), {"start": DateText(earliest)}))
        if latest and parsed > latest:
            return _Invalid(Msg(N_("Please choose a date on or before {end}."), {"end": DateText(latest)}))
        return _Valid(parsed.isoformat())
    if isinstance(step, AmountStep):
        amount = parse_amount(event.text) if isinstance(event, TextEvent) else None
        if amount is None:
            return _Invalid(Msg(N_("Please type an amount in yuan, e.g. 1200 or 1,200.50.")))
        if not step.min_value <= amount <= step.max_value:
            return _Invalid(Msg(N_("Please type an amount between {low} and {high}."),
                                {"low": Money(str(step.min_value)), "high": Money(str(step.max_value))}))
        return _Valid(str(amount))
    if isinstance(step, RatingStep):
        if isinstance(event, ButtonEvent) and event.code in {f"r:{n}" for n in range(1, 6)}:
            return _Valid(int(event.code[2:]))
        if isinstance(event, TextEvent):
            typed = unicodedata.normalize("NFKC", event.text).strip()
            if typed in {"1", "2", "3", "4", "5"}:
                return _Valid(int(typed))
        if step.labels is not None and step.labels != SCALE_LABELS:  # its own words: 1 (肯定不会) … 5 (肯定会)
            return _Invalid(Msg(N_("Please rate from 1 ({low}) to 5 ({high})."),
                                {"low": step.labels[0], "high": step.labels[4]}))
        return _Invalid(Msg(N_("Please rate from 1 (very dissatisfied) to 5 (very satisfied).")))
    return _Invalid(Msg(N_("Please choose one of the buttons.")))
