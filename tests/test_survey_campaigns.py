"""Campaign rules (DOMAIN 3.3) on a small company (tests/campaign_fixture.py): each kind's defaults
and refusals, the sample a start draws, rolling campaigns, the warning when a campaign will miss its
target (once), and closing when every invitation is settled."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from services.pushes.planner import plan
from services.surveys.campaign_rules import CampaignRule
from services.surveys.campaigns import CampaignError, create, start, stats
from storage.models import OutboxMessage, Owner, Project
from storage.models.surveys import SurveyCampaign, SurveyInvitation
from storage.uow import UnitOfWork
from tests.campaign_fixture import Community, seed_community
from tests.conftest import NOW


@pytest.fixture
async def community(uow_factory: Callable[[], UnitOfWork]) -> Community:
    async with uow_factory() as uow:
        return await seed_community(uow, NOW)


async def _project(uow: UnitOfWork, project_id: int) -> Project:
    project = await uow.projects.get(project_id)
    assert project is not None
    return project


async def _invitations(uow: UnitOfWork, campaign_id: int) -> list[SurveyInvitation]:
    query = select(SurveyInvitation).where(SurveyInvitation.campaign_id == campaign_id).order_by(SurveyInvitation.id)
    return list((await uow.session.scalars(query)).all())


async def test_each_kind_gets_its_defaults_and_its_refusals(
    uow_factory: Callable[[], UnitOfWork], community: Community,
) -> None:
    async with uow_factory() as uow:
        hy, lk = await _project(uow, community.hy), await _project(uow, community.lk)
        mid = await create(uow, kind="mid_year", form_id="satisfaction", project=hy, now=NOW)
        assert (mid.status, mid.sample_percent, mid.complainer_percent, mid.target_percent) == ("draft", 50, 20, 50)
        assert (mid.period_start, mid.period_end) == (date(2025, 1, 1), date(2025, 12, 31))
        template = await uow.survey_templates.latest("satisfaction")
        assert template is not None and template.version == "2" and mid.template_id == template.id  # the latest
        old = await create(uow, kind="year_end", form_id="satisfaction", version="1", now=NOW, seed=7)
        assert (old.sample_percent, old.target_percent, old.seed, old.project_id) == (100, 30, 7, None)
        assert old.template_id != mid.template_id
        yearly = await create(uow, kind="yearly", form_id="satisfaction", project=hy, now=NOW)
        assert (yearly.sample_percent, yearly.target_percent) == (20, 10)
        first = await create(uow, kind="first_visit", form_id="satisfaction", project=hy, now=NOW)  # 12 of 20
        assert (first.sample_percent, first.target_percent) == (100, 90)
        for kind in ("sales_visit", "move_in_visit"):
            rolling = await create(uow, kind=kind, form_id="satisfaction", now=NOW)
            assert (rolling.sample_percent, rolling.target_percent) == (100, 50)
        refusals = {
            "only 30 % of LK's households have moved in (3 of 10)": dict(kind="first_visit", project=lk),
            "give --project CODE": dict(kind="first_visit"),
            "a yearly sample is 10–25 % of the households, not 30 %": dict(kind="yearly", sample=30),
            "covers every eligible household": dict(kind="year_end", sample=50),
            "kind must be one of": dict(kind="quarterly"),
            "no questionnaire 'satisfaction' version '9'": dict(kind="mid_year", version="9"),
        }
        for message, arguments in refusals.items():
            with pytest.raises(CampaignError, match=re.escape(message)):
                await create(uow, form_id="satisfaction", now=NOW, **arguments)  # type: ignore[arg-type]
        assert await create(uow, kind="yearly", form_id="satisfaction", sample=25, now=NOW)
        with pytest.raises(CampaignError, match="no questionnaire 'loyalty'"):
            await create(uow, kind="mid_year", form_id="loyalty", now=NOW)


async def test_a_mid_year_start_samples_half_with_the_top_complainers(
    uow_factory: Callable[[], UnitOfWork], community: Community,
) -> None:
    async with uow_factory() as uow:
        hy = await _project(uow, community.hy)
        campaign = await create(uow, kind="mid_year", form_id="satisfaction", project=hy, now=NOW, seed=2026)
        drawn = await start(uow, campaign, NOW)
        await uow.commit()
        invitations = await _invitations(uow, campaign.id)
        assert len(drawn) == len(invitations) == 10 and campaign.population == 20 and campaign.status == "running"
        assert {i.status for i in invitations} == {"sampled"}
        assert len({i.unit_id for i in invitations}) == 10
        # ceil(20 % of 10) = 2 from the complainers: the two with the most complaints last year.
        assert sorted(i.owner_id for i in invitations if i.from_complainers) == sorted(community.complainers[:2])
        assert all(i.stratum == f"{hy.id}/{i.stage}" for i in invitations)
        second_owner = (await uow.owners.by_phone("+8613800000005"))
        assert second_owner is not None
        if community.units["HY-05"] in {i.unit_id for i in invitations}:  # asked through its bound owner
            assert second_owner.id in {i.owner_id for i in invitations}
        with pytest.raises(CampaignError, match="running, not a draft"):
            await start(uow, campaign, NOW)
        again = await create(uow, kind="mid_year", form_id="satisfaction", project=hy, now=NOW, seed=2026)
        assert [d.household.unit_id for d in await start(uow, again, NOW)] == [i.unit_id for i in invitations]
        current = await stats(uow, campaign)
        assert (current.sampled, current.answered, current.base, current.target_percent) == (10, 0, 10, 50)


async def test_a_first_visit_covers_every_moved_in_household(
    uow_factory: Callable[[], UnitOfWork], community: Community,
) -> None:
    async with uow_factory() as uow:
        campaign = await create(uow, kind="first_visit", form_id="satisfaction",
                                project=await _project(uow, community.hy), now=NOW)
        drawn = await start(uow, campaign, NOW)
        assert len(drawn) == 12 and {d.household.stage for d in drawn} != {"prospective"}
        assert all(d.household.stage != "prospective" for d in drawn)


async def test_a_rolling_campaign_takes_in_households_as_they_become_eligible(
    uow_factory: Callable[[], UnitOfWork], community: Community,
) -> None:
    async with uow_factory() as uow:
        owners = {o.name: o for o in (await uow.session.scalars(select(Owner))).all()}
        owners["业主HY-13"].move_in_date = date(2026, 8, 20)  # 3 months before 23 November, within the window
        owners["业主HY-14"].move_in_date = date(2026, 8, 30)  # due on 30 November
        owners["业主LK-05"].contract_date = date(2026, 11, 20)
        campaign = await create(uow, kind="move_in_visit", form_id="satisfaction", now=NOW)
        sales = await create(uow, kind="sales_visit", form_id="satisfaction", now=NOW)
        assert len(await start(uow, campaign, NOW)) == 1
        assert len(await start(uow, sales, NOW)) == 1
        await uow.commit()
    later = NOW + timedelta(days=7)
    for _ in range(2):  # planning again adds nothing
        async with uow_factory() as uow:
            await plan(uow, later, rules=[CampaignRule()])
            await uow.commit()
    async with uow_factory() as uow:
        units = [i.unit_id for i in await _invitations(uow, campaign.id)]
        assert units == [community.units["HY-13"], community.units["HY-14"]]
        assert len(await _invitations(uow, sales.id)) == 1


async def test_the_manager_is_warned_once_when_the_target_will_be_missed(
    uow_factory: Callable[[], UnitOfWork], community: Community,
) -> None:
    async with uow_factory() as uow:
        campaign = await create(uow, kind="mid_year", form_id="satisfaction",
                                project=await _project(uow, community.hy), now=NOW, seed=1)
        await start(uow, campaign, NOW)
        for invitation in (await _invitations(uow, campaign.id))[:4]:
            invitation.status = "done"  # 40 % answered
        await uow.commit()
    async def round_at(days: int) -> list[str]:
        async with uow_factory() as uow:
            report = await plan(uow, NOW + timedelta(days=days), rules=[CampaignRule()])
            await uow.commit()
            return report.keys

    assert await round_at(5) == []  # 40 % after 5 of 14 days: on course for 100 %
    assert await round_at(7) == []  # half the time gone, not more
    # 10 of 14 days gone: 40 % ÷ 71 % ≈ 56 % ≥ 50 %: still fine.
    assert await round_at(10) == []
    async with uow_factory() as uow:
        found = await uow.survey_campaigns.get(campaign.id)
        assert found is not None
        for invitation in (await _invitations(uow, campaign.id))[:4]:
            invitation.status = "invited"  # now nobody has answered
        await uow.commit()
    keys = await round_at(11)
    # The HY manager and the company-wide one; not the agent, not LK's manager.
    assert len(keys) == 2 and all(key.startswith(f"survey_campaign:{campaign.id}:behind:staff:") for key in keys)
    assert await round_at(12) == []  # once
    async with uow_factory() as uow:
        found = await uow.survey_campaigns.get(campaign.id)
        assert found is not None and found.warned_at is not None


async def test_a_campaign_closes_when_every_invitation_is_settled(
    uow_factory: Callable[[], UnitOfWork], community: Community,
) -> None:
    async with uow_factory() as uow:
        campaign = await create(uow, kind="year_end", form_id="satisfaction",
                                project=await _project(uow, community.lk), now=NOW)
        await start(uow, campaign, NOW)
        for n, invitation in enumerate(await _invitations(uow, campaign.id)):
            invitation.status = "done" if n < 4 else "expired" if n < 8 else "sampled"
        await uow.commit()

    async def status_after(days: int, last: str) -> str:
        async with uow_factory() as uow:
            (await _invitations(uow, campaign.id))[-1].status = last
            await uow.commit()
            await plan(uow, NOW + timedelta(days=days), rules=[CampaignRule()])
            await uow.commit()
            found = await uow.session.get(SurveyCampaign, campaign.id)
            assert found is not None
            return found.status

    assert await status_after(5, "sampled") == "running"  # not invited yet: it may still be
    assert await status_after(15, "started") == "running"  # an owner half-way through
    # Settled, but for the 9th household, never invited (its owner is not on the bot): the life has gone.
    assert await status_after(16, "expired") == "closed"
    async with uow_factory() as uow:
        found = await uow.session.get(SurveyCampaign, campaign.id)
        assert found is not None and found.closed_at is not None
        current = await stats(uow, found)
        assert (current.sampled, current.answered, current.expired) == (10, 4, 5)
        # Its managers (LK's and the company-wide one) are told the final rates once, with 📈 Report.
        rows = (await uow.session.scalars(select(OutboxMessage).where(
            OutboxMessage.key.like(f"survey_campaign:{campaign.id}:closed:staff:%")))).all()
        assert len(rows) == 2
