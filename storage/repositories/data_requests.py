"""Care: owners' requests about their own data, and anonymisation (DOMAIN 5.3)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from storage.models.care import Consent, DataRequest
from storage.models.cases import Ticket
from storage.models.inquiries import CommunicationEntry
from storage.models.surveys import SurveyAnswer, SurveyCampaign
from storage.repositories.base import Repository


@dataclass(frozen=True)
class AnswerHeld:
    campaign: str
    question: str
    score: int | None
    choice: Sequence[object] | None
    text: str | None
    answered_at: datetime


@dataclass(frozen=True)
class OwnerHoldings:
    """What the company holds about one owner beyond his own row and units (DOMAIN 5.3), oldest first."""

    tickets: Sequence[Ticket]
    consents: Sequence[Consent]
    answers: Sequence[AnswerHeld]
    entries: Sequence[CommunicationEntry]


class DataRequestRepository(Repository):
    async def record(self, owner_id: int, kind: str, status: str, now: datetime, *,
                     done: bool = False) -> DataRequest:
        request = DataRequest(owner_id=owner_id, kind=kind, status=status, requested_at=now,
                              done_at=now if done else None)
        self.session.add(request)
        await self.session.flush()
        return request

    async def holdings(self, owner_id: int) -> OwnerHoldings:
        tickets = (await self.session.scalars(
            select(Ticket).where(Ticket.owner_id == owner_id).order_by(Ticket.received_at, Ticket.id))).all()
        # Every decision, not only the latest: the record of when he said what, under which wording.
        consents = (await self.session.scalars(
            select(Consent).where(Consent.owner_id == owner_id).order_by(Consent.recorded_at, Consent.id))).all()
        answers = (await self.session.execute(
            select(SurveyCampaign.name, SurveyAnswer.question, SurveyAnswer.score, SurveyAnswer.choice,
                   SurveyAnswer.text, SurveyAnswer.answered_at)
            .join(SurveyCampaign, SurveyCampaign.id == SurveyAnswer.campaign_id)
            .where(SurveyAnswer.owner_id == owner_id)
            .order_by(SurveyAnswer.answered_at, SurveyAnswer.id))).all()
        entries = (await self.session.scalars(
            select(CommunicationEntry).where(CommunicationEntry.owner_id == owner_id)
            .order_by(CommunicationEntry.created_at, CommunicationEntry.id))).all()
        return OwnerHoldings(tickets, consents, [AnswerHeld(*row) for row in answers], entries)
