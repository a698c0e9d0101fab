"""Questionnaire versions: importing a workbook, exporting one, and the questionnaires the bot ships.

A (form_id, version) is imported once: the same file again changes nothing, a different content under
the same version is refused (the answers already given keep pointing at what was asked).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from services.surveys.questionnaire import Questionnaire
from services.surveys.xlsform import Problem, Reading, read_xlsform, write_xlsform
from storage.models.surveys import SurveyTemplate
from storage.uow import UnitOfWork

SHIPPED = Path(__file__).resolve().parent / "forms"


class ImportRefused(ValueError):
    """The workbook was not imported; ``problems`` says where and why."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class ImportOutcome:
    template: SurveyTemplate
    created: bool  # False: this version was already imported with the same content
    warnings: tuple[Problem, ...]


async def import_workbook(uow: UnitOfWork, data: bytes, source: str | None, now: datetime) -> ImportOutcome:
    """Store the questionnaire of an .xlsx workbook as a new version; ``ImportRefused`` otherwise."""
    reading = await asyncio.to_thread(read_xlsform, data)
    return await _store(uow, reading, source, now)


async def _store(uow: UnitOfWork, reading: Reading, source: str | None, now: datetime) -> ImportOutcome:
    questionnaire = reading.questionnaire
    if questionnaire is None:
        raise ImportRefused(reading.problems)
    spec = questionnaire.to_json()
    existing = await uow.survey_templates.by_version(questionnaire.form_id, questionnaire.version)
    if existing is not None:
        if existing.spec == spec:
            return ImportOutcome(existing, False, reading.warnings)
        where = reading.version_cell or Problem("settings", "")
        message = (f"version {questionnaire.version!r} of {questionnaire.form_id!r} was imported on "
                   f"{existing.imported_at:%Y-%m-%d} with different content; bump settings.version "
                   "(answers keep the version they were asked in)")
        raise ImportRefused([replace(where, message=message)])
    template = await uow.survey_templates.add(
        form_id=questionnaire.form_id, version=questionnaire.version, title=dict(questionnaire.title), spec=spec,
        warnings=[str(w) for w in reading.warnings], source=source, imported_at=now,
    )
    return ImportOutcome(template, True, reading.warnings)


async def export_workbook(uow: UnitOfWork, form_id: str, version: str | None = None) -> tuple[SurveyTemplate, bytes]:
    """The workbook of a form's version (its latest without one); ``LookupError`` if there is none."""
    if version is None:
        template = await uow.survey_templates.latest(form_id)
    else:
        template = await uow.survey_templates.by_version(form_id, version)
    if template is None:
        raise LookupError(f"no questionnaire {form_id!r}" + (f" version {version!r}" if version else ""))
    questionnaire = Questionnaire.from_json(template.spec)
    return template, await asyncio.to_thread(write_xlsform, questionnaire)


def shipped_files() -> list[Path]:
    return sorted(SHIPPED.glob("*.xlsx"))


async def install_shipped(uow: UnitOfWork, now: datetime) -> list[SurveyTemplate]:
    """Import each questionnaire shipped with the bot whose form has no version yet (an administrator's
    own versions are left alone); what it added. The caller commits."""
    present = await uow.survey_templates.form_ids()
    added: list[SurveyTemplate] = []
    for path in shipped_files():
        data = await asyncio.to_thread(path.read_bytes)
        reading = await asyncio.to_thread(read_xlsform, data)
        if reading.questionnaire is None:  # tests/test_survey_forms.py keeps this from happening
            raise RuntimeError(f"shipped questionnaire {path.name}: {ImportRefused(reading.problems)}")
        if reading.questionnaire.form_id in present:
            continue
        questionnaire = reading.questionnaire
        template = await uow.survey_templates.add_unless_present(
            form_id=questionnaire.form_id, version=questionnaire.version, title=dict(questionnaire.title),
            spec=questionnaire.to_json(), warnings=[str(w) for w in reading.warnings],
            source=f"shipped:{path.name}", imported_at=now,
        )
        present.add(questionnaire.form_id)
        if template is not None:
            added.append(template)
    return added
