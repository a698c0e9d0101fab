"""Satisfaction surveys: campaigns and their samples (sampling, response rates)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select, update

from storage.models import Building, Owner, OwnerUnit, Ticket, Unit
from storage.models.surveys import SurveyCampaign, SurveyInvitation
from storage.repositories.base import Repository


@dataclass(frozen=True)
class UnitOwnerRow:
    unit_id: int
    owner_id: int
    project_id: int
    bound: bool
    move_in_date: date | None
    contract_date: date | None


@dataclass(frozen=True)
class StratumCount:
    stratum: str
    project_id: int | None
    stage: str
    sampled: int
    invited: int
    answered: int
    expired: int
    from_complainers: int


class SurveyCampaignRepository(Repository):
    def add(self, campaign: SurveyCampaign) -> None:
        self.session.add(campaign)

    async def get(self, campaign_id: int) -> SurveyCampaign | None:
        return await self.session.get(SurveyCampaign, campaign_id)

    async def listing(self, project_id: int | None = None, *, everything: bool = True) -> Sequence[SurveyCampaign]:
        """Newest first: every campaign (``everything``), else those of ``project_id``."""
        query = select(SurveyCampaign)
        if not everything:
            query = query.where(SurveyCampaign.project_id == project_id)
        return (await self.session.scalars(query.order_by(SurveyCampaign.id.desc()))).all()

    async def claim_start(self, campaign_id: int) -> bool:
        """Mark a draft as running, once: a second press (another manager, at the same moment) gets
        False. On PostgreSQL the second UPDATE waits for the first transaction and then finds no draft."""
        statement = (update(SurveyCampaign)
                     .where(SurveyCampaign.id == campaign_id, SurveyCampaign.status == "draft")
                     .values(status="running").execution_options(synchronize_session=False))
        result = await self.core(statement)
        return bool(result.rowcount)

    async def running(self) -> Sequence[SurveyCampaign]:
        query = select(SurveyCampaign).where(SurveyCampaign.status == "running").order_by(SurveyCampaign.id)
        return (await self.session.scalars(query)).all()

    async def unit_owners(self, project_id: int | None) -> list[UnitOwnerRow]:
        """Every owner of every unit (of a project, or all), by unit and owner id."""
        query = (
            select(OwnerUnit.unit_id, Owner.id, Building.project_id, Owner.chat_id.is_not(None),
                   Owner.move_in_date, Owner.contract_date)
            .join(Owner, Owner.id == OwnerUnit.owner_id)
            .join(Unit, Unit.id == OwnerUnit.unit_id)
            .join(Building, Building.id == Unit.building_id)
            .order_by(OwnerUnit.unit_id, Owner.id)
        )
        if project_id is not None:
            query = query.where(Building.project_id == project_id)
        return [UnitOwnerRow(*row) for row in (await self.session.execute(query)).all()]

    async def cases_per_owner(self, case_kind: str, start: datetime, end: datetime,
                              project_id: int | None) -> dict[int, int]:
        """Cases of a kind (complaints) each owner filed in [start, end)."""
        query = (
            select(Ticket.owner_id, func.count())
            .where(Ticket.kind == case_kind, Ticket.owner_id.is_not(None), Ticket.received_at >= start,
                   Ticket.received_at < end)
            .group_by(Ticket.owner_id)
        )
        if project_id is not None:
            query = query.where(Ticket.project_id == project_id)
        return {int(owner): int(count) for owner, count in (await self.session.execute(query)).all() if owner is not None}

    async def sampled_units(self, campaign_id: int) -> set[int]:
        query = select(SurveyInvitation.unit_id).where(SurveyInvitation.campaign_id == campaign_id)
        return set((await self.session.scalars(query)).all())

    def add_invitations(self, invitations: Sequence[SurveyInvitation]) -> None:
        self.session.add_all(invitations)

    async def strata(self, campaign_id: int) -> list[StratumCount]:
        """The sample per stratum: sampled, invited, answered, expired, and how many came from the
        top complainers."""
        inv = SurveyInvitation
        query = (
            select(
                inv.stratum, inv.project_id, inv.stage, func.count(),
                func.sum(case((inv.invited_at.is_not(None), 1), else_=0)),
                func.sum(case((inv.status == "done", 1), else_=0)),
                func.sum(case((inv.status == "expired", 1), else_=0)),
                func.sum(case((inv.from_complainers.is_(True), 1), else_=0)),
            )
            .where(inv.campaign_id == campaign_id)
            .group_by(inv.stratum, inv.project_id, inv.stage)
            .order_by(inv.stratum)
        )
        return [StratumCount(s, p, stage, int(n), int(i or 0), int(a or 0), int(e or 0), int(c or 0))
                for s, p, stage, n, i, a, e, c in (await self.session.execute(query)).all()]

    async def status_counts(self, campaign_id: int) -> dict[str, int]:
        """Invitations per status (sampled, invited, started, done, expired, declined)."""
        query = (select(SurveyInvitation.status, func.count()).where(SurveyInvitation.campaign_id == campaign_id)
                 .group_by(SurveyInvitation.status))
        return {str(status): int(count) for status, count in (await self.session.execute(query)).all()}
