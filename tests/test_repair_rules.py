"""Repair rules without the bot: approval thresholds, the audit line, deadlines by trades, money,
the engine's multi-choice and amount steps, warranty settings from the database, and the admin CLI."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main
from bot.i18n import Catalogs
from dialogs.engine import (
    ButtonEvent,
    ConfirmStep,
    Dialog,
    MultiChoiceStep,
    Option,
    TextEvent,
    advance,
    parse_amount,
    start,
    summarize,
)
from dialogs.repair import SURVEY
from dialogs.text import Field, ListText, Msg
from services.repairs.rules import (
    Approver,
    approval_chain,
    from_fen,
    may_approve,
    needs_audit,
    to_fen,
    work_days,
)
from services.repairs.warranty import Component
from services.repairs.warranty_admin import WarrantySettingError, set_override, set_seasons
from services.repairs.warranty_terms import decide_for_unit, warranty_facts, warranty_reason
from storage.models import Repair
from storage.uow import UnitOfWork
from tests.factories import seed_roster

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
CS, DCE, VP, GM = (Approver.CS_MANAGER,), Approver.DEPUTY_CHIEF_ENGINEER, Approver.VICE_PRESIDENT, Approver.GENERAL_MANAGER


@pytest.mark.parametrize(("amount", "chain"), [
    ("0", ()), ("0.01", CS), ("999.99", CS), ("1000", CS), ("1000.00", CS), ("1000.01", (DCE, VP)),
    ("5000", (DCE, VP)), ("10000", (DCE, VP)), ("10000.01", (GM,)), ("20000", (GM,)), ("250000", (GM,)),
])
def test_approval_chain_by_amount(amount: str, chain: tuple[Approver, ...]) -> None:
    assert approval_chain(Decimal(amount)) == chain


@pytest.mark.parametrize(("amount", "audit"), [("19999.99", False), ("20000", False), ("20000.01", True)])
def test_settlements_over_20000_are_audited(amount: str, audit: bool) -> None:
    assert needs_audit(Decimal(amount)) is audit


def test_who_may_approve() -> None:
    assert may_approve(Approver.CS_MANAGER, "customer_service", "manager")
    assert not may_approve(Approver.CS_MANAGER, "quality", "manager")  # another department's manager
    assert not may_approve(Approver.CS_MANAGER, "customer_service", "member")
    assert may_approve(Approver.DEPUTY_CHIEF_ENGINEER, "engineering", "deputy_chief_engineer")
    assert may_approve(Approver.VICE_PRESIDENT, "leadership", "vice_president")
    assert not may_approve(Approver.GENERAL_MANAGER, "leadership", "vice_president")


def test_deadline_by_trades() -> None:
    assert work_days(["plumbing"]) == 3
    assert work_days(["plumbing", "plumbing"]) == 3
    assert work_days(["plumbing", "electrical"]) == 7


def test_money_is_exact_in_fen() -> None:
    assert to_fen(Decimal("1000.01")) == 100001 and from_fen(100001) == Decimal("1000.01")
    assert to_fen(Decimal("0.1") + Decimal("0.2")) == 30


@pytest.mark.parametrize(("typed", "value"), [
    ("1200", "1200.00"), ("1,200.50", "1200.50"), ("¥800", "800.00"), ("800元", "800.00"), ("１２３４", "1234.00"),
    ("0", "0.00"), ("12.5", "12.50"),
])
def test_amounts_as_people_type_them(typed: str, value: str) -> None:
    assert str(parse_amount(typed)) == value


@pytest.mark.parametrize("typed", ["", "abc", "-5", "1.234", "12,34", "1e5", "一千", "1 200"])
def test_what_is_not_an_amount(typed: str) -> None:
    assert parse_amount(typed) is None


PICK = Dialog(name="pick", steps=(
    MultiChoiceStep(key="slots", prompt=Msg("when?"), label=Msg("When"),
                    options=(Option("a", Msg("A")), Option("b", Msg("B")), Option("c", Msg("C")))),
    ConfirmStep(key="confirm", prompt=Msg("ok?")),
))


def test_multi_choice_toggles_keeps_option_order_and_needs_one() -> None:
    outcome = start(PICK, today=TODAY)
    state = outcome.state
    assert state is not None
    done = advance(PICK, state, ButtonEvent(state.rev, "ok"), today=TODAY)  # nothing chosen yet
    assert done.state == state
    for code in ("c", "a", "b", "b"):  # b toggled on and off again
        outcome = advance(PICK, state, ButtonEvent(state.rev, f"c:{code}"), today=TODAY)
        assert outcome.state is not None and outcome.state.rev == state.rev  # the same question
        state = outcome.state
    assert state.answers["slots"] == ["a", "c"]
    assert outcome.replies == () and outcome.refresh is not None  # redrawn in place, not sent again
    assert "✅" in str(outcome.refresh.buttons[0][0].label)
    forged = advance(PICK, state, ButtonEvent(state.rev, "c:zz"), today=TODAY)
    assert forged.state == state
    typed = advance(PICK, state, TextEvent("a"), today=TODAY)
    assert typed.state == state
    confirm = advance(PICK, state, ButtonEvent(state.rev, "ok"), today=TODAY)
    assert confirm.state is not None and confirm.state.step == "confirm"
    [line] = summarize(PICK, confirm.state).items
    assert line == Field(Msg("When"), ListText((Msg("A"), Msg("C"))))


def test_survey_asks_for_the_builder_only_over_500_yuan() -> None:
    def through_estimate(amount: str) -> str:
        state = start(SURVEY, today=TODAY).state
        assert state is not None
        for event in ("c:builder", "c:waterproof_rooms", "c:waterproofing", "ok"):
            state = advance(SURVEY, state, ButtonEvent(state.rev, event), today=TODAY).state
            assert state is not None
        outcome = advance(SURVEY, state, TextEvent(amount), today=TODAY)
        assert outcome.state is not None
        return outcome.state.step

    assert through_estimate("500") == "participants"
    assert through_estimate("500.01") == "builder_representative"


async def test_contract_periods_from_the_database(uow_factory: Callable[[], UnitOfWork]) -> None:
    async with uow_factory() as uow:
        await seed_roster(uow, NOW)
        project = await uow.projects.by_code("HY")
        assert project is not None
        owner = await uow.owners.by_phone("+8613812341234")
        assert owner is not None
        [unit] = await uow.units.units_of_owner(owner.id)  # 1栋-1201: completed 2023-06-30
        # Statutory: 2 years from completion → expired by now → class B.
        decision = await decide_for_unit(uow, unit, Component.ELECTRICAL, TODAY)
        assert decision.warranty_class == "B"
        await set_override(uow, project, "electrical", "builder", "5y")  # the project's contract: 5 years
        await set_override(uow, project, "electrical", "builder", "1y", building_name="1栋")  # shorter: ignored
        await set_override(uow, project, "electrical", "builder", "4y")  # replaces the project's 5 years
        await uow.commit()
        assert len(await uow.repairs.overrides(project.id)) == 2
        decision = await decide_for_unit(uow, unit, Component.ELECTRICAL, TODAY)
        assert (decision.warranty_class, decision.builder_end) == ("B", date(2025, 6, 30))  # 1y ignored → 2y
        assert decision.builder is not None and decision.builder.ignored is not None
        await set_override(uow, project, "electrical", "builder", "4y", building_name="1栋")
        decision = await decide_for_unit(uow, unit, Component.ELECTRICAL, TODAY)
        assert (decision.warranty_class, decision.builder_end) == ("A", date(2027, 6, 30))
        with pytest.raises(WarrantySettingError):
            await set_override(uow, project, "roof", "builder", "4y")
        with pytest.raises(WarrantySettingError):
            await set_override(uow, project, "electrical", "builder", "4y", building_name="9栋")
        with pytest.raises(WarrantySettingError):
            set_seasons(project, "13-01/03-15", None, None)

        repair = Repair(ticket_id=0, trade="electrical", location="x", visit_slots=[], component="electrical",
                        warranty_class="A", payer="builder",
                        warranty=warranty_facts(decision, TODAY, date(2023, 6, 30), unit.delivery_date, 50))
        catalogs = Catalogs()
        zh = catalogs.get("zh_Hans_CN").render(warranty_reason(repair))
        # Dates in the reader's own format, like every other date the bot shows (not ISO).
        assert "电气管线：2023年6月30日 竣工验收，施工单位保修期 4 年（至 2027年6月30日）（楼栋合同约定）" in zh
        assert "2026年11月23日 报修 → A类（施工单位保修）" in zh
        en = catalogs.get("en").render(warranty_reason(repair))
        assert "builder's warranty 4 years (to June 30, 2027) by the building's contract" in en
        hk = catalogs.get("zh_Hant_HK").render(warranty_reason(repair))
        assert "承建商保修期 4 年" in hk  # Hong Kong's word for the builder (施工单位)


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path) -> Path:
    """A migrated database (a copy of the template): admin commands do not migrate, `admin migrate` does."""
    path = tmp_path / "cli" / "estatebot.db"
    path.parent.mkdir()
    shutil.copy(sqlite_template, path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.chdir(tmp_path)
    return path


def test_cli_warranty_settings_and_reports(cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["admin", "project", "add", "HY", "华苑"]) == 0
    assert main(["admin", "warranty", "set", "HY", "waterproof_rooms", "builder", "8y"]) == 0
    assert main(["admin", "warranty", "seasons", "HY", "--heating", "11-01/03-31", "--design-life", "70"]) == 0
    assert main(["admin", "warranty", "set", "HY", "roofs", "builder", "8y"]) == 1
    assert main(["admin", "warranty", "seasons", "HY", "--heating", "xx"]) == 1
    capsys.readouterr()
    assert main(["admin", "warranty", "show", "HY"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "HY: heating 11-01/03-31, cooling none, design life 70 years"
    assert "waterproof_rooms\t5y\t1y" in out and "override\tproject\twaterproof_rooms\tbuilder\t8y" in out
    target = tmp_path / "record.xlsx"
    assert main(["admin", "repairs", "export", "2026Q4", str(target)]) == 0
    assert load_workbook(target).active["A2"].value == "编号"
    assert main(["admin", "repairs", "ratings", "2026"]) == 0
    assert "no completed repair jobs in this period" in capsys.readouterr().out
    assert main(["admin", "repairs", "ratings", "2026Q5"]) == 1
