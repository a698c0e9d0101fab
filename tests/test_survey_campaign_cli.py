"""`estatebot admin survey campaign create|list|show|close` as an administrator uses it: defaults
printed, rule breaks refused with the reason (nothing created), the sample per stratum shown."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from services.surveys.campaigns import start
from storage.db import create_engine, create_sessionmaker
from storage.uow import UnitOfWork
from tests.campaign_fixture import seed_community
from tests.conftest import NOW


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path) -> str:
    path = tmp_path / "cli" / "estatebot.db"
    path.parent.mkdir()
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return url


def _run(url: str, seed_only: bool = True) -> None:
    async def go() -> None:
        engine = create_engine(url)
        try:
            async with UnitOfWork(create_sessionmaker(engine)) as uow:
                if seed_only:
                    await seed_community(uow, NOW)
                else:
                    campaign = await uow.survey_campaigns.get(1)
                    assert campaign is not None
                    await start(uow, campaign, NOW)
                    await uow.commit()
        finally:
            await engine.dispose()

    asyncio.run(go())


def test_create_list_show_and_close(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    _run(cli_db)
    assert main(["admin", "survey", "campaign", "list"]) == 0
    assert "no survey campaigns yet" in capsys.readouterr().out
    assert main(["admin", "survey", "campaign", "create", "--kind", "mid_year", "--form", "satisfaction",
                 "--project", "HY", "--seed", "42", "--name", "年中调查"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("campaign 1 created as a draft: 年中调查 (mid_year), sample 50 % (20 % of it from the top "
                          "complainers of ") and "target 50 %, seed 42;" in out
    assert main(["admin", "survey", "campaign", "create", "--kind", "first_visit", "--form", "satisfaction",
                 "--project", "LK"]) == 1
    assert "only 30 % of LK's households have moved in (3 of 10)" in capsys.readouterr().err
    assert main(["admin", "survey", "campaign", "create", "--kind", "yearly", "--form", "satisfaction",
                 "--sample", "5"]) == 1
    assert "a yearly sample is 10–25 % of the households, not 5 %" in capsys.readouterr().err
    _run(cli_db, seed_only=False)
    assert main(["admin", "survey", "campaign", "list"]) == 0
    assert "1\t年中调查\tmid_year\trunning\t10\t0\t0.0 %\t50 %" in capsys.readouterr().out
    assert main(["admin", "survey", "campaign", "show", "1"]) == 0
    shown = capsys.readouterr().out
    assert "sample 50 % of 20 households; sampled 10, invited 0, answered 0" in shown
    assert "project/stage\tsampled\tfrom complainers\tinvited\tanswered\texpired" in shown
    assert main(["admin", "survey", "campaign", "close", "1"]) == 0
    assert main(["admin", "survey", "campaign", "close", "1"]) == 1
    assert "closed already" in capsys.readouterr().err
    assert main(["admin", "survey", "campaign", "show", "7"]) == 1
