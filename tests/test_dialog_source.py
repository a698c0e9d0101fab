"""Where dialogs come from: the built-in ones, dialogs built from data, loaders; and what the
``dialogs`` package may depend on (its own modules only) and share with services (the codes)."""

from __future__ import annotations

import ast
import copy
import gettext
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import Catalogs, Translator
from dialogs.complaint import COMPLAINT
from dialogs.engine import (
    DONE,
    SKIP,
    AnswerIn,
    ButtonEvent,
    ChoiceStep,
    ConfirmStep,
    Dialog,
    DialogState,
    Event,
    MultiChoiceStep,
    Outcome,
    PhoneStep,
    RatingStep,
    TextEvent,
    TextStep,
    advance,
    callback_data,
    parse_callback_data,
    prompt,
    reply_from_json,
    reply_to_json,
    start,
)
from dialogs.inquiry import INQUIRY
from dialogs.repair import REPAIR, SURVEY
from dialogs.source import (
    BUILT_IN,
    DIALOGS_SOURCE,
    DialogSource,
    DialogSpecError,
    dialog_from_data,
    get_dialog,
)
from dialogs.text import Field, Lines, Localized, Msg, Plain, text_from_json, text_to_json

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 23)

OVERALL = {
    "zh_Hans_CN": "您对本季度的物业服务满意吗？",
    "zh_Hant_HK": "您對本季度的物業服務滿意嗎？",
    "en": "How satisfied are you with our service this quarter?",
}
QUESTIONNAIRE: dict[str, Any] = {
    "name": "survey:12",
    "steps": [
        {"key": "overall", "type": "rating", "prompt": {"text": OVERALL},
         "label": {"text": {"zh_Hans_CN": "总体评价", "zh_Hant_HK": "總體評價", "en": "Overall"}}},
        {"key": "why", "type": "text", "min_len": 2, "max_len": 300,
         "when": {"kind": "answer_in", "key": "overall", "values": [1, 2]},
         "prompt": {"text": {"zh_Hans_CN": "哪里做得不好？", "en": "What went wrong?"}},
         "label": {"text": {"zh_Hans_CN": "原因", "en": "Reason"}}},
        {"key": "topics", "type": "multi", "columns": 1,
         "prompt": {"text": {"zh_Hans_CN": "您最关心哪些方面？", "en": "Which topics matter most to you?"}},
         "label": {"text": {"zh_Hans_CN": "关注", "en": "Topics"}},
         "options": [
             {"code": "garden", "label": {"text": {"zh_Hans_CN": "园林绿化", "en": "Gardens"}}},
             {"code": "security", "label": {"text": {"zh_Hans_CN": "安保", "en": "Security"}}},
             {"code": "other", "label": {"msgid": "Other"}},
         ]},
        {"key": "contact", "type": "phone", "optional": True, "prefill_from": "phone",
         "prompt": {"text": {"zh_Hans_CN": "方便联系您的电话？", "en": "A phone number to reach you?"}},
         "label": {"msgid": "Phone"}},
        {"key": "confirm", "type": "confirm", "prompt": {"msgid": "Please check and confirm:"}},
    ],
    "done_text": {"msgid": "Thank you for your feedback."},
}


def send(dialog: Dialog, state: DialogState, event: Event | str) -> Outcome:
    if isinstance(event, str):
        event = ButtonEvent(state.rev, event)
    return advance(dialog, state, event, today=TODAY)


def play(dialog: Dialog, events: list[Event | str], context: dict[str, Any] | None = None) -> tuple[Outcome, list[str]]:
    """Run ``events`` from the start; the outcome of the last and the steps passed through."""
    outcome = start(dialog, context or {}, today=TODAY)
    steps: list[str] = []
    for event in events:
        assert outcome.state is not None, outcome
        steps.append(outcome.state.step)
        # Continue from the JSON copy, as the bot does between updates.
        state = DialogState.from_json(json.loads(json.dumps(outcome.state.to_json())))
        outcome = send(dialog, state, event)
        assert outcome.status != "continue" or outcome.state != state or len(outcome.replies) == 1, outcome
    return outcome, steps


def translator(locale: str) -> Translator:
    return Translator(locale, gettext.NullTranslations())


# ---------------------------------------------------------------- a dialog built from data


def test_the_questionnaire_is_built_with_its_steps() -> None:
    dialog = dialog_from_data(QUESTIONNAIRE)
    assert dialog.name == "survey:12"
    assert [type(s) for s in dialog.steps] == [RatingStep, TextStep, MultiChoiceStep, PhoneStep, ConfirmStep]
    assert dialog.step("overall").prompt == Localized(OVERALL)
    assert dialog.step("why").when == AnswerIn("overall", (1, 2))
    why = dialog.step("why")
    assert isinstance(why, TextStep)
    assert (why.min_len, why.max_len) == (2, 300)
    topics = dialog.step("topics")
    assert isinstance(topics, MultiChoiceStep)
    assert [o.code for o in topics.options] == ["garden", "security", "other"]
    assert topics.options[2].label == Msg("Other")
    assert dialog.step("contact").optional
    assert dialog.done_text == Msg("Thank you for your feedback.")


def test_the_spec_is_not_changed_and_builds_the_same_dialog_twice() -> None:
    before = copy.deepcopy(QUESTIONNAIRE)
    assert dialog_from_data(QUESTIONNAIRE) == dialog_from_data(json.loads(json.dumps(QUESTIONNAIRE)))
    assert before == QUESTIONNAIRE


def test_a_dissatisfied_owner_runs_through_every_step_to_done() -> None:
    dialog = dialog_from_data(QUESTIONNAIRE)
    outcome, steps = play(dialog, [
        "r:2", TextEvent("  The lift was broken for a week. "), "c:security", "c:garden", DONE, TextEvent("13812345678"),
        DONE,
    ])
    assert steps == ["overall", "why", "topics", "topics", "topics", "contact", "confirm"]
    assert outcome.status == "done"
    assert outcome.dialog == "survey:12"
    assert dict(outcome.answers) == {
        "overall": 2,
        "why": "The lift was broken for a week.",
        "topics": ["garden", "security"],  # in the options' order
        "contact": "+8613812345678",
    }
    assert outcome.replies[0].text == Msg("Thank you for your feedback.")


def test_a_satisfied_owner_is_not_asked_why() -> None:
    dialog = dialog_from_data(QUESTIONNAIRE)
    outcome, steps = play(dialog, ["r:5", "c:other", DONE, SKIP, DONE], {"phone": "+85291234567"})
    assert steps == ["overall", "topics", "topics", "contact", "confirm"]
    assert outcome.status == "done"
    assert dict(outcome.answers) == {"overall": 5, "topics": ["other"], "contact": None}


def test_every_button_of_the_questionnaire_fits_telegram() -> None:
    dialog = dialog_from_data(QUESTIONNAIRE)
    outcome = start(dialog, {"phone": "+85291234567"}, today=TODAY)
    events: list[Event | str] = ["r:1", TextEvent("Too noisy."), "c:garden", DONE, SKIP]
    for event in events:
        assert outcome.state is not None
        for row in prompt(dialog, outcome.state, today=TODAY).buttons:
            for button in row:
                data = callback_data(999_999_999, button.code)
                assert len(data.encode()) <= 64
                assert parse_callback_data(data) == ButtonEvent(999_999_999, button.code)
        outcome = send(dialog, outcome.state, event)
    assert outcome.state is not None
    assert outcome.state.step == "confirm"


# ---------------------------------------------------------------- rendering its texts


def test_localized_prompts_render_in_the_readers_locale() -> None:
    dialog = dialog_from_data(QUESTIONNAIRE)
    outcome = start(dialog, {}, today=TODAY)
    assert outcome.state is not None
    reply = prompt(dialog, outcome.state, today=TODAY)
    assert translator("zh_Hant_HK").render(reply.text) == "您對本季度的物業服務滿意嗎？"
    assert translator("en").render(reply.text) == "How satisfied are you with our service this quarter?"
    assert translator("zh_Hans_CN").render(reply.text) == "您对本季度的物业服务满意吗？"
    assert translator("zh_Hant_TW").render(reply.text) == "您對本季度的物業服務滿意嗎？"  # the same script


def test_the_confirmation_renders_localized_labels_and_translated_msgids() -> None:
    dialog = dialog_from_data(QUESTIONNAIRE)
    outcome, _ = play(dialog, ["r:1", TextEvent("No hot water."), "c:garden", "c:other", DONE, SKIP])
    assert outcome.state is not None
    assert outcome.state.step == "confirm"
    text = prompt(dialog, outcome.state, today=TODAY).text
    assert isinstance(text, Lines)
    assert isinstance(text.items[1], Lines)
    assert Field(Localized({"zh_Hans_CN": "原因", "en": "Reason"}), Plain("No hot water.")) in text.items[1].items
    catalogs = Catalogs()
    english = catalogs.get("en").render(text)
    assert "<b>Overall</b>: 1 / 5" in english
    assert "<b>Reason</b>: No hot water." in english
    assert "<b>Topics</b>: Gardens and Other" in english
    hong_kong = catalogs.get("zh_Hant_HK").render(text)
    # No zh_Hant text for the labels: Simplified Chinese, not English, for a Chinese reader.
    assert "<b>原因</b>：No hot water." in hong_kong
    assert "园林绿化" in hong_kong
    assert catalogs.get("zh_Hant_HK").gettext("Please check and confirm:") in hong_kong
    assert catalogs.get("zh_Hant_HK").gettext("Please check and confirm:") != "Please check and confirm:"


@pytest.mark.parametrize(
    ("texts", "locale", "shown"),
    [
        ({"zh_Hant_HK": "港", "en": "en"}, "zh_Hant_TW", "港"),
        ({"zh_Hant_TW": "台", "zh_Hans_CN": "简"}, "zh_Hant_HK", "台"),
        ({"en": "en", "zh_Hans_CN": "简"}, "zh_Hant_HK", "简"),
        ({"zh_Hant_HK": "港", "zh_Hans_CN": "简"}, "en", "简"),
        ({"en_GB": "colour"}, "en", "colour"),  # the same language, no script
        ({"en": "only English"}, "zh_Hans_CN", "only English"),  # else the first
        ({"zh_Hant_TW": "台", "zh_Hant_HK": "港"}, "en", "台"),
    ],
)
def test_localized_text_falls_back_by_script_then_simplified_then_first(
    texts: dict[str, str], locale: str, shown: str
) -> None:
    assert translator(locale).render(Localized(texts)) == shown
    assert translator(locale).label(Localized(texts)) == shown


def test_localized_text_is_escaped_like_plain_text() -> None:
    text = Localized({"en": "Fish & <b>chips</b>"})
    assert translator("en").render(text) == "Fish &amp; &lt;b&gt;chips&lt;/b&gt;"
    assert translator("en").label(text) == "Fish & <b>chips</b>"


def test_localized_text_round_trips_through_json_and_the_outbox() -> None:
    text = Localized({"zh_Hant_HK": "港", "en": "en"})
    assert text_to_json(text) == {"t": "localized", "v": {"zh_Hant_HK": "港", "en": "en"}}
    assert text_from_json(json.loads(json.dumps(text_to_json(text)))) == text
    assert list(text_from_json(text_to_json(text)).texts) == ["zh_Hant_HK", "en"]  # type: ignore[union-attr]
    field = Field(text, Localized({"en": "value"}))
    assert text_from_json(json.loads(json.dumps(text_to_json(field)))) == field
    dialog = dialog_from_data(QUESTIONNAIRE)
    outcome = start(dialog, {}, today=TODAY)
    for reply in outcome.replies:
        assert reply_from_json(json.loads(json.dumps(reply_to_json(reply)))) == reply


@pytest.mark.parametrize("texts", [{}, {"en": ""}, {"en": "  "}, {"": "x"}, {"en": 5}])
def test_localized_text_needs_a_literal(texts: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Localized(texts)


def test_localized_text_keeps_its_own_copy() -> None:
    texts = {"en": "before"}
    text = Localized(texts)
    texts["en"] = "after"
    assert text.texts == {"en": "before"}


# ---------------------------------------------------------------- invalid specs

Mutation = Callable[[dict[str, Any]], Any]


def _step(which: str, /, **changes: Any) -> Mutation:
    def mutate(spec: dict[str, Any]) -> None:
        step = next(s for s in spec["steps"] if s["key"] == which)
        for name, value in changes.items():
            if value is DELETE:
                del step[name]
            else:
                step[name] = value

    return mutate


def _set(**changes: Any) -> Mutation:
    def mutate(spec: dict[str, Any]) -> None:
        spec.update(changes)

    return mutate


DELETE = object()
TOPIC_OPTIONS = QUESTIONNAIRE["steps"][2]["options"]
EN = {"text": {"en": "?"}}

SPEC_ERRORS: list[tuple[str, Mutation, str | None, str]] = [
    ("unknown dialog field", _set(title="Survey"), None, "title"),
    ("no name", _set(name=""), None, "name"),
    ("name with spaces", _set(name="survey 12"), None, "name"),
    ("no steps", _set(steps=[]), None, "steps"),
    ("steps not a list", _set(steps={"overall": {}}), None, "steps"),
    ("only a confirmation", _set(steps=[{"key": "c", "type": "confirm", "prompt": EN}]), None, "steps"),
    ("bad done text", _set(done_text="Thanks!"), None, "done_text"),
    ("a step that is not an object", _set(steps=[QUESTIONNAIRE["steps"][0], "why"]), "#2", "step"),
    ("a bad key", _step("why", key="why not"), "#2", "key"),
    ("a duplicate key", _step("why", key="overall"), "overall", "key"),
    ("an unknown type", _step("why", type="essay"), "why", "type"),
    ("a missing type", _step("why", type=DELETE), "why", "type"),
    ("a step after the confirmation",
     _set(steps=[*QUESTIONNAIRE["steps"], {"key": "late", "type": "text", "prompt": EN}]), "late", "type"),
    ("a misspelt field", _step("why", max_lenght=300), "why", "max_lenght"),
    ("a field of another type", _step("overall", options=TOPIC_OPTIONS), "overall", "options"),
    ("no prompt", _step("why", prompt=DELETE), "why", "prompt"),
    ("a prompt as a bare string", _step("why", prompt="Why?"), "why", "prompt"),
    ("a prompt of another shape", _step("why", prompt={"msg": "Why?"}), "why", "prompt"),
    ("a dashed locale", _step("why", prompt={"text": {"zh-Hant-HK": "為何？"}}), "why", "prompt"),
    ("an empty literal", _step("why", label={"text": {"en": ""}}), "why", "label"),
    ("no literals", _step("why", label={"text": {}}), "why", "label"),
    ("a msgid without its parameter",
     _step("why", prompt={"msgid": "Please describe what happened (up to {limit} characters)."}), "why", "prompt"),
    ("a parameter the msgid lacks", _step("why", prompt={"msgid": "Why?", "params": {"n": 1}}), "why", "prompt"),
    ("a parameter of another type",
     _step("why", prompt={"msgid": "{n} left", "params": {"n": [1]}}), "why", "prompt"),
    ("optional not a boolean", _step("contact", optional="yes"), "contact", "optional"),
    ("an optional confirmation", _step("confirm", optional=True), "confirm", "optional"),
    ("scale labels not five", _step("overall", scale_labels=[EN, EN]), "overall", "scale_labels"),
    ("an unknown condition kind", _step("why", when={"kind": "python", "code": "1"}), "why", "when"),
    ("a malformed condition", _step("why", when={"kind": "answer_in", "key": "overall"}), "why", "when"),
    ("a condition on a later answer",
     _step("why", when={"kind": "answer_is", "key": "topics", "value": "garden"}), "why", "when"),
    ("a condition on its own answer", _step("why", when={"kind": "answer_is", "key": "why", "value": "x"}), "why", "when"),
    ("no options", _step("topics", options=[]), "topics", "options"),
    ("options missing", _step("topics", options=DELETE), "topics", "options"),
    ("options and options_from", _step("topics", options_from="topics"), "topics", "options"),
    ("an option without a label", _step("topics", options=[{"code": "a"}]), "topics", "options[1]"),
    ("an option code with a space",
     _step("topics", options=[TOPIC_OPTIONS[0], {"code": "lift repair", "label": EN}]), "topics", "options[2]"),
    ("an option code too long for a button", _step("topics", options=[{"code": "x" * 50, "label": EN}]),
     "topics", "options[1]"),
    ("an option code with a colon", _step("topics", options=[{"code": "a:b", "label": EN}]), "topics", "options[1]"),
    ("a Chinese option code", _step("topics", options=[{"code": "园林", "label": EN}]), "topics", "options[1]"),
    ("a duplicate option code", _step("topics", options=[TOPIC_OPTIONS[0], TOPIC_OPTIONS[0]]), "topics", "options[2]"),
    ("an option label of another shape",
     _step("topics", options=[{"code": "a", "label": "A"}]), "topics", "options[1]"),
    ("more required choices than options", _step("topics", min_items=4), "topics", "min_items"),
    ("too many columns", _step("topics", columns=9), "topics", "columns"),
    ("a length as a string", _step("why", max_len="300"), "why", "max_len"),
    ("a length as a boolean", _step("why", min_len=True), "why", "min_len"),
    ("a maximum below the minimum", _step("why", min_len=10, max_len=5), "why", "max_len"),
    ("a length Telegram cannot carry", _step("why", max_len=5000), "why", "max_len"),
    ("a bad context key", _step("contact", prefill_from=""), "contact", "prefill_from"),
    ("allow_typed not a boolean", _step("contact", allow_typed=1), "contact", "allow_typed"),
    ("no photos at all",
     _set(steps=[{"key": "p", "type": "photos", "prompt": EN, "max_items": 0}]), "p", "max_items"),
    ("a date range upside down",
     _set(steps=[{"key": "d", "type": "date", "prompt": EN, "min_offset_days": 5, "max_offset_days": 1}]),
     "d", "max_offset_days"),
    ("an amount that is not one",
     _set(steps=[{"key": "a", "type": "amount", "prompt": EN, "max_value": "lots"}]), "a", "max_value"),
    ("an amount as a float", _set(steps=[{"key": "a", "type": "amount", "prompt": EN, "max_value": 9.5}]),
     "a", "max_value"),
    ("an amount below the fen", _set(steps=[{"key": "a", "type": "amount", "prompt": EN, "min_value": "0.001"}]),
     "a", "min_value"),
    ("an amount range upside down",
     _set(steps=[{"key": "a", "type": "amount", "prompt": EN, "min_value": "100", "max_value": "10"}]), "a", "max_value"),
]


@pytest.mark.parametrize(("mutate", "step", "field"), [case[1:] for case in SPEC_ERRORS],
                         ids=[case[0] for case in SPEC_ERRORS])
def test_an_invalid_spec_names_the_step_and_the_field(mutate: Mutation, step: str | None, field: str) -> None:
    spec = copy.deepcopy(QUESTIONNAIRE)
    mutate(spec)
    with pytest.raises(DialogSpecError) as caught:
        dialog_from_data(spec)
    assert (caught.value.step, caught.value.field) == (step, field), caught.value
    assert isinstance(caught.value, ValueError)
    message = str(caught.value)
    assert field in message
    assert step is None or f"step {step}" in message


@pytest.mark.parametrize("spec", [None, [], "survey", 12])
def test_a_spec_that_is_not_an_object(spec: Any) -> None:
    with pytest.raises(DialogSpecError) as caught:
        dialog_from_data(spec)
    assert (caught.value.step, caught.value.field) == (None, "spec")


def test_every_step_type_can_be_built() -> None:
    steps: list[dict[str, Any]] = [
        {"key": "unit", "type": "choice", "prompt": EN, "options_from": "units", "auto_single": True, "columns": 1},
        {"key": "kind", "type": "choice", "prompt": EN, "options": [{"code": "a", "label": EN}]},
        {"key": "tags", "type": "multi", "prompt": EN, "options": [{"code": "a", "label": EN}], "optional": True,
         "min_items": 0},
        {"key": "note", "type": "text", "prompt": EN, "optional": True},
        {"key": "pics", "type": "photos", "prompt": EN, "max_items": 3, "accept_documents": False, "optional": True},
        {"key": "mobile", "type": "phone", "prompt": EN, "allow_typed": False},
        {"key": "day", "type": "date", "prompt": EN, "min_offset_days": 1, "max_offset_days": 30},
        {"key": "stars", "type": "rating", "prompt": EN},
        {"key": "cost", "type": "amount", "prompt": EN, "min_value": "1", "max_value": "5000.50",
         "when": {"kind": "answer_is", "key": "kind", "value": "a"}},
        {"key": "ok", "type": "confirm", "prompt": EN},
    ]
    dialog = dialog_from_data({"name": "poll:1", "steps": steps})
    assert [s.key for s in dialog.steps] == [s["key"] for s in steps]
    assert dialog.done_text is None
    outcome = start(dialog, {"units": [["7", "1-101"]]}, today=TODAY)
    assert outcome.state is not None
    assert outcome.state.answers == {"unit": "7"}
    assert outcome.state.step == "kind"


# ---------------------------------------------------------------- the source


def test_the_default_source_serves_every_built_in_dialog() -> None:
    assert len({d.name for d in BUILT_IN}) == len(BUILT_IN)
    for dialog in BUILT_IN:
        assert DIALOGS_SOURCE.get(dialog.name) is dialog
        assert get_dialog(dialog.name) is dialog
    assert get_dialog("complaint") is COMPLAINT
    assert get_dialog("repair_survey") is SURVEY
    assert get_dialog("survey:12") is None
    assert get_dialog("no such dialog") is None


async def test_resolve_prefers_built_in_dialogs_then_asks_the_loader_of_the_prefix() -> None:
    asked: list[str] = []

    async def surveys(name: str, reader: object) -> Dialog | None:
        asked.append(name)
        return dialog_from_data({**QUESTIONNAIRE, "name": name}) if name in ("survey:12", "survey:inquiry") else None

    pinned = dialog_from_data({**QUESTIONNAIRE, "name": "survey:1"})
    source = DialogSource((INQUIRY, REPAIR))
    source.add(pinned)
    source.register_loader("survey", surveys)

    assert await source.resolve("inquiry") is INQUIRY
    assert await source.resolve("survey:1") is pinned  # added: the loader is not asked
    loaded = await source.resolve("survey:12")
    assert loaded is not None
    assert loaded.name == "survey:12"
    assert await source.resolve("survey:13") is None
    assert await source.resolve("poll:12") is None  # no loader for the prefix
    assert await source.resolve("survey") is None  # no ":" and nothing after it: not the loader's
    assert await source.resolve("survey:") is None
    assert await source.resolve("surveys:12") is None
    assert await source.resolve("complaint") is None  # not added to this source
    assert asked == ["survey:12", "survey:13"]
    assert source.get("survey:12") is None  # loaded dialogs are not kept: the loader decides each time


async def test_a_resolved_dialog_continues_a_saved_state() -> None:
    async def surveys(name: str, reader: object) -> Dialog | None:
        return dialog_from_data({**QUESTIONNAIRE, "name": name})

    source = DialogSource()
    source.register_loader("survey", surveys)
    first = await source.resolve("survey:12")
    assert first is not None
    outcome = start(first, {}, today=TODAY)
    assert outcome.state is not None
    saved = json.dumps(outcome.state.to_json())

    state = DialogState.from_json(json.loads(saved))
    again = await source.resolve(state.dialog)
    assert again is not None
    outcome = send(again, state, "r:4")
    assert outcome.state is not None
    assert outcome.state.step == "topics"


async def test_a_loader_must_return_the_dialog_it_was_asked_for() -> None:
    async def confused(name: str, reader: object) -> Dialog | None:
        return dialog_from_data(QUESTIONNAIRE)  # always survey:12

    source = DialogSource()
    source.register_loader("survey", confused)
    assert await source.resolve("survey:12") is not None
    with pytest.raises(ValueError, match="survey:13"):
        await source.resolve("survey:13")


async def test_loader_prefixes_and_names_are_unique() -> None:
    async def nothing(name: str, reader: object) -> Dialog | None:
        return None

    source = DialogSource((INQUIRY,))
    source.register_loader("survey", nothing)
    with pytest.raises(ValueError):
        source.register_loader("survey", nothing)
    for bad in ("", "survey:", "a:b"):
        with pytest.raises(ValueError):
            source.register_loader(bad, nothing)
    source.add(INQUIRY)  # the same dialog again is harmless
    with pytest.raises(ValueError):
        source.add(Dialog(name="inquiry", steps=()))


# ---------------------------------------------------------------- one house for every capability


def test_the_dialogs_option_codes_are_the_services_enum_values() -> None:
    from services.complaints.routing import CATEGORY_LABELS, Category
    from services.repairs.rules import (
        BUILDER_SURVEY_ABOVE,
        COMPONENT_LABELS,
        RESPONSIBLE_LABELS,
        TRADE_LABELS,
        VISIT_SLOT_LABELS,
        Responsible,
        Trade,
        VisitSlot,
    )
    from services.repairs.warranty import Component

    def codes(dialog: Dialog, key: str) -> list[str]:
        step = dialog.step(key)
        assert isinstance(step, ChoiceStep)
        return [o.code for o in step.options]

    expected: list[tuple[list[str], type[Any]]] = [
        (codes(COMPLAINT, "category"), Category),
        (codes(REPAIR, "trade"), Trade),
        (codes(REPAIR, "visit_slots"), VisitSlot),
        (codes(SURVEY, "responsible"), Responsible),
        (codes(SURVEY, "component"), Component),
        (codes(SURVEY, "trades"), Trade),
    ]
    for found, enum in expected:
        assert len(found) == len(set(found))
        assert set(found) == {member.value for member in enum}, enum.__name__
    # The services look labels up by enum member; the member is its code.
    for labels, enum in ((CATEGORY_LABELS, Category), (TRADE_LABELS, Trade), (VISIT_SLOT_LABELS, VisitSlot),
                         (RESPONSIBLE_LABELS, Responsible), (COMPONENT_LABELS, Component)):
        assert set(labels) == {member.value for member in enum}
        assert all(labels[member] == labels[member.value] for member in enum)
    assert COMPONENT_LABELS[Component.WATERPROOF_ROOMS] == "Waterproofed bathrooms and rooms"
    assert str(BUILDER_SURVEY_ABOVE) == "500"


OURS = {"bot", "handlers", "dialogs", "services", "storage", "tests", "bench"}


def test_the_dialogs_package_imports_only_its_own_modules() -> None:
    offenders: list[str] = []
    for path in sorted((ROOT / "dialogs").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in OURS and top != "dialogs":
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    assert not offenders, offenders


async def test_a_loader_reads_with_what_the_caller_hands_it() -> None:
    """The chat turn's unit of work reaches the loader untouched: a loader never opens a session of
    its own (SQLite's one connection is the turn's)."""
    seen: list[object] = []

    async def surveys(name: str, reader: object) -> Dialog | None:
        seen.append(reader)
        return dialog_from_data({**QUESTIONNAIRE, "name": name})

    source = DialogSource()
    source.register_loader("survey", surveys)
    turn = object()
    assert await source.resolve("survey:12", turn) is not None
    assert seen == [turn]
