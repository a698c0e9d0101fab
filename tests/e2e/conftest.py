"""Fixtures shared by the end-to-end tests."""

from __future__ import annotations

import pytest

from tests.factories import CHAN_PHONE, LI_PHONE, WANG_PHONE, RepairTeam, Team, bind_owner, seed_repair_team, seed_team
from tests.harness import BotHarness

# The Telegram user ids of the three owners most tests play.
WANG, LI, CHAN = 7101, 7102, 7103


@pytest.fixture
async def crew(harness: BotHarness) -> RepairTeam:
    """Everyone: the complaint team, the repair team and the builder's representative; three owners bound."""
    async with harness.uow() as uow:
        crew = await seed_repair_team(uow, harness.clock.now())
        await bind_owner(uow, WANG_PHONE, WANG)
        await bind_owner(uow, LI_PHONE, LI)
        await bind_owner(uow, CHAN_PHONE, CHAN)
    return crew


@pytest.fixture
async def team(harness: BotHarness) -> Team:
    """The complaint team (every department and role); three owners bound."""
    async with harness.uow() as uow:
        team = await seed_team(uow, harness.clock.now())
        await bind_owner(uow, WANG_PHONE, WANG)
        await bind_owner(uow, LI_PHONE, LI)
        await bind_owner(uow, CHAN_PHONE, CHAN)
    return team
