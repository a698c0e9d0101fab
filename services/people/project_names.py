"""A project's name as each locale's readers write it (华苑 / 華苑 / Huayuan): the administrator
sets it per locale (``estatebot admin project name``); a locale without one reads the stored name."""

from __future__ import annotations

from collections.abc import Mapping

from dialogs.text import Localized, Plain, Text
from services.common.locale import SUPPORTED_LOCALES
from storage.models import Project


def project_text(project: Project) -> Text:
    """The project's name for a message: rendered in the reader's locale."""
    return names_text(project.name, project.names)


def names_text(name: str, names: Mapping[str, str] | None) -> Text:
    """``Localized`` when names per locale are set (Simplified Chinese falls back to ``name``), else
    ``Plain(name)``. The renderer picks the reader's locale, else the same script, else zh_Hans_CN."""
    if not names:
        return Plain(name)
    return Localized({"zh_Hans_CN": name, **{k: v for k, v in names.items() if v.strip()}})


def set_name(project: Project, locale: str, name: str | None) -> None:
    """Set (or, with None / blank, remove) the project's name in ``locale``."""
    if locale not in SUPPORTED_LOCALES:
        raise ValueError(f"unknown locale {locale!r}; one of {', '.join(SUPPORTED_LOCALES)}")
    names = dict(project.names or {})
    if name is None or not name.strip():
        names.pop(locale, None)
    else:
        if len(name.strip()) > 200:
            raise ValueError("a project name has at most 200 characters")
        names[locale] = name.strip()
    project.names = names or None
