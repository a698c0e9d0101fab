"""Satisfaction surveys: the rates of DOMAIN 3.1, set-based.

Four grouped queries per campaign, each one pass over its rows (no per-answer Python):

* respondents: a household's three loyalty answers folded into one row by conditional aggregates
  (``GROUP BY invitation_id``), then counted by owner stage and project — who answered, who is
  satisfied (overall 4–5), who is loyal (4–5 on each of the three items);
* items: every rated answer counted by question and score (``GROUP BY question, score``), less the
  answers of households that did not finish;
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

from sqlalchemy import func, select, text

from storage.models import Owner, Project
from storage.models.surveys import SurveyCampaign, SurveyInvitation, SurveyTemplate
from storage.repositories.base import Repository

SATISFIED_FROM = 4  # services.surveys.vocabulary.SATISFIED_FROM (storage does not import services)
LOW_UP_TO = 2

# One row per respondent: a done invitation with a score on the overall item, its answers on the
# three loyalty items folded into one row (read from the partial index ix_survey_answers_loyalty,
# in invitation order). Loyal: three loyalty answers (one question per item), the lowest 4 or more —
# a respondent who left one out has fewer than three: not loyal. The stage and project are the
# answer rows' (all of one household's rows carry the owner stage at the answer date).
_RESPONDENTS = f"""
SELECT r.stage, r.project_id, COUNT(*) AS respondents,
       SUM(CASE WHEN r.overall >= {SATISFIED_FROM} THEN 1 ELSE 0 END) AS satisfied,
       SUM(r.loyal) AS loyal
FROM (
    SELECT a.invitation_id, MAX(CASE WHEN a.loyalty = 'overall' THEN a.score END) AS overall,
           MAX(a.stage) AS stage, MAX(a.project_id) AS project_id,
           CASE WHEN COUNT(*) = 3 AND MIN(a.score) >= {SATISFIED_FROM} THEN 1 ELSE 0 END AS loyal
    FROM survey_answers a
    WHERE a.campaign_id = :campaign AND a.loyalty IS NOT NULL AND a.score IS NOT NULL
    GROUP BY a.invitation_id
) r
JOIN survey_invitations i ON i.id = r.invitation_id AND i.status = 'done'
WHERE r.overall IS NOT NULL
GROUP BY r.stage, r.project_id
"""

# Every rated answer of the campaign by question and score: one pass over the index
# (campaign_id, question, score), no table row read; each question's area and loyalty item from one
# of its rows (a seek per question).
_ITEMS = """
SELECT g.question, g.score, g.answers,
       (SELECT x.area FROM survey_answers x WHERE x.campaign_id = :campaign AND x.question = g.question LIMIT 1),
       (SELECT x.loyalty FROM survey_answers x WHERE x.campaign_id = :campaign AND x.question = g.question LIMIT 1)
FROM (
    SELECT question, score, COUNT(*) AS answers
    FROM survey_answers
    WHERE campaign_id = :campaign AND score IS NOT NULL
    GROUP BY question, score
) g
"""

# The same for the households not done (a survey expired half-way keeps its answers): subtracted,
# so the items count the done households only — far cheaper than checking every answer's household.
_ITEMS_NOT_DONE = """
SELECT a.question, a.score, COUNT(*) AS answers
FROM survey_invitations i
JOIN survey_answers a ON a.invitation_id = i.id
WHERE i.campaign_id = :campaign AND i.status <> 'done' AND a.score IS NOT NULL
GROUP BY a.question, a.score
"""

# The sample by project: sampled and done households (the response rate).
_SAMPLE = """
SELECT project_id, COUNT(*) AS sampled, SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END) AS done,
       SUM(CASE WHEN invited_at IS NOT NULL THEN 1 ELSE 0 END) AS invited
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
    invited: int = 0


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

    async def unbound_sampled(self, campaign_id: int) -> int:
        """Households of the campaign still waiting for their invitation whose owner has no chat
        with the bot: the survey cannot reach them."""
        query = (select(func.count()).select_from(SurveyInvitation)
                 .join(Owner, Owner.id == SurveyInvitation.owner_id)
                 .where(SurveyInvitation.campaign_id == campaign_id, SurveyInvitation.status == "sampled",
                        Owner.chat_id.is_(None)))
        return int((await self.session.execute(query)).scalar_one())

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
        queries = (_RESPONDENTS, _ITEMS, _ITEMS_NOT_DONE, _SAMPLE)
        database = self._sqlite_file()
        if database is not None:
            results = await asyncio.to_thread(_read_sqlite, database, queries, params)
        else:
            results = [[tuple(row) for row in await self.session.execute(text(query), params)] for query in queries]
        respondents, scores, not_done, sample = results
        return CampaignGroups(
            [RespondentGroup(str(r[0]), r[1], int(r[2]), int(r[3] or 0), int(r[4] or 0)) for r in respondents],
            _items(scores, not_done),
            [SampleGroup(r[0], int(r[1]), int(r[2] or 0), int(r[3] or 0)) for r in sample],
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


def _items(scores: list[tuple[Any, ...]], not_done: list[tuple[Any, ...]]) -> list[ItemGroup]:
    """Per question: (question, score) counts of every household less those not done (at most five
    groups per question: no per-answer work)."""
    left = {(str(question), int(score)): int(count) for question, score, count in not_done}
    totals: dict[str, dict[str, Any]] = {}
    for question, score, count, area, loyalty in scores:
        n = int(count) - left.get((str(question), int(score)), 0)
        item = totals.setdefault(str(question), {"area": area, "loyalty": loyalty, "answers": 0, "sum": 0,
                                                 "satisfied": 0, "low": 0})
        item["answers"] += n
        item["sum"] += n * int(score)
        item["satisfied"] += n if int(score) >= SATISFIED_FROM else 0
        item["low"] += n if int(score) <= LOW_UP_TO else 0
    return [ItemGroup(question, t["area"], t["loyalty"], t["answers"], t["sum"], t["satisfied"], t["low"])
            for question, t in totals.items() if t["answers"]]


def _read_sqlite(database: str, queries: tuple[str, ...], params: Mapping[str, Any]) -> list[list[tuple[Any, ...]]]:
    """The queries on a reading connection of this thread's own, in one read transaction (one
    snapshot for all of them)."""
    # Not ``mode=ro``: a read-only connection cannot create the WAL index when no other process has
    # the database open (the admin CLI). ``query_only`` keeps it from writing all the same.
    connection = sqlite3.connect(database, timeout=30, isolation_level=None)
    try:
        connection.execute("PRAGMA query_only = ON")
        connection.execute("BEGIN")
        return [connection.execute(query, dict(params)).fetchall() for query in queries]
    finally:
        connection.close()
