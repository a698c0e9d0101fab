"""Survey campaigns (DOMAIN 3.3): created by the admin CLI with their kind's defaults, started by the
customer-service manager (the sample drawn and written as invitations with status "sampled", which
the survey chat sends), tracked against their response target, closed.

| kind | sample | from complainers | target |
| --- | --- | --- | --- |
| mid_year | 50 % | ≥ 20 % of the sample | 50 % of the sample answered |
| year_end | every household | – | 30 % |
| first_visit | every moved-in household (refused before 50 % have moved in) | – | 90 % |
| yearly | 10–25 % (default 20 %) | – | 10 % of the households |
| sales_visit | rolling: contract signed in the last 7 days | – | 50 % |
| move_in_visit | rolling: moved in 3 months ago (a 7-day window) | – | 50 % |
"""

from __future__ import annotations

import random
from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from dialogs.text import Percent
from services.complaints.kind import COMPLAINT
from services.surveys.sampling import Drawn, Household, OwnerOfUnit, draw, households
from services.surveys.vocabulary import CampaignKind, Stage
from storage.models import Project
from storage.models.surveys import SurveyCampaign, SurveyInvitation
from storage.repositories.survey_campaigns import StratumCount, UnitOwnerRow
from storage.uow import UnitOfWork

DRAFT, RUNNING, CLOSED = "draft", "running", "closed"
DEFAULT_ZONE = "Asia/Shanghai"
SALES_VISIT_DAYS = 7  # DOMAIN 3.3: within one week of signing
MOVE_IN_MONTHS = 3
MOVE_IN_WINDOW_DAYS = 7  # a household that moved in 3 months ago, give or take a planner outage
FIRST_VISIT_MOVED_IN = Decimal("0.5")  # a first visit once half the community has moved in
YEARLY_SAMPLE = (10, 25)


@dataclass(frozen=True)
class KindRule:
    sample_percent: int
    complainer_percent: int
    target_percent: int
    of_households: bool = False  # the target counts answers against all households, not the sample
    needs_project: bool = False
    fixed_sample: bool = False  # every (eligible) household: --sample is refused
    rolling: bool = False  # households join while it runs, as they become eligible


KIND_RULES: dict[CampaignKind, KindRule] = {
    CampaignKind.MID_YEAR: KindRule(50, 20, 50),
    CampaignKind.YEAR_END: KindRule(100, 0, 30, fixed_sample=True),
    CampaignKind.FIRST_VISIT: KindRule(100, 0, 90, needs_project=True, fixed_sample=True),
    CampaignKind.YEARLY: KindRule(20, 0, 10, of_households=True),
    CampaignKind.SALES_VISIT: KindRule(100, 0, 50, fixed_sample=True, rolling=True),
    CampaignKind.MOVE_IN_VISIT: KindRule(100, 0, 50, fixed_sample=True, rolling=True),
}


class CampaignError(ValueError):
    """The admin's or the manager's request does not fit the campaign rules; nothing changed."""


def rule_of(campaign: SurveyCampaign) -> KindRule:
    return KIND_RULES[CampaignKind(campaign.kind)]


def new_seed() -> int:
    return random.SystemRandom().getrandbits(63)


async def create(
    uow: UnitOfWork, *, kind: str, form_id: str, now: datetime, version: str | None = None,
    project: Project | None = None, name: str | None = None, sample: int | None = None, seed: int | None = None,
    expires_after_days: int = 14,
) -> SurveyCampaign:
    """A draft campaign with its kind's defaults (``CampaignError`` when the request breaks a rule)."""
    try:
        which = CampaignKind(kind)
    except ValueError:
        raise CampaignError(f"kind must be one of {', '.join(k.value for k in CampaignKind)}") from None
    rule = KIND_RULES[which]
    template = (await uow.survey_templates.by_version(form_id, version) if version is not None
                else await uow.survey_templates.latest(form_id))
    if template is None:
        raise CampaignError(f"no questionnaire {form_id!r}" + (f" version {version!r}" if version else "")
                            + "; import it with: estatebot admin survey import FILE.xlsx")
    if rule.needs_project and project is None:
        raise CampaignError(f"a {which.value} campaign is about one project: give --project CODE")
    if sample is not None and rule.fixed_sample and sample != rule.sample_percent:
        raise CampaignError(f"a {which.value} campaign covers every eligible household; leave out --sample")
    percent = rule.sample_percent if sample is None else sample
    if which is CampaignKind.YEARLY and not YEARLY_SAMPLE[0] <= percent <= YEARLY_SAMPLE[1]:
        raise CampaignError(f"a yearly sample is {YEARLY_SAMPLE[0]}–{YEARLY_SAMPLE[1]} % of the households, "
                            f"not {percent} %")
    if not 1 <= percent <= 100:
        raise CampaignError(f"the sample is 1–100 % of the households, not {percent} %")
    if expires_after_days < 1:
        raise CampaignError("--expires-after-days must be at least 1")
    today = local_today(now, project)
    if which is CampaignKind.FIRST_VISIT and project is not None:
        moved, total = moved_in_share(await _households(uow, project.id, today))
        if total == 0 or Decimal(moved) / total < FIRST_VISIT_MOVED_IN:
            share = f"{moved * 100 // total} %" if total else "0 %"
            raise CampaignError(f"only {share} of {project.code}'s households have moved in ({moved} of {total}); "
                                "a first visit waits until at least 50 % have")
    last_year = today.year - 1
    campaign = SurveyCampaign(
        name=name or f"{which.value} {today.year}" + (f" {project.code}" if project else ""),
        kind=which.value, template_id=template.id, project_id=project.id if project else None, status=DRAFT,
        sample_percent=percent, complainer_percent=rule.complainer_percent, target_percent=rule.target_percent,
        seed=new_seed() if seed is None else seed, expires_after_days=expires_after_days, created_at=now,
        # Mid-year: the top complainers of last (calendar) year.
        period_start=date(last_year, 1, 1) if rule.complainer_percent else None,
        period_end=date(last_year, 12, 31) if rule.complainer_percent else None,
    )
    uow.survey_campaigns.add(campaign)
    await uow.flush()
    return campaign


def share_text(value: Decimal) -> Percent:
    """A rate as the campaign's card, its warning and the report give it: one decimal (33.3 %)."""
    return Percent(str(value.quantize(Decimal("0.0001"))), 1)


def local_today(now: datetime, project: Project | None) -> date:
    return now.astimezone(ZoneInfo(project.timezone if project else DEFAULT_ZONE)).date()


def moved_in_share(population: list[Household]) -> tuple[int, int]:
    return sum(1 for h in population if h.stage is not Stage.PROSPECTIVE), len(population)


def _owner_rows(rows: list[UnitOwnerRow]) -> list[OwnerOfUnit]:
    return [OwnerOfUnit(r.unit_id, r.owner_id, r.project_id, r.bound, r.move_in_date) for r in rows]


async def _households(uow: UnitOfWork, project_id: int | None, today: date,
                      complaints: dict[int, int] | None = None) -> list[Household]:
    return households(_owner_rows(await uow.survey_campaigns.unit_owners(project_id)), today, complaints)


async def eligible(uow: UnitOfWork, campaign: SurveyCampaign, now: datetime) -> list[Household]:
    """The households the campaign draws from now (its population)."""
    project = await uow.projects.get(campaign.project_id) if campaign.project_id else None
    today = local_today(now, project)
    kind = CampaignKind(campaign.kind)
    rows = await uow.survey_campaigns.unit_owners(campaign.project_id)
    if kind is CampaignKind.SALES_VISIT:
        fresh = {r.unit_id for r in rows if r.contract_date is not None
                 and today - timedelta(days=SALES_VISIT_DAYS) <= r.contract_date <= today}
        rows = [r for r in rows if r.unit_id in fresh]
    elif kind is CampaignKind.MOVE_IN_VISIT:
        due = months_before(today, MOVE_IN_MONTHS)
        fresh = {r.unit_id for r in rows if r.move_in_date is not None
                 and due - timedelta(days=MOVE_IN_WINDOW_DAYS) <= r.move_in_date <= due}
        rows = [r for r in rows if r.unit_id in fresh]
    complaints = None
    if campaign.complainer_percent and campaign.period_start and campaign.period_end:
        zone = ZoneInfo(project.timezone if project else DEFAULT_ZONE)
        start = datetime.combine(campaign.period_start, datetime.min.time(), zone).astimezone(UTC)
        end = datetime.combine(campaign.period_end + timedelta(days=1), datetime.min.time(), zone).astimezone(UTC)
        complaints = await uow.survey_campaigns.cases_per_owner(COMPLAINT.name, start, end, campaign.project_id)
    population = households(_owner_rows(rows), today, complaints)
    if kind is CampaignKind.FIRST_VISIT:
        population = [h for h in population if h.stage is not Stage.PROSPECTIVE]
    return population


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


async def preview(uow: UnitOfWork, campaign: SurveyCampaign, now: datetime) -> list[Drawn]:
    """The sample starting now would draw (nothing written)."""
    return draw(await eligible(uow, campaign, now), campaign.sample_percent, campaign.seed,
                complainer_percent=campaign.complainer_percent)


async def start(uow: UnitOfWork, campaign: SurveyCampaign, now: datetime, staff_id: int | None = None) -> list[Drawn]:
    """Draw the sample and write its invitations ("sampled": the survey chat invites them)."""
    if campaign.status != DRAFT or not await uow.survey_campaigns.claim_start(campaign.id):
        raise CampaignError(f"campaign {campaign.id} is {campaign.status}, not a draft")
    population = await eligible(uow, campaign, now)
    drawn = draw(population, campaign.sample_percent, campaign.seed, complainer_percent=campaign.complainer_percent)
    _invite(uow, campaign, drawn)
    campaign.status, campaign.started_at, campaign.started_by = RUNNING, now, staff_id
    campaign.population = len(population)
    await uow.flush()
    return drawn


def _invite(uow: UnitOfWork, campaign: SurveyCampaign, drawn: list[Drawn]) -> None:
    uow.survey_campaigns.add_invitations([
        SurveyInvitation(
            campaign_id=campaign.id, owner_id=d.household.owner_id, unit_id=d.household.unit_id,
            project_id=d.household.project_id, template_id=campaign.template_id, stage=d.household.stage.value,
            stratum=d.household.stratum, from_complainers=d.from_complainers, status="sampled", answers={},
            reminders=0,
        )
        for d in drawn
    ])


async def add_newly_eligible(uow: UnitOfWork, campaign: SurveyCampaign, now: datetime) -> int:
    """A rolling campaign: the households that became eligible since, each once."""
    if not rule_of(campaign).rolling or campaign.status != RUNNING:
        return 0
    known = await uow.survey_campaigns.sampled_units(campaign.id)
    fresh = [Drawn(h, False) for h in await eligible(uow, campaign, now) if h.unit_id not in known]
    _invite(uow, campaign, fresh)
    if fresh:
        campaign.population = (campaign.population or 0) + len(fresh)
        await uow.flush()
    return len(fresh)


async def close(uow: UnitOfWork, campaign: SurveyCampaign, now: datetime) -> None:
    if campaign.status == CLOSED:
        raise CampaignError(f"campaign {campaign.id} is closed already")
    campaign.status, campaign.closed_at = CLOSED, now
    await uow.flush()


@dataclass(frozen=True)
class Stats:
    sampled: int
    invited: int
    answered: int
    expired: int
    base: int  # what the response rate is counted against: the sample, or all households
    target_percent: int
    strata: tuple[StratumCount, ...]

    @property
    def rate(self) -> Decimal:
        return Decimal(self.answered) / self.base if self.base else Decimal(0)

    @property
    def target(self) -> Decimal:
        return Decimal(self.target_percent) / 100

    @property
    def on_target(self) -> bool:
        return self.rate >= self.target


async def stats(uow: UnitOfWork, campaign: SurveyCampaign) -> Stats:
    strata = tuple(await uow.survey_campaigns.strata(campaign.id))
    sampled = sum(s.sampled for s in strata)
    base = (campaign.population or 0) if rule_of(campaign).of_households else sampled
    return Stats(sampled, sum(s.invited for s in strata), sum(s.answered for s in strata),
                 sum(s.expired for s in strata), base, campaign.target_percent, strata)


def elapsed_share(campaign: SurveyCampaign, now: datetime) -> Decimal:
    """How much of the invitations' life (from the start) has gone, 0–1."""
    if campaign.started_at is None:
        return Decimal(0)
    share = Decimal((now - campaign.started_at).total_seconds()) / Decimal(campaign.expires_after_days * 86400)
    return min(max(share, Decimal(0)), Decimal(1))


def projected_rate(campaign_stats: Stats, elapsed: Decimal) -> Decimal:
    """The rate at the end if answers keep coming at the pace so far (a straight line from the
    start): rate ÷ share of the time gone, at most 100 %."""
    if elapsed <= 0:
        return Decimal(0)
    return min(campaign_stats.rate / elapsed, Decimal(1))
