"""Satisfaction surveys: questionnaire versions (import, lookup by form and version)."""

from __future__ import annotations

from storage.repositories.base import Repository


class SurveyTemplateRepository(Repository):
    pass
