"""How a survey answer reads on a staff card: the question's label, from the questionnaire version
the owner answered, in the reader's locale; a score with the question's word for it (1 · 非常不满意 on
the satisfaction scale, 1 · 肯定不会 on a question with its own scale)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialogs.text import N_, Label, Localized, Msg, Text
from services.surveys.vocabulary import SCALE
from storage.models.surveys import SurveyTemplate

_SCALE_LABELS = dict(SCALE)


def question_spec(template: SurveyTemplate | None, name: str) -> Mapping[str, Any] | None:
    """The question's JSON form in the version the owner answered, or None."""
    for question in (template.spec.get("questions") or []) if template is not None else []:
        if isinstance(question, dict) and question.get("name") == name:
            return question
    return None


def question_label(template: SurveyTemplate | None, name: str) -> Label:
    texts = _texts((question_spec(template, name) or {}).get("label"))
    return Localized(texts) if texts else Localized({"en": name})


def score_text(score: int, template: SurveyTemplate | None = None, name: str | None = None) -> Text:
    """"2 · 不满意"; with the question (``template`` and ``name``) its own words when it has them."""
    scale = (question_spec(template, name) or {}).get("scale") if name is not None else None
    if isinstance(scale, list) and len(scale) == len(SCALE) and 1 <= score <= len(scale):
        words = _texts(scale[score - 1])
        if words:
            return Msg(N_("{score} · {label}"), {"score": score, "label": Localized(words)})
    label = _SCALE_LABELS.get(score)
    return Msg(N_("{score} · {label}"), {"score": score, "label": Msg(label)}) if label else score


def _texts(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        return {}
    return {locale: text for locale, text in raw.items() if isinstance(text, str) and text.strip()}
