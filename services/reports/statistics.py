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
``statistics_workbook`` renders it as an .xlsx for a reader (``services.reports.statistics_book``); the
figures' classes are in ``services.reports.statistics_figures`` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, time
from typing import TypeVar
from zoneinfo import ZoneInfo

from dialogs.text import Text
from services.complaints.filing import KIND as COMPLAINT
from services.repairs.filing import KIND as REPAIR
from services.reports.exports import communication_rows
from services.reports.periods import Period
from services.reports.statistics_book import workbook
from services.reports.statistics_figures import CommunicationFigures, HandlerFigures, Statistics, WorkerFigures
from services.reports.weekly import company_period, office_period
from storage.models import Project
from storage.uow import UnitOfWork

__all__ = ["CommunicationFigures", "HandlerFigures", "Statistics", "WorkerFigures", "company_statistics",
           "office_statistics", "statistics_workbook"]
COMPANY_ZONE = "Asia/Shanghai"  # the company's communication log is counted on head-office days


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
    return workbook(stats, scope, period, label)
