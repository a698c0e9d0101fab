"""The weekly complaint report (DOMAIN 1.7) on a fixture counted by hand, on SQLite and PostgreSQL.

The week is 2026-W40 (Mon 28 Sep – Sun 4 Oct), with 中秋节 on Fri 25 Sep and 国庆节 from Thu 1 Oct:
the due dates are computed on the real mainland calendar, and checked against the hand-counted ones.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from services.calendar.deadlines import due_after_calendar_days, due_after_working_days
from services.calendar.workdays import WorkCalendar
from services.people import admin
from services.reports.weekly import WeeklyReport, company_week, last_week, office_week, parse_week
from storage.models import Project, Ticket
from storage.uow import UnitOfWork
from tests.conftest import NOW

UowFactory = Callable[[], UnitOfWork]
TZ = "Asia/Shanghai"
CN = WorkCalendar("CN")
MONDAY = date(2026, 9, 28)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A Beijing wall-clock moment as UTC (UTC+8, no summer time)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


def d(month: int, day: int) -> date:
    return date(2026, month, day)


def ticket(project: Project, number: str, received: datetime, category: str, department: str, *,
           kind: str = "complaint", status: str = "accepted", **fields: object) -> Ticket:
    values: dict[str, object] = {
        "progress_due": due_after_working_days(CN, received, 3, TZ),
        "resolve_due": due_after_calendar_days(CN, received, 7, TZ)}
    values.update(fields)
    return Ticket(number=number, kind=kind, project_id=project.id, category=category, description="…",
                  lead_department=department, status=status, received_at=received, created_at=received,
                  updated_at=received, **values)


async def seed(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        hy = await admin.add_project(uow, "HY", "华苑", "CN", TZ, NOW)
        xy = await admin.add_project(uow, "XY", "新苑", "CN", TZ, NOW)
        t1 = ticket(hy, "T1", local(d(9, 24), 10), "service_attitude", "quality",
                    progress_reported_at=local(d(9, 30), 17))
        t2 = ticket(hy, "T2", local(d(9, 28), 9), "facility", "engineering", status="closed",
                    progress_reported_at=local(d(9, 28), 11), resolved_at=local(d(9, 29), 10),
                    confirmed_at=local(d(9, 29), 12), closed_at=local(d(9, 30), 9),
                    rating_result=5, rating_attitude=4)
        # Resolution due Mon 28 Sep, extended with the owner's agreement to Sat 3 Oct.
        t3 = ticket(hy, "T3", local(d(9, 21), 9), "fees", "finance", status="unconfirmed",
                    progress_reported_at=local(d(9, 23), 9), resolve_due=d(10, 3),
                    resolved_at=local(d(10, 2), 15), closed_at=local(d(10, 3), 9))
        t4 = ticket(hy, "T4", local(d(9, 14), 9), "facility", "engineering", major=True)
        t5 = ticket(hy, "T5", local(d(9, 29), 10), "service_attitude", "engineering", status="new")
        t6 = ticket(hy, "T6", local(d(9, 22), 10), "fees", "finance", status="closed",
                    progress_reported_at=local(d(9, 29), 9), resolved_at=local(d(10, 1), 10),
                    confirmed_at=local(d(10, 2), 10), closed_at=local(d(10, 4), 23, 30),
                    rating_result=3, rating_attitude=2)
        outside = [
            ticket(hy, "T7", local(d(10, 5), 0, 30), "fees", "finance", major=True),  # next week
            ticket(hy, "T8", local(d(9, 1), 9), "fees", "finance", status="closed",
                   closed_at=local(d(9, 20), 9), major=True),  # closed before the week
            ticket(hy, "T9", local(d(9, 29), 9), "plumbing", "engineering", kind="repair"),
        ]
        t10 = ticket(xy, "T10", local(d(9, 30), 9), "facility", "engineering", status="new")
        # The hand-counted due dates: the holidays move them.
        assert (t1.progress_due, t1.resolve_due) == (d(9, 30), d(10, 8))  # Fri 25 Sep is 中秋节
        assert (t2.progress_due, t2.resolve_due) == (d(10, 8), d(10, 8))  # 1–7 Oct 国庆节
        assert (t5.progress_due, t6.progress_due, t6.resolve_due) == (d(10, 9), d(9, 28), d(9, 29))
        assert t4.resolve_due == d(9, 21)
        uow.session.add_all([t1, t2, t3, t4, t5, t6, *outside, t10])
        await uow.commit()


def figures(report: WeeklyReport, table: str) -> dict[str, dict[str, int]]:
    return {key: {name: counter[name] for name in ("new", "closed", "open", "overdue")}
            for key, counter in getattr(report, table).items()}


async def test_office_week_by_hand(uow_factory: UowFactory) -> None:
    await seed(uow_factory)
    async with uow_factory() as uow:
        project = await uow.projects.by_code("HY")
        assert project is not None
        report = await office_week(uow, project, MONDAY)
    assert report.sunday == d(10, 4)
    assert dict(report.totals) == {"new": 2, "closed": 3, "open": 3, "overdue": 1}
    assert figures(report, "by_category") == {
        "facility": {"new": 1, "closed": 1, "open": 1, "overdue": 1},
        "fees": {"new": 0, "closed": 2, "open": 0, "overdue": 0},
        "service_attitude": {"new": 1, "closed": 0, "open": 2, "overdue": 0}}
    assert figures(report, "by_department") == {
        "engineering": {"new": 2, "closed": 1, "open": 2, "overdue": 1},
        "finance": {"new": 0, "closed": 2, "open": 0, "overdue": 0},
        "quality": {"new": 0, "closed": 0, "open": 1, "overdue": 0}}
    # Progress due in the week: T1 (30 Sep, met on the day), T6 (28 Sep, reported 29 Sep).
    assert (report.progress.due, report.progress.met) == (2, 1)
    # Resolution due in the week: T3 (extended to 3 Oct, resolved 2 Oct), T6 (29 Sep, resolved 1 Oct).
    assert (report.resolution.due, report.resolution.met) == (2, 1)
    assert report.progress.rate == report.resolution.rate == 0.5
    # Closed in the week: T2 and T6 confirmed, T3 closed without confirmation.
    assert report.confirmed == 2
    assert report.confirmation_rate == 2 / 3
    assert report.rating_result.value == 4.0  # (5 + 3) / 2
    assert report.rating_attitude.value == 3.0  # (4 + 2) / 2
    assert [(code, major.number) for code, major in report.majors] == [("HY", "T4")]


async def test_company_week_adds_the_offices(uow_factory: UowFactory) -> None:
    await seed(uow_factory)
    async with uow_factory() as uow:
        report = await company_week(uow, MONDAY)
    assert sorted(report.project_codes) == ["HY", "XY"]
    assert dict(report.totals) == {"new": 3, "closed": 3, "open": 4, "overdue": 1}
    assert figures(report, "by_category")["facility"] == {"new": 2, "closed": 1, "open": 2, "overdue": 1}
    assert figures(report, "by_department")["engineering"]["open"] == 3
    assert (report.progress.due, report.resolution.due) == (2, 2)
    assert report.confirmation_rate == 2 / 3


async def test_a_resolution_within_the_progress_deadline_reports_progress(uow_factory: UowFactory) -> None:
    """A case resolved before its progress day with no separate progress report met that deadline
    (DOMAIN 1.3); one resolved on the day after did not — each by the Beijing date, around midnight."""
    async with uow_factory() as uow:
        zy = await admin.add_project(uow, "ZY", "中苑", "CN", TZ, NOW)
        on_time = ticket(zy, "Z1", local(d(11, 2), 10), "fees", "finance", status="resolved",
                         resolved_at=local(d(11, 4), 23, 59))  # progress due Thu 5 Nov
        late = ticket(zy, "Z2", local(d(11, 3), 10), "fees", "finance", status="resolved",
                      resolved_at=local(d(11, 7), 0, 1))  # progress due Fri 6 Nov
        assert (on_time.progress_due, late.progress_due) == (d(11, 5), d(11, 6))
        uow.session.add_all([on_time, late])
        await uow.commit()
    async with uow_factory() as uow:
        project = await uow.projects.by_code("ZY")
        assert project is not None
        report = await office_week(uow, project, d(11, 2))
    assert (report.progress.due, report.progress.met) == (2, 1)


async def test_an_empty_week_has_no_rates(uow_factory: UowFactory) -> None:
    await seed(uow_factory)
    async with uow_factory() as uow:
        report = await company_week(uow, parse_week("2026-W20"))
    assert report.totals["new"] == report.totals["closed"] == 0
    assert report.confirmation_rate is None and report.progress.rate is None
    assert report.rating_result.value is None and report.majors == []


def test_weeks() -> None:
    assert parse_week("2026-W40") == MONDAY
    assert last_week(d(10, 5)) == MONDAY
    assert last_week(d(10, 11)) == MONDAY


def test_the_weeks_due_around_spring_festival_and_after_an_outage() -> None:
    """A week's report is due on the first working day after it. 2026-W08 (16–22 Feb) is all 春节
    holiday, and so is Monday 23 Feb: W07's report is not due until Tuesday 24 Feb, with W08's. Weeks
    the planner missed stay due up to four weeks back, none that ended before the office was added,
    and nothing is due before 09:00 or on a day off. (The rule sends those not issued yet.)"""
    from zoneinfo import ZoneInfo

    from services.reports.weekly_rule import due_weeks

    def due(day: date, since: date, hour: int = 10) -> list[str]:
        moment = datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(TZ))
        return [week.code for week in due_weeks(moment, CN, since)]

    added = d(2, 3)  # the office was added on Tuesday 3 February
    assert due(d(2, 9), added) == ["2026-W06"]
    assert due(d(2, 14), added) == ["2026-W06"]  # the make-up Saturday: still W06's only
    assert due(d(2, 16), added) == due(d(2, 23), added) == []  # holidays
    assert due(d(2, 24), added) == ["2026-W06", "2026-W07", "2026-W08"]
    assert due(d(2, 24), added, hour=8) == []
    assert due(d(3, 2), added) == ["2026-W06", "2026-W07", "2026-W08", "2026-W09"]
    assert due(d(3, 9), added) == ["2026-W07", "2026-W08", "2026-W09", "2026-W10"]  # four weeks back at most
    assert due(d(3, 9), d(3, 9)) == []  # an office added today has no past weeks
    assert due(d(10, 8), d(9, 1)) == ["2026-W37", "2026-W38", "2026-W39", "2026-W40"]
