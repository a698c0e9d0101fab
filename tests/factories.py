"""Test data: a small roster written through the same use cases the admin CLI uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.people import admin
from services.people.onboarding import issue_owner_code
from services.people.roster_import import import_roster
from storage.uow import UnitOfWork

WANG_PHONE = "+8613812341234"  # 王芳: unit 1-1201
LI_PHONE = "+8613900001111"  # 李伟: units 1-1202 and 2-0801
CHAN_PHONE = "+85291234567"  # 陳大文 (Hong Kong number): unit 2-0802
UNLISTED_PHONE = "+8613700000000"

ROSTER_ROWS = [
    {"project": "HY", "building": "1栋", "completion_date": "2023-06-30", "unit": "1201",
     "delivery_date": "2024-01-15", "name": "王芳", "phone": "13812341234", "birthday": "农历08-15",
     "move_in_date": "2024-03-01"},
    {"project": "HY", "building": "1栋", "unit": "1202", "delivery_date": "2024-01-15", "name": "李伟",
     "phone": "139 0000 1111", "birthday": "1985-02-28"},
    {"project": "HY", "building": "2栋", "unit": "0801", "delivery_date": "2024-05-20", "name": "李伟",
     "phone": "13900001111"},
    {"project": "HY", "building": "2栋", "unit": "0802", "name": "陳大文", "phone": "+852 9123 4567",
     "locale": "zh_Hant_HK"},
]


@dataclass
class Roster:
    project_id: int
    service_agent_code: str
    service_agent_id: int
    engineer_code: str


async def seed_roster(uow: UnitOfWork, now: datetime) -> Roster:
    project = await admin.add_project(uow, "HY", "华苑", "CN", "Asia/Shanghai", now)
    report = await import_roster(uow, ROSTER_ROWS, now)
    assert report.ok, report.errors
    agent = await admin.add_staff(uow, name="张敏", department="customer_service", role="member",
                                  phone="13600000001", project_code="HY", now=now)
    engineer = await admin.add_staff(uow, name="赵工", department="engineering", role="member",
                                     phone=None, project_code="HY", now=now)
    await uow.commit()
    return Roster(project.id, agent.code, agent.staff.id, engineer.code)


async def owner_code(uow: UnitOfWork, phone: str, now: datetime) -> str:
    owner = await uow.owners.by_phone(phone)
    assert owner is not None
    code = await issue_owner_code(uow, owner.id, now)
    await uow.commit()
    return code


@dataclass
class Team:
    """Bound staff in every role a complaint touches (chat id = Telegram user id)."""

    agent: int  # 客服专员, customer service
    cs_manager: int  # 客户服务部经理
    quality: int  # 质管部 member
    quality_manager: int
    engineer: int  # 工程部 member
    vice_president: int  # 分管领导 / 副总经理


TEAM_CHATS = Team(agent=6001, cs_manager=6002, quality=6003, quality_manager=6004, engineer=6005, vice_president=6006)


async def seed_team(uow: UnitOfWork, now: datetime) -> Team:
    """The roster plus a bound team (bypassing codes, which their own tests cover)."""
    from storage.models import Staff

    await seed_roster(uow, now)
    people = [
        ("张敏", "customer_service", "member", TEAM_CHATS.agent),
        ("孙经理", "customer_service", "manager", TEAM_CHATS.cs_manager),
        ("钱质检", "quality", "member", TEAM_CHATS.quality),
        ("周主管", "quality", "manager", TEAM_CHATS.quality_manager),
        ("赵工", "engineering", "member", TEAM_CHATS.engineer),
        ("吴总", "leadership", "vice_president", TEAM_CHATS.vice_president),
    ]
    project = await uow.projects.by_code("HY")
    assert project is not None
    existing = {s.name: s for s in await uow.staff.all()}
    for name, department, role, chat in people:
        staff = existing.get(name) or Staff(name=name, department=department, role=role, project_id=project.id,
                                            active=True, created_at=now)
        staff.telegram_user_id = staff.chat_id = chat
        uow.staff.add(staff)
    await uow.commit()
    return TEAM_CHATS


async def bind_owner(uow: UnitOfWork, phone: str, user_id: int) -> None:
    owner = await uow.owners.by_phone(phone)
    assert owner is not None
    owner.telegram_user_id = owner.chat_id = user_id
    await uow.commit()


@dataclass
class RepairTeam:
    """Staff a repair touches beyond the complaint team (chat id = Telegram user id)."""

    lead: int  # 维修队长
    worker: int  # 维修工
    worker2: int
    deputy_chief_engineer: int  # 副总工程师
    general_manager: int  # 总经理
    finance: int  # 财务部
    office: int  # 管理处
    builder: int  # 施工单位代表


REPAIR_CHATS = RepairTeam(lead=6101, worker=6102, worker2=6103, deputy_chief_engineer=6104, general_manager=6105,
                          finance=6106, office=6107, builder=6108)


async def seed_repair_team(uow: UnitOfWork, now: datetime) -> RepairTeam:
    """The complaint team plus everyone on a repair's path."""
    from storage.models import Staff

    await seed_team(uow, now)
    project = await uow.projects.by_code("HY")
    assert project is not None
    people = [
        ("李队长", "repair", "lead", REPAIR_CHATS.lead),
        ("刘师傅", "repair", "member", REPAIR_CHATS.worker),
        ("陈师傅", "repair", "member", REPAIR_CHATS.worker2),
        ("郑总工", "engineering", "deputy_chief_engineer", REPAIR_CHATS.deputy_chief_engineer),
        ("王总", "leadership", "general_manager", REPAIR_CHATS.general_manager),
        ("何会计", "finance", "member", REPAIR_CHATS.finance),
        ("冯主任", "office", "member", REPAIR_CHATS.office),
        ("施工方老黄", "builder", "member", REPAIR_CHATS.builder),
    ]
    for name, department, role, chat in people:
        uow.staff.add(Staff(name=name, department=department, role=role, project_id=project.id, active=True,
                            created_at=now, telegram_user_id=chat, chat_id=chat))
    await uow.commit()
    return REPAIR_CHATS
