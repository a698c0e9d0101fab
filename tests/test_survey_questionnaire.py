"""The normalised questionnaire: validation, ``relevant`` expressions, and the dialog it asks."""

from __future__ import annotations

from typing import Any

import pytest

from dialogs.engine import ChoiceStep, MultiChoiceStep, RatingStep, TextStep
from dialogs.engine.conditions import All, AnswerIn, AnswerIs, AnyOf, Not
from dialogs.engine.steps import SCALE_LABELS
from dialogs.text import Localized, Msg
from services.surveys.questionnaire import (
    COMMENT_PROMPT,
    REASON_PROMPT,
    THANK_YOU,
    Questionnaire,
    QuestionnaireError,
    fallback,
)
from services.surveys.relevant import Referable, RelevantError, parse_relevant
from services.surveys.vocabulary import Area, Loyalty


def _label(zh: str, en: str) -> dict[str, str]:
    return {"zh_Hans_CN": zh, "zh_Hant_HK": zh, "zh_Hant_TW": zh, "en": en}


def _spec(*questions: dict[str, Any]) -> dict[str, Any]:
    return {"form_id": "demo", "version": "1", "title": _label("调查", "Survey"), "questions": list(questions)}


def _rating(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": "rating", "label": _label(name, name), "required": True,
            "relevant": None, "area": None, "loyalty": None, **extra}


SPEC = _spec(
    _rating("overall", loyalty="overall"),
    _rating("property", area="property", hint={"zh_Hans_CN": "含保安、保洁", "en": "Security, cleaning"}),
    {"name": "why", "type": "select_multiple", "label": _label("原因", "Why"), "required": False,
     "relevant": "${property} <= 2", "area": None, "loyalty": None,
     "choices": [{"name": "noise", "label": _label("噪音", "Noise")},
                 {"name": "dirt", "label": _label("卫生", "Dirt")}]},
    {"name": "channel", "type": "select_one", "label": _label("渠道", "Channel"), "required": True,
     "relevant": None, "area": None, "loyalty": None,
     "choices": [{"name": "1", "label": _label("电话", "Phone")}, {"name": "2", "label": _label("微信", "WeChat")}]},
    {"name": "note", "type": "text", "label": _label("建议", "Suggestions"), "required": False,
     "relevant": "selected(${why}, 'noise') or ${channel} = '2'", "area": None, "loyalty": None},
)


def test_round_trip_of_the_json_form() -> None:
    questionnaire = Questionnaire.from_json(SPEC)
    assert questionnaire.to_json() == SPEC
    assert Questionnaire.from_json(questionnaire.to_json()) == questionnaire
    assert questionnaire.question("property").area is Area.PROPERTY
    assert questionnaire.loyalty_question(Loyalty.OVERALL) is questionnaire.questions[0]
    assert questionnaire.loyalty_question(Loyalty.REBUY) is None


def test_the_dialog_asks_each_question_with_a_comment_after_each_rating() -> None:
    dialog = Questionnaire.from_json(SPEC).dialog("survey:7")
    assert dialog.name == "survey:7"
    assert [s.key for s in dialog.steps] == [
        "overall", "overall__comment", "property", "property__comment", "why", "channel", "note"]
    overall, comment, prop, _, why, channel, note = dialog.steps
    assert isinstance(overall, RatingStep) and not overall.optional
    assert overall.labels == SCALE_LABELS
    assert overall.prompt == Localized(_label("1/5 · overall", "1/5 · overall"))  # its number of the five
    assert isinstance(comment, TextStep) and comment.optional and comment.prompt == Msg(COMMENT_PROMPT)
    assert comment.when == AnswerIn("overall", (1, 2))
    # the hint goes under the label; a locale without a hint gets the one of its script, else Simplified
    assert isinstance(prop.prompt, Localized)
    assert prop.prompt.texts["en"] == "2/5 · property\nSecurity, cleaning"
    assert prop.prompt.texts["zh_Hant_HK"] == "2/5 · property\n含保安、保洁"
    assert isinstance(why, MultiChoiceStep) and why.optional and why.when == AnswerIn("property", (1, 2))
    assert isinstance(channel, ChoiceStep) and not isinstance(channel, MultiChoiceStep)
    assert [o.code for o in channel.options] == ["1", "2"]
    assert isinstance(note, TextStep) and note.optional
    assert note.when == AnyOf((AnswerIs("why", "noise"), AnswerIs("channel", "2")))
    assert dialog.done_text == Msg(THANK_YOU)


LIKELY = [_label(zh, en) for zh, en in (("肯定不会", "Definitely not"), ("可能不会", "Probably not"),
                                         ("不确定", "Not sure"), ("可能会", "Probably yes"), ("肯定会", "Definitely yes"))]


def test_a_rating_with_its_own_words_asks_with_them_and_a_neutral_comment() -> None:
    spec = _spec(_rating("overall", loyalty="overall"), _rating("recommend", loyalty="recommend", scale=LIKELY))
    questionnaire = Questionnaire.from_json(spec)
    assert questionnaire.to_json() == spec
    assert Questionnaire.from_json(questionnaire.to_json()) == questionnaire
    assert questionnaire.question("recommend").scale == tuple(LIKELY)
    dialog = questionnaire.dialog("survey:3")
    overall, overall_comment, recommend, recommend_comment = dialog.steps
    assert isinstance(overall, RatingStep) and overall.labels == SCALE_LABELS
    assert isinstance(recommend, RatingStep) and recommend.labels == tuple(Localized(words) for words in LIKELY)
    assert recommend.prompt == Localized(_label("2/2 · recommend", "2/2 · recommend"))
    assert overall_comment.prompt == Msg(COMMENT_PROMPT)
    assert recommend_comment.prompt == Msg(REASON_PROMPT)  # not "sorry you are dissatisfied"


def test_a_comment_after_a_conditional_rating_needs_the_condition_too() -> None:
    spec = _spec(_rating("overall"), _rating("again", relevant="${overall} >= 4"))
    dialog = Questionnaire.from_json(spec).dialog("survey:1")
    assert dialog.step("again__comment").when == All((AnswerIn("overall", (4, 5)), AnswerIn("again", (1, 2))))


def test_a_question_not_required_may_be_skipped() -> None:
    spec = _spec(_rating("overall", required=False), _rating("again"),
                 {**SPEC["questions"][3], "required": False})
    dialog = Questionnaire.from_json(spec).dialog("survey:1")
    assert [s.optional for s in dialog.steps] == [True, True, False, True, True]


EARLIER = {
    "overall": Referable("rating"),
    "kind": Referable("select_one", ("a", "b", "1")),
    "topics": Referable("select_multiple", ("x", "y")),
    "text": Referable("text"),
}


@pytest.mark.parametrize(("expression", "condition"), [
    ("${overall} <= 2", AnswerIn("overall", (1, 2))),
    ("${overall}<3", AnswerIn("overall", (1, 2))),
    ("${overall} >= 4", AnswerIn("overall", (4, 5))),
    ("${overall} > 0", AnswerIn("overall", (1, 2, 3, 4, 5))),
    ("${overall} = 1", AnswerIs("overall", 1)),
    ("${overall} = '1'", AnswerIs("overall", 1)),
    ("${overall} != 3", Not(AnswerIs("overall", 3))),
    ("${kind} = 'a'", AnswerIs("kind", "a")),
    ('${kind} != "b"', Not(AnswerIs("kind", "b"))),
    ("${kind} = 1", AnswerIs("kind", "1")),
    ("selected(${topics}, 'x')", AnswerIs("topics", "x")),
    ("selected(${kind}, 'a')", AnswerIs("kind", "a")),
    ("not(selected(${topics}, 'y'))", Not(AnswerIs("topics", "y"))),
    ("${overall} <= 2 and ${kind} = 'a' or selected(${topics}, 'x')",
     AnyOf((All((AnswerIn("overall", (1, 2)), AnswerIs("kind", "a"))), AnswerIs("topics", "x")))),
    ("${overall} <= 2 AND (${kind} = 'a' OR ${kind} = 'b')",
     All((AnswerIn("overall", (1, 2)), AnyOf((AnswerIs("kind", "a"), AnswerIs("kind", "b")))))),
])
def test_relevant_expressions(expression: str, condition: object) -> None:
    assert parse_relevant(expression, EARLIER) == condition


@pytest.mark.parametrize(("expression", "problem"), [
    ("", "empty"),
    ("${later} = 1", "${later} is not an earlier question"),
    ("${overall} > 5", "never true"),
    ("${overall} = 6", "a rating is 1 to 5"),
    ("${overall} <= 'bad'", "whole number from 1 to 5"),
    ("${overall} <= 2.5", "not a whole number"),
    ("${kind} < 'a'", "compared with = or !="),
    ("${kind} = 'z'", "'z' is not one of the choices of ${kind}"),
    ("${topics} = 'x'", "selected(${topics}, 'code')"),
    ("${text} = 'x'", "free-text question"),
    ("selected(${overall}, '1')", "selected() tests a choice question"),
    ("count-selected(${topics}) > 1", "unknown word or function"),
    ("${overall} <= 2 and", "ends too early"),
    ("(${overall} <= 2", "ends too early"),
    ("${overall} <= 2)", "unexpected ')'"),
    ("2 >= ${overall}", "starts with a question"),
    ("${overall} <= 2 # x", "cannot read '# x'"),
])
def test_relevant_expressions_refused(expression: str, problem: str) -> None:
    with pytest.raises(RelevantError, match=problem.replace("$", r"\$").replace("(", r"\(").replace(")", r"\)")):
        parse_relevant(expression, EARLIER)


@pytest.mark.parametrize(("change", "question", "field"), [
    (lambda s: s["questions"][1].update(name="overall"), "overall", "name"),
    (lambda s: s["questions"][1].update(name="2bad"), "#2", "name"),
    (lambda s: s["questions"][1].update(name="x__comment"), "x__comment", "name"),
    (lambda s: s["questions"][1].update(type="note"), "property", "type"),
    (lambda s: s["questions"][1].update(area="garden"), "property", "area"),
    (lambda s: s["questions"][1].update(loyalty="overall"), "property", "loyalty"),
    (lambda s: s["questions"][3].update(area="sales"), "channel", "area"),
    (lambda s: s["questions"][0].update(relevant="${property} <= 2"), "overall", "relevant"),
    (lambda s: s["questions"][0].update(required="yes"), "overall", "required"),
    (lambda s: s["questions"][0].update(label={"fr": "x"}), "overall", "label"),
    (lambda s: s["questions"][0].update(label={"en": " "}), "overall", "label"),
    (lambda s: s["questions"][0].update(choices=[]), "overall", "choices"),
    (lambda s: s["questions"][3].pop("choices"), "channel", "choices"),
    (lambda s: s["questions"][3]["choices"].append({"name": "1", "label": {"en": "x"}}), "channel", "choices[3]"),
    (lambda s: s["questions"][0].update(scale=LIKELY[:4]), "overall", "scale"),
    (lambda s: s["questions"][0].update(scale=[*LIKELY[:4], {"en": ""}]), "overall", "scale[5]"),
    (lambda s: s["questions"][3].update(scale=LIKELY), "channel", "scale"),
    (lambda s: s.update(version=""), None, "version"),
    (lambda s: s.update(form_id="a b"), None, "form_id"),
    (lambda s: s.update(questions=[]), None, "questions"),
    (lambda s: s.pop("title"), None, "title"),
])
def test_invalid_questionnaires_name_the_question_and_field(change: Any, question: str | None, field: str) -> None:
    import copy

    spec = copy.deepcopy(SPEC)
    change(spec)
    with pytest.raises(QuestionnaireError) as caught:
        Questionnaire.from_json(spec)
    assert (caught.value.question, caught.value.field) == (question, field)


def test_fallback_follows_the_renderers_rule() -> None:
    assert fallback({"zh_Hans_CN": "简", "zh_Hant_TW": "台"}, "zh_Hant_HK") == "台"
    assert fallback({"zh_Hans_CN": "简", "zh_Hant_TW": "台"}, "en") == "简"
    assert fallback({"en": "E", "zh_Hant_HK": "港"}, "zh_Hans_CN") == "E"
    assert fallback({"en": "E"}, "en") == "E"
