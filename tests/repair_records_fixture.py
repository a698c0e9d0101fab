"""Records of one repair and one complaint for the record exports' tests (.xlsx and the printed
forms): Wang's bathroom leak BX-2026-000007 with two site surveys (the builder objected to the
first, countersigned the second) and its class-A work order done and checked; a repair, survey and
work order of another project; Wang's complaint TS-2026-000009 from filing to a rated close."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from storage.db import create_engine, create_sessionmaker
from storage.models import (
    Building,
    Owner,
    OwnerUnit,
    Project,
    Repair,
    SiteSurvey,
    Staff,
    Ticket,
    TicketEvent,
    Unit,
    WorkOrder,
)
from storage.uow import UnitOfWork

T0 = datetime(2026, 11, 23, 2, 5, tzinfo=UTC)  # 10:05 in Shanghai
FACTS = {
    "component": "waterproof_rooms", "class": "A", "payer": "builder", "reported": "2026-11-23",
    "completion": "2023-06-30", "delivery": "2024-01-15",
    "builder": {"kind": "years", "count": 5, "source": "statutory", "end": "2028-06-30", "ignored": None},
    "owner": {"kind": "years", "count": 1, "source": "statutory", "end": "2025-01-15", "ignored": None},
    "owner_end": "2028-06-30", "extended": True, "design_life": 50, "reason": "",
}
COMPLAINT_TEXT = ("1 栋电梯厅和地下车库连续两周无人清扫，垃圾桶满溢、有异味；向管理处反映过两次仍未改善。"
                  "请尽快处理，并说明以后如何保证保洁质量。")
COMPLAINT_RESULT = "已更换保洁班组并每日两次巡查，管理处经理每周抽查并公示保洁记录。"
WORK_DONE = ("拆除卫生间地面瓷砖，重做聚氨酯防水层两遍（上翻墙面 30 cm），闭水试验 48 小时无渗漏后恢复地砖；"
             "楼下 1101 顶棚受潮处铲除重新批荡、刷乳胶漆。")


def seed_repairs(database_url: str) -> None:
    """Wang's bathroom leak (BX-2026-000007): a survey over 500 yuan the builder objected to, then
    a second one countersigned, its class-A work order done and checked; and a survey and order of
    another project."""

    async def seed() -> None:
        engine = create_engine(database_url)
        try:
            async with UnitOfWork(create_sessionmaker(engine)) as uow:
                session = uow.session
                hy = Project(code="HY", name="华苑", created_at=T0)
                other = Project(code="XY", name="新苑", created_at=T0)
                session.add_all([hy, other])
                await session.flush()
                building = Building(project_id=hy.id, name="1栋")
                session.add(building)
                await session.flush()
                unit = Unit(building_id=building.id, number="1201")
                wang = Owner(name="王芳", phone="+8613812341234", created_at=T0)
                cs = Staff(name="李客服", department="customer_service", role="member", created_at=T0)
                worker = Staff(name="张师傅", department="repair_team", role="member", created_at=T0)
                builder = Staff(name="刘工", department="builder", role="member", created_at=T0)
                session.add_all([unit, wang, cs, worker, builder])
                await session.flush()
                session.add(OwnerUnit(owner_id=wang.id, unit_id=unit.id))

                def ticket(number: str, project: Project) -> Ticket:
                    return Ticket(number=number, kind="repair", project_id=project.id, owner_id=wang.id,
                                  unit_id=unit.id, category="waterproofing", lead_department="engineering",
                                  description="主卫地面渗水，楼下 1101 顶棚有水渍 😟", contact_phone="+8613812341234",
                                  status="closed", handler_id=cs.id, received_at=T0, created_at=T0, updated_at=T0,
                                  confirmed_at=datetime(2026, 11, 28, 3, 0, tzinfo=UTC), rating_result=5,
                                  rating_attitude=4, rating_comment="师傅很细心，准时上门。",
                                  result="已重做防水，闭水试验合格。")

                leak, elsewhere = ticket("BX-2026-000007", hy), ticket("BX-2026-000008", other)
                session.add_all([leak, elsewhere])
                await session.flush()
                for case in (leak, elsewhere):
                    session.add(Repair(ticket_id=case.id, trade="waterproofing", location="主卫生间",
                                       visit_slots=["wd_am", "we_pm"], component="waterproof_rooms",
                                       warranty_class="A", payer="builder", warranty=FACTS,
                                       callback_at=datetime(2026, 11, 28, 6, 0, tzinfo=UTC), callback_by=cs.id))
                first = SiteSurvey(ticket_id=leak.id, recorded_at=datetime(2026, 11, 23, 7, 0, tzinfo=UTC),
                                   recorded_by=cs.id, participants="李客服、赵工（工程部）、张师傅（维修队长）、刘工（施工单位）",
                                   responsible="builder", component="waterproof_rooms",
                                   trades=["waterproofing", "walls_floors"], estimate_fen=180000,
                                   builder_representative="刘工", countersign="objected", countersigned_by=builder.id,
                                   countersigned_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
                                   countersign_note="渗漏点在业主自行改动的地漏，不属施工质量问题")
                second = SiteSurvey(ticket_id=leak.id, recorded_at=datetime(2026, 11, 24, 1, 30, tzinfo=UTC),
                                    recorded_by=cs.id, participants="李客服、张师傅、刘工", responsible="builder",
                                    component="waterproof_rooms", trades=["waterproofing", "walls_floors"],
                                    estimate_fen=152050, builder_representative="刘工", countersign="signed",
                                    countersigned_by=builder.id, notes="闭水试验确认防水层破损",
                                    countersigned_at=datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
                outside = SiteSurvey(ticket_id=elsewhere.id, recorded_at=T0, recorded_by=cs.id, participants="李客服",
                                     responsible="owner", component="plumbing", trades=["plumbing"], estimate_fen=30000)
                session.add_all([first, second, outside])
                await session.flush()
                session.add_all([
                    WorkOrder(ticket_id=leak.id, number="BX-2026-000007-1", survey_id=second.id, order_type="A",
                              payer="builder", trades=["waterproofing", "walls_floors"], status="checked",
                              created_at=datetime(2026, 11, 24, 2, 30, tzinfo=UTC),
                              issued_at=datetime(2026, 11, 24, 3, 0, tzinfo=UTC), due=date(2026, 12, 3),
                              worker_id=worker.id, completed_at=datetime(2026, 11, 27, 9, 45, tzinfo=UTC),
                              completed_by=worker.id, work_done=WORK_DONE, settlement_fen=2156050,
                              checked_at=datetime(2026, 11, 28, 1, 0, tzinfo=UTC), checked_by=cs.id,
                              audit_required=True, deposit_deduction=True),
                    WorkOrder(ticket_id=elsewhere.id, number="BX-2026-000008-1", survey_id=outside.id,
                              order_type="B", payer="owner", trades=["plumbing"], status="approval", created_at=T0),
                    TicketEvent(ticket_id=leak.id, at=T0, kind="created", actor="owner", data={"channel": "telegram"}),
                    TicketEvent(ticket_id=leak.id, at=datetime(2026, 11, 24, 1, 30, tzinfo=UTC), kind="surveyed",
                                actor="staff", staff_id=cs.id,
                                data={"responsible": "builder", "trades": ["waterproofing"], "estimate": "1520.50"}),
                    TicketEvent(ticket_id=leak.id, at=datetime(2026, 11, 28, 3, 0, tzinfo=UTC), kind="confirmed",
                                actor="owner", data={}),
                ])
                quality = Staff(name="赵质管", department="quality", role="member", created_at=T0)
                session.add(quality)
                await session.flush()
                complaint = Ticket(
                    number="TS-2026-000009", kind="complaint", project_id=hy.id, owner_id=wang.id, unit_id=unit.id,
                    category="quality", lead_department="quality", assisting_departments=["office"],
                    description=COMPLAINT_TEXT, contact_phone="+8613812341234", handler_id=quality.id,
                    status="closed", received_at=datetime(2026, 11, 25, 1, 20, tzinfo=UTC), major=False,
                    created_at=T0, updated_at=T0, progress_due=date(2026, 11, 28), resolve_due=date(2026, 12, 4),
                    progress_reported_at=datetime(2026, 11, 26, 8, 0, tzinfo=UTC),
                    resolved_at=datetime(2026, 12, 3, 8, 0, tzinfo=UTC), result=COMPLAINT_RESULT,
                    confirmed_at=datetime(2026, 12, 3, 12, 0, tzinfo=UTC), rating_result=4, rating_attitude=5,
                    rating_comment="希望保持。", attachments=[{"file_id": "x", "kind": "photo"}])
                session.add(complaint)
                await session.flush()

                def event(at: datetime, kind: str, actor: str = "staff", **data: object) -> TicketEvent:
                    return TicketEvent(ticket_id=complaint.id, at=at, kind=kind, actor=actor,
                                       staff_id=quality.id if actor == "staff" else None, data=data)

                session.add_all([
                    event(datetime(2026, 11, 25, 1, 20, tzinfo=UTC), "created", "owner", channel="telegram"),
                    event(datetime(2026, 11, 25, 1, 21, tzinfo=UTC), "routed", "system", department="quality"),
                    event(datetime(2026, 11, 25, 2, 0, tzinfo=UTC), "accepted"),
                    event(datetime(2026, 11, 26, 8, 0, tzinfo=UTC), "progress",
                          text="已约谈保洁公司主管，增加 1 栋电梯厅及地下车库的保洁频次。"),
                    event(datetime(2026, 11, 28, 2, 0, tzinfo=UTC), "extension_requested",
                          until="2026-12-04", reason="需观察一周的保洁效果"),
                    event(datetime(2026, 11, 28, 3, 0, tzinfo=UTC), "extension_agreed", "owner", until="2026-12-04"),
                    event(datetime(2026, 12, 3, 8, 0, tzinfo=UTC), "resolved", result=COMPLAINT_RESULT),
                    event(datetime(2026, 12, 3, 12, 0, tzinfo=UTC), "confirmed", "owner"),
                    event(datetime(2026, 12, 3, 12, 1, tzinfo=UTC), "rated", "owner", result=4, attitude=5,
                          comment="希望保持。"),
                ])
                await uow.commit()
        finally:
            await engine.dispose()

    asyncio.run(seed())


