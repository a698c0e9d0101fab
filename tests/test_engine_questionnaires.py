"""The engine's parts that questionnaires use: worded 1–5 scales, skippable ratings and choices,
"⏸ Continue later" instead of Cancel, starting with earlier answers, and a dialog without a
confirmation that ends on its last answer with the thank-you alone."""

from __future__ import annotations

from datetime import date

from dialogs.engine import (
    BACK,
    CANCEL,
    KEEP,
    SCALE_LABELS,
    SKIP,
    AnswerIn,
    Button,
    ButtonEvent,
    ChoiceStep,
    Dialog,
    Option,
    RatingStep,
    Reply,
    TextEvent,
    TextStep,
    advance,
    display_answer,
    start,
)
from dialogs.spec import dialog_from_data
from dialogs.text import Lines, Localized, Msg, Plain

TODAY = date(2026, 12, 7)
THANKS = Msg("Thank you for your feedback.")
SURVEY = Dialog(
    "survey:1",
    (
        RatingStep(key="overall", prompt=Localized({"en": "Overall?"}), labels=SCALE_LABELS),
        TextStep(key="overall__comment", prompt=Localized({"en": "Why?"}), optional=True,
                 when=AnswerIn("overall", (1, 2))),
        RatingStep(key="rebuy", prompt=Localized({"en": "Buy again?"}), labels=SCALE_LABELS, optional=True),
        ChoiceStep(key="channel", prompt=Localized({"en": "How did you hear of us?"}), optional=True,
                   options=(Option("web", Localized({"en": "Web"})), Option("friend", Localized({"en": "Friend"})))),
    ),
    done_text=THANKS,
    pause_text=Msg("Saved. Send /survey to continue."),
)


def _codes(reply: Reply) -> list[list[str]]:
    return [[button.code for button in row] for row in reply.buttons]


def test_a_worded_scale_is_one_button_a_row_best_first_with_the_number() -> None:
    outcome = start(SURVEY, today=TODAY, first_rev=5)
    codes = _codes(outcome.replies[0])
    assert codes[:5] == [["r:5"], ["r:4"], ["r:3"], ["r:2"], ["r:1"]]
    best = outcome.replies[0].buttons[0][0].label
    assert best == Msg("{n} · {label}", {"n": 5, "label": Msg("Very satisfied")})
    assert display_answer(SURVEY.steps[0], 1, {}) == Msg("{n} · {label}", {"n": 1, "label": Msg("Very dissatisfied")})
    # Not skippable: no Skip row; the last row leaves for later instead of cancelling.
    assert codes[5] == [CANCEL] and all(SKIP not in row for row in codes)
    assert outcome.replies[0].buttons[5][0].label == Msg("⏸ Continue later")


def test_optional_rating_and_choice_skip_to_none_and_the_last_answer_ends_with_the_thanks_alone() -> None:
    state = start(SURVEY, today=TODAY).state
    assert state is not None
    outcome = advance(SURVEY, state, ButtonEvent(state.rev, "r:4"), today=TODAY)
    assert outcome.state is not None and outcome.state.step == "rebuy"
    assert [SKIP] in _codes(outcome.replies[0])
    outcome = advance(SURVEY, outcome.state, ButtonEvent(outcome.state.rev, SKIP), today=TODAY)
    assert outcome.state is not None and outcome.state.step == "channel"
    assert [SKIP] in _codes(outcome.replies[0])
    outcome = advance(SURVEY, outcome.state, ButtonEvent(outcome.state.rev, SKIP), today=TODAY)
    assert outcome.status == "done"
    assert outcome.answers == {"overall": 4, "rebuy": None, "channel": None}
    assert outcome.replies == (Reply(THANKS, remove_keyboard=True),)


def test_continue_later_pauses_with_the_answers_so_far() -> None:
    state = start(SURVEY, today=TODAY).state
    assert state is not None
    low = advance(SURVEY, state, ButtonEvent(state.rev, "r:2"), today=TODAY).state
    assert low is not None and low.step == "overall__comment"
    paused = advance(SURVEY, low, ButtonEvent(low.rev, CANCEL), today=TODAY)
    assert paused.status == "paused" and paused.state is None
    assert paused.answers == {"overall": 2}
    assert paused.replies[0].text == Msg("Saved. Send /survey to continue.")


def test_starting_with_earlier_answers_asks_the_first_unanswered_and_back_reaches_them() -> None:
    outcome = start(SURVEY, today=TODAY, answers={"overall": 1, "overall__comment": "Leaks", "gone": 3})
    assert outcome.state is not None
    assert outcome.state.step == "rebuy"
    assert dict(outcome.state.answers) == {"overall": 1, "overall__comment": "Leaks"}
    back = advance(SURVEY, outcome.state, ButtonEvent(outcome.state.rev, BACK), today=TODAY)
    assert back.state is not None and back.state.step == "overall__comment"
    # The text asked again says what it holds, so the owner need not type it again.
    assert back.replies[0].text == Lines((Localized({"en": "Why?"}),
                                          Msg("Your earlier answer: {answer}", {"answer": Plain("Leaks")})))
    assert back.replies[0].buttons[0] == (Button(Msg("✔ Keep this answer"), KEEP),)
    kept = advance(SURVEY, back.state, ButtonEvent(back.state.rev, KEEP), today=TODAY)  # not erased, as Skip would
    assert kept.state is not None and kept.state.step == "rebuy"
    assert kept.state.answers["overall__comment"] == "Leaks"
    again = advance(SURVEY, back.state, TextEvent("Leaks in the roof"), today=TODAY)
    assert again.state is not None and again.state.step == "rebuy"
    assert again.state.answers["overall__comment"] == "Leaks in the roof"
    # Asked the first time, a text step has no such line; a long earlier answer is cut short.
    first = start(SURVEY, today=TODAY).state
    assert first is not None
    fresh = advance(SURVEY, first, ButtonEvent(first.rev, "r:1"), today=TODAY)
    assert fresh.replies[0].text == Localized({"en": "Why?"})
    long_ago = start(SURVEY, today=TODAY, answers={"overall": 1, "overall__comment": "x" * 400})
    assert long_ago.state is not None
    shown = advance(SURVEY, long_ago.state, ButtonEvent(long_ago.state.rev, BACK), today=TODAY).replies[0].text
    assert shown == Lines((Localized({"en": "Why?"}),
                           Msg("Your earlier answer: {answer}", {"answer": Plain("x" * 300 + "…")})))
    # Everything answered already: the dialog ends at once.
    done = start(SURVEY, today=TODAY, answers={"overall": 5, "rebuy": 5, "channel": "web"})
    assert done.status == "done" and done.answers == {"overall": 5, "rebuy": 5, "channel": "web"}


def test_the_spec_builds_worded_optional_ratings_and_the_pause() -> None:
    dialog = dialog_from_data({
        "name": "survey:9",
        "steps": [
            {"key": "overall", "type": "rating", "prompt": {"msgid": "Overall?"}, "scale_labels": True},
            {"key": "rebuy", "type": "rating", "prompt": {"msgid": "Again?"}, "optional": True,
             "scale_labels": [{"text": {"en": f"level {n}"}} for n in range(1, 6)]},
            {"key": "kind", "type": "choice", "prompt": {"msgid": "Kind?"}, "optional": True,
             "options": [{"code": "a", "label": {"msgid": "A"}}]},
        ],
        "done_text": {"msgid": "Thanks"},
        "pause_text": {"msgid": "Later"},
        "title": {"text": {"en": "Survey"}},
    })
    overall, rebuy, kind = dialog.steps
    assert isinstance(overall, RatingStep) and overall.labels == SCALE_LABELS
    assert isinstance(rebuy, RatingStep) and rebuy.optional and rebuy.labels is not None
    assert rebuy.labels[4] == Localized({"en": "level 5"})
    assert isinstance(kind, ChoiceStep) and kind.optional
    assert dialog.pause_text == Msg("Later") and dialog.title == Localized({"en": "Survey"})


def test_a_rating_in_its_own_words_asks_again_in_them() -> None:
    likely = tuple(Localized({"en": words}) for words in ("Definitely not", "Probably not", "Not sure", "Probably yes",
                                                          "Definitely yes"))
    dialog = Dialog("survey:2", (RatingStep(key="recommend", prompt=Localized({"en": "Recommend us?"}), labels=likely),))
    state = start(dialog, today=TODAY).state
    assert state is not None
    refused = advance(dialog, state, TextEvent("maybe"), today=TODAY).replies[0].text
    assert refused == Msg("Please rate from 1 ({low}) to 5 ({high}).", {"low": likely[0], "high": likely[4]})
    satisfied = start(SURVEY, today=TODAY).state
    assert satisfied is not None
    refused = advance(SURVEY, satisfied, TextEvent("maybe"), today=TODAY).replies[0].text
    assert refused == Msg("Please rate from 1 (very dissatisfied) to 5 (very satisfied).")
