"""The rates of DOMAIN 3.1 for one campaign, broken down as DOMAIN 3.2 asks, against the previous
campaign of the same kind.

Definitions (the report and the CLI print these):

* sampled: the campaign's invitations (households drawn); done: those whose survey was finished.
* response rate = done / sampled.
* respondent: a done household with a score on the overall-satisfaction item (the ``loyalty =
  'overall'`` question). Respondents are the base of both rates below.
* satisfaction rate = respondents who answered 4 or 5 on overall satisfaction / respondents.
* loyalty rate = respondents who answered 4 or 5 on each of the three loyalty items (overall, would
  buy again, would recommend) / respondents; one of the three not answered counts as not loyal.
* by owner stage and by project: the stage and project on the respondent's overall answer (the
  stage at the answer date). By service area: every rated answer of the done households on that
  area's questions — the average score and the share answered 4 or 5.

The database does the counting (``uow.survey_metrics.groups``, three grouped queries); this module
only adds up the few groups that come back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from services.surveys.vocabulary import Area, Stage
from storage.models.surveys import SurveyCampaign
from storage.repositories.survey_metrics import ItemGroup, RespondentGroup
from storage.uow import UnitOfWork


def share(part: int, whole: int) -> float | None:
    """``part / whole``, None when there is nothing to divide (no respondents yet)."""
    return part / whole if whole else None


@dataclass(frozen=True)
class Rates:
    respondents: int
    satisfied: int
    loyal: int

    @property
    def satisfaction(self) -> float | None:
        return share(self.satisfied, self.respondents)

    @property
    def loyalty(self) -> float | None:
        return share(self.loyal, self.respondents)


def _rates(groups: Iterable[RespondentGroup]) -> Rates:
    groups = list(groups)
    return Rates(sum(g.respondents for g in groups), sum(g.satisfied for g in groups), sum(g.loyal for g in groups))


@dataclass(frozen=True)
class ProjectRates:
    project_id: int | None
    name: str
    sampled: int
    done: int
    rates: Rates

    @property
    def response(self) -> float | None:
        return share(self.done, self.sampled)


@dataclass(frozen=True)
class ItemScore:
    """One rated question (or, rolled up, one service area) over the done households."""

    key: str  # the question's name, or the area's code
    area: str | None
    answers: int
    score_sum: int
    satisfied: int
    low: int

    @property
    def average(self) -> float | None:
        return self.score_sum / self.answers if self.answers else None

    @property
    def satisfied_share(self) -> float | None:
        return share(self.satisfied, self.answers)

    @property
    def low_share(self) -> float | None:
        return share(self.low, self.answers)


@dataclass(frozen=True)
class CampaignMetrics:
    campaign_id: int
    name: str
    kind: str
    created_at: datetime
    target_percent: int
    sampled: int
    done: int
    rates: Rates
    by_stage: dict[Stage, Rates]  # every stage, in the order of the vocabulary (zero when none)
    by_project: list[ProjectRates]
    by_area: dict[Area, ItemScore]  # every area
    items: list[ItemScore]  # every rated question, lowest satisfied share first
    previous: CampaignMetrics | None = None
    invited: int = 0  # households whose invitation went out

    @property
    def response(self) -> float | None:
        return share(self.done, self.sampled)

    @property
    def target(self) -> float:
        return self.target_percent / 100

    @property
    def meets_target(self) -> bool:
        return (self.response or 0.0) >= self.target

    def dissatisfied_items(self, limit: int = 5) -> list[ItemScore]:
        """The items most often answered 1–2 (the monitoring sheet's top dissatisfied items)."""
        low = [item for item in self.items if item.low]
        return sorted(low, key=lambda i: (-(i.low_share or 0.0), -i.low, i.key))[:limit]


async def campaign_metrics(uow: UnitOfWork, campaign: SurveyCampaign, *, compare: bool = True) -> CampaignMetrics:
    """The campaign's rates and breakdowns; with ``compare``, the previous campaign's too."""
    groups = await uow.survey_metrics.groups(campaign.id)
    project_ids = {g.project_id for g in groups.sample} | {g.project_id for g in groups.respondents}
    names = await uow.survey_metrics.project_names({i for i in project_ids if i is not None})
    sampled = {g.project_id: g for g in groups.sample}
    by_project = [
        ProjectRates(project, names.get(project, "") if project is not None else "",
                     sampled[project].sampled if project in sampled else 0,
                     sampled[project].done if project in sampled else 0,
                     _rates(g for g in groups.respondents if g.project_id == project))
        for project in sorted(project_ids, key=lambda i: (names.get(i, "") if i is not None else "", i or 0))
    ]
    items = sorted((_item(g) for g in groups.items),
                   key=lambda i: (i.satisfied_share if i.satisfied_share is not None else 1.0, i.key))
    previous = None
    if compare and (before := await uow.survey_metrics.previous(campaign)) is not None:
        previous = await campaign_metrics(uow, before, compare=False)
    return CampaignMetrics(
        campaign.id, campaign.name, campaign.kind, campaign.created_at, campaign.target_percent,
        sum(g.sampled for g in groups.sample), sum(g.done for g in groups.sample),
        _rates(groups.respondents),
        {stage: _rates(g for g in groups.respondents if g.stage == stage) for stage in Stage},
        by_project,
        {area: _area(area, groups.items) for area in Area},
        items,
        previous,
        sum(g.invited for g in groups.sample),
    )


def _item(group: ItemGroup) -> ItemScore:
    return ItemScore(group.question, group.area, group.answers, group.score_sum, group.satisfied, group.low)


def _area(area: Area, items: Iterable[ItemGroup]) -> ItemScore:
    mine = [i for i in items if i.area == area.value]
    return ItemScore(area.value, area.value, sum(i.answers for i in mine), sum(i.score_sum for i in mine),
                     sum(i.satisfied for i in mine), sum(i.low for i in mine))
