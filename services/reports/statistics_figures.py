"""The figures of the quarterly and yearly statistics (``services.reports.statistics``): per repair
worker, per complaint handler, the communication log, and the whole; the company's add up its
offices' (a person who worked for several offices is one line)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from services.common.sheets import Cell
from services.reports.periods import Period
from services.reports.weekly import Average, Met, PeriodReport
from storage.repositories.report_statistics import CommunicationCountRow, HandlerRow, WorkerJobsRow


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
