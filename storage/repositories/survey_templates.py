"""Satisfaction surveys: questionnaire versions (import, lookup by form and version)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from storage.models.surveys import SurveyTemplate
from storage.repositories.base import Repository


class SurveyTemplateRepository(Repository):
    async def add(self, *, form_id: str, version: str, title: dict[str, Any], spec: dict[str, Any],
                  warnings: list[str], source: str | None, imported_at: datetime) -> SurveyTemplate:
        template = SurveyTemplate(form_id=form_id, version=version, title=title, spec=spec, warnings=warnings,
                                  source=source, imported_at=imported_at)
        self.session.add(template)
        await self.session.flush()
        return template

    async def add_unless_present(self, *, form_id: str, version: str, title: dict[str, Any], spec: dict[str, Any],
                                 warnings: list[str], source: str | None,
                                 imported_at: datetime) -> SurveyTemplate | None:
        """``add``, or None when another process added this (form_id, version) meanwhile (two instances
        starting at once both install the shipped questionnaires)."""
        try:
            async with self.session.begin_nested():
                return await self.add(form_id=form_id, version=version, title=title, spec=spec,
                                      warnings=warnings, source=source, imported_at=imported_at)
        except IntegrityError:
            return None

    async def get(self, template_id: int) -> SurveyTemplate | None:
        return await self.session.get(SurveyTemplate, template_id)

    async def latest(self, form_id: str) -> SurveyTemplate | None:
        """The form's last imported version."""
        query = (select(SurveyTemplate).where(SurveyTemplate.form_id == form_id)
                 .order_by(SurveyTemplate.imported_at.desc(), SurveyTemplate.id.desc()).limit(1))
        return (await self.session.scalars(query)).first()

    async def by_version(self, form_id: str, version: str) -> SurveyTemplate | None:
        query = select(SurveyTemplate).where(SurveyTemplate.form_id == form_id, SurveyTemplate.version == version)
        return (await self.session.scalars(query)).first()

    async def all_versions(self) -> Sequence[SurveyTemplate]:
        """Every version of every form, by form, oldest version first."""
        query = select(SurveyTemplate).order_by(SurveyTemplate.form_id, SurveyTemplate.imported_at,
                                                SurveyTemplate.id)
        return (await self.session.scalars(query)).all()

    async def form_ids(self) -> set[str]:
        """The forms that have at least one version."""
        return set((await self.session.scalars(select(SurveyTemplate.form_id).group_by(SurveyTemplate.form_id))).all())

    async def count(self) -> int:
        return int((await self.session.scalar(select(func.count()).select_from(SurveyTemplate))) or 0)
