"""Satisfaction surveys: the invitations owners answer in chat and their answers."""

from __future__ import annotations

from storage.repositories.base import Repository


class SurveyResponseRepository(Repository):
    pass
