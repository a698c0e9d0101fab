"""The normalised questionnaire: what ``SurveyTemplate.spec`` holds, validated, and the chat dialog it asks.

The JSON form (the contract between the import, the chat and the metrics)::

    {"form_id": "satisfaction", "version": "2026.1", "title": {locale: str},
     "questions": [{"name": "overall", "type": "rating", "label": {locale: str}, "hint": {locale: str},
                    "required": true, "relevant": "${q} <= 2" | null, "area": "property" | null,
                    "loyalty": "overall" | null, "choices": [{"name": "a", "label": {locale: str}}],
                    "scale": [{locale: str}, … five, for 1 … 5]}]}

``hint`` is optional; ``choices`` belongs to the select types only; ``scale`` (optional, ratings only)
gives a rating its own five words (肯定不会 … 肯定会) instead of the satisfaction scale's. In the dialog
each question's prompt starts with its number ("3/9 · …"); a rating is answered 1–5 as an int, a single
choice as its code, a multiple choice as a list of codes, a text as a str; a rating (buttons with the
scale's words) answered 1–2 is followed by an optional comment (key ``<name>__comment``); there is no
confirmation: the last answer finishes the dialog and the thank-you follows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from dialogs.engine import Dialog
from dialogs.engine.conditions import All, AnswerIn, Condition, condition_to_json
from dialogs.spec import DialogSpecError, dialog_from_data
from dialogs.text import N_
from services.surveys.relevant import Referable, RelevantError, parse_relevant
from services.surveys.vocabulary import LOW_UP_TO, Area, Loyalty

LOCALES = ("zh_Hans_CN", "zh_Hant_HK", "zh_Hant_TW", "en")
TYPES = ("rating", "select_one", "select_multiple", "text")
SELECT_TYPES = ("select_one", "select_multiple")
COMMENT_SUFFIX = "__comment"
# A step key holds 40 characters; the comment's key adds the suffix to the question's name.
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}")
CHOICE_NAME = re.compile(r"[A-Za-z0-9_.+\-]{1,32}")
FORM_ID = re.compile(r"[A-Za-z0-9_\-]{1,40}")
MAX_VERSION = 32
MAX_LABEL = 1000

# A question that is not required offers Skip (a rating or a choice as a button; the answer is None).
SKIPPABLE = frozenset(TYPES)

THANK_YOU = N_("Thank you for taking part in our survey. Your answers help us serve you better.")
COMMENT_PROMPT = N_("We are sorry to hear that. What disappointed you? "
                    "A few words help us put it right (or skip this).")
# After a low answer on a rating with its own words ("would you recommend us?": 2 · 可能不会) being
# sorry for someone's dissatisfaction would misread the answer.
REASON_PROMPT = N_("What is the main reason for your answer? A few words help us improve (or skip this).")
SCALE_POINTS = 5

_E = TypeVar("_E", Area, Loyalty)

_STEP_TYPES = {"rating": "rating", "select_one": "choice", "select_multiple": "multi", "text": "text"}


class QuestionnaireError(ValueError):
    """An invalid questionnaire; ``question`` is the question's name (or ``#n``), None for the form."""

    def __init__(self, question: str | None, field: str, problem: str) -> None:
        self.question = question
        self.field = field
        self.problem = problem
        where = "questionnaire" if question is None else f"question {question}"
        super().__init__(f"{where}, {field}: {problem}")


@dataclass(frozen=True)
class Choice:
    name: str
    label: Mapping[str, str]


@dataclass(frozen=True)
class Question:
    name: str
    type: str  # rating | select_one | select_multiple | text
    label: Mapping[str, str]
    required: bool = True
    hint: Mapping[str, str] | None = None
    relevant: str | None = None  # the XLSForm expression as written
    area: Area | None = None
    loyalty: Loyalty | None = None
    choices: tuple[Choice, ...] = ()
    # A rating's own words for 1 … 5 (e.g. 肯定不会 … 肯定会); None: the satisfaction scale's.
    scale: tuple[Mapping[str, str], ...] | None = None
    condition: Condition | None = None  # ``relevant`` read; derived, so not part of the JSON form

    @property
    def comment_key(self) -> str | None:
        """The key of the comment asked after a low rating; None when the question is not a rating."""
        return self.name + COMMENT_SUFFIX if self.type == "rating" else None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "label": dict(self.label),
        }
        if self.hint:
            data["hint"] = dict(self.hint)
        data.update({
            "required": self.required,
            "relevant": self.relevant,
            "area": self.area.value if self.area else None,
            "loyalty": self.loyalty.value if self.loyalty else None,
        })
        if self.type in SELECT_TYPES:
            data["choices"] = [{"name": c.name, "label": dict(c.label)} for c in self.choices]
        if self.scale is not None:
            data["scale"] = [dict(words) for words in self.scale]
        return data


@dataclass(frozen=True)
class Questionnaire:
    form_id: str
    version: str
    title: Mapping[str, str]
    questions: tuple[Question, ...]

    @classmethod
    def from_json(cls, spec: Any) -> Questionnaire:
        """The questionnaire a spec describes; ``QuestionnaireError`` names the question and field."""
        if not isinstance(spec, Mapping):
            raise QuestionnaireError(None, "spec", "a questionnaire is an object")
        _only(None, spec, {"form_id", "version", "title", "questions"}, {"form_id", "version", "title", "questions"})
        form_id = spec["form_id"]
        if not isinstance(form_id, str) or not FORM_ID.fullmatch(form_id):
            raise QuestionnaireError(None, "form_id", "1 to 40 letters, digits, _ or -")
        version = spec["version"]
        if not isinstance(version, str) or not version.strip() or len(version) > MAX_VERSION:
            raise QuestionnaireError(None, "version", f"a non-empty text of at most {MAX_VERSION} characters")
        title = _texts(None, "title", spec["title"])
        raw_questions = spec["questions"]
        if not isinstance(raw_questions, list) or not raw_questions:
            raise QuestionnaireError(None, "questions", "a non-empty list of questions")
        questions: list[Question] = []
        for index, raw in enumerate(raw_questions):
            questions.append(_question(raw, index, questions))
        questionnaire = cls(form_id, version.strip(), title, tuple(questions))
        try:
            questionnaire.dialog("survey:check")
        except DialogSpecError as error:  # a guard: the checks above should have caught it
            raise QuestionnaireError(error.step, error.field, error.problem) from None
        return questionnaire

    def to_json(self) -> dict[str, Any]:
        return {
            "form_id": self.form_id,
            "version": self.version,
            "title": dict(self.title),
            "questions": [q.to_json() for q in self.questions],
        }

    def question(self, name: str) -> Question:
        for question in self.questions:
            if question.name == name:
                return question
        raise KeyError(name)

    def loyalty_question(self, item: Loyalty) -> Question | None:
        return next((q for q in self.questions if q.loyalty == item), None)

    def dialog_spec(self, name: str) -> dict[str, Any]:
        """The dialog spec (``dialogs.spec``) asking this questionnaire, one question at a time."""
        steps: list[dict[str, Any]] = []
        count = len(self.questions)
        for number, question in enumerate(self.questions, start=1):
            steps.append(_step(question, f"{number}/{count} · "))
            if question.type == "rating":
                steps.append(_comment_step(question))
        return {"name": name, "steps": steps, "done_text": {"msgid": THANK_YOU}}

    def dialog(self, name: str) -> Dialog:
        return dialog_from_data(self.dialog_spec(name))


# ---------------------------------------------------------------- the dialog


def _step(question: Question, progress: str) -> dict[str, Any]:
    """The question's step; ``progress`` ("3/9 · ") starts its prompt in every locale."""
    step: dict[str, Any] = {
        "key": question.name,
        "type": _STEP_TYPES[question.type],
        "prompt": {"text": {locale: progress + text for locale, text in _prompt(question).items()}},
        "label": {"text": dict(question.label)},
    }
    if not question.required and question.type in SKIPPABLE:
        step["optional"] = True
    if question.type == "rating":
        # 5 · 非常满意 … 1 · 非常不满意, or the question's own words (5 · 肯定会 … 1 · 肯定不会)
        step["scale_labels"] = True if question.scale is None else [{"text": dict(w)} for w in question.scale]
    if question.condition is not None:
        step["when"] = condition_to_json(question.condition)
    if question.type in SELECT_TYPES:
        step["options"] = [{"code": c.name, "label": {"text": dict(c.label)}} for c in question.choices]
    return step


def _comment_step(question: Question) -> dict[str, Any]:
    low: Condition = AnswerIn(question.name, tuple(range(1, LOW_UP_TO + 1)))
    when = low if question.condition is None else All((question.condition, low))
    return {
        "key": question.name + COMMENT_SUFFIX,
        "type": "text",
        "optional": True,
        "prompt": {"msgid": COMMENT_PROMPT if question.scale is None else REASON_PROMPT},
        "when": condition_to_json(when),
    }


def _prompt(question: Question) -> dict[str, str]:
    """The label, and under it the hint, per locale the label is written in."""
    if not question.hint:
        return dict(question.label)
    return {locale: f"{text}\n{fallback(question.hint, locale)}" for locale, text in question.label.items()}


def fallback(texts: Mapping[str, str], locale: str) -> str:
    """The text a reader of ``locale`` sees, by ``dialogs.text.Localized``'s rule: the locale, else one
    of the same script, else Simplified Chinese, else the first given."""
    return texts[fallback_locale(texts, locale)]


def fallback_locale(texts: Mapping[str, str], locale: str) -> str:
    if locale in texts:
        return locale
    script = locale.split("_")[1] if locale.count("_") >= 1 else None
    for other in texts:
        if script and other.startswith("zh_") and other.split("_")[1] == script:
            return other
    if "zh_Hans_CN" in texts:
        return "zh_Hans_CN"
    return next(iter(texts))


# ---------------------------------------------------------------- reading the JSON form


def _question(raw: Any, index: int, earlier: list[Question]) -> Question:
    where = f"#{index + 1}"
    if not isinstance(raw, Mapping):
        raise QuestionnaireError(where, "question", "a question is an object")
    name = raw.get("name")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise QuestionnaireError(where, "name", "a letter, then up to 30 letters, digits or _")
    if name.endswith(COMMENT_SUFFIX):
        raise QuestionnaireError(name, "name", f"a name ending in {COMMENT_SUFFIX} is reserved for comments")
    if name in {q.name for q in earlier}:
        raise QuestionnaireError(name, "name", "another question has the same name")
    kind = raw.get("type")
    if kind not in TYPES:
        raise QuestionnaireError(name, "type", f"one of {', '.join(TYPES)}, not {kind!r}")
    allowed = {"name", "type", "label", "hint", "required", "relevant", "area", "loyalty"}
    if kind == "rating":
        allowed.add("scale")
    _only(name, raw, allowed | ({"choices"} if kind in SELECT_TYPES else set()),
          {"name", "type", "label"} | ({"choices"} if kind in SELECT_TYPES else set()))
    required = raw.get("required", True)
    if not isinstance(required, bool):
        raise QuestionnaireError(name, "required", "true or false")
    hint = _texts(name, "hint", raw["hint"]) if raw.get("hint") else None
    area = _enum(name, "area", Area, raw.get("area"))
    loyalty = _enum(name, "loyalty", Loyalty, raw.get("loyalty"))
    if (area or loyalty) and kind != "rating":
        raise QuestionnaireError(name, "area" if area else "loyalty", "only a rating question has a service "
                                 "area or a loyalty item (they are 5-point scores)")
    if loyalty and any(q.loyalty == loyalty for q in earlier):
        raise QuestionnaireError(name, "loyalty", f"another question is already the {loyalty.value!r} item")
    relevant = raw.get("relevant")
    if relevant is not None and (not isinstance(relevant, str) or not relevant.strip()):
        raise QuestionnaireError(name, "relevant", "an XLSForm condition such as ${overall} <= 2, or null")
    condition = None
    if relevant is not None:
        relevant = relevant.strip()
        try:
            condition = parse_relevant(relevant, referable(earlier))
        except RelevantError as error:
            raise QuestionnaireError(name, "relevant", str(error)) from None
    return Question(
        name=name, type=kind, label=_texts(name, "label", raw["label"]), required=required, hint=hint,
        relevant=relevant, area=area, loyalty=loyalty,
        choices=_choices(name, raw["choices"]) if kind in SELECT_TYPES else (),
        scale=_scale(name, raw["scale"]) if raw.get("scale") is not None else None, condition=condition,
    )


def referable(questions: list[Question] | tuple[Question, ...]) -> dict[str, Referable]:
    """What a ``relevant`` expression may read of these (earlier) questions."""
    return {q.name: Referable(q.type, tuple(c.name for c in q.choices)) for q in questions}


def _choices(question: str, raw: Any) -> tuple[Choice, ...]:
    if not isinstance(raw, list) or not raw:
        raise QuestionnaireError(question, "choices", "a non-empty list of {name, label}")
    choices: list[Choice] = []
    for number, entry in enumerate(raw, start=1):
        field = f"choices[{number}]"
        if not isinstance(entry, Mapping) or set(entry) != {"name", "label"}:
            raise QuestionnaireError(question, field, "an object with a name and a label")
        code = entry["name"]
        if not isinstance(code, str) or not CHOICE_NAME.fullmatch(code):
            raise QuestionnaireError(question, field, "a name of 1 to 32 letters, digits or _ . + -")
        if code in {c.name for c in choices}:
            raise QuestionnaireError(question, field, f"another choice is named {code!r}")
        choices.append(Choice(code, _texts(question, field, entry["label"])))
    return tuple(choices)


def _scale(question: str, raw: Any) -> tuple[dict[str, str], ...]:
    if not isinstance(raw, list) or len(raw) != SCALE_POINTS:
        raise QuestionnaireError(question, "scale", "a list of five texts, for 1 … 5 (worst first)")
    return tuple(_texts(question, f"scale[{score}]", words) for score, words in enumerate(raw, start=1))


def _texts(question: str | None, field: str, raw: Any) -> dict[str, str]:
    if not isinstance(raw, Mapping) or not raw:
        raise QuestionnaireError(question, field, f"an object of locale and text ({', '.join(LOCALES)})")
    texts: dict[str, str] = {}
    for locale in LOCALES:  # stored in one order, whatever order it came in
        if locale in raw:
            text = raw[locale]
            if not isinstance(text, str) or not text.strip():
                raise QuestionnaireError(question, field, f"the {locale} text is empty")
            if len(text) > MAX_LABEL:
                raise QuestionnaireError(question, field, f"the {locale} text is longer than {MAX_LABEL} characters")
            texts[locale] = text.strip()
    unknown = [locale for locale in raw if locale not in LOCALES]
    if unknown:
        raise QuestionnaireError(question, field, f"{unknown[0]!r} is not one of the locales {', '.join(LOCALES)}")
    return texts


def _enum(question: str, field: str, kind: type[_E], raw: Any) -> _E | None:
    if raw is None:
        return None
    try:
        return kind(raw)
    except ValueError:
        raise QuestionnaireError(question, field, f"one of {', '.join(e.value for e in kind)}, "
                                 f"not {raw!r}") from None


def _only(question: str | None, raw: Mapping[str, Any], allowed: set[str], required: set[str]) -> None:
    for field in raw:
        if field not in allowed:
            raise QuestionnaireError(question, str(field), "unknown field")
    for field in sorted(required):
        if field not in raw:
            raise QuestionnaireError(question, field, "missing")
