"""The reports issued (``report_issues``), their archived files and the recipients of each kind."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.sql.elements import ColumnElement

from storage.models import ReportFile, ReportIssue, ReportRecipient
from storage.repositories.base import Repository


def scope_of(project_id: int | None) -> str:
    return "company" if project_id is None else f"project:{project_id}"


class ReportIssueRepository(Repository):
    async def get(self, report_id: int, *, lock: bool = False) -> ReportIssue | None:
        statement = select(ReportIssue).where(ReportIssue.id == report_id)
        if lock:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def find(self, kind: str, project_id: int | None, period: str) -> ReportIssue | None:
        statement = select(ReportIssue).where(ReportIssue.kind == kind, ReportIssue.scope == scope_of(project_id),
                                              ReportIssue.period == period)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def add(self, issue: ReportIssue) -> ReportIssue:
        issue.scope = scope_of(issue.project_id)
        self.session.add(issue)
        await self.session.flush()
        return issue

    async def of_kind(self, kind: str, *, status: str | None = None) -> Sequence[ReportIssue]:
        statement = select(ReportIssue).where(ReportIssue.kind == kind)
        if status is not None:
            statement = statement.where(ReportIssue.status == status)
        return (await self.session.execute(statement.order_by(ReportIssue.start, ReportIssue.id))).scalars().all()

    async def add_file(self, report_id: int, locale: str, kind: str, name: str, content: bytes,
                       now: datetime) -> ReportFile:
        row = ReportFile(report_id=report_id, locale=locale, kind=kind, name=name, content=content, created_at=now)
        self.session.add(row)
        await self.session.flush()
        return row

    async def files(self, report_id: int) -> Sequence[ReportFile]:
        statement = select(ReportFile).where(ReportFile.report_id == report_id).order_by(ReportFile.id)
        return (await self.session.execute(statement)).scalars().all()

    async def recipients(self, kind: str, project_id: int | None) -> Sequence[ReportRecipient]:
        """Who receives ``kind`` for the office (its own recipients and the company-wide ones), or for
        the company (``project_id`` None: the company-wide ones)."""
        scope: ColumnElement[bool] = ReportRecipient.project_id.is_(None)
        if project_id is not None:
            scope = or_(scope, ReportRecipient.project_id == project_id)
        statement = select(ReportRecipient).where(ReportRecipient.kind == kind, scope).order_by(ReportRecipient.id)
        return (await self.session.execute(statement)).scalars().all()
