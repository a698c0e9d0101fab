"""Care: owners' requests about their own data, and anonymisation (DOMAIN 5.3)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select, update

from storage.models import InvitationCode, Owner
from storage.models.care import Consent, DataRequest
from storage.models.cases import Ticket
from storage.models.chats import Chat
from storage.models.inquiries import CommunicationEntry
from storage.models.pushes import OutboxMessage
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

    async def get(self, request_id: int, *, lock: bool = False) -> DataRequest | None:
        query = select(DataRequest).where(DataRequest.id == request_id)
        return (await self.session.scalars(query.with_for_update() if lock else query)).first()

    async def open_deletion(self, owner_id: int) -> DataRequest | None:
        """The owner's deletion request still waiting for a decision, if any."""
        return (await self.session.scalars(
            select(DataRequest).where(DataRequest.owner_id == owner_id, DataRequest.kind == "deletion",
                                      DataRequest.status == "requested"))).first()

    async def anonymise(self, owner: Owner, now: datetime) -> None:
        """Erase the owner's personal data and keep what statistics need (DOMAIN 5.3): his row stays
        (cases and survey invitations point to it) with a placeholder name and a unique placeholder
        phone; no birthday, no chat link; the phone on his cases and his name and phone in the
        communication log go; his survey answers stay without his id; an unused code cannot bind again;
        nothing queued for him is sent any more."""
        owner.name = f"已注销业主 #{owner.id}"
        owner.phone = f"deleted:{owner.id}"  # phones are unique: one placeholder per owner
        owner.birthday_calendar = owner.birthday_year = owner.birthday_month = owner.birthday_day = None
        owner.birthday_leap = False
        owner.telegram_user_id = owner.chat_id = owner.bound_at = None
        owner.anonymised_at = now
        await self.session.flush()
        await self.session.execute(update(Ticket).where(Ticket.owner_id == owner.id).values(contact_phone=None))
        await self.session.execute(update(SurveyAnswer).where(SurveyAnswer.owner_id == owner.id).values(owner_id=None))
        await self.session.execute(update(CommunicationEntry).where(CommunicationEntry.owner_id == owner.id)
                                   .values(name=None, phone=None, telegram_user_id=None, chat_id=None))
        await self.session.execute(update(InvitationCode).where(InvitationCode.owner_id == owner.id,
                                                                InvitationCode.used_at.is_(None))
                                   .values(expires_at=now))
        await self.session.execute(update(OutboxMessage).where(OutboxMessage.owner_id == owner.id,
                                                               OutboxMessage.status == "pending")
                                   .values(status="cancelled", last_error="owner anonymised", claimed_until=None))

    async def inactive_owners(self, cutoff: datetime, limit: int) -> Sequence[Owner]:
        """Owners not yet anonymised with no sign of life since ``cutoff`` (the retention period,
        DOMAIN 5.3): created and linked before it, and no case changed, survey answered, message left
        or chat written in since; oldest first."""
        query = (
            select(Owner)
            .where(Owner.anonymised_at.is_(None), Owner.created_at < cutoff,
                   (Owner.bound_at.is_(None)) | (Owner.bound_at < cutoff),
                   ~exists().where(Ticket.owner_id == Owner.id, Ticket.updated_at >= cutoff),
                   ~exists().where(SurveyAnswer.owner_id == Owner.id, SurveyAnswer.answered_at >= cutoff),
                   ~exists().where(CommunicationEntry.owner_id == Owner.id, CommunicationEntry.created_at >= cutoff),
                   ~exists().where(Chat.chat_id == Owner.chat_id, Chat.updated_at >= cutoff))
            .order_by(Owner.id).limit(limit))
        return (await self.session.scalars(query)).all()
