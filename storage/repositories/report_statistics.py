"""Quarterly and yearly statistics (DOMAIN 1.7, 1.8, 2.7), set-based: one grouped statement per table
of one office's period, whatever the number of cases.

* ``worker_jobs``: per repair worker (the work order's ``worker_id``), the jobs completed in the period
  (the completion that stands: a failed check or a reopening clears ``completed_at``), on time (the
  completion's local date on or before the order's due date), owner confirmations, the repairs'
  ratings (quality = ``rating_result``, attitude = ``rating_attitude``) and settled cost;
* ``worker_reworks``: the jobs sent back in the period — a failed completion check or the owner's
  "not resolved" — each put on the worker of the ticket's order issued last before it;
* ``handler_cases``: per handler of cases of a kind (complaints), the cases closed in the period, their
  confirmations and ratings, and the progress and resolution deadlines that fell in the period and
  were met (on or before the due day, in the office's zone);
* ``communication_counts``: the communication log by type: logged, answered, hours to answer.

Local dates are taken in SQL: PostgreSQL converts with the zone's rules (``timezone()``), SQLite adds
the zone's offset at the period's start (the offices' zones — mainland, Hong Kong, Macau, Taiwan — keep
no summer time, so the offset is the same all year).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Float, and_, case, cast, func, literal, or_, select
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Building, CommunicationEntry, OwnerUnit, Staff, Ticket, TicketEvent, Unit, WorkOrder
from storage.repositories.base import Repository
from storage.repositories.reports import PROGRESS_SHOWN

# What sends a repair job back to its worker (services/repairs/flow.py, services/cases/owner_actions.py).
REWORK_EVENTS = ("check_failed", "reopened")


@dataclass(frozen=True)
class WorkerJobsRow:
    staff_id: int | None  # None: completed without a worker named on the order
    name: str | None
    jobs: int
    on_time: int
    confirmed: int
    quality_sum: int
    quality_count: int
    attitude_sum: int
    attitude_count: int
    low: int  # rated 1 or 2 on either question
    cost_fen: int


@dataclass(frozen=True)
class WorkerReworkRow:
    staff_id: int | None
    name: str | None
    reworks: int


@dataclass(frozen=True)
class HandlerRow:
    staff_id: int | None  # None: no handler named
    name: str | None
    closed: int
    confirmed: int
    result_sum: int
    result_count: int
    attitude_sum: int
    attitude_count: int
    progress_due: int
    progress_met: int
    resolution_due: int
    resolution_met: int


@dataclass(frozen=True)
class CommunicationCountRow:
    kind: str
    logged: int
    answered: int
    answer_hours: float  # summed over the answered ones with a reply time
    timed: int


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _total(condition: ColumnElement[bool], column: InstrumentedAttribute[int | None]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, column), else_=None)), 0)


def _counted(condition: ColumnElement[bool], column: InstrumentedAttribute[int | None]) -> ColumnElement[int]:
    return func.count(case((and_(condition, column.is_not(None)), 1), else_=None))


def _between(column: InstrumentedAttribute[datetime] | InstrumentedAttribute[datetime | None],
             start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(column >= start, column < end)


def _days(column: InstrumentedAttribute[date | None], start: date, end: date) -> ColumnElement[bool]:
    return and_(column >= start, column < end)


class ReportStatisticsRepository(Repository):
    def _hours(self, end: InstrumentedAttribute[datetime | None],
               start: InstrumentedAttribute[datetime]) -> ColumnElement[Any]:
        if self.dialect == "postgresql":
            return func.extract("epoch", end - start) / 3600.0
        # whole seconds: julianday's day fractions would turn 2.5 h into 2.50000000037
        return (cast(func.strftime("%s", end), Float) - cast(func.strftime("%s", start), Float)) / 3600.0

    async def worker_jobs(self, project_id: int, start: datetime, end: datetime, zone: str,
                          start_day: date) -> list[WorkerJobsRow]:
        """One office's work orders completed in [start, end), per worker."""
        on_time = and_(WorkOrder.due.is_not(None),
                       self.local_date(WorkOrder.completed_at, zone, start_day) <= WorkOrder.due)
        anyway = literal(True)
        low = or_(Ticket.rating_result <= 2, Ticket.rating_attitude <= 2)
        statement = (
            select(WorkOrder.worker_id, Staff.name, func.count(WorkOrder.id), _count(on_time),
                   _count(Ticket.confirmed_at.is_not(None)),
                   _total(anyway, Ticket.rating_result), _counted(anyway, Ticket.rating_result),
                   _total(anyway, Ticket.rating_attitude), _counted(anyway, Ticket.rating_attitude),
                   _count(low), func.coalesce(func.sum(WorkOrder.settlement_fen), 0))
            .join(Ticket, Ticket.id == WorkOrder.ticket_id)
            .outerjoin(Staff, Staff.id == WorkOrder.worker_id)
            .where(Ticket.project_id == project_id, _between(WorkOrder.completed_at, start, end))
            .group_by(WorkOrder.worker_id, Staff.name)
            .order_by(Staff.name, WorkOrder.worker_id))
        rows = (await self.session.execute(statement)).all()
        return [WorkerJobsRow(r[0], r[1], *(int(v or 0) for v in r[2:])) for r in rows]

    async def worker_reworks(self, kind: str, project_id: int, start: datetime, end: datetime) -> list[WorkerReworkRow]:
        """One office's repair jobs sent back in [start, end) (failed check, owner's "not resolved"),
        per worker of the order the ticket had then (the last one issued before the event)."""
        worker = (select(WorkOrder.worker_id).where(WorkOrder.ticket_id == TicketEvent.ticket_id,
                                                    WorkOrder.issued_at <= TicketEvent.at)
                  .order_by(WorkOrder.issued_at.desc(), WorkOrder.id.desc()).limit(1)
                  .correlate(TicketEvent).scalar_subquery())
        sent_back = (select(TicketEvent.id.label("event_id"), worker.label("worker_id"))
                     .join(Ticket, Ticket.id == TicketEvent.ticket_id)
                     .where(Ticket.kind == kind, Ticket.project_id == project_id,
                            TicketEvent.kind.in_(REWORK_EVENTS), _between(TicketEvent.at, start, end))
                     .subquery())
        statement = (select(sent_back.c.worker_id, Staff.name, func.count(sent_back.c.event_id))
                     .outerjoin(Staff, Staff.id == sent_back.c.worker_id)
                     .group_by(sent_back.c.worker_id, Staff.name)
                     .order_by(Staff.name, sent_back.c.worker_id))
        return [WorkerReworkRow(r[0], r[1], int(r[2])) for r in (await self.session.execute(statement)).all()]

    async def handler_cases(self, kind: str, project_id: int, start: datetime, end: datetime, zone: str,
                            start_day: date, end_day: date) -> list[HandlerRow]:
        """One office's cases of ``kind`` per handler: closed in [start, end) with their confirmations
        and ratings; the deadlines due on the days [start_day, end_day) and those met."""
        closed = _between(Ticket.closed_at, start, end)
        progress_due = _days(Ticket.progress_due, start_day, end_day)
        resolution_due = _days(Ticket.resolve_due, start_day, end_day)
        progress_met = and_(progress_due, self.local_date(PROGRESS_SHOWN, zone, start_day) <= Ticket.progress_due)
        resolution_met = and_(resolution_due,
                              self.local_date(Ticket.resolved_at, zone, start_day) <= Ticket.resolve_due)
        statement = (
            select(Ticket.handler_id, Staff.name, _count(closed), _count(and_(closed, Ticket.confirmed_at.is_not(None))),
                   _total(closed, Ticket.rating_result), _counted(closed, Ticket.rating_result),
                   _total(closed, Ticket.rating_attitude), _counted(closed, Ticket.rating_attitude),
                   _count(progress_due), _count(progress_met), _count(resolution_due), _count(resolution_met))
            .outerjoin(Staff, Staff.id == Ticket.handler_id)
            .where(Ticket.kind == kind, Ticket.project_id == project_id, or_(closed, progress_due, resolution_due))
            .group_by(Ticket.handler_id, Staff.name)
            .order_by(Staff.name, Ticket.handler_id))
        rows = (await self.session.execute(statement)).all()
        return [HandlerRow(r[0], r[1], *(int(v or 0) for v in r[2:])) for r in rows]

    async def communication_counts(self, start: datetime, end: datetime,
                                   project_id: int | None) -> list[CommunicationCountRow]:
        """The messages logged in [start, end) by type: how many, how many answered, and the hours
        from logging to answer summed over the answered; with a project, its owners' messages and
        those of people not registered (as /inbox and the log's export take them)."""
        answered = CommunicationEntry.status == "answered"
        timed = and_(answered, CommunicationEntry.replied_at.is_not(None))
        hours = self._hours(CommunicationEntry.replied_at, CommunicationEntry.created_at)
        statement = (
            select(CommunicationEntry.kind, func.count(CommunicationEntry.id), _count(answered),
                   func.coalesce(func.sum(case((timed, cast(hours, Float)), else_=None)), 0.0), _count(timed))
            .where(_between(CommunicationEntry.created_at, start, end))
            .group_by(CommunicationEntry.kind).order_by(CommunicationEntry.kind))
        if project_id is not None:
            owners_of_project = (
                select(OwnerUnit.owner_id).join(Unit, Unit.id == OwnerUnit.unit_id)
                .join(Building, Building.id == Unit.building_id).where(Building.project_id == project_id))
            statement = statement.where(or_(CommunicationEntry.owner_id.is_(None),
                                            CommunicationEntry.owner_id.in_(owners_of_project)))
        rows = (await self.session.execute(statement)).all()
        return [CommunicationCountRow(str(r[0]), int(r[1]), int(r[2]), float(r[3] or 0.0), int(r[4])) for r in rows]
