"""One day of care pushes planned for a million owners (issue 14, Scale), against a baseline.

    python -m bench.care [--database sqlite|postgresql] [--owners 1000000] [--day 2027-02-05] [--reuse]

Writes ``--owners`` owners the way a large developer's roster looks, with the drivers' bulk paths
(sqlite3 ``executemany``, asyncpg ``COPY``): 12 projects in three time zones (Shanghai, Hong Kong,
Taipei), each with two customer-service managers and ten specialists (80 % of the owners have
one), 30 buildings each with its delivery date (2016–2029, a few not yet known), a unit per
owner (one in twenty has two, one in a hundred none yet); birthdays known for 92 % — a third of
them lunar (leap-month ones and day 30 among them), solar ones including 29 February —; 85 % bound
to a chat, 3 % of those blocked the bot, 0.5 % anonymised; consents for greetings, events and
surveys (about 70 % of the bound owners say yes to greetings, one in twenty changed his mind
later; one in ten, bound lately, has not answered the question); family occasions for 2 %; and last year's greetings already in the outbox (sent).

Then, on ``--day`` (09:30 in the projects' zones), it times:

* ONE planner round (``services.pushes.planner.plan``) with the care rules — those of
  ``services.care`` in ``services.capabilities.PUSH_RULES``, so each rule registered there is
  measured too — and the commit (target < 2 s): rows planned and seconds per rule;
* a second round at the same moment (idempotent: it adds nothing);
* the baseline: one ``SELECT count(*) FROM owners`` run the same way (best of three) — the least a
  planner must pay to look at every owner once;

and prints the ratio round / baseline and the event loop's longest stall during the round.

PostgreSQL: ``--database postgresql`` uses ``TEST_DATABASE_URL`` (its schema is rebuilt).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from borax.calendars.lunardate import LunarDate
from sqlalchemy import text

from bench.stall import timed
from services.capabilities import PUSH_RULES
from services.pushes.planner import plan
from services.pushes.rules import PlanRound, PushRule
from storage.db import create_engine, create_sessionmaker
from storage.migrate import downgrade, upgrade
from storage.repositories.base import sqlite_time
from storage.uow import UnitOfWork

ZONES = (("Asia/Shanghai", "CN", 8), ("Asia/Hong_Kong", "HK", 2), ("Asia/Taipei", "TW", 2))  # zone, region, projects
BUILDINGS = 30  # per project
SPECIALISTS = 10  # customer specialists 客服专员 per project, besides two customer-service managers
CREATED = datetime(2015, 1, 1, tzinfo=UTC)
# Consent asked from then on (services/care/consent_ask.py): the owners bound earlier were asked
# then and decided; the roster is in the steady state after that catch-up.
CONSENT_ASKED = datetime(2026, 12, 7, tzinfo=UTC)
BASELINE = "SELECT count(*) FROM owners"
KINDS = ("greetings", "events", "surveys")
OCCASIONS = ("wedding", "birth", "graduation", "anniversary", "other")
PAYLOAD = json.dumps({"reply": {"text": {"msgid": "🎂 Happy birthday!"}}, "media": []})

Row = tuple[Any, ...]


def _owners(owners: int, projects: int, on: date, rng: random.Random) -> Iterator[Row]:
    solar_year = date(2000, 1, 1)  # a leap year: 29 February comes with its share
    recent = max(1, (datetime(on.year, on.month, on.day, tzinfo=UTC) - CONSENT_ASKED).days)
    subscribing = (on - date(2015, 1, 1)).days + 1  # until the day planned: this week's are welcomed
    for i in range(1, owners + 1):
        anonymised = rng.random() < 0.005
        bound = not anonymised and rng.random() < 0.85
        # One bound owner in ten bound lately, was asked about consent then and has not answered.
        bound_at = (CONSENT_ASKED + timedelta(days=rng.randrange(recent)) if rng.random() < 0.1 else
                    CREATED + timedelta(days=rng.randrange(4000))) if bound else None
        calendar = month = day = year = None
        leap = False
        if not anonymised and rng.random() < 0.92:
            year = rng.randint(1940, 2000)
            if rng.random() < 1 / 3:
                calendar, month, leap = "lunar", rng.randint(1, 12), rng.random() < 0.03
                day = rng.randint(1, 30) if rng.random() < 0.5 else rng.randint(1, 29)  # half the months have 30
            else:
                born = solar_year + timedelta(days=rng.randrange(366))
                calendar, month, day = "solar", born.month, born.day
        subscribed = date(2015, 1, 1) + timedelta(days=rng.randrange(subscribing))
        yield (i, "已匿名" if anonymised else f"业主{i}", f"+86139{i:08d}", calendar, year, month, day, leap,
               subscribed, subscribed + timedelta(days=rng.randint(7, 60)),
               subscribed + timedelta(days=rng.randint(300, 1500)) if rng.random() < 0.6 else None,
               rng.choice(("zh_Hans_CN", "zh_Hans_CN", "zh_Hant_HK", "zh_Hant_TW", "en")) if bound else None,
               5_000_000_000 + i if bound else None, 5_000_000_000 + i if bound else None,
               bound and rng.random() < 0.03, CREATED + timedelta(days=3000) if anonymised else None,
               bound_at, CREATED,
               _staff_id(rng.randrange(projects), 2 + rng.randrange(SPECIALISTS)) if rng.random() < 0.8 else None)


def _staff_id(project: int, n: int) -> int:
    """Project ``project`` (from 0)'s staff member ``n``: 0 and 1 its managers, then its specialists."""
    return project * (2 + SPECIALISTS) + n + 1


@dataclass
class Roster:
    """What the generator wrote, for the summary."""

    owners: int = 0
    units: int = 0
    consents: int = 0
    history: int = 0
    tables: dict[str, int] = field(default_factory=dict)


def _tables(owners: int, day: date, seed: int = 14) -> Iterator[tuple[str, list[str], list[Row]]]:
    """(table, columns, rows) to insert, in foreign-key order."""
    rng = random.Random(seed)
    projects: list[Row] = []
    for zone, region, count in ZONES:
        for _ in range(count):
            p = len(projects) + 1
            projects.append((p, f"P{p}", f"项目{p}", region, zone, CREATED))
    yield "projects", ["id", "code", "name", "region", "timezone", "created_at"], projects
    buildings = [(b, (b - 1) // BUILDINGS + 1, f"{(b - 1) % BUILDINGS + 1}栋",
                  date(2016, 1, 1) + timedelta(days=rng.randrange(4700))) for b in range(1, len(projects) * BUILDINGS + 1)]
    yield "buildings", ["id", "project_id", "name", "completion_date"], buildings
    yield "staff", ["id", "name", "phone", "department", "role", "project_id", "telegram_user_id", "chat_id",
                    "active", "created_at"], [
        (_staff_id(p, n), f"客服{p}-{n}", f"+86138{_staff_id(p, n):08d}", "customer_service",
         "manager" if n < 2 else "member", p + 1, 7_000_000 + _staff_id(p, n), 7_000_000 + _staff_id(p, n), True,
         CREATED)
        for p in range(len(projects)) for n in range(2 + SPECIALISTS)]
    delivery = {b: (None if rng.random() < 0.03 else done + timedelta(days=rng.randint(30, 120)))
                for b, _p, _n, done in buildings}
    owner_rows = list(_owners(owners, len(projects), day, rng))
    yield "owners", ["id", "name", "phone", "birthday_calendar", "birthday_year", "birthday_month", "birthday_day",
                     "birthday_leap", "subscription_date", "contract_date", "move_in_date", "locale",
                     "telegram_user_id", "chat_id", "blocked", "anonymised_at", "bound_at", "created_at",
                     "specialist_id"], owner_rows
    units: list[Row] = []
    links: list[Row] = []
    for owner in range(1, owners + 1):
        if rng.random() < 0.01:
            continue  # subscribed, no unit assigned yet: the default zone
        for _ in range(2 if rng.random() < 0.05 else 1):
            building = rng.randrange(len(buildings)) + 1
            unit = len(units) + 1
            units.append((unit, building, f"{unit:07d}", delivery[building]))
            links.append((owner, unit))
    yield "units", ["id", "building_id", "number", "delivery_date"], units
    yield "owner_units", ["owner_id", "unit_id"], links
    consents: list[Row] = []
    changed: list[Row] = []
    for row in owner_rows:
        owner, chat, anonymised = row[0], row[13], row[15]
        if chat is None or anonymised is not None or row[16] >= CONSENT_ASKED:
            continue  # not bound, or not answered yet
        at = CONSENT_ASKED + timedelta(days=rng.randrange(10))  # asked when consent came, or at binding
        for kind in KINDS:
            granted = rng.random() < (0.78 if kind == "greetings" else 0.6)
            consents.append((owner, kind, granted, "2026-12", "chat", at))
            if rng.random() < 0.05:
                changed.append((owner, kind, not granted, "2026-12", "settings", at + timedelta(days=30)))
    yield "consents", ["id", "owner_id", "kind", "granted", "wording", "source", "recorded_at"], [
        (n, *row) for n, row in enumerate(consents + changed, start=1)]
    yield "family_occasions", ["id", "owner_id", "kind", "on_date", "note", "recorded_by", "recorded_at"], [
        (n, owner, rng.choice(OCCASIONS), day + timedelta(days=rng.randint(-365, 365)), None, "客服", CREATED)
        for n, owner in enumerate(rng.sample(range(1, owners + 1), owners // 50), start=1)]
    # Last year's greetings, sent: the outbox a year of greetings leaves behind (keyed by the solar
    # year, or the lunar year for a lunar birthday).
    greeted = {row[0] for row in consents if row[1] == "greetings" and row[2]}
    lunar_year = LunarDate.from_solar_date(day.year, day.month, day.day).year
    sent = datetime(day.year - 1, day.month, min(day.day, 28), 2, tzinfo=UTC)
    yield "outbox", ["id", "key", "purpose", "priority", "chat_id", "owner_id", "payload", "status", "not_before",
                     "next_attempt_at", "attempts", "created_at", "sent_at"], [
        (n, f"birthday:{row[0]}:{(lunar_year if row[3] == 'lunar' else day.year) - 1}", "greeting", 20, row[13], row[0], PAYLOAD, "sent", sent, sent, 1, sent,
         sent)
        for n, row in enumerate((r for r in owner_rows if r[0] in greeted and r[3] is not None), start=1)]


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return sqlite_time(value)
    return value.isoformat() if isinstance(value, date) else value


def _load_sqlite(path: Path, owners: int, day: date) -> dict[str, int]:
    connection = sqlite3.connect(path)
    counts: dict[str, int] = {}
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("BEGIN")
        for table, columns, rows in _tables(owners, day):
            marks = ", ".join("?" for _ in columns)
            connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                                   ([_sqlite_value(v) for v in row] for row in rows))
            counts[table] = len(rows)
        connection.execute("COMMIT")
        connection.execute("ANALYZE")
    finally:
        connection.close()
    return counts


async def _load_postgresql(url: str, owners: int, day: date) -> dict[str, int]:
    import asyncpg  # type: ignore[import-untyped]

    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    counts: dict[str, int] = {}
    try:
        async with connection.transaction():
            for table, columns, rows in _tables(owners, day):  # JSON columns go as text
                await connection.copy_records_to_table(table, columns=columns, records=rows)
                counts[table] = len(rows)
            for table in ("projects", "buildings", "staff", "units", "owners", "consents", "family_occasions", "outbox"):
                await connection.execute(  # ids were given: the next ones follow them
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        await connection.execute("VACUUM ANALYZE")  # as autovacuum leaves a live database: index-only scans
    finally:
        await connection.close()
    return counts


@dataclass
class Measured:
    """A rule wrapped to count what it plans and how long it takes, within the one round."""

    name: str
    rule: PushRule
    seconds: float = 0.0
    planned: int = 0

    async def plan(self, round_: PlanRound) -> None:
        before, started = len(round_.report.keys), time.perf_counter()
        await self.rule.plan(round_)
        self.seconds += time.perf_counter() - started
        self.planned += len(round_.report.keys) - before


def care_rules() -> list[PushRule]:
    """The registered rules of services.care (birthdays, the care calendar, notices …)."""
    return [rule for rule in PUSH_RULES if type(rule).__module__.startswith("services.care.")]


async def _build(database: str, owners: int, day: date, folder: str, reuse: bool) -> str:
    """The database's URL, the roster written (or, with ``reuse``, kept from an earlier run)."""
    if database == "postgresql":
        url = os.environ.get("TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/test"
    else:
        path = Path(tempfile.gettempdir() if reuse else folder) / f"bench-care-{owners}.db"
        url = f"sqlite:///{path}"
    if reuse:
        engine = create_engine(url)
        try:
            async with UnitOfWork(create_sessionmaker(engine)) as uow:
                found = int((await uow.session.execute(text(BASELINE))).scalar_one())
                await uow.session.execute(text("DELETE FROM outbox WHERE status = 'pending'"))  # earlier runs'
                await uow.commit()
        except Exception:  # no such database or schema yet: build it
            found = 0
        finally:
            await engine.dispose()
        if found == owners:
            print(f"{database}: the roster of {owners:,} owners kept from an earlier run")
            return url
    if database == "postgresql":
        await downgrade(url, "base")
        await upgrade(url)
        started = time.perf_counter()
        counts = await _load_postgresql(url, owners, day)
    else:
        await asyncio.to_thread(path.unlink, missing_ok=True)
        await upgrade(url)
        started = time.perf_counter()
        counts = await asyncio.to_thread(_load_sqlite, path, owners, day)
    print(f"{database}: " + ", ".join(f"{n:,} {table}" for table, n in counts.items())
          + f" written in {time.perf_counter() - started:.1f} s (bulk inserts)")
    return url


DATED_RULES = ("birthday_greetings", "delivery_notices", "inspection_notices", "family_occasions")


async def main(database: str, owners: int, day: date, reuse: bool) -> None:
    now = datetime(day.year, day.month, day.day, 1, 30, tzinfo=UTC)  # 09:30 in every zone of the roster
    with tempfile.TemporaryDirectory() as folder:
        url = await _build(database, owners, day, folder, reuse)
        engine = create_engine(url)
        sessionmaker = create_sessionmaker(engine)
        try:
            async def baseline() -> int:
                async with UnitOfWork(sessionmaker) as uow:
                    return int((await uow.session.execute(text(BASELINE))).scalar_one())

            async def round_(rules: list[Measured]) -> int:
                async with UnitOfWork(sessionmaker) as uow:
                    report = await plan(uow, now, rules)
                    await uow.commit()
                    return len(report.keys)

            base = [await timed(baseline) for _ in range(3)]
            base_seconds, base_stall, counted = min(base)
            first = [Measured(rule.name, rule) for rule in care_rules()]
            seconds, stall, planned = await timed(lambda: round_(first))
            second = [Measured(rule.name, rule) for rule in care_rules()]
            again_seconds, again_stall, again = await timed(lambda: round_(second))
            async with UnitOfWork(sessionmaker) as uow:
                written = (await uow.session.execute(text(
                    "SELECT purpose, count(*) FROM outbox WHERE created_at >= :now GROUP BY purpose ORDER BY purpose"),
                    {"now": sqlite_time(now) if database == "sqlite" else now})).all()
        finally:
            await engine.dispose()
    print(f"day {day.isoformat()} at {now:%H:%M} UTC (09:30 local); baseline ({BASELINE}: {counted:,}): "
          f"{base_seconds:.3f} s")
    for rule in first:
        print(f"  {rule.name}: {rule.planned:,} rows in {rule.seconds:.3f} s")
    # The target is for a day's birthdays and anniversaries (of delivery: the delivery and
    # inspection notices; family occasions); the whole round adds the welcome and the catch-ups.
    dated = [rule for rule in first if rule.name in DATED_RULES]
    dated_seconds = sum(rule.seconds for rule in dated)
    print(f"a day's birthdays and anniversaries ({', '.join(rule.name for rule in dated)}): "
          f"{sum(rule.planned for rule in dated):,} rows in {dated_seconds:.3f} s "
          f"(target < 2 s: {'met' if dated_seconds < 2 else 'MISSED'}); ratio to the baseline: "
          f"{dated_seconds / base_seconds:.1f}")
    print(f"one whole planner round, {planned:,} rows planned and committed: {seconds:.3f} s; "
          f"ratio round / baseline: {seconds / base_seconds:.1f}")
    print(f"second round (idempotent): {again:,} rows, {again_seconds:.3f} s "
          f"({', '.join(f'{rule.name} {rule.planned} in {rule.seconds:.3f} s' for rule in second)})")
    print(f"event loop's longest stall: first round {stall * 1000:.0f} ms, second {again_stall * 1000:.0f} ms "
          f"(baseline {base_stall * 1000:.0f} ms)")
    print("outbox rows written today by purpose: " + ", ".join(f"{purpose} {n:,}" for purpose, n in written))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--owners", type=int, default=1_000_000)
    parser.add_argument("--day", type=date.fromisoformat, default=date(2027, 2, 5),
                        help="the day planned (default: 腊月二十九 of a 29-day 腊月, so day-30 birthdays too)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the roster for the next run (SQLite: in the temporary directory) and reuse one "
                             "of the same size")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.database, arguments.owners, arguments.day, arguments.reuse))
