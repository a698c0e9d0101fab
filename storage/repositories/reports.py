"""Complaint reports (DOMAIN 1.7): a period's figures of one office, set-based (a week, a month, a
quarter or a year: ``end_day`` is the local date the period ends on, exclusive).

Four statements per office, period and case kind (the service passes the complaints' kind), each one
pass over the cases alive in the period (received before its end, not closed before its start) or with
a deadline in it:

* ``period_counts``: conditional aggregates grouped by category and lead department (new, closed,
  open, overdue, confirmed, rating sums);
* ``period_deadlines``: the deadlines that fell in the period and those met — on or before the due
  day in the office's time zone (``Repository.local_date``); resolving a case reports its progress too;
* ``period_majors``: the major complaints (重大投诉) alive in the period;
* ``period_repair_costs``: the repairs whose work order was completed in the period, counted and their
  settlements summed per warranty class and payer (A: the builder's deposit; B: the company or owner).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Ticket, WorkOrder
from storage.repositories.base import Repository


@dataclass(frozen=True)
class CountRow:
    category: str
    department: str
    new: int
    closed: int
    open: int
    overdue: int
    confirmed: int
    result_sum: int
    result_count: int
    attitude_sum: int
    attitude_count: int


@dataclass(frozen=True)
class DeadlineCounts:
    progress_due: int
    progress_met: int
    resolve_due: int
    resolve_met: int


# When the owner's case first showed progress: its progress report, or its resolution if that came first
# (a case resolved within the 3 working days needs no separate progress report, DOMAIN 1.3).
PROGRESS_SHOWN = func.coalesce(Ticket.progress_reported_at, Ticket.resolved_at)


@dataclass(frozen=True)
class MajorRow:
    number: str
    category: str
    department: str
    status: str
    received_at: datetime


@dataclass(frozen=True)
class RepairCostRow:
    warranty_class: str  # A | B
    payer: str  # builder | company | owner
    repairs: int
    cost_fen: int  # settlements in fen (a job not yet settled counts 0)


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _total(condition: ColumnElement[bool], column: InstrumentedAttribute[int | None]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, column), else_=None)), 0)


def _counted(condition: ColumnElement[bool], column: InstrumentedAttribute[int | None]) -> ColumnElement[int]:
    return func.count(case((and_(condition, column.is_not(None)), 1), else_=None))


def _alive(start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(Ticket.received_at < end, or_(Ticket.closed_at.is_(None), Ticket.closed_at >= start))


class ReportRepository(Repository):
    async def period_counts(self, kind: str, project_id: int, start: datetime, end: datetime,
                            end_day: date) -> list[CountRow]:
        """The period [start, end) of one office by category and lead department. Open and overdue
        are as at the period's end; overdue: not resolved by then and resolution due before
        ``end_day`` (the local date the period ends on, exclusive)."""
        new = and_(Ticket.received_at >= start, Ticket.received_at < end)
        closed = and_(Ticket.closed_at.is_not(None), Ticket.closed_at >= start, Ticket.closed_at < end)
        open_ = or_(Ticket.closed_at.is_(None), Ticket.closed_at >= end)
        overdue = and_(or_(Ticket.resolved_at.is_(None), Ticket.resolved_at >= end),
                       Ticket.resolve_due.is_not(None), Ticket.resolve_due < end_day)
        confirmed = and_(closed, Ticket.confirmed_at.is_not(None))
        statement = (
            select(Ticket.category, Ticket.lead_department, _count(new), _count(closed), _count(open_),
                   _count(and_(open_, overdue)), _count(confirmed),
                   _total(closed, Ticket.rating_result), _counted(closed, Ticket.rating_result),
                   _total(closed, Ticket.rating_attitude), _counted(closed, Ticket.rating_attitude))
            .where(Ticket.kind == kind, Ticket.project_id == project_id, _alive(start, end))
            .group_by(Ticket.category, Ticket.lead_department)
            .order_by(Ticket.category, Ticket.lead_department))
        rows = (await self.session.execute(statement)).all()
        return [CountRow(str(r[0]), str(r[1]), *(int(v) for v in r[2:])) for r in rows]

    async def period_deadlines(self, kind: str, project_id: int, zone: str, start_day: date,
                               end_day: date) -> DeadlineCounts:
        """The deadlines of one office's complaints that fell on the days [start_day, end_day), and
        how many were met on or before their day in the office's zone."""
        progress_due = and_(Ticket.progress_due >= start_day, Ticket.progress_due < end_day)
        resolve_due = and_(Ticket.resolve_due >= start_day, Ticket.resolve_due < end_day)
        progress_met = and_(progress_due, self.local_date(PROGRESS_SHOWN, zone, start_day) <= Ticket.progress_due)
        resolve_met = and_(resolve_due, self.local_date(Ticket.resolved_at, zone, start_day) <= Ticket.resolve_due)
        statement = (select(_count(progress_due), _count(progress_met), _count(resolve_due), _count(resolve_met))
                     .where(Ticket.kind == kind, Ticket.project_id == project_id, or_(progress_due, resolve_due)))
        row = (await self.session.execute(statement)).one()
        return DeadlineCounts(*(int(value or 0) for value in row))

    async def period_majors(self, kind: str, project_id: int, start: datetime, end: datetime) -> Sequence[MajorRow]:
        statement = (select(Ticket.number, Ticket.category, Ticket.lead_department, Ticket.status,
                            Ticket.received_at)
                     .where(Ticket.kind == kind, Ticket.project_id == project_id,
                            Ticket.major.is_(True), _alive(start, end))
                     .order_by(Ticket.received_at, Ticket.number))
        return [MajorRow(*row) for row in (await self.session.execute(statement)).all()]

    async def period_repair_costs(self, project_id: int, start: datetime, end: datetime) -> list[RepairCostRow]:
        """Per the class and payer the work order was issued with: the repairs (tickets) whose work
        order was completed in [start, end) and the sum of those orders' settlements. A reworked order
        has its ``completed_at`` cleared, so only the completion that stands counts."""
        statement = (select(WorkOrder.order_type, WorkOrder.payer, func.count(func.distinct(WorkOrder.ticket_id)),
                            func.coalesce(func.sum(WorkOrder.settlement_fen), 0))
                     .join(Ticket, Ticket.id == WorkOrder.ticket_id)
                     .where(Ticket.project_id == project_id, WorkOrder.completed_at >= start,
                            WorkOrder.completed_at < end)
                     .group_by(WorkOrder.order_type, WorkOrder.payer)
                     .order_by(WorkOrder.order_type, WorkOrder.payer))
        rows = (await self.session.execute(statement)).all()
        return [RepairCostRow(str(r[0]), str(r[1]), int(r[2]), int(r[3] or 0)) for r in rows]
