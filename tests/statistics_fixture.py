"""A quarter counted by hand for the statistics (issue 15 item 3): 2026-Q3, 1 Jul – 30 Sep, Beijing time
(UTC+8). Due dates are set by hand (the rules that compute them have their own tests).

Repairs of 华苑 (HY) — a job counts in the quarter its standing completion falls in (local time):

====  ========  ==========  ====================  ======  ====  ===========  ==========  ======================
job   worker    due         completed (local)     class   fee   confirmed    ratings     notes
====  ========  ==========  ====================  ======  ====  ===========  ==========  ======================
R1    王师傅    Fri 3 Jul   3 Jul 17:00 on time   A       150   yes          5 / 4
R2    王师傅    Wed 5 Aug   6 Aug 07:30 LATE      B co.   300.5 yes          2 / 3       05 Aug 23:30 UTC
R3    李师傅    Thu 3 Sep   3 Sep 23:30 on time   B own.  80    no           4 / 5       check failed 2 Sep
R4    李师傅    30 Sep      28 Sep 10:00 on time  A       —     yes          —           extended from 25 Sep
R5    王师傅    2 Oct       1 Oct 00:30           B co.   60    —            —           next quarter
R6    王师傅    30 Jun      30 Jun 20:00          A       40    —            —           check failed 29 Jun
====  ========  ==========  ====================  ======  ====  ===========  ==========  ======================

So in Q3 王师傅: 2 jobs, 1 on time, 0 reworks, 2 confirmed, quality 3.50 and attitude 3.50 (2 ratings),
1 rated 1–2, 450.50 yuan; 李师傅: 2 jobs, 2 on time, 1 rework, 1 confirmed, quality 4.00 and attitude
5.00 (1 rating), 0 rated 1–2, 80.00 yuan. 新苑 (XY) adds R7 of 王师傅 (due 12 Jul, done 10 Jul, 50 yuan,
confirmed, 5 / 5) which the owner reopened on 9 Jul: the company's 王师傅 has 3 jobs, 2 on time, 1
rework, 3 confirmed, quality 4.00 = (5+2+5)/3, attitude 4.00 = (4+3+5)/3, 500.50 yuan.

Complaints of HY (progress due / reported; resolution due / resolved; all times local):

====  ======  ===============  ===================  ===================  =====================  =======
case  handler received         progress             resolution           closed                 ratings
====  ======  ===============  ===================  ===================  =====================  =======
C1    张敏    6 Jul            8 Jul / 7 Jul  met   13 Jul / 10 Jul met  12 Jul, confirmed      5 / 5
C2    张敏    10 Aug           12 Aug / 13 Aug LATE 24 Aug (extended from 17 Aug) / 21 Aug met
                                                                         22 Aug, confirmed      4 / 3
C3    陈静    14 Sep           16 Sep / 16 23:30 met 21 Sep / 22 Sep 07:00 LATE
                                                                         25 Sep, not confirmed  —
C4    陈静    24 Sep           28 Sep / 25 Sep met  8 Oct (next quarter) open                   —
C5    陈静    20 Jun           23 Jun (Q2)          27 Jun (Q2) / 26 Jun 1 Jul, confirmed       3 / 2
====  ======  ===============  ===================  ===================  =====================  =======

张敏: 2 closed, 2 confirmed, result 4.50, attitude 4.00, progress 1 of 2, resolution 2 of 2 (3 of 4
deadlines); 陈静: 2 closed, 1 confirmed, result 3.00, attitude 2.00 (1 rating), progress 2 of 2,
resolution 0 of 1. The office: new 4, closed 4, open 1, overdue 0, progress 3 of 4, resolution 2 of 3,
confirmed 3 of 4, result 4.00, attitude 3.33. XY adds C6 of 张敏 (progress and resolution met,
confirmed, 4 / 4): the company's 张敏 has 3 closed, result 4.33, attitude 4.00, 5 of 6 deadlines.

The communication log: E1 inquiry of an HY owner (2 Jul 09:00, answered 11:30: 2.5 h), E2 suggestion
(15 Aug 20:00, answered 17 Aug 08:00: 36 h), E3 praise of someone not registered (10 Sep, open), E4
inquiry of an XY owner (11 Sep 10:00, answered 11:00: 1 h), E5 (1 Oct 00:30, next quarter). HY: 1
inquiry, 1 suggestion, 1 praise, 2 answered, 19.25 h on average; the company: 2 inquiries, 3 answered,
(2.5 + 36 + 1) / 3 = 13.17 h.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from services.people import admin
from storage.models import (
    Building,
    CommunicationEntry,
    Owner,
    OwnerUnit,
    Project,
    SiteSurvey,
    Ticket,
    TicketEvent,
    Unit,
    WorkOrder,
)
from storage.uow import UnitOfWork
from tests.conftest import NOW

UowFactory = Callable[[], UnitOfWork]
TZ = "Asia/Shanghai"
OWNER_PHONE = "+8613812345678"


def d(month: int, day: int) -> date:
    return date(2026, month, day)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A Beijing wall-clock moment as UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


def _ticket(project: Project, number: str, kind: str, received: datetime, **fields: object) -> Ticket:
    return Ticket(number=number, kind=kind, project_id=project.id, category=fields.pop("category", "construction"),
                  description="…", lead_department=fields.pop("department", "engineering"),
                  status=fields.pop("status", "closed"), received_at=received, created_at=received,
                  updated_at=received, **fields)


async def _event(uow: UnitOfWork, ticket: Ticket, kind: str, at: datetime, **data: object) -> None:
    uow.session.add(TicketEvent(ticket_id=ticket.id, at=at, kind=kind, actor="staff", data=data))


async def _job(uow: UnitOfWork, project: Project, number: str, worker: int, issued: datetime, due: date,
               completed: datetime, order_type: str, payer: str, fee_fen: int | None, *,
               confirmed: bool = False, ratings: tuple[int, int] | None = None) -> Ticket:
    ticket = _ticket(project, number, "repair", issued - timedelta(days=1), category="plumbing",
                     department="repair", handler_id=worker, resolve_due=due,
                     confirmed_at=completed + timedelta(days=1) if confirmed else None,
                     rating_result=ratings[0] if ratings else None, rating_attitude=ratings[1] if ratings else None)
    uow.session.add(ticket)
    await uow.session.flush()
    survey = SiteSurvey(ticket_id=ticket.id, recorded_at=issued, recorded_by=worker, participants="…",
                        responsible=payer, component="plumbing", trades=["plumbing"], estimate_fen=10000)
    uow.session.add(survey)
    await uow.session.flush()
    uow.session.add(WorkOrder(ticket_id=ticket.id, number=f"{number}-1", survey_id=survey.id, order_type=order_type,
                              payer=payer, trades=["plumbing"], status="checked", created_at=issued,
                              issued_at=issued, due=due, worker_id=worker, completed_at=completed,
                              settlement_fen=fee_fen))
    return ticket


async def _staff(uow: UnitOfWork, name: str, department: str, project: str) -> int:
    return (await admin.add_staff(uow, name=name, department=department, role="member", phone=None,
                                  project_code=project, now=NOW)).staff.id


async def _owner(uow: UnitOfWork, project: Project, name: str, phone: str, number: str) -> Owner:
    building = Building(project_id=project.id, name="1栋")
    uow.session.add(building)
    await uow.session.flush()
    unit = Unit(building_id=building.id, number=number)
    owner = Owner(name=name, phone=phone, created_at=NOW)
    uow.session.add_all([unit, owner])
    await uow.session.flush()
    uow.session.add(OwnerUnit(owner_id=owner.id, unit_id=unit.id))
    return owner


def _entry(kind: str, at: datetime, text: str, *, owner: Owner | None = None, name: str | None = None,
           phone: str | None = None, reply: tuple[str, int, datetime] | None = None) -> CommunicationEntry:
    return CommunicationEntry(
        created_at=at, kind=kind, owner_id=owner.id if owner else None, name=owner.name if owner else name,
        phone=owner.phone if owner else phone, text=text, status="answered" if reply else "open",
        reply=reply[0] if reply else None, replied_by=reply[1] if reply else None, replied_at=reply[2] if reply else None)


async def seed(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        hy = await admin.add_project(uow, "HY", "华苑", "CN", TZ, NOW)
        xy = await admin.add_project(uow, "XY", "新苑", "CN", TZ, NOW)
        wang, li = await _staff(uow, "王师傅", "repair", "HY"), await _staff(uow, "李师傅", "repair", "HY")
        zhang, chen = await _staff(uow, "张敏", "quality", "HY"), await _staff(uow, "陈静", "engineering", "HY")
        liu = await _staff(uow, "刘芳", "customer_service", "HY")

        await _job(uow, hy, "R1", wang, local(d(7, 1), 9), d(7, 3), local(d(7, 3), 17), "A", "builder", 15000,
                   confirmed=True, ratings=(5, 4))
        await _job(uow, hy, "R2", wang, local(d(8, 3), 9), d(8, 5), local(d(8, 6), 7, 30), "B", "company", 30050,
                   confirmed=True, ratings=(2, 3))
        r3 = await _job(uow, hy, "R3", li, local(d(9, 1), 9), d(9, 3), local(d(9, 3), 23, 30), "B", "owner", 8000,
                        ratings=(4, 5))
        await _event(uow, r3, "check_failed", local(d(9, 2), 15), reason="渗水")
        r4 = await _job(uow, hy, "R4", li, local(d(9, 20), 9), d(9, 30), local(d(9, 28), 10), "A", "builder", None,
                        confirmed=True)
        await _event(uow, r4, "extension_agreed", local(d(9, 24), 10), until="2026-09-30")
        await _job(uow, hy, "R5", wang, local(d(9, 29), 9), d(10, 2), local(d(10, 1), 0, 30), "B", "company", 6000)
        r6 = await _job(uow, hy, "R6", wang, local(d(6, 25), 9), d(6, 30), local(d(6, 30), 20), "A", "builder", 4000)
        await _event(uow, r6, "check_failed", local(d(6, 29), 10), reason="…")
        r7 = await _job(uow, xy, "R7", wang, local(d(7, 6), 9), d(7, 12), local(d(7, 10), 10), "B", "company", 5000,
                        confirmed=True, ratings=(5, 5))
        await _event(uow, r7, "reopened", local(d(7, 9), 10))

        c1 = _ticket(hy, "C1", "complaint", local(d(7, 6), 9), handler_id=zhang, category="quality",
                     department="quality", progress_due=d(7, 8), progress_reported_at=local(d(7, 7), 10),
                     resolve_due=d(7, 13), resolved_at=local(d(7, 10), 10), confirmed_at=local(d(7, 11), 10),
                     closed_at=local(d(7, 12), 10), rating_result=5, rating_attitude=5)
        c2 = _ticket(hy, "C2", "complaint", local(d(8, 10), 9), handler_id=zhang, category="quality",
                     department="quality", progress_due=d(8, 12), progress_reported_at=local(d(8, 13), 9),
                     resolve_due=d(8, 24), resolved_at=local(d(8, 21), 10), confirmed_at=local(d(8, 22), 9),
                     closed_at=local(d(8, 22), 10), rating_result=4, rating_attitude=3)
        c3 = _ticket(hy, "C3", "complaint", local(d(9, 14), 9), handler_id=chen, progress_due=d(9, 16),
                     progress_reported_at=local(d(9, 16), 23, 30), resolve_due=d(9, 21),
                     resolved_at=local(d(9, 22), 7), closed_at=local(d(9, 25), 10))
        c4 = _ticket(hy, "C4", "complaint", local(d(9, 24), 9), handler_id=chen, status="in_progress",
                     progress_due=d(9, 28), progress_reported_at=local(d(9, 25), 9), resolve_due=d(10, 8))
        c5 = _ticket(hy, "C5", "complaint", local(d(6, 20), 9), handler_id=chen, progress_due=d(6, 23),
                     progress_reported_at=local(d(6, 22), 9), resolve_due=d(6, 27), resolved_at=local(d(6, 26), 9),
                     confirmed_at=local(d(6, 28), 9), closed_at=local(d(7, 1), 10), rating_result=3, rating_attitude=2)
        c6 = _ticket(xy, "C6", "complaint", local(d(7, 20), 9), handler_id=zhang, progress_due=d(7, 22),
                     progress_reported_at=local(d(7, 21), 9), resolve_due=d(7, 27), resolved_at=local(d(7, 24), 9),
                     confirmed_at=local(d(7, 25), 9), closed_at=local(d(7, 25), 10), rating_result=4, rating_attitude=4)
        uow.session.add_all([c1, c2, c3, c4, c5, c6])
        await uow.session.flush()
        await _event(uow, c2, "extension_agreed", local(d(8, 16), 10), until="2026-08-24")
        await _event(uow, c2, "reopened", local(d(8, 20), 10))  # a complaint's: never a repair's rework

        owner = await _owner(uow, hy, "赵先生", OWNER_PHONE, "1201")
        other = await _owner(uow, xy, "钱女士", "+8613987654321", "0502")
        uow.session.add_all([
            _entry("inquiry", local(d(7, 2), 9), "物业费怎么交？", owner=owner,
                   reply=("可在管理处或线上缴纳。", liu, local(d(7, 2), 11, 30))),
            _entry("suggestion", local(d(8, 15), 20), "建议增加儿童游乐设施", owner=owner,
                   reply=("已转交管理处评估。", liu, local(d(8, 17), 8))),
            _entry("praise", local(d(9, 10), 10), "保安很负责", name="游客", phone="+8613900001111"),
            _entry("inquiry", local(d(9, 11), 10), "停车位还有吗？", owner=other,
                   reply=("请到新苑管理处登记。", liu, local(d(9, 11), 11))),
            _entry("other", local(d(10, 1), 0, 30), "国庆快乐", owner=owner),
        ])
        await uow.commit()
