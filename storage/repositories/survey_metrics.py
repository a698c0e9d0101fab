"""Satisfaction surveys: the rates of DOMAIN 3.1, set-based.

Three grouped queries per campaign, each one pass over its rows (no per-answer Python):

* respondents: a household's three loyalty answers folded into one row by conditional aggregates
  (``GROUP BY invitation_id``), then counted by owner stage and project — who answered, who is
  satisfied (overall 4–5), who is loyal (4–5 on each of the three items);
* items: every rated question's count, score sum, satisfied and low answers (``GROUP BY question``);
* the sample: invitations by project and status (the response rate).

On SQLite the statements run on a connection of their own in a worker thread (the bot's connection
runs on the event loop: a scan of a million answers there would stop every chat for its length,
docs/architecture.md "Storage engines and the hot path"). That connection reads what is committed.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text

from storage.models import Project
from storage.models.surveys import SurveyCampaign, SurveyTemplate
from storage.repositories.base import Repository

SATISFIED_FROM = 4  # services.surveys.vocabulary.SATISFIED_FROM (storage does not import services)
LOW_UP_TO = 2
LOYALTY_ITEMS = ("overall", "rebuy", "recommend")

# One row per respondent: a done invitation with a score on the overall item. Its stage and project
# are those of its overall answer (the owner stage at the answer date). A respondent without an
# answer on rebuy or recommend has fewer than three high items: not loyal.
_RESPONDENTS = f"""
SELECT r.stage, r.project_id, COUNT(*) AS respondents,
       SUM(CASE WHEN r.overall >= {SATISFIED_FROM} THEN 1 ELSE 0 END) AS satisfied,
       SUM(CASE WHEN r.high_items = 3 THEN 1 ELSE 0 END) AS loyal
FROM (
    SELECT a.invitation_id,
           MAX(CASE WHEN a.loyalty = 'overall' THEN a.score END) AS overall,
           MAX(CASE WHEN a.loyalty = 'overall' THEN a.stage END) AS stage,
           MAX(CASE WHEN a.loyalty = 'overall' THEN a.project_id END) AS project_id,
           COUNT(DISTINCT CASE WHEN a.score >= {SATISFIED_FROM} THEN a.loyalty END) AS high_items
    FROM survey_answers a
    WHERE a.campaign_id = :campaign AND a.loyalty IN ('overall', 'rebuy', 'recommend')
    GROUP BY a.invitation_id
) r
JOIN survey_invitations i ON i.id = r.invitation_id AND i.status = 'done'
WHERE r.overall IS NOT NULL
GROUP BY r.stage, r.project_id
"""

# Every rated question of the done households: count, score sum, satisfied (4–5) and low (1–2).
_ITEMS = f"""
SELECT a.question, MAX(a.area) AS area, MAX(a.loyalty) AS loyalty, COUNT(*) AS answers, SUM(a.score) AS score_sum,
       SUM(CASE WHEN a.score >= {SATISFIED_FROM} THEN 1 ELSE 0 END) AS satisfied,
       SUM(CASE WHEN a.score <= {LOW_UP_TO} THEN 1 ELSE 0 END) AS low
FROM survey_answers a
JOIN survey_invitations i ON i.id = a.invitation_id AND i.status = 'done'
WHERE a.campaign_id = :campaign AND a.score IS NOT NULL
GROUP BY a.question
"""

# The sample by project: sampled and done households (the response rate).
_SAMPLE = """
SELECT project_id, COUNT(*) AS sampled, SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END) AS done
FROM survey_invitations
WHERE campaign_id = :campaign
GROUP BY project_id
"""


@dataclass(frozen=True)
class RespondentGroup:
    """Respondents of one owner stage in one project."""

    stage: str
    project_id: int | None
    respondents: int
    satisfied: int  # overall item answered 4 or 5
    loyal: int  # 4 or 5 on each of the three loyalty items


@dataclass(frozen=True)
class ItemGroup:
    """One rated question over the done households."""

    question: str
    area: str | None
    loyalty: str | None
    answers: int
    score_sum: int
    satisfied: int
    low: int


@dataclass(frozen=True)
class SampleGroup:
    project_id: int | None
    sampled: int
    done: int


@dataclass(frozen=True)
class CampaignGroups:
    respondents: list[RespondentGroup]
    items: list[ItemGroup]
    sample: list[SampleGroup]


class SurveyMetricsRepository(Repository):
    async def campaign(self, campaign_id: int) -> SurveyCampaign | None:
        return await self.session.get(SurveyCampaign, campaign_id)

    async def previous(self, campaign: SurveyCampaign) -> SurveyCampaign | None:
        """The campaign of the same kind and project scope created last before ``campaign``."""
        scope = (SurveyCampaign.project_id.is_(None) if campaign.project_id is None
                 else SurveyCampaign.project_id == campaign.project_id)
        query = (select(SurveyCampaign)
                 .where(SurveyCampaign.kind == campaign.kind, scope, SurveyCampaign.id != campaign.id,
                        SurveyCampaign.created_at < campaign.created_at)
                 .order_by(SurveyCampaign.created_at.desc(), SurveyCampaign.id.desc()).limit(1))
        return (await self.session.scalars(query)).first()

    async def template_spec(self, template_id: int) -> dict[str, Any]:
        """The questionnaire version's normalised spec (its questions' labels)."""
        template = await self.session.get(SurveyTemplate, template_id)
        return dict(template.spec) if template is not None else {}

    async def project_names(self, ids: set[int]) -> dict[int, str]:
        if not ids:
            return {}
        rows = await self.session.execute(select(Project.id, Project.name).where(Project.id.in_(ids)))
        return {row.id: row.name for row in rows}

    async def groups(self, campaign_id: int) -> CampaignGroups:
        """The campaign's grouped counts (see the module's docstring)."""
        params = {"campaign": campaign_id}
        queries = (_RESPONDENTS, _ITEMS, _SAMPLE)
        database = self._sqlite_file()
        if database is not None:
            results = await asyncio.to_thread(_read_sqlite, database, queries, params)
        else:
            results = [[tuple(row) for row in await self.session.execute(text(query), params)] for query in queries]
        respondents, items, sample = results
        return CampaignGroups(
            [RespondentGroup(str(r[0]), r[1], int(r[2]), int(r[3] or 0), int(r[4] or 0)) for r in respondents],
            [ItemGroup(str(r[0]), r[1], r[2], int(r[3]), int(r[4] or 0), int(r[5] or 0), int(r[6] or 0))
             for r in items],
            [SampleGroup(r[0], int(r[1]), int(r[2] or 0)) for r in sample],
        )

    def _sqlite_file(self) -> str | None:
        """The SQLite database file to read from another thread; None on PostgreSQL (the session
        reads: asyncpg never blocks the loop) and for an in-memory database (which has one
        connection only: it is read in place)."""
        if self.dialect != "sqlite":
            return None
        bind = self.session.get_bind()
        database = bind.engine.url.database
        return database if database and database != ":memory:" else None


def _read_sqlite(database: str, queries: tuple[str, ...], params: Mapping[str, Any]) -> list[list[tuple[Any, ...]]]:
    """The queries on a read-only connection of this thread's own, in one read transaction (one
    snapshot for all three)."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    try:
        connection.execute("BEGIN")
        return [connection.execute(query, dict(params)).fetchall() for query in queries]
    finally:
        connection.close()
