"""The care cadence watchdog (issue 14 item 4; DOMAIN 4.4): a project with owners that has no community
event in a quarter by the first working day of its last month, no owner meeting in a half year by
the first working day of its fifth month, or no quarterly report by the 10th (again on the 15th)
of the quarter's first month gets its managers reminded — on working days, 09:00–20:00, once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from services.calendar.workdays import WorkCalendar
from services.care.cadence import CadenceRule, due_checks, half_year, quarter
from services.pushes.planner import plan
from storage.models import CareNotice, OutboxMessage, Staff
from storage.uow import UnitOfWork
from tests.factories import seed_roster

SHANGHAI = ZoneInfo("Asia/Shanghai")
CN = WorkCalendar("CN")
START = datetime(2025, 1, 2, 10, 0, tzinfo=SHANGHAI)
CS_MANAGER, OFFICE_MANAGER, AGENT, ELSEWHERE = 8101, 8102, 8103, 8104


def test_quarters_and_half_years() -> None:
    assert quarter(date(2027, 1, 1)) == ("2027Q1", date(2027, 1, 1), date(2027, 3, 31))
    assert quarter(date(2027, 12, 31)) == ("2027Q4", date(2027, 10, 1), date(2027, 12, 31))
    assert quarter(date(2024, 2, 29)) == ("2024Q1", date(2024, 1, 1), date(2024, 3, 31))
    assert half_year(date(2027, 6, 30)) == ("2027H1", date(2027, 1, 1), date(2027, 6, 30))
    assert half_year(date(2027, 7, 1)) == ("2027H2", date(2027, 7, 1), date(2027, 12, 31))


def _due(day: date) -> list[tuple[str, str, str]]:
    return [(check.family, check.period, check.stage) for check in due_checks(day, CN)]


def test_when_each_check_comes_due() -> None:
    # Community events: from the first working day of the quarter's last month (1 March 2025 is a
    # Saturday; 2 June 2025 is the Dragon Boat holiday).
    assert _due(date(2025, 2, 28)) == []
    assert _due(date(2025, 3, 3)) == [("event", "2025Q1", "")]
    assert ("event", "2025Q2", "") not in _due(date(2025, 6, 2))
    assert ("event", "2025Q2", "") in _due(date(2025, 6, 3))
    assert ("event", "2025Q2", "") in _due(date(2025, 6, 30))
    assert ("event", "2025Q3", "") not in _due(date(2025, 7, 1))  # a new quarter starts afresh
    # Owner meetings: from the first working day of the half year's fifth month (1–5 May 2025: Labour Day).
    assert ("meeting", "2025H1", "") not in _due(date(2025, 4, 30))
    assert ("meeting", "2025H1", "") in _due(date(2025, 5, 6))
    assert ("meeting", "2025H2", "") in _due(date(2025, 11, 3))
    assert ("meeting", "2025H2", "") not in _due(date(2025, 10, 31))
    # The report: the 10th of the quarter's first month, again from the 15th, only in that month.
    assert _due(date(2025, 4, 9)) == []
    assert _due(date(2025, 4, 10)) == [("report", "2025Q2", "")]
    assert _due(date(2025, 4, 14)) == [("report", "2025Q2", "")]
    assert _due(date(2025, 4, 15)) == [("report", "2025Q2", "15")]
    assert _due(date(2025, 4, 30)) == [("report", "2025Q2", "15")]
    assert _due(date(2025, 5, 15)) == [("meeting", "2025H1", "")]


async def _seed(uow: UnitOfWork) -> tuple[int, dict[int, int]]:
    """华苑 (HY) with owners and its managers; a second project without owners with its own."""
    roster = await seed_roster(uow, START - timedelta(days=400))
    from services.people import admin

    empty = await admin.add_project(uow, "XY", "新苑", "CN", "Asia/Shanghai", START)
    people = [("孙经理", "customer_service", "manager", roster.project_id, CS_MANAGER),
              ("冯经理", "office", "manager", roster.project_id, OFFICE_MANAGER),
              ("张专员", "customer_service", "member", roster.project_id, AGENT),
              ("新苑经理", "customer_service", "manager", empty.id, ELSEWHERE)]
    ids: dict[int, int] = {}
    for name, department, role, project_id, chat in people:
        staff = Staff(name=name, department=department, role=role, project_id=project_id, active=True,
                      telegram_user_id=chat, chat_id=chat, created_at=START)
        uow.staff.add(staff)
        await uow.session.flush()
        ids[chat] = staff.id
    await uow.commit()
    return roster.project_id, ids


async def _plan(uow_factory: Callable[[], UnitOfWork], at: datetime) -> list[str]:
    async with uow_factory() as uow:
        report = await plan(uow, at.astimezone(ZoneInfo("UTC")), rules=[CadenceRule()])
        await uow.commit()
        return sorted(report.keys)


async def _notice(uow_factory: Callable[[], UnitOfWork], project_id: int, kind: str, send_on: date,
                  status: str = "scheduled", period: str | None = None) -> None:
    async with uow_factory() as uow:
        uow.session.add(CareNotice(kind=kind, project_id=project_id, send_on=send_on, status=status, period=period,
                                   media=[], created_at=START))
        await uow.commit()


def _at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


async def test_the_report_reminder_on_the_10th_and_again_on_the_15th_working_days_and_hours_only(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    async with uow_factory() as uow:
        project, ids = await _seed(uow)
    cs, office = ids[CS_MANAGER], ids[OFFICE_MANAGER]
    first = [f"cadence:report:{project}:2025Q2:staff:{cs}", f"cadence:report:{project}:2025Q2:staff:{office}"]

    assert await _plan(uow_factory, _at(date(2025, 4, 9))) == []
    assert await _plan(uow_factory, _at(date(2025, 4, 10), 8, 59)) == []  # before 09:00
    assert await _plan(uow_factory, _at(date(2025, 4, 10), 20, 0)) == []  # after 20:00
    assert await _plan(uow_factory, _at(date(2025, 4, 10), 9, 0)) == sorted(first)
    assert await _plan(uow_factory, _at(date(2025, 4, 10), 15)) == []  # once
    assert await _plan(uow_factory, _at(date(2025, 4, 14))) == []
    second = sorted(f"cadence:report:{project}:2025Q2:15:staff:{person}" for person in (cs, office))
    assert await _plan(uow_factory, _at(date(2025, 4, 15))) == second
    assert await _plan(uow_factory, _at(date(2025, 4, 16))) == []
    assert await _plan(uow_factory, _at(date(2025, 4, 30))) == []

    async with uow_factory() as uow:  # to the managers only, as reminders, nobody of the other project
        rows = (await uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.key))).all()
        assert {row.chat_id for row in rows} == {CS_MANAGER, OFFICE_MANAGER}
        assert {row.purpose for row in rows} == {"reminder"} and all(row.staff_id for row in rows)
        text = next(row for row in rows if row.key == first[0]).payload["reply"]["text"]
        assert text["id"].startswith("📊 Management service report:") and text["p"]["project"]["v"] == "华苑"
        assert text["p"]["deadline"] == {"t": "date", "v": "2025-04-20", "f": "long"}


async def test_a_report_on_a_day_off_waits_for_the_next_working_day_and_a_published_one_stops_it(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    async with uow_factory() as uow:
        project, _ = await _seed(uow)
    # 10 January 2027 is a Sunday: the reminder comes on Monday the 11th.
    assert await _plan(uow_factory, _at(date(2027, 1, 10))) == []
    assert len(await _plan(uow_factory, _at(date(2027, 1, 11)))) == 2
    # Published on the 12th (for the last quarter): no second reminder on the 15th.
    await _notice(uow_factory, project, "service_report", date(2027, 1, 12), status="sent", period="2026Q4")
    assert await _plan(uow_factory, _at(date(2027, 1, 15))) == []
    # Scheduled early in the quarter, before the 10th: no reminder at all. One sent in the last days
    # of the quarter before does not count for this one.
    await _notice(uow_factory, project, "service_report", date(2027, 3, 31), status="sent")
    await _notice(uow_factory, project, "service_report", date(2027, 4, 7))
    assert await _plan(uow_factory, _at(date(2027, 4, 12))) == []


async def test_events_each_quarter_and_meetings_each_half_year(uow_factory: Callable[[], UnitOfWork]) -> None:
    async with uow_factory() as uow:
        project, ids = await _seed(uow)
    cs = ids[CS_MANAGER]
    # A community event in January counts for the quarter; nothing in the second quarter.
    await _notice(uow_factory, project, "community_event", date(2025, 1, 18), status="sent")
    assert await _plan(uow_factory, _at(date(2025, 3, 3))) == []
    assert await _plan(uow_factory, _at(date(2025, 5, 30))) == [f"cadence:meeting:{project}:2025H1:staff:{cs}"]
    assert await _plan(uow_factory, _at(date(2025, 6, 2))) == []  # the Dragon Boat holiday
    assert await _plan(uow_factory, _at(date(2025, 6, 3))) == [f"cadence:event:{project}:2025Q2:staff:{cs}"]
    assert await _plan(uow_factory, _at(date(2025, 6, 4))) == []

    # The second half year: a meeting waiting for approval, or sent back, does not count; an
    # approved one (its period the half year) does, whenever it is sent.
    await _notice(uow_factory, project, "owner_meeting", date(2025, 11, 20), status="submitted", period="2025H2")
    await _notice(uow_factory, project, "community_event", date(2025, 12, 6), status="scheduled")
    assert await _plan(uow_factory, _at(date(2025, 11, 3))) == [f"cadence:meeting:{project}:2025H2:staff:{cs}"]
    async with uow_factory() as uow:
        await uow.session.execute(update(CareNotice).values(status="scheduled")
                                  .where(CareNotice.kind == "owner_meeting", CareNotice.period == "2025H2"))
        await uow.commit()
    async with uow_factory() as uow:  # another project's meeting is not this one's
        empty = await uow.projects.by_code("XY")
        assert empty is not None
        empty_id = empty.id
    await _notice(uow_factory, empty_id, "owner_meeting", date(2026, 5, 10), period="2026H1")
    assert await _plan(uow_factory, _at(date(2025, 12, 1))) == []  # the December event is scheduled
    assert await _plan(uow_factory, _at(date(2026, 5, 6))) == [f"cadence:meeting:{project}:2026H1:staff:{cs}"]
