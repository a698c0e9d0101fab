"""How report files (workbook, chart, file names) are rendered for a reader's locale outside a chat
turn: the planner's rules have no reader's context, so the runtime hands the catalogs' plain-text
renderer over at start (``use_labels``), as it hands the rule settings to the surveys."""

from __future__ import annotations

from collections.abc import Callable

from dialogs.text import Msg, Plain, Text

Label = Callable[[Text], str]
Labels = Callable[[str], Label]  # locale → plain text of a locale-free text


def _untranslated(text: Text) -> str:
    """Before the runtime started (a unit test planning by hand): the msgid or the text itself."""
    if isinstance(text, Msg):
        return text.msgid.format(**{key: _untranslated(value) for key, value in text.params.items()})
    if isinstance(text, Plain):
        return text.text
    return str(text)


_labels: Labels = lambda locale: _untranslated  # noqa: E731


def use_labels(labels: Labels) -> None:
    """The catalogs' renderer per locale; the runtime passes it at start."""
    global _labels
    _labels = labels


def label_for(locale: str) -> Label:
    return _labels(locale)
