"""Notices to a project's or building's owners (services/care/notices.py): milestones, events, owner meetings, the quarterly report."""

from __future__ import annotations

from storage.repositories.base import Repository


class CareNoticeRepository(Repository):
    pass
