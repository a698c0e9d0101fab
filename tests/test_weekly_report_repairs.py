"""The weekly report's repairs by warranty class (issue 15 item 1), counted by hand, on SQLite and PostgreSQL.

Week 2026-W40 (Mon 28 Sep – Sun 4 Oct, Beijing time). A repair counts in the week its work order was
completed; its cost is the order's settlement, under the class and payer the order was issued with.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from bot.cli.report_figures import print_report as _print
from services.people import admin
from services.reports.weekly import RepairCost, company_week, office_week
from storage.models import Project, SiteSurvey, Ticket, WorkOrder
from storage.uow import UnitOfWork
from tests.conftest import NOW
from tests.test_weekly_report import MONDAY, TZ, d, local

UowFactory = Callable[[], UnitOfWork]


async def repair(uow: UnitOfWork, project: Project, staff_id: int, number: str, order_type: str, payer: str,
                 completed: datetime | None, settlement_fen: int | None) -> None:
    received = local(d(9, 20), 9)
    ticket = Ticket(number=number, kind="repair", project_id=project.id, category="plumbing", description="…",
                    lead_department="engineering", status="in_progress", received_at=received,
                    created_at=received, updated_at=received)
    uow.session.add(ticket)
    await uow.session.flush()
    survey = SiteSurvey(ticket_id=ticket.id, recorded_at=received, recorded_by=staff_id, participants="…",
                        responsible=payer, component="plumbing", trades=["plumbing"], estimate_fen=10000)
    uow.session.add(survey)
    await uow.session.flush()
    uow.session.add(WorkOrder(ticket_id=ticket.id, number=f"WO-{number}", survey_id=survey.id, order_type=order_type,
                              payer=payer, trades=["plumbing"], status="done" if completed else "in_progress",
                              created_at=received, completed_at=completed, settlement_fen=settlement_fen))


async def seed(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        hy = await admin.add_project(uow, "HY", "华苑", "CN", TZ, NOW)
        xy = await admin.add_project(uow, "XY", "新苑", "CN", TZ, NOW)
        staff = await admin.add_staff(uow, name="王工", department="engineering", role="member", phone=None,
                                      project_code="HY", now=NOW)
        staff_id = staff.staff.id
        await repair(uow, hy, staff_id, "R1", "A", "builder", local(d(9, 28), 10), 120050)  # 1,200.50
        await repair(uow, hy, staff_id, "R2", "A", "builder", local(d(10, 4), 23, 30), 30000)  # Sun 23:30
        await repair(uow, hy, staff_id, "R3", "B", "company", local(d(10, 1), 9), 8800)
        await repair(uow, hy, staff_id, "R4", "B", "owner", local(d(9, 30), 15), None)  # not settled yet
        await repair(uow, hy, staff_id, "R5", "B", "owner", local(d(10, 5), 0, 30), 5000)  # next week
        await repair(uow, hy, staff_id, "R6", "B", "company", local(d(9, 27), 23), 7000)  # week before
        await repair(uow, hy, staff_id, "R7", "A", "builder", None, None)  # not completed
        await repair(uow, xy, staff_id, "R8", "B", "owner", local(d(9, 29), 11), 2500)
        await uow.commit()


async def test_repairs_by_warranty_class(uow_factory: UowFactory) -> None:
    await seed(uow_factory)
    async with uow_factory() as uow:
        project = await uow.projects.by_code("HY")
        assert project is not None
        office = await office_week(uow, project, MONDAY)
        company = await company_week(uow, MONDAY)
    assert office.repair_costs == {("A", "builder"): RepairCost(2, 150050),
                                   ("B", "company"): RepairCost(1, 8800),
                                   ("B", "owner"): RepairCost(1, 0)}
    assert company.repair_costs == {("A", "builder"): RepairCost(2, 150050),
                                    ("B", "company"): RepairCost(1, 8800),
                                    ("B", "owner"): RepairCost(2, 2500)}
    assert office.totals["new"] == 0  # repairs are not complaints


async def test_printed_by_the_cli(uow_factory: UowFactory, capsys: pytest.CaptureFixture[str]) -> None:
    await seed(uow_factory)
    async with uow_factory() as uow:
        report = await company_week(uow, MONDAY)
    _print(report, "company")
    out = capsys.readouterr().out
    assert "  A (builder's deposit): 2, 1500.50\n" in out
    assert "  B borne by the company: 1, 88.00\n" in out
    assert "  B paid by the owner: 2, 25.00\n" in out
