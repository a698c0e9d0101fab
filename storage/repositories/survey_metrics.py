"""Satisfaction surveys: the rates of DOMAIN 3.1, set-based."""

from __future__ import annotations

from storage.repositories.base import Repository


class SurveyMetricsRepository(Repository):
    pass
