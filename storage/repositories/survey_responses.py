"""Satisfaction surveys: the invitations owners answer in chat and their answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from storage.models import Owner, Project
from storage.models.surveys import SurveyAnswer, SurveyCampaign, SurveyInvitation, SurveyTemplate
from storage.repositories.base import Repository

ANSWERING = ("invited", "started")  # sent to the owner, not answered, not expired
RUNNING = "running"


@dataclass(frozen=True)
class Invited:
    """An invitation with what a push about it needs: its campaign, questionnaire, owner and time zone."""

    invitation: SurveyInvitation
    campaign: SurveyCampaign
    template: SurveyTemplate
    owner: Owner
    timezone: str


class SurveyResponseRepository(Repository):
    async def invitation(self, invitation_id: int, *, lock: bool = False) -> SurveyInvitation | None:
        statement = select(SurveyInvitation).where(SurveyInvitation.id == invitation_id)
        if lock and self.dialect == "postgresql":
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def template(self, template_id: int) -> SurveyTemplate | None:
        return await self.session.get(SurveyTemplate, template_id)

    async def campaign(self, campaign_id: int) -> SurveyCampaign | None:
        return await self.session.get(SurveyCampaign, campaign_id)

    async def owner(self, owner_id: int) -> Owner | None:
        return await self.session.get(Owner, owner_id)

    async def timezone(self, project_id: int | None) -> str:
        project = await self.session.get(Project, project_id) if project_id is not None else None
        return project.timezone if project is not None else "Asia/Shanghai"

    async def latest_open(self, owner_id: int, now: datetime) -> SurveyInvitation | None:
        """The owner's most recent invitation still to answer (sent, not done, not expired)."""
        statement = (
            select(SurveyInvitation)
            .join(SurveyCampaign, SurveyCampaign.id == SurveyInvitation.campaign_id)
            .where(SurveyInvitation.owner_id == owner_id, SurveyInvitation.status.in_(ANSWERING),
                   SurveyCampaign.status == RUNNING,
                   (SurveyInvitation.expires_at.is_(None)) | (SurveyInvitation.expires_at > now))
            .order_by(SurveyInvitation.invited_at.desc(), SurveyInvitation.id.desc())
            .limit(1)
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def to_invite(self) -> list[Invited]:
        """Sampled households of running campaigns whose owner can be reached in chat."""
        return await self._invited(SurveyInvitation.status == "sampled", Owner.chat_id.is_not(None),
                                   Owner.blocked.is_(False))

    async def unanswered(self) -> list[Invited]:
        """Invitations sent and not yet answered nor expired (reminders, expiry)."""
        return await self._invited(SurveyInvitation.status.in_(ANSWERING))

    async def _invited(self, *where: object) -> list[Invited]:
        statement = (
            select(SurveyInvitation, SurveyCampaign, SurveyTemplate, Owner, Project.timezone)
            .join(SurveyCampaign, SurveyCampaign.id == SurveyInvitation.campaign_id)
            .join(SurveyTemplate, SurveyTemplate.id == SurveyInvitation.template_id)
            .join(Owner, Owner.id == SurveyInvitation.owner_id)
            .outerjoin(Project, Project.id == SurveyInvitation.project_id)
            .where(SurveyCampaign.status == RUNNING, *where)  # type: ignore[arg-type]
            .order_by(SurveyInvitation.id)
        )
        rows = (await self.session.execute(statement)).all()
        return [Invited(row[0], row[1], row[2], row[3], row[4] or "Asia/Shanghai") for row in rows]

    async def has_open(self, owner_id: int, now: datetime) -> bool:
        return await self.latest_open(owner_id, now) is not None

    def add_answers(self, rows: Sequence[SurveyAnswer]) -> None:
        self.session.add_all(rows)

    async def answers_of(self, invitation_id: int) -> Sequence[SurveyAnswer]:
        statement = select(SurveyAnswer).where(SurveyAnswer.invitation_id == invitation_id).order_by(SurveyAnswer.id)
        return (await self.session.execute(statement)).scalars().all()
