"""Cases (complaints and repairs): the ticket, its history, and the unified numbering."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, UtcDateTime


class NumberSequence(Base):
    """The last number issued per prefix and year (统一编号): a row lock makes it gap-free."""

    __tablename__ = "number_sequences"

    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(Base):
    """《顾客来访/投诉处理单》 (and, later, repair requests): one record per case."""

    __tablename__ = "tickets"
    # The reports' scans (DOMAIN 1.7): the cases alive in a period (open, or closed since its start)
    # and the deadlines falling in it, per office and kind — not every case the office ever had.
    __table_args__ = (
        Index("ix_tickets_report_closed", "project_id", "kind", "closed_at"),
        Index("ix_tickets_report_progress_due", "project_id", "kind", "progress_due"),
        Index("ix_tickets_report_resolve_due", "project_id", "kind", "resolve_due"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # complaint | repair
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owners.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    channel: Mapped[str] = mapped_column(String(16), default="telegram")
    category: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    attachments: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    wished_date: Mapped[date | None] = mapped_column(Date)
    lead_department: Mapped[str] = mapped_column(String(32))
    assisting_departments: Mapped[list[str]] = mapped_column(JSON, default=list)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    status: Mapped[str] = mapped_column(String(24), index=True)
    major: Mapped[bool] = mapped_column(Boolean, default=False)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    progress_due: Mapped[date | None] = mapped_column(Date)
    resolve_due: Mapped[date | None] = mapped_column(Date)
    calendar_note: Mapped[str | None] = mapped_column(String(200))  # e.g. schedule not yet published
    progress_reported_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    result: Mapped[str | None] = mapped_column(Text)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    rating_result: Mapped[int | None] = mapped_column(Integer)
    rating_attitude: Mapped[int | None] = mapped_column(Integer)
    rating_comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    events: Mapped[list[TicketEvent]] = relationship(back_populates="ticket", order_by="TicketEvent.id")


class TicketEvent(Base):
    """One entry of a ticket's history; records are never edited silently (DOMAIN 5.1)."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    kind: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(8))  # owner | staff | system
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    ticket: Mapped[Ticket] = relationship(back_populates="events")
