"""A small company for the campaign tests: project HY (20 households, 12 moved in, three owners who
complained last year, one unit with two owners), project LK (10 households, 3 moved in), the
questionnaire "satisfaction", and customer-service staff of HY and company-wide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from services.people import admin
from storage.models import Building, Owner, OwnerUnit, Staff, Ticket, Unit
from storage.models.surveys import SurveyTemplate
from storage.uow import UnitOfWork

HY_MANAGER, HY_AGENT, COMPANY_MANAGER, LK_MANAGER = 6102, 6101, 6103, 6104


@dataclass
class Community:
    hy: int
    lk: int
    complainers: list[int]  # owner ids, most complaints first (3, 2, 1)
    units: dict[str, int]  # "HY-01" → unit id


async def seed_community(uow: UnitOfWork, now: datetime) -> Community:
    hy = await admin.add_project(uow, "HY", "华苑", "CN", "Asia/Shanghai", now)
    lk = await admin.add_project(uow, "LK", "临江", "CN", "Asia/Shanghai", now)
    today = now.date()
    units: dict[str, int] = {}
    owners: dict[str, Owner] = {}
    for project, count, moved in ((hy, 20, 12), (lk, 10, 3)):
        building = Building(project_id=project.id, name="1栋")
        uow.session.add(building)
        await uow.flush()
        for n in range(1, count + 1):
            label = f"{project.code}-{n:02d}"
            unit = Unit(building_id=building.id, number=f"{n:02d}01")
            # Moved in from 3 years ago to a month ago (every stage), the rest not yet.
            move_in = today - timedelta(days=30 + 90 * n) if n <= moved else None
            owner = Owner(name=f"业主{label}", phone=f"+86139{project.id:02d}{n:06d}", move_in_date=move_in,
                          created_at=now)
            uow.session.add_all([unit, owner])
            await uow.flush()
            uow.session.add(OwnerUnit(owner_id=owner.id, unit_id=unit.id))
            units[label], owners[label] = unit.id, owner
    # A second owner of HY-05, bound: the household is asked through them.
    second = Owner(name="业主HY-05b", phone="+8613800000005", telegram_user_id=7205, chat_id=7205, created_at=now)
    uow.session.add(second)
    await uow.flush()
    uow.session.add(OwnerUnit(owner_id=second.id, unit_id=units["HY-05"]))
    complainers = [owners["HY-15"], owners["HY-03"], owners["HY-18"]]
    last_year = datetime(now.year - 1, 5, 1, 2, 0, tzinfo=UTC)
    number = 0
    for owner, complaints in zip(complainers, (3, 2, 1), strict=True):
        for _ in range(complaints):
            number += 1
            uow.session.add(Ticket(
                number=f"TS{now.year - 1}{number:05d}", kind="complaint", project_id=hy.id, owner_id=owner.id,
                category="service", description="…", lead_department="customer_service", status="closed",
                received_at=last_year, created_at=last_year, updated_at=last_year))
    # A complaint this year counts for nothing ("last year").
    uow.session.add(Ticket(
        number=f"TS{now.year}00001", kind="complaint", project_id=hy.id, owner_id=owners["HY-01"].id,
        category="service", description="…", lead_department="customer_service", status="closed",
        received_at=now - timedelta(days=3), created_at=now, updated_at=now))
    uow.session.add(SurveyTemplate(form_id="satisfaction", version="1", title={"zh_Hans_CN": "满意度调查"},
                                   spec={}, warnings=[], imported_at=now - timedelta(days=2)))
    uow.session.add(SurveyTemplate(form_id="satisfaction", version="2", title={"zh_Hans_CN": "满意度调查"},
                                   spec={}, warnings=[], imported_at=now - timedelta(days=1)))
    for name, role, project_id, chat in (("孙经理", "manager", hy.id, HY_MANAGER), ("张敏", "member", hy.id, HY_AGENT),
                                         ("总部客服经理", "manager", None, COMPANY_MANAGER),
                                         ("临江经理", "manager", lk.id, LK_MANAGER)):
        uow.staff.add(Staff(name=name, department="customer_service", role=role, project_id=project_id,
                            telegram_user_id=chat, chat_id=chat, active=True, created_at=now))
    await uow.commit()
    return Community(hy.id, lk.id, [o.id for o in complainers], units)


def day(value: str) -> date:
    return date.fromisoformat(value)
