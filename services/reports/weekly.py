"""The complaint report's figures (DOMAIN 1.7) for a period of days: one office's and the company's.

The weekly report (投诉处理周报) covers Monday to Sunday, the monthly summary a calendar month, the
statistics a quarter or a year — always whole days in the office's time zone. The figures:

* new, closed, open and overdue complaints by category and by lead department (open and overdue
  as at the week's end; overdue: not resolved by then and past its resolution date);
* deadlines met among those that fell in the period: progress reported within 3 working days
  (``progress_due``, counted on the office's working-day calendar when the case was filed; a
  resolution within them reports progress too) and
  resolved within 7 days or the date the owner agreed to (``resolve_due``, moved by an agreed
  extension), each compared in the office's time zone;
* owner confirmation among the cases closed in the period (closed without the owner's confirmation
  never counts as confirmed) and the averages of the owners' ratings;
* the major complaints (重大投诉) alive in the period;
* the repairs completed in the period (work order completed) and their settled costs per warranty
  class: A (charged to the builder's quality deposit), B borne by the company, B paid by the owner.

The company's report adds up the offices' (each office's days in its own time zone).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.complaints.filing import KIND as COMPLAINT
from storage.models import Project
from storage.repositories.reports import CountRow, MajorRow, RepairCostRow
from storage.uow import UnitOfWork

FIGURES = ("new", "closed", "open", "overdue")
# The repairs' warranty classes as (class, payer), in the report's order.
REPAIR_CLASSES = (("A", "builder"), ("B", "company"), ("B", "owner"))


def parse_week(text: str) -> date:
    """The Monday of an ISO week written ``2026-W49``."""
    year, _, week = text.upper().partition("-W")
    return date.fromisocalendar(int(year), int(week), 1)


def last_week(today: date) -> date:
    """The Monday of the week before ``today``'s (the report sent on Monday covers the past week)."""
    return today - timedelta(days=today.weekday() + 7)


@dataclass
class Met:
    due: int = 0
    met: int = 0

    @property
    def rate(self) -> float | None:
        return self.met / self.due if self.due else None

    def add(self, other: Met) -> None:
        self.due += other.due
        self.met += other.met


@dataclass
class Average:
    total: int = 0
    count: int = 0

    @property
    def value(self) -> float | None:
        return self.total / self.count if self.count else None

    def add(self, total: int, count: int) -> None:
        self.total += total
        self.count += count


@dataclass
class RepairCost:
    repairs: int = 0
    cost_fen: int = 0

    def add(self, other: RepairCost) -> None:
        self.repairs += other.repairs
        self.cost_fen += other.cost_fen


def _repair_costs() -> dict[tuple[str, str], RepairCost]:
    return {key: RepairCost() for key in REPAIR_CLASSES}


@dataclass
class PeriodReport:
    start: date
    end: date  # exclusive: the day after the period's last
    project_codes: list[str]
    by_category: dict[str, Counter[str]] = field(default_factory=dict)
    by_department: dict[str, Counter[str]] = field(default_factory=dict)
    totals: Counter[str] = field(default_factory=Counter)
    progress: Met = field(default_factory=Met)
    resolution: Met = field(default_factory=Met)
    confirmed: int = 0
    rating_result: Average = field(default_factory=Average)
    rating_attitude: Average = field(default_factory=Average)
    majors: list[tuple[str, MajorRow]] = field(default_factory=list)  # (project code, case)
    repair_costs: dict[tuple[str, str], RepairCost] = field(default_factory=_repair_costs)  # (class, payer)

    @property
    def monday(self) -> date:
        return self.start

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def sunday(self) -> date:
        return self.last_day

    @property
    def confirmation_rate(self) -> float | None:
        closed = self.totals["closed"]
        return self.confirmed / closed if closed else None

    def _add_counts(self, row: CountRow) -> None:
        figures = Counter({name: getattr(row, name) for name in FIGURES})
        self.by_category.setdefault(row.category, Counter()).update(figures)
        self.by_department.setdefault(row.department, Counter()).update(figures)
        self.totals.update(figures)
        self.confirmed += row.confirmed
        self.rating_result.add(row.result_sum, row.result_count)
        self.rating_attitude.add(row.attitude_sum, row.attitude_count)

    def _add_repair_costs(self, row: RepairCostRow) -> None:
        cost = RepairCost(row.repairs, row.cost_fen)
        self.repair_costs.setdefault((row.warranty_class, row.payer), RepairCost()).add(cost)

    def merge(self, other: PeriodReport) -> None:
        for mine, theirs in ((self.by_category, other.by_category), (self.by_department, other.by_department)):
            for key, figures in theirs.items():
                mine.setdefault(key, Counter()).update(figures)
        self.totals.update(other.totals)
        self.progress.add(other.progress)
        self.resolution.add(other.resolution)
        self.confirmed += other.confirmed
        self.rating_result.add(other.rating_result.total, other.rating_result.count)
        self.rating_attitude.add(other.rating_attitude.total, other.rating_attitude.count)
        self.majors.extend(other.majors)
        for class_payer, cost in other.repair_costs.items():
            self.repair_costs.setdefault(class_payer, RepairCost()).add(cost)
        self.project_codes.extend(other.project_codes)


async def office_period(uow: UnitOfWork, project: Project, start: date, end: date) -> PeriodReport:
    """One office's days [start, end) in its own time zone."""
    zone = ZoneInfo(project.timezone)
    begin = datetime.combine(start, time(), zone)
    finish = datetime.combine(end, time(), zone)
    report = PeriodReport(start, end, [project.code])
    for row in await uow.reports.period_counts(COMPLAINT, project.id, begin, finish, end):
        report._add_counts(row)
    deadlines = await uow.reports.period_deadlines(COMPLAINT, project.id, project.timezone, start, end)
    report.progress.add(Met(deadlines.progress_due, deadlines.progress_met))
    report.resolution.add(Met(deadlines.resolve_due, deadlines.resolve_met))
    report.majors = [(project.code, major)
                     for major in await uow.reports.period_majors(COMPLAINT, project.id, begin, finish)]
    for cost in await uow.reports.period_repair_costs(project.id, begin, finish):
        report._add_repair_costs(cost)
    return report


async def company_period(uow: UnitOfWork, start: date, end: date,
                         projects: Iterable[Project] | None = None) -> PeriodReport:
    """The company's days [start, end): every office's (or those given) added up."""
    report = PeriodReport(start, end, [])
    for project in projects if projects is not None else await uow.projects.all():
        report.merge(await office_period(uow, project, start, end))
    return report


async def office_week(uow: UnitOfWork, project: Project, monday: date) -> PeriodReport:
    """One office's week starting ``monday`` (its own time zone)."""
    return await office_period(uow, project, monday, monday + timedelta(days=7))


async def company_week(uow: UnitOfWork, monday: date, projects: Iterable[Project] | None = None) -> PeriodReport:
    """The company's week: every office's (or those given) added up."""
    return await company_period(uow, monday, monday + timedelta(days=7), projects)


# Older name of the figures (the weekly report came first).
WeeklyReport = PeriodReport
