"""Property-based tests of the pure dialog engine: random event sequences against real dialogs.

Each example starts a dialog and feeds it up to ``MAX_EVENTS`` events, each drawn for the state
the dialog is in (so buttons are sometimes the current prompt's, sometimes stale or forged).
After every event the invariants below are checked; when the dialog finishes, every answer must
satisfy its step's validation.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogs.engine import (
    BACK,
    CANCEL,
    DONE,
    EDIT,
    PREFILL,
    SKIP,
    BackEvent,
    ButtonEvent,
    CancelEvent,
    ChoiceStep,
    ConfirmStep,
    ContactEvent,
    DateStep,
    Dialog,
    DialogState,
    DocumentEvent,
    Event,
    MultiChoiceStep,
    Outcome,
    PhoneStep,
    PhotoEvent,
    PhotosStep,
    RatingStep,
    RepeatEvent,
    Reply,
    Step,
    TextEvent,
    TextStep,
    UnsupportedEvent,
    advance,
    callback_data,
    offered_buttons,
    options_of,
    parse_callback_data,
    prompt,
    start,
)
from dialogs.inquiry import INQUIRY
from dialogs.phones import normalize_phone
from dialogs.text import Msg
from tests.test_engine import REPAIR, TODAY

MAX_EVENTS = 40
SETTINGS = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),  # timing checks fail under a loaded machine
)

# A third dialog for the variants REPAIR and INQUIRY do not use: optional text and photos,
# photos without documents, a phone that must be shared, a date with only a lower bound.
VARIANTS = Dialog(
    name="test_variants",
    steps=(
        ChoiceStep(
            key="unit",
            prompt=Msg("Which unit?"),
            label=Msg("Unit"),
            options_from="units",
            auto_single=True,
            columns=3,
        ),
        TextStep(key="note", prompt=Msg("Anything to add?"), label=Msg("Note"), optional=True, min_len=3, max_len=20),
        PhotosStep(
            key="pics", prompt=Msg("Pictures?"), label=Msg("Pictures"), optional=True, accept_documents=False, max_items=2
        ),
        PhoneStep(key="mobile", prompt=Msg("Share your phone."), label=Msg("Mobile"), allow_typed=False),
        DateStep(key="from", prompt=Msg("From when?"), label=Msg("From"), min_offset_days=0),
        ConfirmStep(key="confirm", prompt=Msg("OK?")),
    ),
)

VALID_PHONES = (
    "13812345678",
    "+86 138 1234 5678",
    "１３８１２３４５６７８",
    "+852 9123 4567",
    "0085291234567",
    "+853 6612 3456",
    "+886 912 345 678",
    "0912345678",
    "+1 415 555 0100",  # abroad: any country, with its code
    "+44 20 7946 0958",
)
INVALID_PHONES = ("", "12345", "+1 202 555 01", "+44 20 7946", "not a phone", "+" + "9" * 40)
KNOWN_CODES = (BACK, CANCEL, DONE, SKIP, EDIT, PREFILL, "c:", "e:", "r:", "r:0", "r:6", "r:9", "e:999", "c:nonexistent")

# ---------------------------------------------------------------- strategies

characters = st.characters(exclude_categories=["Cs"])
controls = st.characters(min_codepoint=0, max_codepoint=0x1F)
fiddly = st.sampled_from(" \t\n\r\u00a0\u200b\u3000\u0301\ue000\x7f\x85abc字🚰５")


def _date_text(day: date, style: int) -> str:
    return [
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.month}月{day.day}日",
        f"{day.month}/{day.day}",
        day.isoformat().translate({ord(c): 0xFF10 + int(c) for c in "0123456789"}),  # full-width digits
    ][style]


dates_typed = st.builds(
    _date_text, st.dates(min_value=TODAY - timedelta(days=400), max_value=TODAY + timedelta(days=800)), st.integers(0, 5)
)

texts = st.one_of(
    st.text(characters, max_size=40),
    st.text(st.one_of(controls, fiddly), max_size=20),
    st.text(st.sampled_from("abc xyz"), min_size=0, max_size=60),  # often a valid answer
    st.builds(lambda c, n: c * n, st.sampled_from(["x", " ", "字", "🚰", "\x00", "a\n"]), st.integers(990, 10_000)),
    st.sampled_from(["", " ", "\n\t", "１", "５", "3", "0", "6", " 4 ", "⑤", *VALID_PHONES, *INVALID_PHONES]),
    dates_typed,
    st.sampled_from(VALID_PHONES),
)

phones = st.one_of(
    st.sampled_from(VALID_PHONES),
    st.sampled_from(["+8613812345678", "8613812345678", "+85291234567", *INVALID_PHONES]),
    st.text(characters, max_size=20),
)


def offered_codes(dialog: Dialog, state: DialogState) -> list[str]:
    """Every button code the user has been shown for the state's revision."""
    return [button.code for button in offered_buttons(dialog, state, today=TODAY)]


def codes(reply: Reply) -> list[str]:
    return [button.code for row in reply.buttons for button in row]


@dataclass(frozen=True)
class Press:
    """A button press to be resolved against the state the dialog is in when it is sent.

    ``rev``: None for the current revision, else an offset from it (``near``) or an absolute one.
    ``code``: an int picks one of the codes offered for the current state, a str is sent as is.
    """

    rev: int | None
    near: bool
    code: int | str

    def resolve(self, dialog: Dialog, state: DialogState) -> ButtonEvent:
        rev = state.rev if self.rev is None else state.rev + self.rev if self.near else self.rev
        if isinstance(self.code, int):
            offered = offered_codes(dialog, state)
            return ButtonEvent(rev, offered[self.code % len(offered)])
        return ButtonEvent(rev, self.code)


presses = st.builds(
    Press,
    st.one_of(st.none(), st.none(), st.none(), st.integers(-3, 3), st.integers(-2, 10**9)),
    st.booleans(),
    st.one_of(
        st.integers(0, 20),
        st.integers(0, 20),
        st.integers(0, 20),
        st.sampled_from(KNOWN_CODES),
        st.builds(lambda p, s: p + s, st.sampled_from(["c:", "e:", "r:"]), st.text(characters, max_size=6)),
        st.integers(-1, 12).map(lambda n: f"e:{n}"),
        st.builds(
            lambda p, s: p + s,
            st.sampled_from(["e:", "r:", "c:"]),
            st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=3),  # "e:²", "r:٣"
        ),
        st.text(characters, max_size=12),
    ),
)

@dataclass(frozen=True)
class Answer:
    """A plausible answer to whatever the current step asks (so that sequences get somewhere)."""

    seed: int

    def resolve(self, dialog: Dialog, state: DialogState) -> Event:
        step, seed = dialog.step(state.step), self.seed
        offered = [code for code in offered_codes(dialog, state) if code not in (BACK, CANCEL)]
        if isinstance(step, TextStep):
            low, high = max(step.min_len, 1), min(step.max_len, 60)
            length = low + seed % (high - low + 1)
            return TextEvent(("a" + "字 b🚰" * 20)[: length - 1] + "z" if length > 1 else "a")
        if isinstance(step, DateStep):
            earliest = TODAY + timedelta(days=step.min_offset_days or 0)
            span = (step.max_offset_days if step.max_offset_days is not None else 400) - (step.min_offset_days or 0)
            return TextEvent(_date_text(earliest + timedelta(days=seed % (span + 1)), seed % 6))
        if isinstance(step, PhoneStep) and seed % 3:
            phone = VALID_PHONES[seed % len(VALID_PHONES)]
            return ContactEvent(phone, own=True) if seed % 3 == 1 or not step.allow_typed else TextEvent(phone)
        if isinstance(step, PhotosStep) and seed % 3:
            return PhotoEvent(f"p{seed}") if seed % 3 == 1 else DocumentEvent(f"d{seed}", f"file{seed}.pdf")
        if isinstance(step, RatingStep) and seed % 2:
            return TextEvent("１２３４５"[seed % 5])
        if isinstance(step, ConfirmStep) and seed % 4:
            return ButtonEvent(state.rev, DONE)
        return ButtonEvent(state.rev, offered[seed % len(offered)] if offered else CANCEL)


events: st.SearchStrategy[Event | Press | Answer] = st.one_of(
    st.builds(Answer, st.integers(0, 1000)),
    st.builds(Answer, st.integers(0, 1000)),
    st.builds(Answer, st.integers(0, 1000)),
    presses,
    presses,
    st.builds(TextEvent, texts),
    st.builds(TextEvent, texts),
    st.builds(ContactEvent, phones, st.booleans()),
    st.builds(PhotoEvent, st.text(max_size=10)),
    st.builds(DocumentEvent, st.text(max_size=10), st.text(characters, max_size=150)),
    st.builds(UnsupportedEvent, st.sampled_from(["sticker", "voice", "location", "poll", ""])),
    st.sampled_from([BackEvent(), RepeatEvent(), BackEvent(), RepeatEvent(), CancelEvent()]),
)


def draw_event(data: st.DataObject, dialog: Dialog, state: DialogState) -> Event:
    drawn = data.draw(events, label=f"event at {state.step}")
    return drawn.resolve(dialog, state) if isinstance(drawn, Press | Answer) else drawn


contexts: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    REPAIR.name: st.fixed_dictionaries(
        {
            "offices": st.lists(
                st.sampled_from([["north", "North Gate"], ["south", "South Gate"], ["east", "东门"]]),
                min_size=1,
                max_size=3,
                unique_by=lambda o: o[0],
            )
        },
        optional={"phone": st.sampled_from(["+85291234567", "+8613812345678", "12345", ""])},
    ),
    INQUIRY.name: st.fixed_dictionaries(
        {"known": st.booleans()}, optional={"phone": st.sampled_from(["+8613812345678", "+886912345678", "oops"])}
    ),
    VARIANTS.name: st.fixed_dictionaries(
        {"units": st.lists(st.sampled_from([["1-101", "1-101"], ["2-202", "2-202"]]), min_size=0, max_size=2, unique_by=lambda u: u[0])}
    ),
}

# ---------------------------------------------------------------- invariants


def round_trip(state: DialogState) -> DialogState:
    restored = DialogState.from_json(json.loads(json.dumps(state.to_json())))
    assert restored.to_json() == state.to_json()
    return restored


def check_replies(outcome: Outcome) -> None:
    for reply in (*outcome.replies, *((outcome.refresh,) if outcome.refresh is not None else ())):
        if reply.rev is None:
            assert reply.buttons == ()
            continue
        assert outcome.state is not None
        assert reply.rev == outcome.state.rev
        for code in codes(reply):
            data = callback_data(reply.rev, code)
            assert len(data.encode("utf-8")) <= 64
            assert parse_callback_data(data) == ButtonEvent(reply.rev, code)


def check_state(dialog: Dialog, state: DialogState) -> None:
    """A dialog in progress always stands at a step that applies and is not answered by itself."""
    step = dialog.step(state.step)
    assert step.when is None or step.when.holds(state.answers, state.context)
    if isinstance(step, ChoiceStep) and step.auto_single:
        assert len(options_of(step, state.context)) != 1
    for key in state.history:
        dialog.step(key)


def check_transition(dialog: Dialog, before: DialogState, event: Event, outcome: Outcome) -> None:
    after = outcome.state
    if outcome.status != "continue":
        assert after is None
        assert outcome.status == "done" or isinstance(event, CancelEvent) or event == ButtonEvent(before.rev, CANCEL)
        assert outcome.answered is not None or outcome.status == "done"  # the question shows what ended it
        return
    assert after is not None
    unchanged = after.to_json() == before.to_json()

    if isinstance(event, ButtonEvent) and event.rev != before.rev:
        # A double tap or an old button: nothing changes, nothing is sent, a short notice only.
        assert unchanged, "a stale button changed the state"
        assert outcome.replies == () and outcome.refresh is None
        assert outcome.notice is not None
        return
    assert outcome.notice is None
    if isinstance(event, ButtonEvent) and event.rev == before.rev:
        offered = offered_codes(dialog, before)
        alias = isinstance(dialog.step(before.step), PhotosStep) and event.code == SKIP and DONE in offered
        if event.code not in offered and not alias:
            assert unchanged, f"the forged code {event.code!r} changed the state"
    if isinstance(event, UnsupportedEvent):
        assert unchanged
    if isinstance(event, RepeatEvent):
        assert unchanged
        assert outcome.replies == (prompt(dialog, before, today=TODAY),)
        return

    if outcome.refresh is not None:
        # Redrawn in place: an option toggled, or the confirmation's edit list and back.
        assert outcome.replies == ()
        assert after.rev == before.rev and after.step == before.step
        assert outcome.refresh.rev == before.rev
        step = dialog.step(before.step)
        assert isinstance(step, MultiChoiceStep | ConfirmStep)
        if isinstance(step, MultiChoiceStep):
            assert outcome.refresh == prompt(dialog, after, today=TODAY)
        return

    assert len(outcome.replies) == 1
    [reply] = outcome.replies
    if unchanged:
        # Refused: the reason, carrying the question's buttons; not the question again.
        question = prompt(dialog, before, today=TODAY)
        assert isinstance(reply.text, Msg)
        assert (reply.buttons, reply.rev, reply.request_contact) == (question.buttons, question.rev,
                                                                     question.request_contact)
        assert outcome.answered is None
        return

    if after.rev == before.rev:
        # The same question stays open: one more file, or a text message continuing the previous answer.
        assert after.step == before.step
        step = dialog.step(before.step)
        assert reply.buttons == prompt(dialog, after, today=TODAY).buttons
        changed = {k for k in {*before.answers, *after.answers} if before.answers.get(k) != after.answers.get(k)}
        if isinstance(step, PhotosStep) and changed == {step.key}:
            assert len(after.answers[step.key]) == len(before.answers.get(step.key) or []) + 1
        else:
            [key] = changed
            assert key == before.history[-1] and isinstance(dialog.step(key), TextStep)
            assert after.answers[key].startswith(before.answers[key] + "\n")
            assert isinstance(event, TextEvent)
        return
    # Moved on: exactly the new question is asked.
    assert after.rev == before.rev + 1
    assert outcome.replies == (prompt(dialog, after, today=TODAY),)


def is_text_clean(value: str) -> bool:
    return not any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in value)


def check_answer(step: Step, value: Any, context: Mapping[str, Any]) -> None:
    if value is None:
        assert step.optional and not isinstance(step, PhotosStep), step.key
        return
    if isinstance(step, ChoiceStep):
        assert value in [o.code for o in options_of(step, context)]
    elif isinstance(step, TextStep):
        assert isinstance(value, str)
        assert value == value.strip()
        assert max(step.min_len, 1) <= len(value) <= step.max_len
        assert is_text_clean(value)
        assert all(unicodedata.category(ch) not in ("Cs", "Co") for ch in value)
    elif isinstance(step, PhoneStep):
        assert isinstance(value, str)
        assert value.startswith("+")
        assert value[1:].isascii() and value[1:].isdigit()
        assert normalize_phone(value) == value
    elif isinstance(step, RatingStep):
        assert type(value) is int
        assert 1 <= value <= 5
    elif isinstance(step, DateStep):
        assert isinstance(value, str)
        day = date.fromisoformat(value)
        assert day.isoformat() == value
        if step.min_offset_days is not None:
            assert day >= TODAY + timedelta(days=step.min_offset_days)
        if step.max_offset_days is not None:
            assert day <= TODAY + timedelta(days=step.max_offset_days)
    elif isinstance(step, PhotosStep):
        assert isinstance(value, list)
        assert len(value) <= step.max_items
        assert step.optional or len(value) >= 1
        for item in value:
            assert item["kind"] in ("photo", "document")  # a picture sent as a file is a document too
            assert len(item.get("name", "")) <= 100
    else:
        raise AssertionError(f"unexpected answer for {step.key}")


def check_done(dialog: Dialog, outcome: Outcome, context: Mapping[str, Any]) -> None:
    assert outcome.state is None
    assert outcome.dialog == dialog.name
    answers = outcome.answers
    json.dumps(dict(answers))
    for step in dialog.steps:
        applies = step.when is None or step.when.holds(answers, context)
        if isinstance(step, ConfirmStep) or not applies:
            assert step.key not in answers, step.key
            continue
        assert step.key in answers, f"{step.key} applies but was never answered"
        check_answer(step, answers[step.key], context)


# ---------------------------------------------------------------- the properties


def play(dialog: Dialog, data: st.DataObject) -> str:
    context = data.draw(contexts[dialog.name], label="context")
    outcome = start(dialog, context, today=TODAY)
    if outcome.status == "done":
        check_done(dialog, outcome, context)
        return "done"
    assert outcome.state is not None
    check_replies(outcome)
    state = round_trip(outcome.state)
    check_state(dialog, state)
    for _ in range(MAX_EVENTS):
        event = draw_event(data, dialog, state)
        outcome = advance(dialog, state, event, today=TODAY)
        check_transition(dialog, state, event, outcome)
        check_replies(outcome)
        if outcome.status == "done":
            check_done(dialog, outcome, context)
            return "done"
        if outcome.status == "cancelled":
            return "cancelled"
        assert outcome.state is not None
        # Continue from the JSON copy, as the bot does between updates.
        state = round_trip(outcome.state)
        check_state(dialog, state)
    return "continue"


@SETTINGS
@given(st.data())
def test_random_events_against_the_test_dialog(data: st.DataObject) -> None:
    play(REPAIR, data)


@SETTINGS
@given(st.data())
def test_random_events_against_the_inquiry_dialog(data: st.DataObject) -> None:
    play(INQUIRY, data)


@SETTINGS
@given(st.data())
def test_random_events_against_a_dialog_of_optional_steps(data: st.DataObject) -> None:
    play(VARIANTS, data)


@settings(max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from([REPAIR, INQUIRY]), st.data())
def test_stale_buttons_never_change_the_state(dialog: Dialog, data: st.DataObject) -> None:
    context = data.draw(contexts[dialog.name])
    outcome = start(dialog, context, today=TODAY)
    assert outcome.state is not None
    state = outcome.state
    for _ in range(data.draw(st.integers(0, 12))):
        event = draw_event(data, dialog, state)
        outcome = advance(dialog, state, event, today=TODAY)
        if outcome.state is None:
            return
        state = outcome.state
    code = data.draw(st.one_of(st.sampled_from(offered_codes(dialog, state)), st.sampled_from(KNOWN_CODES)))
    rev = data.draw(st.integers(-5, 10**9).filter(lambda r: r != state.rev))
    stale = advance(dialog, state, ButtonEvent(rev, code), today=TODAY)
    assert stale.status == "continue"
    assert stale.state is not None
    assert stale.state.to_json() == state.to_json()
    assert stale.replies == () and stale.notice is not None


@settings(max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=70))
def test_parse_callback_data_never_raises(data: str) -> None:
    event = parse_callback_data(data)
    if event is not None:
        assert data.startswith("d1:")
        assert 0 <= event.rev < 10**9
        assert data.split(":", 2)[1].isascii()


BUTTON_CODE = re.compile(r"[A-Za-z0-9_:.<>+\-]{1,60}")  # what a DialogPress carries (dialogs.actions)


@settings(max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(
    st.integers(0, 10**9 - 1),
    st.one_of(
        st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40),
        st.text(st.sampled_from("abcXYZ019_:.<>+-"), min_size=1, max_size=49),
    ),
)
def test_callback_data_round_trips(rev: int, code: str) -> None:
    if not BUTTON_CODE.fullmatch(code):
        # Not a code a DialogPress can carry: refused when the button is drawn, not sent broken.
        with pytest.raises(ValueError):
            callback_data(rev, code)
        return
    data = callback_data(rev, code)
    assert len(data.encode()) <= 64
    assert parse_callback_data(data) == ButtonEvent(rev, code)


def test_the_random_sequences_reach_the_end() -> None:
    """Guard against the strategies drifting so far that no sequence finishes any more."""
    endings: dict[str, int] = {}

    @settings(max_examples=150, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))  # timing checks fail under a loaded machine
    @given(st.sampled_from([REPAIR, INQUIRY, VARIANTS]), st.data())
    def count(dialog: Dialog, data: st.DataObject) -> None:
        ending = play(dialog, data)
        endings[ending] = endings.get(ending, 0) + 1

    count()
    assert endings.get("done", 0) >= 10, endings  # about 1 in 8 finish; zero would mean drift
    assert endings.get("cancelled", 0) >= 5, endings


def test_variants_dialog_sanity() -> None:
    # The helper dialog itself: one unit is chosen silently; the phone must be shared.
    outcome = start(VARIANTS, {"units": [["1-101", "1-101"]]}, today=TODAY)
    assert outcome.state is not None
    assert outcome.state.step == "note"
    assert outcome.state.answers == {"unit": "1-101"}
    state = outcome.state
    for event in (ButtonEvent(state.rev, SKIP), ButtonEvent(state.rev + 1, DONE)):
        outcome = advance(VARIANTS, state, event, today=TODAY)
        assert outcome.state is not None
        state = outcome.state
    assert state.step == "mobile"
    refused = advance(VARIANTS, state, TextEvent("13812345678"), today=TODAY)
    assert refused.state == state
