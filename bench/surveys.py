"""The satisfaction metrics (DOMAIN 3.1) of one campaign over a million answers, against a baseline.

    python -m bench.surveys [--database sqlite|postgresql] [--respondents 100000] [--runs 3]

Generates a campaign of ``--respondents`` finished households (plus 10 % sampled who never
answered) × 10 rated questions — the three loyalty items and seven service-area items — across 6
projects and the 4 owner stages: 1,000,000 answer rows by default, written with the drivers' bulk
paths (sqlite3 ``executemany``, asyncpg ``COPY``), and a previous campaign of the same kind (a tenth
of the size) for the comparison. Then, ``--runs`` times each, best run shown:

* the metrics: ``services.surveys.metrics.campaign_metrics`` — the response, satisfaction and
  loyalty rates, by stage, project and service area, and the previous campaign's (target < 3 s);
* the baseline: one ``COUNT(*), SUM(score)`` over the campaign's answers, run the same way — the
  least any computation must pay to read every answer once;

and prints the seconds, the ratio metrics / baseline, and on SQLite the event loop's longest stall
while the metrics ran (the scan runs in a thread of its own, so the bot keeps answering).

PostgreSQL: ``--database postgresql`` uses ``TEST_DATABASE_URL`` (its schema is rebuilt).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.stall import timed
from services.surveys.metrics import CampaignMetrics, campaign_metrics
from storage.db import create_engine, create_sessionmaker
from storage.migrate import downgrade, upgrade
from storage.repositories.base import sqlite_time
from storage.uow import UnitOfWork

NOW = datetime(2026, 7, 15, 2, 0, tzinfo=UTC)
PROJECTS = 6
STAGES = ("prospective", "settling", "stable", "veteran")
QUESTIONS: tuple[tuple[str, str | None, str | None], ...] = (  # name, area, loyalty
    ("overall", None, "overall"), ("rebuy", None, "rebuy"), ("recommend", None, "recommend"),
    ("design", "planning", None), ("build", "construction", None), ("finish", "construction", None),
    ("sales", "sales", None), ("service", "customer_service", None), ("property", "property", None),
    ("security", "property", None),
)
SCORES = (1, 2, 3, 4, 5)
WEIGHTS = (3, 5, 17, 40, 35)  # most owners satisfied, a few not
BASELINE = "SELECT COUNT(*), SUM(score) FROM survey_answers WHERE campaign_id = :campaign"

Row = tuple[Any, ...]


def _tables(respondents: int, campaign_ids: Sequence[int], seed: int = 13) -> Iterator[tuple[str, list[str], list[Row]]]:
    """(table, columns, rows) to insert: projects, buildings, owners, units, the template, the
    campaigns, invitations and answers. Owner and unit ids are shared between the campaigns."""
    rng = random.Random(seed)
    yield "projects", ["id", "code", "name", "region", "timezone", "created_at"], [
        (p, f"P{p}", f"项目{p}", "CN", "Asia/Shanghai", NOW) for p in range(1, PROJECTS + 1)]
    yield "buildings", ["id", "project_id", "name"], [(p, p, "1栋") for p in range(1, PROJECTS + 1)]
    households = respondents * 11 // 10  # 10 % sampled but never answer
    yield "owners", ["id", "name", "phone", "birthday_leap", "blocked", "created_at"], [
        (i, f"业主{i}", f"+86139{i:08d}", False, False, NOW) for i in range(1, households + 1)]
    yield "units", ["id", "building_id", "number"], [(i, (i % PROJECTS) + 1, f"{i:06d}") for i in range(1, households + 1)]
    yield "survey_templates", ["id", "form_id", "version", "title", "spec", "warnings", "imported_at"], [
        (1, "satisfaction", "1", '{"en": "Satisfaction"}', '{"questions": []}', "[]", NOW)]
    yield "survey_campaigns", ["id", "name", "kind", "template_id", "status", "sample_percent", "complainer_percent",
                               "target_percent", "seed", "expires_after_days", "created_at"], [
        (c, f"mid-year {c}", "mid_year", 1, "running", 50, 20, 50, 7, 14, NOW - timedelta(days=180 * (len(campaign_ids) - n)))
        for n, c in enumerate(campaign_ids, start=1)]
    invitation_id = 0
    invitations: list[Row] = []
    answers: list[Row] = []
    answer_id = 0
    for n, campaign in enumerate(campaign_ids, start=1):
        size = households if n == len(campaign_ids) else households // 10
        for household in range(1, size + 1):
            invitation_id += 1
            project, stage = (household % PROJECTS) + 1, rng.choice(STAGES)
            done = household <= size * 10 // 11
            invitations.append((invitation_id, campaign, household, household, project, 1, stage, f"{project}/{stage}",
                                False, "done" if done else "expired", "{}", 0))
            if not done:
                continue
            scores = rng.choices(SCORES, WEIGHTS, k=len(QUESTIONS))
            for (question, area, loyalty), score in zip(QUESTIONS, scores, strict=True):
                answer_id += 1
                answers.append((answer_id, invitation_id, campaign, 1, project, household, stage, question, area,
                                loyalty, score, NOW))
    yield "survey_invitations", ["id", "campaign_id", "owner_id", "unit_id", "project_id", "template_id", "stage",
                                 "stratum", "from_complainers", "status", "answers", "reminders"], invitations
    yield "survey_answers", ["id", "invitation_id", "campaign_id", "template_id", "project_id", "owner_id", "stage",
                             "question", "area", "loyalty", "score", "answered_at"], answers


def _sqlite_value(value: Any) -> Any:
    return sqlite_time(value) if isinstance(value, datetime) else value


def _load_sqlite(path: Path, respondents: int, campaigns: Sequence[int]) -> int:
    connection = sqlite3.connect(path)
    answers = 0
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("BEGIN")
        for table, columns, rows in _tables(respondents, campaigns):
            marks = ", ".join("?" for _ in columns)
            connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                                   ([_sqlite_value(v) for v in row] for row in rows))
            answers = len(rows) if table == "survey_answers" else answers
        connection.execute("COMMIT")
        connection.execute("ANALYZE")
    finally:
        connection.close()
    return answers


async def _load_postgresql(url: str, respondents: int, campaigns: Sequence[int]) -> int:
    import asyncpg  # type: ignore[import-untyped]

    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    answers = 0
    try:
        async with connection.transaction():
            for table, columns, rows in _tables(respondents, campaigns):  # JSON columns go as text
                await connection.copy_records_to_table(table, columns=columns, records=rows)
                answers = len(rows) if table == "survey_answers" else answers
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return answers


async def _best(runs: int, call: Callable[[], Awaitable[Any]]) -> tuple[float, float, Any]:
    """The fastest of ``runs`` calls (seconds), the event loop's longest stall meanwhile, the result."""
    best, stall, result = float("inf"), 0.0, None
    for _ in range(runs):
        seconds, gap, result = await timed(call)
        best, stall = min(best, seconds), max(stall, gap)
    return best, stall, result


async def main(database: str, respondents: int, runs: int) -> None:
    campaigns = (1, 2)  # 1: the previous mid-year campaign, 2: the one measured
    with tempfile.TemporaryDirectory() as folder:
        if database == "postgresql":
            url = os.environ.get("TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/test"
            await downgrade(url, "base")
            await upgrade(url)
            started = time.perf_counter()
            answers = await _load_postgresql(url, respondents, campaigns)
        else:
            path = Path(folder) / "bench.db"
            url = f"sqlite:///{path}"
            await upgrade(url)
            started = time.perf_counter()
            answers = await asyncio.to_thread(_load_sqlite, path, respondents, campaigns)
        print(f"{database}: {answers:,} answers of {len(campaigns)} campaigns written in "
              f"{time.perf_counter() - started:.1f} s (bulk inserts)")
        engine = create_engine(url)
        sessionmaker = create_sessionmaker(engine)
        try:
            async def metrics() -> CampaignMetrics:
                async with UnitOfWork(sessionmaker) as uow:
                    campaign = await uow.survey_metrics.campaign(campaigns[-1])
                    assert campaign is not None
                    return await campaign_metrics(uow, campaign)

            async def baseline() -> Any:
                async with UnitOfWork(sessionmaker) as uow:
                    if database == "sqlite":  # the same way the metrics read: a connection of its own, a thread
                        def scan() -> Any:
                            connection = sqlite3.connect(path)
                            try:
                                return connection.execute(BASELINE, {"campaign": campaigns[-1]}).fetchone()
                            finally:
                                connection.close()
                        return await asyncio.to_thread(scan)
                    return (await uow.session.execute(text(BASELINE), {"campaign": campaigns[-1]})).one()

            base_seconds, base_stall, counted = await _best(runs, baseline)
            seconds, stall, result = await _best(runs, metrics)
        finally:
            await engine.dispose()
    print(f"baseline (one COUNT/SUM over the campaign's {counted[0]:,} answers): {base_seconds:.3f} s")
    print(f"metrics (rates, by stage, project and area, previous campaign): {seconds:.3f} s "
          f"(target < 3 s: {'met' if seconds < 3 else 'MISSED'})")
    print(f"ratio metrics / baseline: {seconds / base_seconds:.2f}")
    print(f"event loop's longest stall while the metrics ran: {stall * 1000:.0f} ms "
          f"(baseline: {base_stall * 1000:.0f} ms)")
    print(f"  response {result.response:.1%}, satisfaction {result.rates.satisfaction:.1%}, "
          f"loyalty {result.rates.loyalty:.1%} of {result.rates.respondents:,} respondents; previous campaign "
          f"satisfaction {result.previous.rates.satisfaction:.1%}" if result.previous else "")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.database, arguments.respondents, arguments.runs))
