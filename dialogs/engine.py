"""The pure dialog engine: ``advance(dialog, state, event) -> Outcome``.

A dialog is a declared tuple of steps. The engine knows nothing of Telegram or SQL: it takes
plain events, returns the new (JSON-serialisable) state and locale-free replies. Buttons carry
the state's revision, so a button from an earlier step is recognised as stale and refused.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from dialogs.phones import display_phone, normalize_phone
from dialogs.text import (
    N_,
    DateText,
    Field,
    Lines,
    ListText,
    Money,
    Msg,
    Plain,
    Plural,
    Text,
    text_from_json,
    text_to_json,
)

# ---------------------------------------------------------------- events


@dataclass(frozen=True)
class TextEvent:
    text: str


@dataclass(frozen=True)
class ButtonEvent:
    """An inline button press; ``rev`` is the state revision the button was drawn for."""

    rev: int
    code: str


@dataclass(frozen=True)
class ContactEvent:
    phone: str
    own: bool


@dataclass(frozen=True)
class PhotoEvent:
    file_id: str


@dataclass(frozen=True)
class DocumentEvent:
    file_id: str
    file_name: str = ""


@dataclass(frozen=True)
class UnsupportedEvent:
    """Anything else a chat can carry: stickers, voice, location, polls…"""

    kind: str


@dataclass(frozen=True)
class BackEvent:
    pass


@dataclass(frozen=True)
class CancelEvent:
    pass


@dataclass(frozen=True)
class RepeatEvent:
    """Show the current prompt again (e.g. after /start in the middle of a dialog)."""


Event = (
    TextEvent
    | ButtonEvent
    | ContactEvent
    | PhotoEvent
    | DocumentEvent
    | UnsupportedEvent
    | BackEvent
    | CancelEvent
    | RepeatEvent
)

# ---------------------------------------------------------------- replies

BACK = "<"
CANCEL = "x"
DONE = "ok"
SKIP = "-"
EDIT = "ed"
PREFILL = "pf"


@dataclass(frozen=True)
class Button:
    label: Text
    code: str


@dataclass(frozen=True)
class Reply:
    """One message to send.

    With ``rev`` set, buttons are dialog buttons and their callback data is
    ``callback_data(rev, code)``; without it, ``code`` is the callback data itself.
    """

    text: Text
    buttons: tuple[tuple[Button, ...], ...] = ()
    rev: int | None = None
    request_contact: Msg | None = None
    remove_keyboard: bool = False


# ---------------------------------------------------------------- steps

Condition = Callable[[Mapping[str, Any], Mapping[str, Any]], bool]
"""``(answers, context) -> bool``: whether a step applies."""


@dataclass(frozen=True, kw_only=True)
class Step:
    key: str
    prompt: Msg
    label: Msg | None = None  # shown in the confirmation summary; None hides the step there
    optional: bool = False
    when: Condition | None = None


@dataclass(frozen=True)
class Option:
    code: str
    label: Text


@dataclass(frozen=True, kw_only=True)
class ChoiceStep(Step):
    options: tuple[Option, ...] = ()
    options_from: str | None = None  # context key holding [[code, label], ...]
    auto_single: bool = False  # with exactly one option, choose it silently
    columns: int = 2


@dataclass(frozen=True, kw_only=True)
class MultiChoiceStep(ChoiceStep):
    """Several options: each press toggles one (✅), Done accepts; the answer is a list of codes."""

    min_items: int = 1


@dataclass(frozen=True, kw_only=True)
class AmountStep(Step):
    """An amount of money typed as people type it (1234, 1,234.50, １２３４元); kept as a decimal string."""

    min_value: Decimal = Decimal("0")
    max_value: Decimal = Decimal("100000000")


@dataclass(frozen=True, kw_only=True)
class TextStep(Step):
    min_len: int = 1
    max_len: int = 1000


@dataclass(frozen=True, kw_only=True)
class PhotosStep(Step):
    max_items: int = 6
    accept_documents: bool = True


@dataclass(frozen=True, kw_only=True)
class PhoneStep(Step):
    allow_typed: bool = True
    prefill_from: str | None = None  # context key with an E.164 number to offer as a button


@dataclass(frozen=True, kw_only=True)
class DateStep(Step):
    min_offset_days: int | None = None  # relative to today
    max_offset_days: int | None = None


@dataclass(frozen=True, kw_only=True)
class RatingStep(Step):
    pass


@dataclass(frozen=True, kw_only=True)
class ConfirmStep(Step):
    pass


@dataclass(frozen=True)
class Dialog:
    name: str
    steps: tuple[Step, ...]
    done_text: Msg | None = None

    def __post_init__(self) -> None:
        keys = [s.key for s in self.steps]
        if len(set(keys)) != len(keys):
            raise ValueError(f"dialog {self.name}: duplicate step keys")

    def step(self, key: str) -> Step:
        for s in self.steps:
            if s.key == key:
                return s
        raise KeyError(key)

    def index(self, key: str) -> int:
        return [s.key for s in self.steps].index(key)


# ---------------------------------------------------------------- state


@dataclass(frozen=True)
class DialogState:
    """Everything needed to resume a dialog; ``to_json``/``from_json`` round-trip it."""

    dialog: str
    step: str
    answers: Mapping[str, Any] = field(default_factory=dict)
    context: Mapping[str, Any] = field(default_factory=dict)
    history: tuple[str, ...] = ()
    rev: int = 1
    editing: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "dialog": self.dialog,
            "step": self.step,
            "answers": dict(self.answers),
            "context": dict(self.context),
            "history": list(self.history),
            "rev": self.rev,
            "editing": self.editing,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DialogState:
        return cls(
            dialog=str(data["dialog"]),
            step=str(data["step"]),
            answers=dict(data.get("answers") or {}),
            context=dict(data.get("context") or {}),
            history=tuple(data.get("history") or ()),
            rev=int(data.get("rev", 1)),
            editing=bool(data.get("editing", False)),
        )


Status = Literal["continue", "done", "cancelled"]


@dataclass(frozen=True)
class Outcome:
    status: Status
    state: DialogState | None
    replies: tuple[Reply, ...]
    answers: Mapping[str, Any] = field(default_factory=dict)
    dialog: str = ""  # set on "done", so the caller knows which use case to run
    context: Mapping[str, Any] = field(default_factory=dict)  # set on "done": what the dialog started with


# ---------------------------------------------------------------- public API


def start(dialog: Dialog, context: Mapping[str, Any] | None = None, *, today: date) -> Outcome:
    ctx = dict(context or {})
    first = _next_applicable(dialog, -1, {}, ctx)
    answers: dict[str, Any] = {}
    while first is not None and _auto_answer(dialog.step(first), ctx) is not None:
        answers[first] = _auto_answer(dialog.step(first), ctx)
        first = _next_applicable(dialog, dialog.index(first), answers, ctx)
    if first is None:
        return _finish(dialog, DialogState(dialog.name, "", answers, ctx))
    state = DialogState(dialog=dialog.name, step=first, answers=answers, context=ctx)
    return Outcome("continue", state, (prompt(dialog, state),))


def advance(dialog: Dialog, state: DialogState, event: Event, *, today: date) -> Outcome:
    """Apply one event. Invalid input leaves the state unchanged and re-prompts."""
    if state.dialog != dialog.name or state.step not in {s.key for s in dialog.steps}:
        return Outcome("cancelled", None, (Reply(Msg(N_("This conversation has expired.")), remove_keyboard=True),))
    step = dialog.step(state.step)

    if isinstance(event, CancelEvent) or (isinstance(event, ButtonEvent) and event.code == CANCEL):
        if isinstance(event, ButtonEvent) and event.rev != state.rev:
            return _stale(dialog, state)
        return Outcome("cancelled", None, (Reply(Msg(N_("Cancelled. Nothing was saved.")), remove_keyboard=True),))
    if isinstance(event, RepeatEvent):
        return _stay(dialog, state)
    if isinstance(event, ButtonEvent) and event.rev != state.rev:
        return _stale(dialog, state)
    if isinstance(event, BackEvent) or (isinstance(event, ButtonEvent) and event.code == BACK):
        return _back(dialog, state)

    if isinstance(step, ConfirmStep):
        return _confirm(dialog, state, step, event)
    if isinstance(step, PhotosStep):
        return _photos(dialog, state, step, event)
    if isinstance(step, MultiChoiceStep):
        return _multi(dialog, state, step, event)

    value_or_error = _accept(step, state, event, today)
    if isinstance(value_or_error, _Invalid):
        return _stay(dialog, state, value_or_error.message)
    return _answered(dialog, state, step.key, value_or_error.value)


def prompt(dialog: Dialog, state: DialogState) -> Reply:
    """The message that asks the current step's question, with its buttons."""
    step = dialog.step(state.step)
    nav = _nav_row(state)
    if isinstance(step, MultiChoiceStep):
        chosen = set(state.answers.get(step.key) or ())
        buttons = [Button(Msg(N_("✅ {label}"), {"label": o.label}) if o.code in chosen else o.label, "c:" + o.code)
                   for o in options_of(step, state.context)]
        done = [(Button(Msg(N_("Done")), DONE),)] if len(chosen) >= step.min_items else []
        if step.optional and not chosen:
            done = [(Button(Msg(N_("Skip")), SKIP),)]
        return Reply(step.prompt, (*_chunk(buttons, step.columns), *done, nav), rev=state.rev)
    if isinstance(step, ChoiceStep):
        buttons = [Button(o.label, "c:" + o.code) for o in options_of(step, state.context)]
        return Reply(step.prompt, (*_chunk(buttons, step.columns), nav), rev=state.rev)
    if isinstance(step, RatingStep):
        stars = tuple(Button(str(n), f"r:{n}") for n in range(1, 6))
        return Reply(step.prompt, (stars, nav), rev=state.rev)
    if isinstance(step, PhoneStep):
        rows: list[tuple[Button, ...]] = []
        prefill = normalize_phone(str(state.context.get(step.prefill_from) or "")) if step.prefill_from else None
        if prefill:
            rows.append((Button(Msg(N_("Use {phone}"), {"phone": display_phone(prefill)}), PREFILL),))
        if step.optional:
            rows.append((Button(Msg(N_("Skip")), SKIP),))
        return Reply(
            step.prompt,
            (*rows, nav),
            rev=state.rev,
            request_contact=Msg(N_("📱 Share my phone number")),
        )
    if isinstance(step, PhotosStep):
        got = len(state.answers.get(step.key) or [])
        if got:
            rows = [(Button(Msg(N_("Done")), DONE),)]
        else:
            rows = [(Button(Msg(N_("Skip")), SKIP),)] if step.optional else []
        text: Text = step.prompt
        if got:
            text = Lines((step.prompt, Plural("Received {n} file.", "Received {n} files.", got)))
        return Reply(text, (*rows, nav), rev=state.rev)
    if isinstance(step, ConfirmStep):
        summary = summarize(dialog, state)
        rows = [
            (Button(Msg(N_("✅ Confirm")), DONE), Button(Msg(N_("✏️ Edit")), EDIT)),
        ]
        return Reply(Lines((step.prompt, summary)), (*rows, nav), rev=state.rev)
    rows = [(Button(Msg(N_("Skip")), SKIP),)] if step.optional else []
    return Reply(step.prompt, (*rows, nav), rev=state.rev)


def summarize(dialog: Dialog, state: DialogState) -> Lines:
    """One line per answered, labelled step, in dialog order."""
    lines: list[Text] = []
    for step in dialog.steps:
        if step.label is None or step.key not in state.answers:
            continue
        if not _applies(step, state.answers, state.context):
            continue
        lines.append(Field(step.label, display_answer(step, state.answers[step.key], state.context)))
    return Lines(tuple(lines))


def display_answer(step: Step, value: Any, context: Mapping[str, Any]) -> Text:
    if value is None or (isinstance(step, PhotosStep) and not value):
        return Msg(N_("(skipped)"))
    if isinstance(step, MultiChoiceStep):
        labels = {o.code: o.label for o in options_of(step, context)}
        return ListText(tuple(labels.get(code, Plain(str(code))) for code in value))
    if isinstance(step, AmountStep):
        return Money(str(value))
    if isinstance(step, ChoiceStep):
        for option in options_of(step, context):
            if option.code == value:
                return option.label
        return Plain(str(value))
    if isinstance(step, PhotosStep):
        return Plural("{n} file", "{n} files", len(value))
    if isinstance(step, PhoneStep):
        return Plain(display_phone(str(value)))
    if isinstance(step, DateStep):
        return DateText(date.fromisoformat(str(value)))
    if isinstance(step, RatingStep):
        return Msg(N_("{n} / 5"), {"n": int(value)})
    return Plain(str(value))


def options_of(step: ChoiceStep, context: Mapping[str, Any]) -> tuple[Option, ...]:
    if step.options_from is None:
        return step.options
    # Entries are [code, label] (shown as is) or [code, msgid, "msg"] (translated).
    raw = context.get(step.options_from) or []
    return tuple(
        Option(str(entry[0]), Msg(str(entry[1])) if len(entry) > 2 and entry[2] == "msg" else Plain(str(entry[1])))
        for entry in raw
    )


def callback_data(rev: int, code: str) -> str:
    """The inline-button payload for a dialog button: short, versioned, ASCII."""
    return f"d1:{rev}:{code}"


def parse_callback_data(data: str) -> ButtonEvent | None:
    parts = data.split(":", 2)
    if len(parts) != 3 or parts[0] != "d1" or not re.fullmatch(r"[0-9]{1,9}", parts[1]):
        return None
    return ButtonEvent(int(parts[1]), parts[2])


# ---------------------------------------------------------------- validation

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
    re.compile(r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?$"),
    re.compile(r"^(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?$"),
)


def parse_date(text: str, today: date) -> date | None:
    """Dates as people type them: 2026-12-01, 2026/12/1, 2026年12月1日, 12月1日 (next such day)."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(cleaned)
        if not match:
            continue
        parts = match.groupdict()
        try:
            if parts.get("y"):
                return date(int(parts["y"]), int(parts["m"]), int(parts["d"]))
            candidate = date(today.year, int(parts["m"]), int(parts["d"]))
            return candidate if candidate >= today else date(today.year + 1, candidate.month, candidate.day)
        except ValueError:
            return None
    return None


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


def _accept(step: Step, state: DialogState, event: Event, today: date) -> _Valid | _Invalid:
    if isinstance(event, ButtonEvent) and event.code == SKIP:
        return _Valid(None) if step.optional else _Invalid(Msg(N_("This step cannot be skipped.")))
    if isinstance(step, ChoiceStep):
        if isinstance(event, ButtonEvent) and event.code.startswith("c:"):
            code = event.code[2:]
            if any(o.code == code for o in options_of(step, state.context)):
                return _Valid(code)
        return _Invalid(Msg(N_("Please choose one of the buttons.")))
    if isinstance(step, TextStep):
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
            return _Invalid(
                Msg(N_("That is not a valid mobile number. Please type it again, e.g. 13812345678 or +852 91234567."))
            )
        return _Invalid(Msg(N_("Please share your phone number with the button, or type it.")))
    if isinstance(step, DateStep):
        if not isinstance(event, TextEvent):
            return _Invalid(Msg(N_("Please type a date, e.g. 2026-12-01.")))
        parsed = parse_date(event.text, today)
        if parsed is None:
            return _Invalid(Msg(N_("Please type a date, e.g. 2026-12-01.")))
        earliest = today + timedelta(days=step.min_offset_days) if step.min_offset_days is not None else None
        latest = today + timedelta(days=step.max_offset_days) if step.max_offset_days is not None else None
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
        return _Invalid(Msg(N_("Please rate from 1 (very dissatisfied) to 5 (very satisfied).")))
    return _Invalid(Msg(N_("Please choose one of the buttons.")))


# ---------------------------------------------------------------- transitions


def _applies(step: Step, answers: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
    return step.when is None or bool(step.when(answers, context))


def _auto_answer(step: Step, context: Mapping[str, Any]) -> str | None:
    if isinstance(step, ChoiceStep) and step.auto_single and not isinstance(step, MultiChoiceStep):
        options = options_of(step, context)
        if len(options) == 1:
            return options[0].code
    return None


def _next_applicable(dialog: Dialog, after: int, answers: Mapping[str, Any], context: Mapping[str, Any]) -> str | None:
    for step in dialog.steps[after + 1 :]:
        if _applies(step, answers, context):
            return step.key
    return None


def _answered(dialog: Dialog, state: DialogState, key: str, value: Any) -> Outcome:
    answers = {**state.answers, key: value}
    history = (*state.history, key)
    position = dialog.index(key)
    while True:
        nxt = _next_applicable(dialog, position, answers, state.context)
        if nxt is None:
            return _finish(dialog, replace(state, answers=answers))
        auto = _auto_answer(dialog.step(nxt), state.context)
        if auto is not None:
            answers[nxt] = auto
            position = dialog.index(nxt)
            continue
        # After an edit, skip ahead over steps that still hold an answer (straight back to confirm).
        if state.editing and nxt in answers and not isinstance(dialog.step(nxt), ConfirmStep):
            position = dialog.index(nxt)
            continue
        break
    new_state = replace(state, step=nxt, answers=answers, history=history, rev=state.rev + 1, editing=False)
    return Outcome("continue", new_state, (prompt(dialog, new_state),))


def _finish(dialog: Dialog, state: DialogState) -> Outcome:
    applicable = {
        s.key: state.answers[s.key]
        for s in dialog.steps
        if s.key in state.answers and _applies(s, state.answers, state.context) and not isinstance(s, ConfirmStep)
    }
    replies = (Reply(dialog.done_text, remove_keyboard=True),) if dialog.done_text else ()
    return Outcome("done", None, replies, applicable, dialog.name, state.context)


def _back(dialog: Dialog, state: DialogState) -> Outcome:
    # Pass over steps that no longer apply (an edit changed an answer) or no longer exist.
    history = list(state.history)
    keys = {s.key for s in dialog.steps}
    while history and (history[-1] not in keys or not _applies(dialog.step(history[-1]), state.answers, state.context)):
        history.pop()
    if not history:
        return _stay(dialog, state, Msg(N_("This is the first step. Use Cancel to stop.")))
    previous = history[-1]
    new_state = replace(state, step=previous, history=tuple(history[:-1]), rev=state.rev + 1, editing=False)
    return Outcome("continue", new_state, (prompt(dialog, new_state),))


def _stay(dialog: Dialog, state: DialogState, error: Msg | None = None) -> Outcome:
    current = prompt(dialog, state)
    replies = (Reply(error), current) if error else (current,)
    return Outcome("continue", state, replies)


def _stale(dialog: Dialog, state: DialogState) -> Outcome:
    return _stay(dialog, state, Msg(N_("That button belongs to an earlier question; please use the latest one.")))


def _photos(dialog: Dialog, state: DialogState, step: PhotosStep, event: Event) -> Outcome:
    items: list[dict[str, str]] = list(state.answers.get(step.key) or [])
    if isinstance(event, ButtonEvent) and event.code in (DONE, SKIP):
        if not items and not step.optional:
            return _stay(dialog, state, Msg(N_("Please send at least one photo.")))
        return _answered(dialog, state, step.key, items)
    if isinstance(event, PhotoEvent):
        items.append({"kind": "photo", "file_id": event.file_id})
    elif isinstance(event, DocumentEvent) and step.accept_documents:
        items.append({"kind": "document", "file_id": event.file_id, "name": event.file_name[:100]})
    else:
        return _stay(dialog, state, Msg(N_("Please send a photo, or press Done.")))
    if len(items) > step.max_items:
        return _stay(dialog, state, Msg(N_("At most {n} files can be attached."), {"n": step.max_items}))
    if len(items) == step.max_items:
        return _answered(dialog, state, step.key, items)
    # Collecting within a step keeps the revision: earlier "Done" buttons stay valid.
    new_state = replace(state, answers={**state.answers, step.key: items})
    return Outcome("continue", new_state, (prompt(dialog, new_state),))


def _multi(dialog: Dialog, state: DialogState, step: MultiChoiceStep, event: Event) -> Outcome:
    chosen: list[str] = list(state.answers.get(step.key) or [])
    if isinstance(event, ButtonEvent) and event.code == SKIP and step.optional and not chosen:
        return _answered(dialog, state, step.key, [])
    if isinstance(event, ButtonEvent) and event.code == DONE:
        if len(chosen) < step.min_items:
            return _stay(dialog, state, Msg(N_("Please choose at least one option.")))
        return _answered(dialog, state, step.key, chosen)
    codes = [o.code for o in options_of(step, state.context)]
    if not (isinstance(event, ButtonEvent) and event.code.startswith("c:") and event.code[2:] in codes):
        return _stay(dialog, state, Msg(N_("Please choose with the buttons, then press Done.")))
    code = event.code[2:]
    chosen = [c for c in chosen if c != code] if code in chosen else [c for c in codes if c in {*chosen, code}]
    # Toggling within a step keeps the revision: the other buttons of the same question stay valid.
    new_state = replace(state, answers={**state.answers, step.key: chosen})
    return Outcome("continue", new_state, (prompt(dialog, new_state),))


def _confirm(dialog: Dialog, state: DialogState, step: ConfirmStep, event: Event) -> Outcome:
    if isinstance(event, ButtonEvent) and event.code == DONE:
        return _finish(dialog, state)
    if isinstance(event, ButtonEvent) and event.code == EDIT:
        rows = tuple(
            (Button(s.label, f"e:{i}"),)
            for i, s in enumerate(dialog.steps)
            if s.label is not None and s.key in state.answers and _applies(s, state.answers, state.context)
            and _auto_answer(s, state.context) is None
        )
        return Outcome("continue", state, (Reply(Msg(N_("Which item do you want to change?")), (*rows, _nav_row(state)), rev=state.rev),))
    if isinstance(event, ButtonEvent) and re.fullmatch(r"e:[0-9]{1,9}", event.code):
        index = int(event.code[2:])
        if index < len(dialog.steps):
            target = dialog.steps[index]
            if (
                target.label is not None
                and target.key in state.answers
                and _applies(target, state.answers, state.context)
                and _auto_answer(target, state.context) is None
            ):
                new_state = replace(
                    state, step=target.key, history=(*state.history, step.key), rev=state.rev + 1, editing=True
                )
                return Outcome("continue", new_state, (prompt(dialog, new_state),))
    return _stay(dialog, state, Msg(N_("Please confirm with the button, or choose Edit.")))


def _nav_row(state: DialogState) -> tuple[Button, ...]:
    back = (Button(Msg(N_("◀ Back")), BACK),) if state.history else ()
    return (*back, Button(Msg(N_("✖ Cancel")), CANCEL))


def _chunk(buttons: Sequence[Button], size: int) -> list[tuple[Button, ...]]:
    return [tuple(buttons[i : i + size]) for i in range(0, len(buttons), size)]


def reply_to_json(reply: Reply) -> dict[str, Any]:
    """A reply as JSON, for the outbox: rendered for the reader's locale only when sent."""
    return {
        "text": text_to_json(reply.text),
        "buttons": [[{"label": text_to_json(b.label), "code": b.code} for b in row] for row in reply.buttons],
        "rev": reply.rev,
        "remove_keyboard": reply.remove_keyboard,
    }


def reply_from_json(data: Mapping[str, Any]) -> Reply:
    rows = tuple(
        tuple(Button(text_from_json(b["label"]), str(b["code"])) for b in row) for row in data.get("buttons") or ()
    )
    return Reply(text_from_json(data["text"]), rows, rev=data.get("rev"),
                 remove_keyboard=bool(data.get("remove_keyboard")))
