"""The reports issued (``report_issues``), their archived files and the recipients of each kind."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, or_, select
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

    async def issued_periods(self, kind: str, project_id: int | None, periods: Sequence[str]) -> set[str]:
        """Which of ``periods`` have a report of ``kind`` for the office (or the company) issued."""
        if not periods:
            return set()
        statement = select(ReportIssue.period).where(ReportIssue.kind == kind, ReportIssue.scope == scope_of(project_id),
                                                     ReportIssue.period.in_(periods))
        return set((await self.session.execute(statement)).scalars())

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

    async def issued(self, kind: str | None = None, project_id: int | None = None) -> Sequence[ReportIssue]:
        """The reports issued, newest period first: of a kind, of one office (its own reports)."""
        statement = select(ReportIssue)
        if kind is not None:
            statement = statement.where(ReportIssue.kind == kind)
        if project_id is not None:
            statement = statement.where(ReportIssue.project_id == project_id)
        return (await self.session.execute(statement.order_by(ReportIssue.start.desc(), ReportIssue.id))).scalars().all()

    async def add_recipient(self, kind: str, project_id: int | None, staff_id: int, by: str,
                            now: datetime) -> bool:
        """False when he already receives that kind for that scope."""
        statement = select(ReportRecipient.id).where(
            ReportRecipient.kind == kind, ReportRecipient.staff_id == staff_id,
            ReportRecipient.project_id.is_(None) if project_id is None else ReportRecipient.project_id == project_id)
        if (await self.session.execute(statement)).first() is not None:
            return False
        self.session.add(ReportRecipient(kind=kind, project_id=project_id, staff_id=staff_id, added_at=now,
                                         added_by=by))
        await self.session.flush()
        return True

    async def remove_recipient(self, kind: str, project_id: int | None, staff_id: int) -> bool:
        statement = delete(ReportRecipient).where(
            ReportRecipient.kind == kind, ReportRecipient.staff_id == staff_id,
            ReportRecipient.project_id.is_(None) if project_id is None else ReportRecipient.project_id == project_id)
        return bool((await self.session.execute(statement)).rowcount)  # type: ignore[attr-defined]

    async def all_recipients(self, kind: str | None = None) -> Sequence[ReportRecipient]:
        statement = select(ReportRecipient)
        if kind is not None:
            statement = statement.where(ReportRecipient.kind == kind)
        order = (ReportRecipient.kind, ReportRecipient.project_id, ReportRecipient.staff_id)
        return (await self.session.execute(statement.order_by(*order))).scalars().all()
