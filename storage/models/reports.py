"""Complaint reports (DOMAIN 1.7): each report issued for an office or the company and a period,
its approval (the monthly summary: drafted, sent back, approved and published), the files archived
with it, and who receives each kind of report once it is published."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime


class ReportIssue(Base):
    """One report of one kind for one scope (an office, or the company) and period: the weekly
    report as sent, the monthly summary through its approval, a quarter's or year's statistics.
    ``figures`` keeps what was reported, so the archive does not change when cases do."""

    __tablename__ = "report_issues"
    __table_args__ = (UniqueConstraint("kind", "scope", "period", name="uq_report_issues_kind_scope_period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # weekly | monthly | quarterly | yearly
    scope: Mapped[str] = mapped_column(String(24))  # "project:<id>" | "company"
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)  # None: the company
    period: Mapped[str] = mapped_column(String(10))  # 2026-W49 | 2026-11 | 2026-Q4 | 2026
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)  # exclusive
    # weekly: sent; monthly: submitted → returned → submitted … → published
    status: Mapped[str] = mapped_column(String(12), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)  # bumped on each resubmission
    note: Mapped[str | None] = mapped_column(Text)  # customer service's explanation, added when resubmitting
    comment: Mapped[str | None] = mapped_column(Text)  # the approver's comment when sending it back
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ReportFile(Base):
    """A file archived with a report (its workbook, chart or PDF) in one locale."""

    __tablename__ = "report_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report_issues.id"), index=True)
    locale: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(8))  # xlsx | png | pdf
    name: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ReportRecipient(Base):
    """A staff member who receives a kind of report once published: for one office (``project_id``)
    or, with none, the company's report and every office's."""

    __tablename__ = "report_recipients"
    __table_args__ = (UniqueConstraint("kind", "project_id", "staff_id", name="uq_report_recipients_kind_project_id_staff_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # monthly | weekly | quarterly | yearly
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())
    added_by: Mapped[str] = mapped_column(String(100))
