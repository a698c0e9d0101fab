"""The monthly complaint report over a million complaints (issue 15, Scale), against a baseline.

    python -m bench.reports [--database sqlite|postgresql|both] [--tickets 1000000] [--runs 3] [--reuse]

Writes ``--tickets`` complaints and ``--repairs`` repairs (30 % as many by default) as five years of
a developer's customer service leave them, with the drivers' bulk paths (sqlite3 ``executemany``,
asyncpg ``COPY``), in batches: 20 offices (14 on the mainland, 3 in Hong Kong, 3 in Taipei) of very
different sizes, opened one after another from 2022 on, the volume growing as more homes are
delivered; complaints by category (construction and equipment the most, compensation and
management — major from the start — the fewest), routed by the default table (one in fourteen
transferred to another department), a few more escalated; the deadlines on each region's real
calendar (progress within 3 working days, resolution within 7 days, one in sixteen extended by
agreement); progress reported, resolved, confirmed (or closed unconfirmed a week later), rated
and closed after realistic delays, those still running at the bench's "now" (Monday 7 December
2026) left open — and one in 250 stuck open for good, so every period has old cases alive. The
repairs: their repair record, a site survey and a work order (type A charged to the builder, B to
the company or the owner), completed, checked and settled; one in thirty had a cancelled order
before.

Then times, the first run and the best of ``--runs`` (target < 3 s for the month):

* one office's monthly report (November 2026, the largest office): ``office_period``;
* the company's month: ``company_period`` (every office, each in its own time zone);
* one office's week and the company's week (23–29 November 2026);
* the company's year 2025 (the statistics), for information;
* the baseline: one ``SELECT count(*) FROM tickets`` run the same way — the least a report must
  pay to look at every case once;

and prints the seconds, the ratios report / baseline and the event loop's longest stall.

PostgreSQL uses ``--url``, else ``BENCH_DATABASE_URL``, else ``TEST_DATABASE_URL`` (its schema is
rebuilt). ``--reuse`` keeps the database for the next run (SQLite: in the temporary directory) and
reuses one of the same size, migrated to head.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import sqlite3
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.stall import timed
from services.calendar.deadlines import due_after_calendar_days, due_after_working_days
from services.calendar.workdays import WorkCalendar
from services.complaints.routing import DEFAULT_ROUTES, MAJOR_CATEGORIES, Category
from services.complaints.rules import COMPLAINT_DEPARTMENTS, PROGRESS_WORKING_DAYS, RESOLVE_CALENDAR_DAYS
from services.repairs.rules import DEFAULT_COMPONENT, Trade
from services.reports.weekly import PeriodReport, company_period, office_period
from storage.db import create_engine, create_sessionmaker
from storage.migrate import downgrade, upgrade
from storage.models import Project
from storage.repositories.base import sqlite_time
from storage.uow import UnitOfWork

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # a Monday, 10:00 in every office
FIRST = datetime(2022, 1, 1, tzinfo=UTC)
OFFICES = (("Asia/Shanghai", "CN", 14), ("Asia/Hong_Kong", "HK", 3), ("Asia/Taipei", "TW", 3))
UTC_OFFSET = timedelta(hours=8)  # all three zones, no summer time
MONTH = (date(2026, 11, 1), date(2026, 12, 1))
WEEK = (date(2026, 11, 23), date(2026, 11, 30))
YEAR = (date(2025, 1, 1), date(2026, 1, 1))
BASELINE = "SELECT count(*) FROM tickets"
BATCH = 50_000
CATEGORIES = {Category.SERVICE_ATTITUDE: 10, Category.SERVICE_QUALITY: 18, Category.CONSTRUCTION: 30,
              Category.EQUIPMENT: 20, Category.FEES: 10, Category.COMPENSATION: 3, Category.MANAGEMENT: 2,
              Category.OTHER: 7}
TRADES = {Trade.PLUMBING: 25, Trade.ELECTRICAL: 15, Trade.DOORS_WINDOWS: 15, Trade.WALLS_FLOORS: 15,
          Trade.WATERPROOFING: 12, Trade.HEATING_COOLING: 8, Trade.PUBLIC_AREAS: 5, Trade.OTHER: 5}
RATINGS = ((5, 4, 3, 2, 1), (50, 30, 12, 5, 3))
# (class, payer) of the work orders: half charged to the builder's deposit (in warranty).
ORDER_CLASSES = ((("A", "builder"), 50), (("B", "company"), 20), (("B", "owner"), 30))
STAFF = 4  # per office: a customer-service specialist, a surveyor, a worker, a team lead

Row = tuple[Any, ...]
TICKET_COLUMNS = ["id", "number", "kind", "project_id", "channel", "category", "description", "attachments",
                  "lead_department", "assisting_departments", "status", "major", "received_at", "progress_due",
                  "resolve_due", "progress_reported_at", "resolved_at", "confirmed_at", "closed_at",
                  "rating_result", "rating_attitude", "created_at", "updated_at"]


@dataclass(frozen=True)
class Office:
    id: int
    region: str
    zone: str
    opened: datetime
    weight: float


def _offices(rng: random.Random) -> list[Office]:
    """Twenty offices, opened one after another; sizes from a few hundred to tens of thousands of homes."""
    offices: list[Office] = []
    for zone, region, count in OFFICES:
        for _ in range(count):
            n = len(offices)
            opened = FIRST + timedelta(days=int(n * 1400 / 20 * rng.random()))
            offices.append(Office(n + 1, region, zone, opened, 1 / (1 + n) ** 0.7))
    return offices


class Dues:
    """The complaint deadlines per region and local day, on the real calendars (computed once per day)."""

    def __init__(self) -> None:
        self._calendars = {region: WorkCalendar(region) for _, region, _ in OFFICES}
        self._dues: dict[tuple[str, date], tuple[date, date]] = {}

    def __call__(self, office: Office, day: date) -> tuple[date, date]:
        key = (office.region, day)
        found = self._dues.get(key)
        if found is None:
            noon = datetime(day.year, day.month, day.day, 4, tzinfo=UTC)  # 12:00 local
            calendar = self._calendars[office.region]
            found = (due_after_working_days(calendar, noon, PROGRESS_WORKING_DAYS, office.zone),
                     due_after_calendar_days(calendar, noon, RESOLVE_CALENDAR_DAYS, office.zone))
            self._dues[key] = found
        return found


def _received(office: Office, rng: random.Random) -> datetime:
    """A moment in office hours (mostly), more often lately: more homes delivered, more cases."""
    span = (NOW - office.opened).total_seconds()
    day = office.opened + timedelta(seconds=span * math.sqrt(rng.random()))  # density growing linearly
    local_hour = min(23.9, max(0.0, rng.gauss(14, 3.5)))
    local = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=local_hour)
    return min(local - UTC_OFFSET, NOW - timedelta(minutes=5))


def _after(moment: datetime | None, days: float) -> datetime | None:
    """``days`` after ``moment`` — None when that is still to come at NOW."""
    if moment is None:
        return None
    later = moment + timedelta(days=days)
    return later if later < NOW else None


def _complaint(i: int, office: Office, received: datetime, rng: random.Random, dues: Dues) -> Row:
    category = rng.choices(list(CATEGORIES), list(CATEGORIES.values()))[0]
    department = DEFAULT_ROUTES[category]
    if rng.random() < 0.07:  # transferred to another lead department
        department = rng.choice(COMPLAINT_DEPARTMENTS)
    major = category in MAJOR_CATEGORIES or rng.random() < 0.01
    progress_due, resolve_due = dues(office, (received + UTC_OFFSET).date())
    if rng.random() < 0.06:  # the owner agreed to a later date
        resolve_due += timedelta(days=rng.randint(7, 30))
    stuck = rng.random() < 0.004  # never resolved: open in every later period
    progress = None if rng.random() < 0.04 else _after(received, rng.expovariate(1 / 1.2))
    resolved = None if stuck else _after(received, rng.lognormvariate(1.2, 0.8))
    confirmed = closed = None
    result = attitude = None
    if resolved is not None and rng.random() < 0.82:
        confirmed = _after(resolved, rng.expovariate(1 / 0.8))
        closed = _after(confirmed, rng.expovariate(1 / 1.5))
        if closed is not None and rng.random() < 0.93:
            result = rng.choices(*RATINGS)[0]
            attitude = min(5, max(1, result + rng.choice((-1, 0, 0, 0, 1))))
        status = "closed" if closed else "confirmed" if confirmed else "resolved"
    elif resolved is not None:  # closed unconfirmed after a week without an answer
        closed = _after(resolved, 7)
        status = "unconfirmed" if closed else "resolved"
    else:
        status = "accepted" if progress is not None or NOW - received > timedelta(hours=4) else "new"
    local_year = (received + UTC_OFFSET).year
    updated = closed or confirmed or resolved or progress or received
    return (i, f"TS{local_year}-{i:07d}", "complaint", office.id, "telegram", category.value, "投诉内容", "[]",
            department.value, "[]", status, major, received, progress_due, resolve_due, progress, resolved,
            confirmed, closed, result, attitude, received, updated)


@dataclass
class RepairRows:
    ticket: Row
    repair: Row
    surveys: list[Row]
    orders: list[Row]


def _repair(i: int, office: Office, received: datetime, rng: random.Random, survey_id: int,
            order_id: int) -> RepairRows:
    """A repair's ticket, repair record, its survey and work orders (ids from ``survey_id``/``order_id``)."""
    trade = rng.choices(list(TRADES), list(TRADES.values()))[0]
    (order_class, payer), = rng.choices([c for c, _ in ORDER_CLASSES], [w for _, w in ORDER_CLASSES])
    staff = (office.id - 1) * STAFF + 1
    surveyed = _after(received, rng.expovariate(1 / 1.5))
    surveys: list[Row] = []
    orders: list[Row] = []
    completed = checked = resolved = confirmed = closed = None
    status = "survey"
    if surveyed is not None and rng.random() < 0.92:  # the rest were settled on the phone
        estimate = int(rng.lognormvariate(10.5, 1.0))  # fen: a median of about 360 yuan
        surveys.append((survey_id, i, surveyed, staff + 1, "客服, 工程部", payer, DEFAULT_COMPONENT[trade].value,
                        f'["{trade.value}"]', estimate))
        issued = _after(surveyed, rng.expovariate(1 / 1.0))
        if issued is not None and rng.random() < 1 / 30:  # a first order cancelled, a second issued
            orders.append((order_id, i, f"GD-{i:07d}-1", survey_id, order_class, payer, f'["{trade.value}"]',
                           "cancelled", surveyed, issued, None, None, None, None, False, False))
            order_id += 1
            issued = _after(issued, 2)
        status = "approval" if issued is None else "issued"
        if issued is not None:
            completed = _after(issued, rng.lognormvariate(1.0, 0.7))
            checked = _after(completed, rng.expovariate(1 / 1.0))
            settled = int(estimate * rng.uniform(0.8, 1.2)) if checked is not None and rng.random() < 0.9 else None
            order_status = "checked" if checked else "completed" if completed else "in_progress"
            orders.append((order_id, i, f"GD-{i:07d}", survey_id, order_class, payer, f'["{trade.value}"]',
                           order_status, surveyed, issued, completed, staff + 2, settled, checked,
                           settled is not None and settled > 50_000, order_class == "A" and settled is not None))
            status = "in_progress" if completed is None else "completed"
            if checked is not None:
                resolved = checked
                confirmed = _after(resolved, rng.expovariate(1 / 0.8))
                closed = _after(confirmed, rng.expovariate(1 / 1.5))
                status = "closed" if closed else "confirmed" if confirmed else "resolved"
    local_year = (received + UTC_OFFSET).year
    updated = closed or confirmed or resolved or completed or surveyed or received
    ticket = (i, f"BX{local_year}-{i:07d}", "repair", office.id, "telegram", trade.value, "报修内容", "[]",
              "repair", '["customer_service", "engineering", "office"]', status, False, received,
              (received + UTC_OFFSET).date() + timedelta(days=1), None, None, resolved, confirmed, closed, None,
              None, received, updated)
    repair = (i, trade.value, "厨房", "[]", DEFAULT_COMPONENT[trade].value, order_class, payer, "{}")
    return RepairRows(ticket, repair, surveys, orders)


TABLES = {
    "projects": ["id", "code", "name", "region", "timezone", "created_at"],
    "staff": ["id", "name", "department", "role", "project_id", "active", "created_at"],
    "tickets": TICKET_COLUMNS,
    "repairs": ["ticket_id", "trade", "location", "visit_slots", "component", "warranty_class", "payer", "warranty"],
    "site_surveys": ["id", "ticket_id", "recorded_at", "recorded_by", "participants", "responsible", "component",
                     "trades", "estimate_fen"],
    "work_orders": ["id", "ticket_id", "number", "survey_id", "order_type", "payer", "trades", "status", "created_at",
                    "issued_at", "completed_at", "completed_by", "settlement_fen", "checked_at", "audit_required",
                    "deposit_deduction"],
}


def _batches(complaints: int, repairs: int, seed: int = 15) -> Iterator[dict[str, list[Row]]]:
    """Rows per table, ``BATCH`` cases at a time, in foreign-key order within each batch. Cases are
    numbered in the order they were received, as a live database numbers them (so a month's cases
    lie together on disk, as they do in production)."""
    rng = random.Random(seed)
    offices = _offices(rng)
    yield {"projects": [(o.id, f"P{o.id:02d}", f"项目{o.id}", o.region, o.zone, o.opened) for o in offices],
           "staff": [((o.id - 1) * STAFF + n, f"职员{o.id}-{n}",
                      ("customer_service", "engineering", "repair", "repair")[n - 1],
                      "lead" if n == STAFF else "member", o.id, True, o.opened)
                     for o in offices for n in range(1, STAFF + 1)]}
    total = complaints + repairs
    chosen = rng.choices(offices, [office.weight for office in offices], k=total)
    kinds = [n < repairs for n in range(total)]
    rng.shuffle(kinds)
    cases = sorted(((_received(office, rng), office, repair) for office, repair in zip(chosen, kinds, strict=True)),
                   key=lambda case: case[0])
    dues = Dues()
    survey_id = order_id = 1
    for first in range(0, total, BATCH):
        batch: dict[str, list[Row]] = {table: [] for table in ("tickets", "repairs", "site_surveys", "work_orders")}
        for i, (received, office, repair) in enumerate(cases[first:first + BATCH], start=first + 1):
            if repair:
                rows = _repair(i, office, received, rng, survey_id, order_id)
                batch["tickets"].append(rows.ticket)
                batch["repairs"].append(rows.repair)
                batch["site_surveys"].extend(rows.surveys)
                batch["work_orders"].extend(rows.orders)
                survey_id += len(rows.surveys)
                order_id += len(rows.orders)
            else:
                batch["tickets"].append(_complaint(i, office, received, rng, dues))
        yield batch


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return sqlite_time(value)
    return value.isoformat() if isinstance(value, date) else value


def _load_sqlite(path: Path, complaints: int, repairs: int) -> dict[str, int]:
    connection = sqlite3.connect(path)
    counts = dict.fromkeys(TABLES, 0)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("BEGIN")
        for batch in _batches(complaints, repairs):
            for table, rows in batch.items():
                columns = TABLES[table]
                connection.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                    ([_sqlite_value(v) for v in row] for row in rows))
                counts[table] += len(rows)
        connection.execute("COMMIT")
        connection.execute("ANALYZE")
    finally:
        connection.close()
    return counts


async def _load_postgresql(url: str, complaints: int, repairs: int) -> dict[str, int]:
    import asyncpg  # type: ignore[import-untyped]

    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    counts = dict.fromkeys(TABLES, 0)
    try:
        async with connection.transaction():
            for batch in _batches(complaints, repairs):  # JSON columns go as text
                for table, rows in batch.items():
                    await connection.copy_records_to_table(table, columns=TABLES[table], records=rows)
                    counts[table] += len(rows)
            for table in ("projects", "staff", "tickets", "site_surveys", "work_orders"):
                await connection.execute(  # ids were given: the next ones follow them
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        await connection.execute("VACUUM ANALYZE")  # as autovacuum leaves a live database: index-only scans
    finally:
        await connection.close()
    return counts


def _url(database: str, tickets: int, folder: str, reuse: bool, given: str | None) -> str:
    if database == "postgresql":
        return (given or os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
                or "postgresql://postgres@127.0.0.1:5432/test")
    return f"sqlite:///{Path(tempfile.gettempdir() if reuse else folder) / f'bench-reports-{tickets}.db'}"


async def _build(database: str, url: str, complaints: int, repairs: int, reuse: bool) -> None:
    """The cases written (or, with ``reuse``, kept from an earlier run and migrated to head)."""
    if reuse:
        engine = create_engine(url)
        try:
            async with UnitOfWork(create_sessionmaker(engine)) as uow:
                found = int((await uow.session.execute(text(BASELINE))).scalar_one())
        except Exception:  # no such database or schema yet: build it
            found = 0
        finally:
            await engine.dispose()
        if found == complaints + repairs:
            started = time.perf_counter()
            await upgrade(url)  # a newer migration's indexes, if any
            print(f"{database}: the {found:,} cases kept from an earlier run (migrated to head in "
                  f"{time.perf_counter() - started:.1f} s)")
            return
    if database == "postgresql":
        await downgrade(url, "base")
        await upgrade(url)
        started = time.perf_counter()
        counts = await _load_postgresql(url, complaints, repairs)
    else:
        path = Path(url.removeprefix("sqlite:///"))
        await asyncio.to_thread(path.unlink, missing_ok=True)
        await upgrade(url)
        started = time.perf_counter()
        counts = await asyncio.to_thread(_load_sqlite, path, complaints, repairs)
    print(f"{database}: " + ", ".join(f"{n:,} {table}" for table, n in counts.items())
          + f" written in {time.perf_counter() - started:.1f} s (bulk inserts, indexes and ANALYZE included)")


@dataclass
class Timing:
    label: str
    first: float
    best: float
    stall: float
    report: PeriodReport | None


async def _time(label: str, runs: int, call: Callable[[], Awaitable[PeriodReport | None]]) -> Timing:
    """The first run and the best of ``runs`` (the event loop's longest stall in the best)."""
    results = [await timed(call) for _ in range(max(1, runs))]
    best = min(results, key=lambda result: result[0])
    return Timing(label, results[0][0], best[0], best[1], best[2])


def _summary(report: PeriodReport) -> str:
    totals = report.totals
    costs = sum(cost.repairs for cost in report.repair_costs.values())
    return (f"new {totals['new']:,}, closed {totals['closed']:,}, open {totals['open']:,}, overdue "
            f"{totals['overdue']:,}, deadlines {report.progress.due + report.resolution.due:,}, majors "
            f"{len(report.majors):,}, repairs completed {costs:,}")


async def measure(database: str, url: str, runs: int) -> list[Timing]:
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    try:
        async with UnitOfWork(sessionmaker) as uow:
            projects = list(await uow.projects.all())
            uow.session.expunge_all()  # kept loaded for the reports' sessions
        largest: Project = min(projects, key=lambda project: project.id)  # the first office is the largest

        async def baseline() -> None:
            async with UnitOfWork(sessionmaker) as uow:
                await uow.session.execute(text(BASELINE))

        def office(days: tuple[date, date]) -> Callable[[], Awaitable[PeriodReport]]:
            async def call() -> PeriodReport:
                async with UnitOfWork(sessionmaker) as uow:
                    return await office_period(uow, largest, *days)
            return call

        def company(days: tuple[date, date]) -> Callable[[], Awaitable[PeriodReport]]:
            async def call() -> PeriodReport:
                async with UnitOfWork(sessionmaker) as uow:
                    return await company_period(uow, *days, projects)
            return call

        timings = [await _time(f"baseline ({BASELINE})", runs, baseline)]
        for label, call in ((f"one office's month ({largest.code}, {MONTH[0]:%Y-%m})", office(MONTH)),
                            (f"the company's month ({len(projects)} offices)", company(MONTH)),
                            (f"one office's week ({WEEK[0]}–{WEEK[1] - timedelta(days=1)})", office(WEEK)),
                            ("the company's week", company(WEEK)),
                            (f"the company's year {YEAR[0].year} (statistics)", company(YEAR))):
            timings.append(await _time(label, runs, call))
    finally:
        await engine.dispose()
    base_seconds = timings[0].best
    print(f"{database}: first run / best of {runs}, ratio best / baseline, event loop's longest stall")
    for timing in timings:
        ratio = "" if timing.report is None else f", ratio {timing.best / base_seconds:.1f}"
        print(f"  {timing.label}: {timing.first:.3f} / {timing.best:.3f} s{ratio}, stall {timing.stall * 1000:.0f} ms"
              + ("" if timing.report is None else f"\n    {_summary(timing.report)}"))
    month = max(timing.best for timing in timings[1:3])
    print(f"{database}: the month's reports in {month:.3f} s at most (target < 3 s: {'met' if month < 3 else 'MISSED'})")
    return timings


async def main(databases: list[str], complaints: int, repairs: int, runs: int, reuse: bool,
               given: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for database in databases:
            url = _url(database, complaints + repairs, folder, reuse, given)
            await _build(database, url, complaints, repairs, reuse)
            await measure(database, url, runs)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--tickets", type=int, default=1_000_000, help="complaints")
    parser.add_argument("--repairs", type=int, help="repairs (default: 30 %% as many as the complaints)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each report (the best is compared)")
    parser.add_argument("--url", help="the PostgreSQL database (default: BENCH_DATABASE_URL, TEST_DATABASE_URL)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the cases for the next run (SQLite: in the temporary directory) and reuse "
                             "those of the same size")
    arguments = parser.parse_args()
    chosen = ["sqlite", "postgresql"] if arguments.database == "both" else [arguments.database]
    asyncio.run(main(chosen, arguments.tickets, arguments.tickets * 3 // 10 if arguments.repairs is None
                     else arguments.repairs, arguments.runs, arguments.reuse, arguments.url))
