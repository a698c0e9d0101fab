"""The rates of DOMAIN 3.1 on the fixture of tests/survey_fixture.py, counted by hand here, on
SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from services.surveys.metrics import CampaignMetrics, campaign_metrics
from services.surveys.vocabulary import Area, Stage
from storage.models.surveys import SurveyCampaign
from storage.uow import UnitOfWork
from tests.conftest import NOW
from tests.survey_fixture import Seeded, seed_campaigns

UowFactory = Callable[[], UnitOfWork]


async def _metrics(uow_factory: UowFactory) -> tuple[Seeded, CampaignMetrics]:
    async with uow_factory() as uow:
        seeded = await seed_campaigns(uow, NOW)
    async with uow_factory() as uow:
        campaign = await uow.survey_metrics.campaign(seeded.current)
        assert campaign is not None
        return seeded, await campaign_metrics(uow, campaign)


async def test_rates_by_hand(uow_factory: UowFactory) -> None:
    _seeded, metrics = await _metrics(uow_factory)
    # Sampled: 10 households; done: #1–6 and #8 (7 started, 9 invited, 10 expired).
    assert (metrics.sampled, metrics.done) == (10, 7)
    assert metrics.response == pytest.approx(0.7)
    assert metrics.meets_target  # target 50 %
    # Respondents: done with an overall score: #1–6 (#8 skipped overall).
    # Satisfied (overall 4–5): #1 (5), #2 (4), #4 (5), #6 (4) → 4 of 6.
    # Loyal (4–5 on all three): #1 (5,4,4), #6 (4,4,5); #2 has recommend 3, #4 no recommend → 2 of 6.
    assert (metrics.rates.respondents, metrics.rates.satisfied, metrics.rates.loyal) == (6, 4, 2)
    assert metrics.rates.satisfaction == pytest.approx(4 / 6)
    assert metrics.rates.loyalty == pytest.approx(2 / 6)


async def test_breakdowns_by_hand(uow_factory: UowFactory) -> None:
    seeded, metrics = await _metrics(uow_factory)
    stages = {stage: (r.respondents, r.satisfied, r.loyal) for stage, r in metrics.by_stage.items()}
    # settling: #1, #2, #5; stable: #3 (its answer's stage, though sampled as settling); veteran: #4;
    # prospective: #6.
    assert stages == {Stage.SETTLING: (3, 2, 1), Stage.STABLE: (1, 0, 0), Stage.VETERAN: (1, 1, 0),
                      Stage.PROSPECTIVE: (1, 1, 1)}
    projects = {p.project_id: (p.name, p.sampled, p.done, p.rates.respondents, p.rates.satisfied, p.rates.loyal)
                for p in metrics.by_project}
    # A: #1–4 and #9 sampled, #1–4 done and respondents, satisfied #1 #2 #4, loyal #1.
    # B: #5–8 and #10 sampled, #5 #6 #8 done, respondents #5 #6, satisfied and loyal #6.
    assert projects == {seeded.project_a: ("翠湖花园", 5, 4, 4, 3, 1), seeded.project_b: ("云山府", 5, 3, 2, 1, 1)}
    areas = {area: (s.answers, s.score_sum, s.satisfied, s.low) for area, s in metrics.by_area.items()}
    # planning (design): 3, 4, 5, 2 (#7's 5 is not done); construction (build): 2, 4, 1, 2;
    # customer service (service): 1, 5, 4 (#8 is done: its answers count, only not as a respondent).
    assert areas == {Area.PLANNING: (4, 14, 2, 1), Area.CONSTRUCTION: (4, 9, 1, 3),
                     Area.CUSTOMER_SERVICE: (3, 10, 2, 1), Area.SALES: (0, 0, 0, 0), Area.PROPERTY: (0, 0, 0, 0)}
    assert metrics.by_area[Area.PLANNING].average == pytest.approx(3.5)
    assert metrics.by_area[Area.CONSTRUCTION].satisfied_share == pytest.approx(0.25)
    assert metrics.by_area[Area.SALES].average is None
    # Share answered 1–2: build 3/4, service 1/3, design 1/4, overall 1/6, recommend 1/6, rebuy 1/7.
    worst = metrics.dissatisfied_items(2)
    assert [(i.key, i.low, i.answers) for i in worst] == [("build", 3, 4), ("service", 1, 3)]


async def test_previous_campaign_of_the_same_kind_and_scope(uow_factory: UowFactory) -> None:
    seeded, metrics = await _metrics(uow_factory)
    previous = metrics.previous
    assert previous is not None and previous.campaign_id == seeded.previous  # not the year-end, not project A's
    # Four sampled, two done and both respondents: 5/5/5 satisfied and loyal, 3/4/4 neither.
    assert (previous.sampled, previous.done, previous.rates.respondents) == (4, 2, 2)
    assert (previous.rates.satisfaction, previous.rates.loyalty, previous.response) == (0.5, 0.5, 0.5)
    assert previous.previous is None


async def test_a_campaign_without_answers_has_no_rates(uow_factory: UowFactory) -> None:
    await _metrics(uow_factory)
    campaign = SurveyCampaign(id=10_000, name="empty", kind="mid_year", project_id=None, target_percent=50,
                              created_at=NOW)  # not stored: a campaign id without rows
    async with uow_factory() as uow:
        empty = await campaign_metrics(uow, campaign, compare=False)
    assert (empty.sampled, empty.done, empty.rates.respondents) == (0, 0, 0)
    assert empty.response is None and empty.rates.satisfaction is None and empty.rates.loyalty is None
