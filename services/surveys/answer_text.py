"""How a survey answer reads on a staff card: the question's label, from the questionnaire version
the owner answered, in the reader's locale; a score with its word on the scale (1 · 非常不满意)."""

from __future__ import annotations

from dialogs.text import N_, Label, Localized, Msg, Text
from services.surveys.vocabulary import SCALE
from storage.models.surveys import SurveyTemplate

_SCALE_LABELS = dict(SCALE)


def question_label(template: SurveyTemplate | None, name: str) -> Label:
    for question in (template.spec.get("questions") or []) if template is not None else []:
        if isinstance(question, dict) and question.get("name") == name:
            texts = {locale: text for locale, text in (question.get("label") or {}).items()
                     if isinstance(text, str) and text.strip()}
            if texts:
                return Localized(texts)
    return Localized({"en": name})


def score_text(score: int) -> Text:
    label = _SCALE_LABELS.get(score)
    return Msg(N_("{score} · {label}"), {"score": score, "label": Msg(label)}) if label else score
