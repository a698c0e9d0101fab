"""Quarterly and yearly statistics (DOMAIN 1.7, 1.8, 2.7) of one office or the company.

For a period (``services.reports.periods``: a quarter or a year, whole days in each office's zone):

* the complaint figures of the period (``office_period`` / ``company_period``, as the weekly report);
* the repair workers' evaluation, per worker named on the work order: jobs completed in the period
  (the completion that stands), on time (completed on or before the order's due day, moved by an
  agreed extension), reworks (jobs sent back in the period: a failed completion check or the owner's
  "not resolved"), owner confirmations, the averages of the repairs' quality and attitude ratings
  (callback or the owner's own), ratings of 1–2, and the settled cost;
* the complaint handlers' ratings, per handler: complaints closed in the period, confirmed by the
  owner, the averages of the result and attitude ratings, and the progress and resolution deadlines
  of the period met (as the weekly report counts them);
* the communication log (《与顾客沟通登记表》): messages by type, answered, the average hours from
  logging to answer, and the messages themselves with their answers (phones masked).

The company adds up its offices: a person who worked for several offices is one line.
``statistics_workbook`` renders it as an .xlsx for a reader (``services.reports.statistics_book``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import TypeVar
from zoneinfo import ZoneInfo

from dialogs.text import Text
from services.common.sheets import Cell
from services.complaints.filing import KIND as COMPLAINT
from services.repairs.filing import KIND as REPAIR
from services.reports.exports import communication_rows
from services.reports.periods import Period
from services.reports.weekly import Average, Met, PeriodReport, company_period, office_period
from storage.models import Project
from storage.repositories.report_statistics import CommunicationCountRow, HandlerRow, WorkerJobsRow
from storage.uow import UnitOfWork

COMPANY_ZONE = "Asia/Shanghai"  # the company's communication log is counted on head-office days


@dataclass
class WorkerFigures:
    staff_id: int | None  # None: jobs completed without a worker on the order
    name: str | None
    jobs: int = 0
    on_time: int = 0
    reworks: int = 0
    confirmed: int = 0
    quality: Average = field(default_factory=Average)
    attitude: Average = field(default_factory=Average)
    low: int = 0  # repairs rated 1 or 2 on either question
    cost_fen: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.jobs if self.jobs else None

    def add_jobs(self, row: WorkerJobsRow) -> None:
        self.name = self.name or row.name
        self.jobs += row.jobs
        self.on_time += row.on_time
        self.confirmed += row.confirmed
        self.quality.add(row.quality_sum, row.quality_count)
        self.attitude.add(row.attitude_sum, row.attitude_count)
        self.low += row.low
        self.cost_fen += row.cost_fen

    def merge(self, other: WorkerFigures) -> None:
        self.name = self.name or other.name
        for name in ("jobs", "on_time", "reworks", "confirmed", "low", "cost_fen"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.quality.add(other.quality.total, other.quality.count)
        self.attitude.add(other.attitude.total, other.attitude.count)


@dataclass
class HandlerFigures:
    staff_id: int | None  # None: complaints without a handler
    name: str | None
    closed: int = 0
    confirmed: int = 0
    result: Average = field(default_factory=Average)
    attitude: Average = field(default_factory=Average)
    progress: Met = field(default_factory=Met)
    resolution: Met = field(default_factory=Met)

    @property
    def confirmation_rate(self) -> float | None:
        return self.confirmed / self.closed if self.closed else None

    @property
    def deadlines(self) -> Met:
        both = Met()
        both.add(self.progress)
        both.add(self.resolution)
        return both

    def add_row(self, row: HandlerRow) -> None:
        self.name = self.name or row.name
        self.closed += row.closed
        self.confirmed += row.confirmed
        self.result.add(row.result_sum, row.result_count)
        self.attitude.add(row.attitude_sum, row.attitude_count)
        self.progress.add(Met(row.progress_due, row.progress_met))
        self.resolution.add(Met(row.resolution_due, row.resolution_met))

    def merge(self, other: HandlerFigures) -> None:
        self.name = self.name or other.name
        self.closed += other.closed
        self.confirmed += other.confirmed
        self.result.add(other.result.total, other.result.count)
        self.attitude.add(other.attitude.total, other.attitude.count)
        self.progress.add(other.progress)
        self.resolution.add(other.resolution)


@dataclass
class CommunicationFigures:
    logged: Counter[str] = field(default_factory=Counter)  # by type: inquiry | suggestion | praise | other
    answered: int = 0
    answer_hours: float = 0.0
    timed: int = 0  # answered with a reply time (the average's count)
    items: list[list[Cell]] = field(default_factory=list)  # the log's rows (services.reports.exports)

    @property
    def total(self) -> int:
        return sum(self.logged.values())

    @property
    def average_hours(self) -> float | None:
        return self.answer_hours / self.timed if self.timed else None

    def add_row(self, row: CommunicationCountRow) -> None:
        self.logged[row.kind] += row.logged
        self.answered += row.answered
        self.answer_hours += row.answer_hours
        self.timed += row.timed


@dataclass
class Statistics:
    period: Period
    complaints: PeriodReport
    workers: list[WorkerFigures]  # by name; the jobs without a worker last
    handlers: list[HandlerFigures]
    communication: CommunicationFigures


F = TypeVar("F", WorkerFigures, HandlerFigures)


def _sorted(figures: Iterable[F]) -> list[F]:
    return sorted(figures, key=lambda f: (f.staff_id is None, f.name or "", f.staff_id or 0))


async def _workers(uow: UnitOfWork, project: Project, begin: datetime, finish: datetime,
                   period: Period) -> dict[int | None, WorkerFigures]:
    workers: dict[int | None, WorkerFigures] = {}
    for row in await uow.report_statistics.worker_jobs(project.id, begin, finish, project.timezone, period.start):
        workers.setdefault(row.staff_id, WorkerFigures(row.staff_id, row.name)).add_jobs(row)
    for rework in await uow.report_statistics.worker_reworks(REPAIR, project.id, begin, finish):
        workers.setdefault(rework.staff_id, WorkerFigures(rework.staff_id, rework.name)).reworks += rework.reworks
    return workers


async def _handlers(uow: UnitOfWork, project: Project, begin: datetime, finish: datetime,
                    period: Period) -> dict[int | None, HandlerFigures]:
    handlers: dict[int | None, HandlerFigures] = {}
    for row in await uow.report_statistics.handler_cases(COMPLAINT, project.id, begin, finish, project.timezone,
                                                         period.start, period.end):
        handlers.setdefault(row.staff_id, HandlerFigures(row.staff_id, row.name)).add_row(row)
    return handlers


async def _communication(uow: UnitOfWork, period: Period, project_id: int | None, zone: str) -> CommunicationFigures:
    begin, finish = _bounds(period, zone)
    figures = CommunicationFigures()
    for row in await uow.report_statistics.communication_counts(begin, finish, project_id):
        figures.add_row(row)
    figures.items = await communication_rows(uow, period.start, period.end, project_id, zone)
    return figures


def _bounds(period: Period, zone: str) -> tuple[datetime, datetime]:
    tz = ZoneInfo(zone)
    return datetime.combine(period.start, time(), tz), datetime.combine(period.end, time(), tz)


async def office_statistics(uow: UnitOfWork, project: Project, period: Period) -> Statistics:
    """One office's statistics for ``period`` (its days in its own zone)."""
    begin, finish = _bounds(period, project.timezone)
    complaints = await office_period(uow, project, period.start, period.end)
    workers = await _workers(uow, project, begin, finish, period)
    handlers = await _handlers(uow, project, begin, finish, period)
    communication = await _communication(uow, period, project.id, project.timezone)
    return Statistics(period, complaints, _sorted(workers.values()), _sorted(handlers.values()), communication)


async def company_statistics(uow: UnitOfWork, period: Period, projects: Iterable[Project] | None = None) -> Statistics:
    """The company's statistics: every office's (or those given) added up, per person."""
    offices = list(projects) if projects is not None else list(await uow.projects.all())
    complaints = await company_period(uow, period.start, period.end, offices)
    workers: dict[int | None, WorkerFigures] = {}
    handlers: dict[int | None, HandlerFigures] = {}
    for project in offices:
        begin, finish = _bounds(period, project.timezone)
        for key, worker in (await _workers(uow, project, begin, finish, period)).items():
            workers.setdefault(key, WorkerFigures(key, worker.name)).merge(worker)
        for key, handler in (await _handlers(uow, project, begin, finish, period)).items():
            handlers.setdefault(key, HandlerFigures(key, handler.name)).merge(handler)
    communication = await _communication(uow, period, None, COMPANY_ZONE)
    return Statistics(period, complaints, _sorted(workers.values()), _sorted(handlers.values()), communication)


def statistics_workbook(stats: Statistics, scope: Text, period: Period, label: Callable[[Text], str]) -> bytes:
    """The .xlsx bytes in ``label``'s language: complaints summary, workers' evaluation (with a chart),
    handlers' ratings (with a chart) and the communication log; typed cells, phones masked."""
    from services.reports.statistics_book import workbook

    return workbook(stats, scope, period, label)
