"""Dialogs built from data (JSON-like mappings), e.g. questionnaires an administrator stores.

A spec looks like::

    {
        "name": "survey:12",
        "steps": [
            {"key": "overall", "type": "rating",
             "prompt": {"text": {"zh_Hans_CN": "您对本季度的服务满意吗？", "en": "How satisfied are you?"}},
             "scale_labels": true, "optional": true},
            {"key": "topics", "type": "multi", "prompt": {"msgid": "Which topics?"},
             "options": [{"code": "garden", "label": {"text": {"en": "Garden"}}}, ...]},
            {"key": "why", "type": "text", "optional": true, "max_len": 500,
             "when": {"kind": "answer_in", "key": "overall", "values": [1, 2]}, ...},
            {"key": "confirm", "type": "confirm", "prompt": {"msgid": "Please check and confirm:"}}
        ],
        "done_text": {"msgid": "Thank you for your feedback."},
        "pause_text": {"msgid": "Saved. Send /survey to continue."}
    }

``scale_labels`` on a rating: ``true`` for the scale's words (5 · 非常满意 … 1 · 非常不满意), or
five texts. ``optional`` on a choice or rating adds a Skip button (the answer is None).
``pause_text`` makes Cancel a "⏸ Continue later" (``Dialog.pause_text``); ``title`` names the
dialog when another one is asked for while it is unfinished.

Texts are a gettext msgid of the catalogs (``{"msgid": ..., "params": {...}}``) or literals per
locale (``{"text": {locale: literal}}``, see ``Localized``). Conditions are the JSON form of
``dialogs.engine.conditions`` and may only read answers of earlier steps. Anything invalid
raises ``DialogSpecError`` naming the step and the field, so an editor can point at it.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from dialogs.engine import (
    AmountStep,
    ChoiceStep,
    ConfirmStep,
    DateStep,
    Dialog,
    MultiChoiceStep,
    Option,
    PhoneStep,
    PhotosStep,
    RatingStep,
    Step,
    TextStep,
    callback_data,
    condition_from_json,
)
from dialogs.engine.codec import MAX_REV
from dialogs.engine.conditions import Condition, answer_keys
from dialogs.engine.steps import SCALE_LABELS
from dialogs.text import Label, Localized, Msg, Text

NAME = re.compile(r"[A-Za-z0-9_.:\-]{1,64}")
KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
LOCALE = re.compile(r"[a-z]{2,3}(_[A-Z][a-z]{3})?(_[A-Z]{2})?")
MAX_TEXT = 4000  # a Telegram message holds 4096 characters
MAX_FILES = 10  # Telegram's album
MAX_OFFSET_DAYS = 3660


class DialogSpecError(ValueError):
    """An invalid dialog spec; ``step`` is the step's key (or ``#n``), None for the dialog itself."""

    def __init__(self, step: str | None, field: str, problem: str) -> None:
        self.step = step
        self.field = field
        self.problem = problem
        where = "dialog" if step is None else f"step {step}"
        super().__init__(f"{where}, {field}: {problem}")


_COMMON = frozenset({"key", "type", "prompt", "label", "optional", "when"})
_CHOICE = frozenset({"options", "options_from", "columns"})
_FIELDS: dict[str, frozenset[str]] = {
    "choice": _COMMON | _CHOICE | {"auto_single"},
    "multi": _COMMON | _CHOICE | {"min_items"},
    "text": _COMMON | {"min_len", "max_len"},
    "photos": _COMMON | {"max_items", "accept_documents"},
    "phone": _COMMON | {"allow_typed", "prefill_from"},
    "date": _COMMON | {"min_offset_days", "max_offset_days"},
    "rating": _COMMON | {"scale_labels"},
    "amount": _COMMON | {"min_value", "max_value"},
    "confirm": _COMMON - {"optional"},
}
# A confirmation is never skipped (an optional choice or rating offers a Skip button).
_NOT_OPTIONAL = frozenset({"confirm"})


def dialog_from_data(spec: Mapping[str, Any]) -> Dialog:
    """The dialog a spec describes; ``DialogSpecError`` for anything invalid."""
    if not isinstance(spec, Mapping):
        raise DialogSpecError(None, "spec", "a dialog spec is an object")
    _only(None, spec, frozenset({"name", "steps", "done_text", "pause_text", "title"}))
    name = spec.get("name")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise DialogSpecError(None, "name", "1 to 64 letters, digits or _ . : -")
    raw_steps = spec.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise DialogSpecError(None, "steps", "a non-empty list of steps")
    steps: list[Step] = []
    for index, raw in enumerate(raw_steps):
        steps.append(_step(raw, index, steps))
    if all(isinstance(s, ConfirmStep) for s in steps):
        raise DialogSpecError(None, "steps", "there is no question, only a confirmation")
    done_text = _text(None, "done_text", spec["done_text"]) if spec.get("done_text") is not None else None
    pause_text = _text(None, "pause_text", spec["pause_text"]) if spec.get("pause_text") is not None else None
    title = _text(None, "title", spec["title"]) if spec.get("title") is not None else None
    return Dialog(name=name, steps=tuple(steps), done_text=done_text, pause_text=pause_text, title=title)


def _step(raw: Any, index: int, earlier: list[Step]) -> Step:
    where = f"#{index + 1}"
    if not isinstance(raw, Mapping):
        raise DialogSpecError(where, "step", "a step is an object")
    key = raw.get("key")
    if not isinstance(key, str) or not KEY.fullmatch(key):
        raise DialogSpecError(where, "key", "a letter, then up to 39 letters, digits or _")
    if key in {s.key for s in earlier}:
        raise DialogSpecError(key, "key", "another step has the same key")
    kind = raw.get("type")
    if not isinstance(kind, str) or kind not in _FIELDS:
        raise DialogSpecError(key, "type", f"one of {', '.join(_FIELDS)}, not {kind!r}")
    if earlier and isinstance(earlier[-1], ConfirmStep):
        raise DialogSpecError(key, "type", "the confirmation is the last step")
    _only(key, raw, _FIELDS[kind])
    if kind in _NOT_OPTIONAL and "optional" in raw:
        raise DialogSpecError(key, "optional", f"a {kind} step cannot be skipped")
    read = _Reader(key, raw)
    common: dict[str, Any] = {
        "key": key,
        "prompt": read.text("prompt", required=True),
        "label": read.label("label"),
        "optional": read.boolean("optional", False),
        "when": _when(key, raw.get("when"), earlier),
    }
    build = _BUILDERS[kind]
    return build(read, common)


def _when(key: str, raw: Any, earlier: list[Step]) -> Condition | None:
    if raw is None:
        return None
    try:
        condition = condition_from_json(raw)
    except (ValueError, TypeError) as error:
        raise DialogSpecError(key, "when", str(error)) from None
    known = {s.key for s in earlier}
    for read in sorted(answer_keys(condition)):
        if read not in known:
            raise DialogSpecError(key, "when", f"reads the answer {read!r}, which is not an earlier step")
    return condition


# ---------------------------------------------------------------- the step types


def _choice(read: _Reader, common: dict[str, Any]) -> Step:
    options, options_from = read.options()
    return ChoiceStep(**common, options=options, options_from=options_from,
                      auto_single=read.boolean("auto_single", False), columns=read.integer("columns", 2, 1, 8))


def _multi(read: _Reader, common: dict[str, Any]) -> Step:
    options, options_from = read.options()
    most = len(options) if options_from is None else 100
    return MultiChoiceStep(**common, options=options, options_from=options_from,
                           columns=read.integer("columns", 2, 1, 8), min_items=read.integer("min_items", 1, 0, most))


def _text_step(read: _Reader, common: dict[str, Any]) -> Step:
    min_len = read.integer("min_len", 1, 1, MAX_TEXT)
    return TextStep(**common, min_len=min_len, max_len=read.integer("max_len", max(1000, min_len), min_len, MAX_TEXT))


def _photos(read: _Reader, common: dict[str, Any]) -> Step:
    return PhotosStep(**common, max_items=read.integer("max_items", 6, 1, MAX_FILES),
                      accept_documents=read.boolean("accept_documents", True))


def _phone(read: _Reader, common: dict[str, Any]) -> Step:
    return PhoneStep(**common, allow_typed=read.boolean("allow_typed", True),
                     prefill_from=read.context_key("prefill_from"))


def _date(read: _Reader, common: dict[str, Any]) -> Step:
    earliest = read.optional_integer("min_offset_days", -MAX_OFFSET_DAYS, MAX_OFFSET_DAYS)
    latest = read.optional_integer("max_offset_days", -MAX_OFFSET_DAYS if earliest is None else earliest,
                                   MAX_OFFSET_DAYS)
    return DateStep(**common, min_offset_days=earliest, max_offset_days=latest)


def _rating(read: _Reader, common: dict[str, Any]) -> Step:
    return RatingStep(**common, labels=read.scale_labels())


def _amount(read: _Reader, common: dict[str, Any]) -> Step:
    low = read.decimal("min_value", AmountStep.min_value)
    high = read.decimal("max_value", AmountStep.max_value)
    if high < low:
        raise DialogSpecError(read.step, "max_value", "below min_value")
    return AmountStep(**common, min_value=low, max_value=high)


def _confirm(read: _Reader, common: dict[str, Any]) -> Step:
    return ConfirmStep(**common)


_BUILDERS: dict[str, Callable[[_Reader, dict[str, Any]], Step]] = {
    "choice": _choice,
    "multi": _multi,
    "text": _text_step,
    "photos": _photos,
    "phone": _phone,
    "date": _date,
    "rating": _rating,
    "amount": _amount,
    "confirm": _confirm,
}


# ---------------------------------------------------------------- fields


class _Reader:
    """Typed fields of one step's spec; every problem names the step and the field."""

    def __init__(self, step: str, raw: Mapping[str, Any]) -> None:
        self.step = step
        self.raw = raw

    def fail(self, field: str, problem: str) -> DialogSpecError:
        return DialogSpecError(self.step, field, problem)

    def text(self, field: str, *, required: bool) -> Text | None:
        value = self.raw.get(field)
        if value is None:
            if required:
                raise self.fail(field, "missing")
            return None
        return _text(self.step, field, value)

    def label(self, field: str) -> Label | None:
        value = self.raw.get(field)
        return None if value is None else _text(self.step, field, value)

    def boolean(self, field: str, default: bool) -> bool:
        value = self.raw.get(field, default)
        if not isinstance(value, bool):
            raise self.fail(field, "true or false")
        return value

    def integer(self, field: str, default: int, low: int, high: int) -> int:
        value = self.optional_integer(field, low, high)
        return default if value is None else value

    def optional_integer(self, field: str, low: int, high: int) -> int | None:
        value = self.raw.get(field)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(field, "a whole number")
        if not low <= value <= high:
            raise self.fail(field, f"between {low} and {high}")
        return value

    def decimal(self, field: str, default: Decimal) -> Decimal:
        value = self.raw.get(field)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.fail(field, "an amount as a string, e.g. \"500\" or \"1200.50\"")
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise self.fail(field, f"not an amount: {value!r}") from None
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise self.fail(field, "a non-negative amount to the fen")
        return amount

    def scale_labels(self) -> tuple[Label, ...] | None:
        """``true``: the scale's own words (非常不满意 … 非常满意); a list: five texts, for 1 … 5."""
        value = self.raw.get("scale_labels")
        if value is None or value is False:
            return None
        if value is True:
            return SCALE_LABELS
        if not isinstance(value, list) or len(value) != 5:
            raise self.fail("scale_labels", "true, or a list of five texts (for 1 … 5)")
        return tuple(_text(self.step, f"scale_labels[{n}]", entry) for n, entry in enumerate(value, start=1))

    def context_key(self, field: str) -> str | None:
        value = self.raw.get(field)
        if value is not None and (not isinstance(value, str) or not KEY.fullmatch(value)):
            raise self.fail(field, "the name of a context value")
        return value

    def options(self) -> tuple[tuple[Option, ...], str | None]:
        options_from = self.context_key("options_from")
        raw = self.raw.get("options")
        if options_from is not None:
            if raw is not None:
                raise self.fail("options", "give options or options_from, not both")
            return (), options_from
        if not isinstance(raw, list) or not raw:
            raise self.fail("options", "a non-empty list of {code, label}")
        options: list[Option] = []
        for number, entry in enumerate(raw, start=1):
            field = f"options[{number}]"
            if not isinstance(entry, Mapping) or set(entry) != {"code", "label"}:
                raise self.fail(field, "an object with a code and a label")
            code = entry["code"]
            if not isinstance(code, str) or not _fits_a_button(code):
                raise self.fail(field, f"the code {code!r} does not fit a button (letters, digits, _ . + -)")
            if code in {o.code for o in options}:
                raise self.fail(field, f"the code {code!r} is taken by another option")
            options.append(Option(code, _text(self.step, field, entry["label"])))
        return tuple(options), None


def _text(step: str | None, field: str, value: Any) -> Label:
    shapes = ({"text"}, {"msgid"}, {"msgid", "params"})
    if not isinstance(value, Mapping) or set(value) not in shapes:
        raise DialogSpecError(step, field, 'a text is {"msgid": ...} or {"text": {locale: ...}}')
    if "text" in value:
        literals = value["text"]
        if not isinstance(literals, Mapping) or not literals:
            raise DialogSpecError(step, field, "text: an object of locale and literal")
        for locale in literals:
            if not isinstance(locale, str) or not LOCALE.fullmatch(locale):
                raise DialogSpecError(step, field, f"{locale!r} is not a locale like zh_Hant_HK or en")
        try:
            return Localized(literals)
        except ValueError as error:
            raise DialogSpecError(step, field, str(error)) from None
    msgid, params = value["msgid"], value.get("params", {})
    if not isinstance(msgid, str) or not msgid.strip():
        raise DialogSpecError(step, field, "msgid: a non-empty string")
    if not isinstance(params, Mapping) or any(
        isinstance(v, bool) or not isinstance(v, str | int) for v in params.values()
    ):
        raise DialogSpecError(step, field, "params: an object of strings and whole numbers")
    try:
        wanted = {name for _, name, _, _ in string.Formatter().parse(msgid) if name is not None}
    except ValueError as error:
        raise DialogSpecError(step, field, f"msgid: {error}") from None
    if wanted != set(params):
        raise DialogSpecError(step, field, f"msgid needs the parameters {sorted(wanted)}, got {sorted(params)}")
    return Msg(msgid, {name: v for name, v in params.items()})


def _only(step: str | None, raw: Mapping[str, Any], allowed: frozenset[str]) -> None:
    for field in raw:
        if field not in allowed:
            raise DialogSpecError(step, str(field), "unknown field")


def _fits_a_button(code: str) -> bool:
    try:
        callback_data(MAX_REV, "c:" + code)
    except ValueError:
        return False
    return ":" not in code
