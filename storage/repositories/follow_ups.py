"""Follow-ups of dissatisfied owners (回访), about a case or a survey answer, and the topic
investigations (专题调查) that clustered low survey answers open."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.models import Building, Owner, Project, Staff, Unit
from storage.models.follow_ups import FollowUp
from storage.models.surveys import SurveyAnswer, SurveyCampaign, SurveyInvitation, SurveyTemplate, SurveyTopic
from storage.repositories.base import Repository

OPEN, DONE = "open", "done"
LOW_UP_TO = 2  # a survey answer of 1–2 is dissatisfied (DOMAIN 3.5)


@dataclass(frozen=True)
class FollowUpRecord:
    """One follow-up of a campaign's answers as the report lists it (for an office's audit)."""

    project: str | None
    building: str | None
    unit: str | None
    owner: str | None
    phone: str | None
    ratings: list[Any]  # [[question, 1–2], …]
    assignee: str
    status: str
    attempts: int
    agreed: str | None
    satisfied: bool | None
    opened_at: datetime
    closed_at: datetime | None
    closed_by: str | None


class FollowUpRepository(Repository):
    def add(self, follow_up: FollowUp) -> None:
        self.session.add(follow_up)

    async def get(self, follow_up_id: int, *, lock: bool = False) -> FollowUp | None:
        query = select(FollowUp).where(FollowUp.id == follow_up_id)
        if lock and self.dialect == "postgresql":
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def open_of_ticket(self, ticket_id: int, *, lock: bool = False) -> FollowUp | None:
        query = select(FollowUp).where(FollowUp.ticket_id == ticket_id, FollowUp.status == OPEN)
        if lock and self.dialect == "postgresql":
            query = query.with_for_update()
        return await self.session.scalar(query.order_by(FollowUp.id.desc()).limit(1))

    async def latest_of_ticket(self, ticket_id: int) -> FollowUp | None:
        query = select(FollowUp).where(FollowUp.ticket_id == ticket_id).order_by(FollowUp.id.desc()).limit(1)
        return await self.session.scalar(query)

    async def open_for(self, project_id: int | None) -> Sequence[FollowUp]:
        """Open follow-ups of a project (and of cases without one), the earliest due first; every
        project's for ``None`` (company-wide staff, the planner)."""
        query = select(FollowUp).where(FollowUp.status == OPEN)
        if project_id is not None:
            query = query.where(or_(FollowUp.project_id == project_id, FollowUp.project_id.is_(None)))
        return (await self.session.scalars(query.order_by(FollowUp.due, FollowUp.id))).all()

    # ------------------------------------------------------------ follow-ups of survey answers

    async def of_invitation(self, invitation_id: int) -> FollowUp | None:
        """The follow-up of a household's survey answers (one per invitation), if any."""
        query = select(FollowUp).where(FollowUp.invitation_id == invitation_id)
        return await self.session.scalar(query.order_by(FollowUp.id).limit(1))

    async def invitation(self, invitation_id: int) -> SurveyInvitation | None:
        return await self.session.get(SurveyInvitation, invitation_id)

    async def campaign(self, campaign_id: int) -> SurveyCampaign | None:
        return await self.session.get(SurveyCampaign, campaign_id)

    async def template(self, template_id: int) -> SurveyTemplate | None:
        return await self.session.get(SurveyTemplate, template_id)

    async def survey_answers(self, invitation_id: int) -> Sequence[SurveyAnswer]:
        """A household's answers, in the order they were given."""
        query = select(SurveyAnswer).where(SurveyAnswer.invitation_id == invitation_id)
        return (await self.session.scalars(query.order_by(SurveyAnswer.answered_at, SurveyAnswer.id))).all()

    async def handled_share(self, campaign_id: int) -> tuple[int, int]:
        """(done, all) follow-ups of a campaign's answers."""
        done = func.coalesce(func.sum(case((FollowUp.status == DONE, 1), else_=0)), 0)
        query = (select(done, func.count(FollowUp.id))
                 .join(SurveyInvitation, SurveyInvitation.id == FollowUp.invitation_id)
                 .where(SurveyInvitation.campaign_id == campaign_id))
        row = (await self.session.execute(query)).one()
        return int(row[0]), int(row[1])

    async def records_of_campaign(self, campaign_id: int) -> list[FollowUpRecord]:
        """Every follow-up of a campaign's answers with its household and who closed it, in the
        order they opened: one statement."""
        query = (
            select(FollowUp, Project.name, Building.name, Unit.number, Owner.name, Owner.phone, Staff.name)
            .join(SurveyInvitation, SurveyInvitation.id == FollowUp.invitation_id)
            .outerjoin(Owner, Owner.id == SurveyInvitation.owner_id)
            .outerjoin(Unit, Unit.id == SurveyInvitation.unit_id)
            .outerjoin(Building, Building.id == Unit.building_id)
            .outerjoin(Project, Project.id == Building.project_id)
            .outerjoin(Staff, Staff.id == FollowUp.closed_by)
            .where(SurveyInvitation.campaign_id == campaign_id)
            .order_by(FollowUp.opened_at, FollowUp.id)
        )
        return [FollowUpRecord(project, building, unit, owner, phone, list(f.ratings or []), f.assignee, f.status,
                               f.attempts, f.agreed, f.satisfied, f.opened_at, f.closed_at, closer)
                for f, project, building, unit, owner, phone, closer in (await self.session.execute(query)).all()]

    # ------------------------------------------------------------ topic investigations

    async def low_households(self, campaign_id: int, project_id: int | None, question: str) -> int:
        """How many households of a project scored an item 1–2 in a campaign."""
        query = select(func.count(func.distinct(SurveyAnswer.invitation_id))).where(
            SurveyAnswer.campaign_id == campaign_id, SurveyAnswer.question == question,
            SurveyAnswer.score.is_not(None), SurveyAnswer.score <= LOW_UP_TO,
            SurveyAnswer.project_id == project_id if project_id is not None else SurveyAnswer.project_id.is_(None))
        return int(await self.session.scalar(query) or 0)

    async def topic_of(self, campaign_id: int, project_id: int | None, question: str) -> SurveyTopic | None:
        query = select(SurveyTopic).where(
            SurveyTopic.campaign_id == campaign_id, SurveyTopic.question == question,
            SurveyTopic.project_id == project_id if project_id is not None else SurveyTopic.project_id.is_(None))
        return await self.session.scalar(query.limit(1))

    async def add_topic_once(self, campaign_id: int, project_id: int | None, question: str, low_count: int,
                             now: datetime) -> SurveyTopic | None:
        """Flag a topic investigation; None if it is flagged already (the unique item wins a race:
        a second transaction inserting the same item adds nothing)."""
        if await self.topic_of(campaign_id, project_id, question) is not None:
            return None
        insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        statement = (insert(SurveyTopic)
                     .values(campaign_id=campaign_id, project_id=project_id, question=question, low_count=low_count,
                             flagged_at=now, status=OPEN)
                     .on_conflict_do_nothing(index_elements=["campaign_id", "project_id", "question"])
                     .returning(SurveyTopic.id))
        topic_id = await self.session.scalar(statement)
        return await self.topic(topic_id) if topic_id is not None else None

    async def topic(self, topic_id: int, *, lock: bool = False) -> SurveyTopic | None:
        query = select(SurveyTopic).where(SurveyTopic.id == topic_id)
        if lock and self.dialect == "postgresql":
            query = query.with_for_update()
        return await self.session.scalar(query)
