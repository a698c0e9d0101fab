"""Repairs: warranty settings, the repair beside its ticket, site surveys, work orders, cost approvals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime


class WarrantyOverride(Base):
    """A contract's longer warranty period for one component, per project or per building."""

    __tablename__ = "warranty_overrides"
    __table_args__ = (UniqueConstraint("project_id", "building_id", "side", "component"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id"))
    side: Mapped[str] = mapped_column(String(8))  # builder | owner
    component: Mapped[str] = mapped_column(String(32))
    period_kind: Mapped[str] = mapped_column(String(12))  # years | months | seasons | design_life
    period_count: Mapped[int] = mapped_column(Integer)


class Repair(Base):
    """The repair side of a 报修 ticket (DOMAIN 2): what, where, when to visit, and its warranty class."""

    __tablename__ = "repairs"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True, autoincrement=False)
    trade: Mapped[str] = mapped_column(String(24))
    location: Mapped[str] = mapped_column(String(100))
    visit_slots: Mapped[list[str]] = mapped_column(JSON, default=list)
    component: Mapped[str] = mapped_column(String(32))
    warranty_class: Mapped[str] = mapped_column(String(1))  # A | B
    payer: Mapped[str] = mapped_column(String(8))  # builder | company | owner
    warranty: Mapped[dict[str, Any]] = mapped_column(JSON)  # the facts behind the class, for the reason
    override: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # staff's class/payer and reason
    callback_due: Mapped[date | None] = mapped_column(Date)
    callback_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    callback_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class SiteSurvey(Base):
    """《现场勘察会签表》: who surveyed, the responsible party, the trades and the estimate."""

    __tablename__ = "site_surveys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    participants: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(12))  # builder | company | owner
    component: Mapped[str] = mapped_column(String(32))
    trades: Mapped[list[str]] = mapped_column(JSON)
    estimate_fen: Mapped[int] = mapped_column(BigInteger)  # money in fen: exact on both databases
    builder_representative: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    # The builder's countersignature (over 500 yuan, DOMAIN 2.3): pending | signed | objected |
    # withdrawn (the survey was redone); None when the survey needs none.
    countersign: Mapped[str | None] = mapped_column(String(12))
    countersigned_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    countersigned_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    countersign_note: Mapped[str | None] = mapped_column(Text)  # the builder's objection


class WorkOrder(Base):
    """《工程派工单》 type A or B: the job for the repair team, its deadline, completion and check."""

    __tablename__ = "work_orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("site_surveys.id"))
    order_type: Mapped[str] = mapped_column(String(1))  # A | B
    payer: Mapped[str] = mapped_column(String(8))
    trades: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    issued_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    due: Mapped[date | None] = mapped_column(Date)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)  # the reports' repair costs
    completed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    work_done: Mapped[str | None] = mapped_column(Text)
    settlement_fen: Mapped[int | None] = mapped_column(BigInteger)
    checked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    checked_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    audit_required: Mapped[bool] = mapped_column(Boolean, default=False)
    deposit_deduction: Mapped[bool] = mapped_column(Boolean, default=False)


class CostApproval(Base):
    """One approval of a repair cost by the chain its amount needs (DOMAIN 2.6)."""

    __tablename__ = "cost_approvals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"))
    stage: Mapped[str] = mapped_column(String(12))  # estimate | settlement
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{"step", "status", "staff_id", "at", "note"}]
    status: Mapped[str] = mapped_column(String(12), index=True)  # pending | approved | rejected
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
