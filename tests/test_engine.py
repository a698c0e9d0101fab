"""Example-based tests of the pure dialog engine (``dialogs.engine``).

``REPAIR`` below is a test dialog that uses every step type; ``tests/test_engine_properties.py``
reuses it for the property-based tests.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pytest

from dialogs.engine import (
    BACK,
    CANCEL,
    DONE,
    EDIT,
    KEEP,
    PREFILL,
    SKIP,
    SUMMARY,
    AnswerIs,
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
    Option,
    Outcome,
    PhoneStep,
    PhotoEvent,
    PhotosStep,
    RatingStep,
    RepeatEvent,
    Reply,
    TextEvent,
    TextStep,
    UnsupportedEvent,
    advance,
    callback_data,
    example_date,
    parse_callback_data,
    prompt,
    start,
)
from dialogs.inquiry import INQUIRY
from dialogs.text import DateText, Field, Lines, Msg, Plain, Plural

TODAY = date(2026, 11, 23)


_is_repair = AnswerIs("category", "repair")


REPAIR = Dialog(
    name="test_repair",
    steps=(
        ChoiceStep(
            key="office",
            prompt=Msg("Which office?"),
            label=Msg("Office"),
            options_from="offices",
            auto_single=True,
        ),
        ChoiceStep(
            key="category",
            prompt=Msg("What is it about?"),
            label=Msg("Category"),
            options=(
                Option("repair", Msg("Repair")),
                Option("complaint", Msg("Complaint")),
                Option("praise", Msg("Praise")),
            ),
        ),
        TextStep(key="description", prompt=Msg("Describe it."), label=Msg("Description"), min_len=5, max_len=200),
        PhotosStep(key="photos", prompt=Msg("Send photos."), label=Msg("Photos"), max_items=3, when=_is_repair),
        DateStep(
            key="visit",
            prompt=Msg("When may we visit?"),
            label=Msg("Visit"),
            min_offset_days=1,
            max_offset_days=60,
            when=_is_repair,
        ),
        PhoneStep(key="phone", prompt=Msg("Your phone?"), label=Msg("Phone"), optional=True, prefill_from="phone"),
        RatingStep(key="rating", prompt=Msg("How happy are you with us?"), label=Msg("Rating")),
        ConfirmStep(key="confirm", prompt=Msg("Please confirm:")),
    ),
    done_text=Msg("Thank you."),
)

ONE_OFFICE: dict[str, Any] = {"offices": [["north", "North Gate Office"]], "phone": "+85291234567"}
TWO_OFFICES: dict[str, Any] = {"offices": [["north", "North Gate Office"], ["south", "South Gate Office"]]}

# From the category step to the confirmation, taking every step of the "repair" branch.
# A string is a button code pressed on the current prompt (with the current revision).
Action = Event | str
REPAIR_PATH: tuple[Action, ...] = (
    "c:repair",
    TextEvent("  The kitchen tap is leaking.  "),
    PhotoEvent("photo-1"),
    DocumentEvent("doc-1", "leak.pdf"),
    DONE,
    TextEvent("2026年12月1日"),
    TextEvent("+852 9123 4567"),
    "r:4",
)
REPAIR_ANSWERS: dict[str, Any] = {
    "office": "north",
    "category": "repair",
    "description": "The kitchen tap is leaking.",
    "photos": [
        {"kind": "photo", "file_id": "photo-1"},
        {"kind": "document", "file_id": "doc-1", "name": "leak.pdf"},
    ],
    "visit": "2026-12-01",
    "phone": "+85291234567",
    "rating": 4,
}


# ---------------------------------------------------------------- helpers


def begin(context: Mapping[str, Any] | None = None, dialog: Dialog = REPAIR) -> DialogState:
    outcome = start(dialog, ONE_OFFICE if context is None else context, today=TODAY)
    assert outcome.status == "continue"
    assert outcome.state is not None
    return outcome.state


def send(state: DialogState, event: Action, dialog: Dialog = REPAIR) -> Outcome:
    if isinstance(event, str):
        event = ButtonEvent(state.rev, event)
    return advance(dialog, state, event, today=TODAY)


def moved(state: DialogState, event: Action, dialog: Dialog = REPAIR) -> DialogState:
    """Send an event that must be accepted without finishing the dialog; return the new state."""
    outcome = send(state, event, dialog)
    assert outcome.status == "continue", outcome
    assert outcome.state is not None
    assert outcome.state.to_json() != state.to_json(), f"{event!r} was refused at {state.step}"
    return outcome.state


def run(state: DialogState, actions: Sequence[Action], dialog: Dialog = REPAIR) -> DialogState:
    for action in actions:
        state = moved(state, action, dialog)
    return state


def at_step(key: str, category: str = "repair") -> DialogState:
    """A state at ``key``, reached the ordinary way (with ``category`` chosen first)."""
    state = begin()
    path = [f"c:{category}", *REPAIR_PATH[1:]]
    if category != "repair":
        del path[2:6]  # photos and visit apply to repairs only
    for action in path:
        if state.step == key:
            return state
        state = moved(state, action)
    assert state.step == key
    return state


def edit(state: DialogState, index: int) -> DialogState:
    """Press Edit at the confirmation, then the item at ``index`` of the dialog's steps."""
    outcome = send(state, EDIT)
    assert outcome.state == state
    assert outcome.replies == ()
    assert outcome.refresh is not None  # the confirmation redrawn in place with the edit list
    assert f"e:{index}" in codes(outcome.refresh)
    return moved(state, f"e:{index}")


def codes(reply: Reply) -> list[str]:
    return [button.code for row in reply.buttons for button in row]


def assert_refused(state: DialogState, outcome: Outcome, dialog: Dialog = REPAIR) -> None:
    """Refused: the state is unchanged, and the reason is shown carrying the question's buttons
    (not the whole question again)."""
    assert outcome.status == "continue"
    assert outcome.state is not None
    assert outcome.state.to_json() == state.to_json()
    assert len(outcome.replies) == 1
    assert isinstance(outcome.replies[0].text, Msg)
    question = prompt(dialog, state, today=TODAY)
    assert outcome.replies[0].buttons == question.buttons
    assert outcome.replies[0].rev == question.rev
    assert outcome.replies[0].request_contact == question.request_contact
    assert outcome.answered is None


def error_of(outcome: Outcome) -> str:
    text = outcome.replies[0].text
    assert isinstance(text, Msg)
    return text.msgid


# ---------------------------------------------------------------- the whole way through


def test_happy_path_through_every_step_type() -> None:
    state = begin()
    assert state.step == "category"  # the single office was chosen silently
    assert state.answers == {"office": "north"}
    assert state.history == ()
    assert state.rev == 1

    seen_steps = [state.step]
    for action in REPAIR_PATH:
        before = state
        state = moved(state, action)
        seen_steps.append(state.step)
        if state.step != before.step:
            assert state.rev == before.rev + 1
    assert seen_steps == [
        "category",
        "description",
        "photos",
        "photos",
        "photos",
        "visit",
        "phone",
        "rating",
        "confirm",
    ]
    assert state.history == ("category", "description", "photos", "visit", "phone", "rating")
    assert dict(state.answers) == REPAIR_ANSWERS

    confirm = prompt(REPAIR, state, today=TODAY)
    assert codes(confirm) == [DONE, EDIT, BACK, CANCEL]
    assert isinstance(confirm.text, Lines)
    summary = confirm.text.items[1]
    assert isinstance(summary, Lines)
    assert Field(Msg("Description"), Plain("The kitchen tap is leaking.")) in summary.items
    assert Field(Msg("Phone"), Plain("+852 9123 4567")) in summary.items
    assert Field(Msg("Office"), Plain("North Gate Office")) in summary.items

    done = send(state, DONE)
    assert done.status == "done"
    assert done.state is None
    assert done.dialog == "test_repair"
    assert dict(done.answers) == REPAIR_ANSWERS
    assert "confirm" not in done.answers
    assert done.replies == (Reply(Msg("Thank you."), remove_keyboard=True),)


def test_every_state_on_the_way_round_trips_through_json() -> None:
    state = begin()
    for action in (*REPAIR_PATH, EDIT, "e:2"):
        outcome = send(state, action)
        assert outcome.state is not None
        state = outcome.state
        restored = DialogState.from_json(json.loads(json.dumps(state.to_json())))
        assert restored.to_json() == state.to_json()
        assert prompt(REPAIR, restored, today=TODAY) == prompt(REPAIR, state, today=TODAY)


def test_a_restored_state_continues_like_the_original() -> None:
    state = at_step("rating")
    restored = DialogState.from_json(json.loads(json.dumps(state.to_json())))
    assert send(restored, "r:5") == send(state, "r:5")


# ---------------------------------------------------------------- choice steps


def test_several_offices_are_asked_for() -> None:
    state = begin(TWO_OFFICES)
    assert state.step == "office"
    assert state.answers == {}
    reply = prompt(REPAIR, state, today=TODAY)
    assert codes(reply) == ["c:north", "c:south", CANCEL]
    assert reply.buttons[0][1].label == Plain("South Gate Office")
    state = moved(state, "c:south")
    assert state.step == "category"
    assert state.answers == {"office": "south"}
    assert state.history == ("office",)


def test_an_option_missing_from_the_context_is_refused() -> None:
    state = begin(TWO_OFFICES)
    assert_refused(state, send(state, "c:east"))
    assert_refused(state, send(state, "c:North"))


def test_choice_prompt_has_options_in_columns_and_navigation() -> None:
    reply = prompt(REPAIR, begin(), today=TODAY)
    assert reply.rev == 1
    assert [[b.code for b in row] for row in reply.buttons] == [["c:repair", "c:complaint"], ["c:praise"], [CANCEL]]


@pytest.mark.parametrize("event", [TextEvent("repair"), TextEvent("Repair"), PhotoEvent("p"), ContactEvent("+8613812345678", True)])
def test_a_choice_must_be_made_with_a_button(event: Event) -> None:
    state = begin()
    outcome = send(state, event)
    assert_refused(state, outcome)
    assert error_of(outcome) == "Please choose one of the buttons."


# ---------------------------------------------------------------- back, cancel, repeat


def test_back_at_the_first_step_is_refused() -> None:
    state = begin()
    for event in (BackEvent(), ButtonEvent(state.rev, BACK)):
        outcome = send(state, event)
        assert_refused(state, outcome)
        assert error_of(outcome) == "This is the first step. Use Cancel to stop."


def test_back_returns_to_the_previous_step_and_keeps_its_answer() -> None:
    state = at_step("visit")
    assert codes(prompt(REPAIR, state, today=TODAY))[-2:] == [BACK, CANCEL]

    state = moved(state, BackEvent())
    assert state.step == "photos"
    assert state.history == ("category", "description")
    assert len(state.answers["photos"]) == 2

    state = moved(state, BACK)
    assert state.step == "description"
    state = moved(state, BackEvent())
    assert state.step == "category"
    assert state.history == ()
    assert codes(prompt(REPAIR, state, today=TODAY)) == ["c:repair", "c:complaint", "c:praise", CANCEL]
    assert_refused(state, send(state, BackEvent()))

    # Choosing differently now skips the repair-only steps.
    state = moved(state, "c:praise")
    state = moved(state, TextEvent("Great service."))
    assert state.step == "phone"


def test_back_skips_a_step_that_no_longer_applies() -> None:
    state = run(edit(at_step("confirm"), 1), ["c:complaint"])
    assert state.step == "confirm"
    assert state.history[-2:] == ("confirm", "category")
    steps = []
    while True:
        outcome = send(state, BackEvent())
        assert outcome.state is not None
        if outcome.state.to_json() == state.to_json():
            break
        state = outcome.state
        steps.append(state.step)
    # "photos" and "visit" are in the history but apply to repairs only.
    assert steps == ["category", "confirm", "rating", "phone", "description", "category"]


def test_back_ignores_history_entries_of_steps_the_dialog_no_longer_has() -> None:
    state = at_step("phone")
    old = DialogState.from_json({**state.to_json(), "history": ["category", "removed-step", "description", "gone"]})
    state = moved(old, BackEvent())
    assert state.step == "description"
    assert state.history == ("category", "removed-step")


def test_cancel_button_and_cancel_event() -> None:
    state = at_step("photos")
    for event in (ButtonEvent(state.rev, CANCEL), CancelEvent()):
        outcome = send(state, event)
        assert outcome.status == "cancelled"
        assert outcome.state is None
        assert outcome.answers == {}
        assert outcome.replies == (Reply(Msg("Cancelled. Nothing was saved."), remove_keyboard=True),)


def test_cancel_works_at_the_first_step_and_at_the_confirmation() -> None:
    assert send(begin(), CancelEvent()).status == "cancelled"
    assert send(at_step("confirm"), CANCEL).status == "cancelled"


def test_repeat_asks_the_same_question_again() -> None:
    for key in ("category", "description", "photos", "visit", "phone", "rating", "confirm"):
        state = at_step(key)
        outcome = send(state, RepeatEvent())
        assert outcome.status == "continue"
        assert outcome.state == state
        assert outcome.replies == (prompt(REPAIR, state, today=TODAY),)


def test_a_state_of_another_dialog_has_expired() -> None:
    foreign = DialogState(dialog="other", step="category")
    outcome = advance(REPAIR, foreign, TextEvent("hi"), today=TODAY)
    assert outcome.status == "cancelled"
    assert outcome.state is None
    unknown_step = DialogState(dialog="test_repair", step="no-such-step")
    assert advance(REPAIR, unknown_step, RepeatEvent(), today=TODAY).status == "cancelled"


# ---------------------------------------------------------------- stale and forged buttons


def assert_stale(state: DialogState, outcome: Outcome) -> None:
    """A stale press (a double tap): nothing changes and nothing is sent, only a short notice."""
    assert outcome.status == "continue"
    assert outcome.state is not None
    assert outcome.state.to_json() == state.to_json()
    assert outcome.replies == ()
    assert outcome.refresh is None and outcome.answered is None
    assert outcome.notice == Msg("That button belongs to an earlier question; please use the latest one.")


def test_a_stale_button_is_refused_with_the_state_unchanged() -> None:
    first = begin()
    state = moved(first, "c:repair")
    assert state.rev == first.rev + 1
    for code in ("c:complaint", CANCEL, BACK, SKIP, DONE):
        assert_stale(state, advance(REPAIR, state, ButtonEvent(first.rev, code), today=TODAY))


def test_a_button_from_the_future_is_refused() -> None:
    state = begin()
    assert_stale(state, send(state, ButtonEvent(state.rev + 1, "c:repair")))


def test_a_stale_button_from_before_an_edit_is_refused() -> None:
    confirm = at_step("confirm")
    editing = edit(confirm, 2)
    assert_stale(editing, advance(REPAIR, editing, ButtonEvent(confirm.rev, DONE), today=TODAY))


@pytest.mark.parametrize(
    "code",
    ["c:nonexistent", "c:", "c", "e:999", "e:1", "r:9", "r:1", DONE, EDIT, PREFILL, SKIP, "", "d1:1:c:repair", "c:repair "],
)
def test_forged_codes_are_refused_at_a_choice(code: str) -> None:
    state = begin()
    assert_refused(state, send(state, code))


@pytest.mark.parametrize("code", ["e:999", "e:7", "e:0", "e:-1", "e:", "e:x", "e:²", "e:01x", "c:repair", "r:9", SKIP, PREFILL, "ok "])
def test_forged_codes_are_refused_at_the_confirmation(code: str) -> None:
    # e:0 is the office, chosen automatically and never offered for editing; e:7 is the confirmation itself.
    state = at_step("confirm")
    assert_refused(state, send(state, code))


def test_an_edit_code_for_a_step_that_does_not_apply_is_refused() -> None:
    state = at_step("confirm", category="praise")
    assert_refused(state, send(state, "e:3"))  # photos: repairs only
    assert_refused(state, send(state, "e:4"))  # visit: repairs only


@pytest.mark.parametrize("code", ["r:9", "r:0", "r:", "r:05", "r:5 ", "r:٥", "r:-1", "c:repair", DONE, SKIP, PREFILL])
def test_forged_codes_are_refused_at_the_rating(code: str) -> None:
    state = at_step("rating")
    assert_refused(state, send(state, code))


@pytest.mark.parametrize("code", ["c:repair", "r:5", SKIP, EDIT, "e:1", PREFILL])
def test_forged_codes_are_refused_at_a_text_step(code: str) -> None:
    state = at_step("description")
    outcome = send(state, code)
    assert_refused(state, outcome)


# ---------------------------------------------------------------- text steps


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Hello", "Hello"),
        ("  padded  \n", "padded"),
        ("two\nlines\tand a tab", "two\nlines\tand a tab"),
        ("水龙头漏水了", "水龙头漏水了"),
        ("🚰💧💧💧💧", "🚰💧💧💧💧"),
        ("cafe\u0301!", "café!"),  # NFC: 5 characters after composition
        ("x" * 200, "x" * 200),
    ],
)
def test_text_is_cleaned_and_stored(typed: str, stored: str) -> None:
    state = moved(at_step("description"), TextEvent(typed))
    assert state.answers["description"] == stored
    assert state.step == "photos"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Please write at least {n} characters."),
        ("    ", "Please write at least {n} characters."),
        ("\n\t \n", "Please write at least {n} characters."),
        ("abcd", "Please write at least {n} characters."),
        ("  abcd  ", "Please write at least {n} characters."),
        ("x" * 201, "That is too long ({length} characters); the limit is {limit}."),
        ("y" * 10_000, "That is too long ({length} characters); the limit is {limit}."),
        ("null\x00byte", "The text contains characters that cannot be stored. Please type it again."),
        ("bell\x07 ring", "The text contains characters that cannot be stored. Please type it again."),
        ("carriage\rreturn", "The text contains characters that cannot be stored. Please type it again."),
        ("private \ue000 use", "The text contains characters that cannot be stored. Please type it again."),
    ],
)
def test_invalid_text_is_refused(typed: str, message: str) -> None:
    state = at_step("description")
    outcome = send(state, TextEvent(typed))
    assert_refused(state, outcome)
    assert error_of(outcome) == message


def test_the_length_limits_are_reported() -> None:
    state = at_step("description")
    short = send(state, TextEvent("abc"))
    assert isinstance(short.replies[0].text, Msg)
    assert short.replies[0].text.params == {"n": 5}
    long = send(state, TextEvent("z" * 250))
    assert isinstance(long.replies[0].text, Msg)
    assert long.replies[0].text.params == {"length": 250, "limit": 200}


@pytest.mark.parametrize(
    "event", [PhotoEvent("p"), DocumentEvent("d", "a.pdf"), UnsupportedEvent("sticker"), ContactEvent("+8613812345678", True)]
)
def test_a_text_step_wants_text(event: Event) -> None:
    state = at_step("description")
    outcome = send(state, event)
    assert_refused(state, outcome)
    assert error_of(outcome) == "Please answer with a text message."


# ---------------------------------------------------------------- photo steps


def test_photos_are_collected_without_changing_the_revision() -> None:
    state = at_step("photos")
    reply = prompt(REPAIR, state, today=TODAY)
    assert codes(reply) == [BACK, CANCEL]  # no Done before the first photo, and the text says none
    assert reply.text == Lines((Msg("Send photos."), Msg("Send them here.")))

    received = send(state, PhotoEvent("p1"))
    one = moved(state, PhotoEvent("p1"))
    assert one.step == "photos"
    assert one.rev == state.rev
    assert one.answers["photos"] == [{"kind": "photo", "file_id": "p1"}]
    assert codes(prompt(REPAIR, one, today=TODAY)) == [DONE, BACK, CANCEL]
    # What arrived is confirmed in one short line carrying the buttons, not the question again.
    [line] = received.replies
    assert line.text == Plural("Received {n} photo. Send more, or press Done.",
                               "Received {n} photos. Send more, or press Done.", 1)
    assert codes(line) == [DONE, BACK, CANCEL]
    assert line.rev == state.rev

    assert send(one, DocumentEvent("d1", "n" * 296 + ".pdf")).replies[0].text == Plural(
        "Received {n} file. Send more, or press Done.", "Received {n} files. Send more, or press Done.", 2)
    two = moved(one, DocumentEvent("d1", "n" * 296 + ".pdf"))
    assert two.answers["photos"][1] == {"kind": "document", "file_id": "d1", "name": "n" * 100}

    # "Done" from the prompt shown after the first photo is still valid.
    after = moved(two, ButtonEvent(one.rev, DONE))
    assert after.step == "visit"
    assert after.rev == state.rev + 1
    assert len(after.answers["photos"]) == 2


def test_done_without_a_photo_is_refused() -> None:
    state = at_step("photos")
    outcome = send(state, DONE)
    assert_refused(state, outcome)
    assert error_of(outcome) == "Please send at least one photo."
    assert_refused(state, send(state, SKIP))


def test_the_last_allowed_photo_moves_on_by_itself() -> None:
    state = run(at_step("photos"), [PhotoEvent("p1"), PhotoEvent("p2")])
    assert state.step == "photos"
    state = moved(state, DocumentEvent("d3", "plan.pdf"))
    assert state.step == "visit"
    assert len(state.answers["photos"]) == 3
    assert state.history[-1] == "photos"


def test_photos_kept_after_going_back_are_limited() -> None:
    state = moved(run(at_step("photos"), [PhotoEvent("p1"), PhotoEvent("p2"), PhotoEvent("p3")]), BackEvent())
    assert state.step == "photos"
    outcome = send(state, PhotoEvent("p4"))
    assert_refused(state, outcome)
    assert error_of(outcome) == "At most {n} files can be attached."
    assert moved(state, DONE).step == "visit"


@pytest.mark.parametrize(
    "event", [UnsupportedEvent("voice"), ContactEvent("+8613812345678", True), ButtonEvent(0, "c:repair")]
)
def test_a_photo_step_wants_photos(event: Event) -> None:
    state = at_step("photos")
    if isinstance(event, ButtonEvent):
        event = ButtonEvent(state.rev, event.code)
    assert_refused(state, send(state, event))


def _photos_only(optional: bool) -> Dialog:
    return Dialog(
        name="photos_only",
        steps=(
            PhotosStep(key="pics", prompt=Msg("Pictures?"), optional=optional, accept_documents=False, max_items=2),
        ),
    )


def test_an_optional_photo_step_can_be_finished_empty() -> None:
    dialog = _photos_only(optional=True)
    state = begin({}, dialog)
    assert codes(prompt(dialog, state, today=TODAY)) == [SKIP, CANCEL]  # "Done" appears once something was sent
    for code in (DONE, SKIP):
        outcome = send(state, code, dialog)
        assert outcome.status == "done"
        assert outcome.answers == {"pics": []}


def test_documents_can_be_refused() -> None:
    dialog = _photos_only(optional=False)
    state = begin({}, dialog)
    outcome = send(state, DocumentEvent("d", "x.pdf"), dialog)
    assert_refused(state, outcome, dialog)
    assert error_of(outcome) == "That file is not a picture. Please send a photo (JPEG, PNG, WebP, HEIC or GIF)."
    assert error_of(send(state, UnsupportedEvent("voice"), dialog)) == "Please send at least one photo."
    # A picture sent as a file is a picture all the same.
    picture = send(state, DocumentEvent("d", "IMG_0001.HEIC", "image/heic", "heic"), dialog)
    assert picture.state is not None
    assert picture.state.answers["pics"] == [{"kind": "document", "file_id": "d", "name": "IMG_0001.HEIC"}]
    state = moved(state, PhotoEvent("p1"), dialog)
    outcome = send(state, PhotoEvent("p2"), dialog)
    assert outcome.status == "done"
    assert outcome.answers == {"pics": [{"kind": "photo", "file_id": "p1"}, {"kind": "photo", "file_id": "p2"}]}


# ---------------------------------------------------------------- phone steps


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("13812345678", "+8613812345678"),
        ("138 1234 5678", "+8613812345678"),
        ("138-1234-5678", "+8613812345678"),
        ("+86 138 1234 5678", "+8613812345678"),
        ("008613812345678", "+8613812345678"),
        ("１３８１２３４５６７８", "+8613812345678"),
        ("＋８６ １３８ １２３４ ５６７８", "+8613812345678"),
        ("+852 9123 4567", "+85291234567"),
        ("00852 9123 4567", "+85291234567"),
        ("91234567", "+85291234567"),
        ("+853 6612 3456", "+85366123456"),
        ("+886 912 345 678", "+886912345678"),
        ("0912 345 678", "+886912345678"),
    ],
)
def test_typed_phone_numbers_are_normalised(typed: str, e164: str) -> None:
    state = moved(at_step("phone"), TextEvent(typed))
    assert state.step == "rating"
    assert state.answers["phone"] == e164


@pytest.mark.parametrize("typed", ["", "12345", "+1 202 555 01", "+44 20 7946", "call me", "138123456789999", "1" * 40])
def test_invalid_typed_phone_numbers_are_refused(typed: str) -> None:
    state = at_step("phone")
    outcome = send(state, TextEvent(typed))
    assert_refused(state, outcome)
    assert error_of(outcome).startswith("That is not a valid phone number.")


@pytest.mark.parametrize(
    ("typed", "e164"),
    [("+1 415 555 0100", "+14155550100"), ("001 415 555 0100", "+14155550100"), ("+44 20 7946 0958", "+442079460958"),
     ("+49 30 12345678", "+493012345678"), ("+61 2 9374 4000", "+61293744000")],
)
def test_numbers_of_other_countries_are_accepted_with_their_country_code(typed: str, e164: str) -> None:
    state = moved(at_step("phone"), TextEvent(typed))
    assert state.answers["phone"] == e164


@pytest.mark.parametrize("phone", ["+8613812345678", "8613812345678", "+85291234567"])
def test_the_own_contact_is_accepted(phone: str) -> None:
    state = moved(at_step("phone"), ContactEvent(phone, own=True))
    assert state.answers["phone"] in {"+8613812345678", "+85291234567"}


def test_someone_elses_contact_is_refused() -> None:
    state = at_step("phone")
    outcome = send(state, ContactEvent("+8613812345678", own=False))
    assert_refused(state, outcome)
    assert error_of(outcome) == "Please share your own phone number, not someone else's contact."


def test_an_own_contact_with_an_unusable_number_is_refused() -> None:
    state = at_step("phone")
    outcome = send(state, ContactEvent("+1202555", own=True))
    assert_refused(state, outcome)
    assert error_of(outcome) == "That phone number is not valid."


def test_the_phone_prompt_offers_the_known_number_skip_and_contact_sharing() -> None:
    state = at_step("phone")
    reply = prompt(REPAIR, state, today=TODAY)
    assert codes(reply) == [PREFILL, SKIP, BACK, CANCEL]
    assert reply.buttons[0][0].label == Msg("Use {phone}", {"phone": "+852 9123 4567"})
    assert reply.request_contact is not None

    prefilled = moved(state, PREFILL)
    assert prefilled.answers["phone"] == "+85291234567"
    skipped = moved(state, SKIP)
    assert skipped.answers["phone"] is None
    assert skipped.step == "rating"


def test_without_a_known_number_there_is_no_prefill_button() -> None:
    state = begin(TWO_OFFICES)
    state = run(state, ["c:north", "c:praise", TextEvent("Lovely garden.")])
    assert state.step == "phone"
    assert codes(prompt(REPAIR, state, today=TODAY)) == [SKIP, BACK, CANCEL]
    assert_refused(state, send(state, PREFILL))


def test_the_phone_is_shown_as_people_know_it_in_the_summary() -> None:
    state = run(at_step("phone"), [TextEvent("13812345678"), "r:5"])
    confirm = prompt(REPAIR, state, today=TODAY)
    assert isinstance(confirm.text, Lines)
    summary = confirm.text.items[1]
    assert isinstance(summary, Lines)
    assert Field(Msg("Phone"), Plain("13812345678")) in summary.items


def test_a_skipped_phone_is_shown_as_skipped() -> None:
    state = run(at_step("phone"), [SKIP, "r:5"])
    confirm = prompt(REPAIR, state, today=TODAY)
    assert isinstance(confirm.text, Lines)
    summary = confirm.text.items[1]
    assert isinstance(summary, Lines)
    assert Field(Msg("Phone"), Msg("(skipped)")) in summary.items


# ---------------------------------------------------------------- date steps


@pytest.mark.parametrize(
    ("typed", "iso"),
    [
        ("2026-12-01", "2026-12-01"),
        ("2026/12/1", "2026-12-01"),
        ("2026.12.01", "2026-12-01"),
        ("2026年12月1日", "2026-12-01"),
        ("2026 年 12 月 1 日", "2026-12-01"),
        ("2026年12月1号", "2026-12-01"),
        ("１２月１日", "2026-12-01"),
        ("２０２６－１２－０１", "2026-12-01"),
        ("12月1日", "2026-12-01"),
        ("12/1", "2026-12-01"),
        ("11月24日", "2026-11-24"),  # tomorrow: the earliest allowed day
        ("1月5日", "2027-01-05"),  # already past this year: next year's
        ("2027-01-22", "2027-01-22"),  # the latest allowed day
        ("  2026-12-31\n", "2026-12-31"),
    ],
)
def test_dates_in_common_formats_are_accepted(typed: str, iso: str) -> None:
    state = moved(at_step("visit"), TextEvent(typed))
    assert state.answers["visit"] == iso
    assert state.step == "phone"


@pytest.mark.parametrize("typed", ["2026-11-23", "11月23日", "2027-01-23", "2025-12-01", "2030年1月1日"])
def test_dates_out_of_range_are_refused(typed: str) -> None:
    state = at_step("visit")
    outcome = send(state, TextEvent(typed))
    assert_refused(state, outcome)
    assert error_of(outcome) == "Please choose a date between {start} and {end}."


@pytest.mark.parametrize(
    "typed", ["", "tomorrow", "2026-13-01", "2026-02-30", "2月30日", "2026-12", "12-01-2026", "2026-12-01 10:00", "0000-01-01"]
)
def test_unreadable_dates_are_refused(typed: str) -> None:
    state = at_step("visit")
    outcome = send(state, TextEvent(typed))
    assert_refused(state, outcome)
    assert outcome.replies[0].text == Msg("Please type a date, for example {date}.", {"date": DateText(date(2026, 11, 30))})


def test_the_date_prompt_shows_an_example_in_the_allowed_range() -> None:
    # A week ahead, moved into the range the step allows; a DateText, so each reader sees it their way.
    state = at_step("visit")  # 1 to 60 days ahead
    assert prompt(REPAIR, state, today=TODAY).text == Lines(
        (Msg("When may we visit?"), Msg("For example: {date}", {"date": DateText(date(2026, 11, 30))})))
    soon = DateStep(key="d", prompt=Msg("When?"), min_offset_days=1, max_offset_days=3)
    late = DateStep(key="d", prompt=Msg("When?"), min_offset_days=30)
    assert example_date(soon, TODAY) == date(2026, 11, 26)
    assert example_date(late, TODAY) == date(2026, 12, 23)
    assert example_date(DateStep(key="d", prompt=Msg("When?")), date(2027, 3, 1)) == date(2027, 3, 8)


@pytest.mark.parametrize(
    ("typed", "day"),
    [("November 30, 2026", "2026-11-30"), ("Nov 30, 2026", "2026-11-30"), ("30 November 2026", "2026-11-30"),
     ("Dec 1", "2026-12-01"), ("1st December", "2026-12-01"), ("2026年11月30日", "2026-11-30"),
     ("2026/11/30", "2026-11-30"), ("11月30號", "2026-11-30")],
)
def test_dates_are_read_as_each_locale_shows_them(typed: str, day: str) -> None:
    assert moved(at_step("visit"), TextEvent(typed)).answers["visit"] == day


# ---------------------------------------------------------------- rating steps


def test_the_rating_prompt_has_five_buttons() -> None:
    reply = prompt(REPAIR, at_step("rating"), today=TODAY)
    assert [[b.code for b in row] for row in reply.buttons] == [["r:1", "r:2", "r:3", "r:4", "r:5"], [BACK, CANCEL]]


@pytest.mark.parametrize(("event", "rating"), [*[(f"r:{n}", n) for n in range(1, 6)], (TextEvent("５"), 5), (TextEvent(" 3 "), 3), (TextEvent("1"), 1)])
def test_ratings_by_button_or_typed(event: Action, rating: int) -> None:
    state = moved(at_step("rating"), event)
    assert state.step == "confirm"
    assert state.answers["rating"] == rating
    assert type(state.answers["rating"]) is int


@pytest.mark.parametrize("typed", ["0", "6", "five", "4.5", "", "３３", "٥"])
def test_other_ratings_are_refused(typed: str) -> None:
    state = at_step("rating")
    outcome = send(state, TextEvent(typed))
    assert_refused(state, outcome)
    assert error_of(outcome) == "Please rate from 1 (very dissatisfied) to 5 (very satisfied)."


# ---------------------------------------------------------------- confirmation and editing


def test_edit_offers_the_answered_labelled_steps() -> None:
    state = at_step("confirm")
    outcome = send(state, EDIT)
    assert outcome.status == "continue"
    assert outcome.state == state
    assert outcome.replies == ()  # the confirmation is redrawn in place, nothing new is sent
    menu = outcome.refresh
    assert menu is not None
    assert menu.rev == state.rev
    # Not the office (chosen automatically) and not the confirmation itself; then back to the summary.
    assert codes(menu) == ["e:1", "e:2", "e:3", "e:4", "e:5", "e:6", SUMMARY, BACK, CANCEL]
    back = send(state, SUMMARY)
    assert back.replies == () and back.refresh == prompt(REPAIR, state, today=TODAY)


def test_edit_returns_straight_to_the_confirmation() -> None:
    confirm = at_step("confirm")
    editing = edit(confirm, 2)
    assert editing.step == "description"
    assert editing.editing is True
    assert editing.rev == confirm.rev + 1
    assert codes(prompt(REPAIR, editing, today=TODAY)) == [KEEP, BACK, CANCEL]  # the text held may stay
    assert moved(editing, ButtonEvent(editing.rev, KEEP)).answers == editing.answers

    state = moved(editing, TextEvent("Actually the bathroom tap."))
    assert state.step == "confirm"
    assert state.editing is False
    assert state.answers["description"] == "Actually the bathroom tap."
    assert {k: v for k, v in state.answers.items() if k != "description"} == {
        k: v for k, v in REPAIR_ANSWERS.items() if k != "description"
    }
    done = send(state, DONE)
    assert done.status == "done"
    assert done.answers["description"] == "Actually the bathroom tap."


def test_back_while_editing_returns_to_the_confirmation() -> None:
    confirm = at_step("confirm")
    editing = edit(confirm, 6)
    assert editing.step == "rating"
    state = moved(editing, BackEvent())
    assert state.step == "confirm"
    assert state.editing is False
    assert state.answers == confirm.answers


def test_editing_a_rating_keeps_everything_else() -> None:
    state = run(edit(at_step("confirm"), 6), [TextEvent("２")])
    assert state.step == "confirm"
    assert dict(state.answers) == {**REPAIR_ANSWERS, "rating": 2}


def test_other_input_at_the_confirmation_is_refused() -> None:
    state = at_step("confirm")
    for event in (TextEvent("yes"), PhotoEvent("p"), ContactEvent("+8613812345678", True), UnsupportedEvent("poll")):
        outcome = send(state, event)
        assert_refused(state, outcome)
        assert error_of(outcome) == "Please confirm with the button, or choose Edit."


# ---------------------------------------------------------------- conditional steps


def test_steps_that_do_not_apply_are_skipped() -> None:
    state = run(begin(), ["c:complaint", TextEvent("Noise at night.")])
    assert state.step == "phone"
    state = run(state, [SKIP, "r:1"])
    assert state.step == "confirm"
    outcome = send(state, EDIT)
    assert outcome.refresh is not None
    assert codes(outcome.refresh) == ["e:1", "e:2", "e:5", "e:6", SUMMARY, BACK, CANCEL]
    done = send(state, DONE)
    assert done.status == "done"
    assert dict(done.answers) == {
        "office": "north",
        "category": "complaint",
        "description": "Noise at night.",
        "phone": None,
        "rating": 1,
    }


def test_answers_only_include_steps_that_apply() -> None:
    # Answer the repair-only steps, then change the category: their answers stay in the state
    # (in case the category is changed back) but are not part of the result.
    state = run(edit(at_step("confirm"), 1), ["c:praise"])
    assert state.step == "confirm"
    assert "photos" in state.answers
    assert "visit" in state.answers
    confirm = prompt(REPAIR, state, today=TODAY)
    assert isinstance(confirm.text, Lines)
    summary = confirm.text.items[1]
    assert isinstance(summary, Lines)
    labels = [item.label for item in summary.items if isinstance(item, Field)]
    assert labels == [Msg("Office"), Msg("Category"), Msg("Description"), Msg("Phone"), Msg("Rating")]

    done = send(state, DONE)
    assert done.status == "done"
    assert set(done.answers) == {"office", "category", "description", "phone", "rating"}
    assert done.answers["category"] == "praise"


def test_a_step_that_starts_to_apply_after_an_edit_is_asked() -> None:
    state = run(edit(at_step("confirm", category="complaint"), 1), ["c:repair"])
    assert state.step == "photos"
    assert state.editing is False
    state = run(state, [PhotoEvent("p"), DONE, TextEvent("12/24")])
    assert state.answers["visit"] == "2026-12-24"
    assert state.step == "phone"  # not editing any more: the ordinary way to the confirmation
    state = run(state, [SKIP, "r:3"])
    assert state.step == "confirm"
    done = send(state, DONE)
    assert done.status == "done"
    assert set(done.answers) == set(REPAIR_ANSWERS)


def test_a_dialog_whose_only_steps_are_automatic_finishes_at_once() -> None:
    dialog = Dialog(
        name="auto",
        steps=(ChoiceStep(key="office", prompt=Msg("Office?"), options_from="offices", auto_single=True),),
        done_text=Msg("Done."),
    )
    outcome = start(dialog, ONE_OFFICE, today=TODAY)
    assert outcome.status == "done"
    assert outcome.answers == {"office": "north"}
    assert outcome.dialog == "auto"


# ---------------------------------------------------------------- callback data


@pytest.mark.parametrize("code", ["c:repair", DONE, SKIP, BACK, CANCEL, EDIT, PREFILL, "e:12", "r:5", "c:a:b"])
def test_callback_data_round_trips(code: str) -> None:
    for rev in (1, 42, 999_999_999):
        assert parse_callback_data(callback_data(rev, code)) == ButtonEvent(rev, code)


@pytest.mark.parametrize(
    "data",
    [
        "",
        "d1",
        "d1:",
        "d1:1",
        "d1::c:repair",
        "d2:1:c:repair",
        "D1:1:c:repair",
        " d1:1:c:repair",
        "d1: 1:c:repair",
        "d1:-1:c:repair",
        "d1:+1:c:repair",
        "d1:1a:c:repair",
        "d1:1.0:c:repair",
        "d1:1234567890:c:repair",
        "d1:²:c:repair",
        "d1:١٢:c:repair",
        "d1:１:c:repair",
        "menu:inquiry",
        "m1:inquiry",  # a valid action, but not a dialog's button
        "t1:12:view",
        "d1:01:c:repair",
        "d1:1:",
        "d1:1:c:园林",
        "d1:1:c:repair ",
        "d1:1:" + "c" * 60,
    ],
)
def test_malformed_callback_data_is_rejected(data: str) -> None:
    assert parse_callback_data(data) is None


@pytest.mark.parametrize(("rev", "code"), [(1, ""), (1, "c:園林"), (1, "c:a b"), (1, "c:" + "x" * 60), (-1, DONE),
                                           (1_000_000_000, DONE)])
def test_callback_data_refuses_what_could_not_be_read_back(rev: int, code: str) -> None:
    with pytest.raises(ValueError):
        callback_data(rev, code)


def test_callback_data_is_a_dialog_press() -> None:
    from dialogs.actions import DialogPress, decode

    assert callback_data(7, "c:repair") == "d1:7:c:repair"
    assert decode(callback_data(7, "c:repair")) == DialogPress(7, "c:repair")


def _all_replies_of_the_test_dialogs() -> list[tuple[Reply, int]]:
    found: list[tuple[Reply, int]] = []
    state = begin(TWO_OFFICES)
    for action in ("c:south", *REPAIR_PATH):
        found.append((prompt(REPAIR, state, today=TODAY), state.rev))
        state = moved(state, action)
    found.append((prompt(REPAIR, state, today=TODAY), state.rev))
    found.extend((reply, state.rev) for reply in send(state, EDIT).replies)
    inquiry = begin({"known": False, "phone": "+8613812345678"}, INQUIRY)
    for action in ("c:suggestion", TextEvent("More benches, please."), TextEvent("Ms Chan")):
        found.append((prompt(INQUIRY, inquiry, today=TODAY), inquiry.rev))
        inquiry = moved(inquiry, action, INQUIRY)
    found.append((prompt(INQUIRY, inquiry, today=TODAY), inquiry.rev))
    return found


def test_callback_data_fits_telegrams_limit() -> None:
    replies = _all_replies_of_the_test_dialogs()
    assert len(replies) > 10
    for reply, rev in replies:
        assert reply.rev == rev
        for code in codes(reply):
            for worst in (rev, 999_999_999):
                data = callback_data(worst, code)
                assert len(data.encode("utf-8")) <= 64, data
                assert data.isascii()
                assert parse_callback_data(data) == ButtonEvent(worst, code)


# ---------------------------------------------------------------- the real inquiry dialog


def test_inquiry_by_a_known_owner_asks_only_kind_and_text() -> None:
    state = begin({"known": True}, INQUIRY)
    assert state.step == "kind"
    state = run(state, ["c:praise", TextEvent("Thanks to the gardeners!")], INQUIRY)
    assert state.step == "confirm"
    done = send(state, DONE, INQUIRY)
    assert done.status == "done"
    assert done.dialog == "inquiry"
    assert dict(done.answers) == {"kind": "praise", "text": "Thanks to the gardeners!"}


def test_inquiry_by_an_unknown_person_asks_name_and_phone() -> None:
    state = begin({"known": False, "phone": "+8613812345678"}, INQUIRY)
    state = run(state, ["c:inquiry", TextEvent("Is there parking?"), TextEvent("  Mr Li ")], INQUIRY)
    assert state.step == "phone"
    assert codes(prompt(INQUIRY, state, today=TODAY)) == [PREFILL, SKIP, BACK, CANCEL]
    state = moved(state, PREFILL, INQUIRY)
    done = send(state, DONE, INQUIRY)
    assert dict(done.answers) == {
        "kind": "inquiry",
        "text": "Is there parking?",
        "name": "Mr Li",
        "phone": "+8613812345678",
    }


def test_inquiry_message_limits() -> None:
    state = run(begin({"known": True}, INQUIRY), ["c:other"], INQUIRY)
    assert_refused(state, send(state, TextEvent("a"), INQUIRY), INQUIRY)
    assert_refused(state, send(state, TextEvent("a" * 1001), INQUIRY), INQUIRY)
    assert moved(state, TextEvent("a" * 1000), INQUIRY).answers["text"] == "a" * 1000
