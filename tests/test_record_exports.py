"""Record exports (issue 15, item 4): 《顾客来访/投诉处理单》 and 《与顾客沟通登记表》 as .xlsx through
`estatebot admin export …`, opened with openpyxl and checked cell by cell, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main
from services.reports.exports import COMMUNICATION_COLUMNS, COMPLAINT_COLUMNS
from storage.db import create_engine, create_sessionmaker
from storage.models import Building, CommunicationEntry, Owner, OwnerUnit, Project, Staff, Ticket, TicketEvent, Unit
from storage.uow import UnitOfWork

T0 = datetime(2026, 11, 23, 2, 5, tzinfo=UTC)  # 10:05 in Shanghai


@pytest.fixture
def seeded(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Two complaints (one resolved in time after an agreed extension, one late and major) and two
    messages, one answered; plus a complaint of another project and one of another quarter."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("TIMEZONE", raising=False)
    monkeypatch.chdir(tmp_path)

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
                handler = Staff(name="赵质管", department="quality", role="member", created_at=T0)
                agent = Staff(name="李客服", department="customer_service", role="member", created_at=T0)
                session.add_all([unit, wang, handler, agent])
                await session.flush()
                session.add(OwnerUnit(owner_id=wang.id, unit_id=unit.id))

                def ticket(number: str, project: Project, received: datetime, **fields: object) -> Ticket:
                    defaults: dict[str, object] = {"category": "quality", "lead_department": "quality", "status": "new"}
                    return Ticket(number=number, kind="complaint", project_id=project.id, owner_id=wang.id,
                                  unit_id=unit.id, description="保洁不到位", contact_phone="+8613812341234",
                                  received_at=received, created_at=received, updated_at=received,
                                  **(defaults | fields))

                first = ticket("TS-2026-000001", hy, T0, handler_id=handler.id, status="closed",
                               progress_due=date(2026, 11, 26), resolve_due=date(2026, 12, 4),
                               progress_reported_at=datetime(2026, 11, 24, 1, 0, tzinfo=UTC),
                               resolved_at=datetime(2026, 12, 3, 8, 0, tzinfo=UTC),
                               confirmed_at=datetime(2026, 12, 3, 12, 0, tzinfo=UTC),
                               rating_result=5, rating_attitude=4)
                second = ticket("TS-2026-000002", hy, datetime(2026, 11, 30, 17, 0, tzinfo=UTC), major=True,
                                category="fees", lead_department="finance", progress_due=date(2026, 12, 3),
                                resolve_due=date(2026, 12, 8), resolved_at=datetime(2026, 12, 10, 3, 0, tzinfo=UTC),
                                status="resolved")
                session.add_all([first, second,
                                 ticket("TS-2026-000003", other, T0),
                                 ticket("TS-2026-000004", hy, datetime(2026, 9, 30, 15, 59, tzinfo=UTC))])
                await session.flush()
                session.add_all([
                    TicketEvent(ticket_id=first.id, at=T0, kind="extension_agreed", actor="owner",
                                data={"request": 1, "until": "2026-12-01"}),
                    TicketEvent(ticket_id=first.id, at=T0, kind="extension_agreed", actor="owner",
                                data={"request": 2, "until": "2026-12-04"}),
                    CommunicationEntry(created_at=T0, kind="suggestion", owner_id=wang.id, name="王芳",
                                       phone="+8613812341234", text="建议增加儿童游乐设施", status="answered",
                                       reply="已列入明年计划", replied_by=agent.id,
                                       replied_at=datetime(2026, 11, 24, 6, 30, tzinfo=UTC)),
                    CommunicationEntry(created_at=datetime(2026, 12, 1, 1, 0, tzinfo=UTC), kind="inquiry",
                                       name="陈先生", phone="+85291234567", text="停车位怎么申请？"),
                ])
                await uow.commit()
        finally:
            await engine.dispose()

    asyncio.run(seed())
    return database_url


def _cells(path: Path) -> tuple[list[object], list[dict[str, object]]]:
    sheet = load_workbook(path).active
    headers = [c.value for c in sheet[2]]
    return headers, [dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=3)]


def test_complaint_record_export(seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "complaints.xlsx"
    assert main(["admin", "export", "complaints", "2026Q4", str(path), "--project", "HY"]) == 0
    assert capsys.readouterr().out == f"2 complaint(s) received 2026-10-01 to 2026-12-31 written to {path}\n"
    sheet = load_workbook(path).active
    assert sheet["A1"].value == "顾客来访/投诉处理单" and sheet.title == "顾客来访-投诉处理单"
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:Q4"
    assert all(c.font.bold for c in sheet[2]) and len(COMPLAINT_COLUMNS) == 17
    headers, rows = _cells(path)
    assert headers == ["编号", "受理时间", "业主", "房号", "电话", "类别", "牵头部门", "经办人", "进度报告时间",
                       "处理完成时间", "是否按时", "延期至", "业主确认时间", "结果评分", "态度评分", "重大投诉", "状态"]
    first, second = rows
    assert [first[h].value for h in ("编号", "业主", "房号", "电话", "类别", "牵头部门", "经办人")] == [  # type: ignore[attr-defined]
        "TS-2026-000001", "王芳", "华苑 1栋-1201", "138****1234", "服务质量", "质管部", "赵质管"]
    received = first["受理时间"]
    assert received.value == datetime(2026, 11, 23, 10, 5) and received.number_format == "yyyy-mm-dd hh:mm"  # type: ignore[attr-defined]
    extended = first["延期至"]  # the last agreed extension, a date cell
    assert extended.value == datetime(2026, 12, 4) and extended.number_format == "yyyy-mm-dd"  # type: ignore[attr-defined]
    assert first["处理完成时间"].value == datetime(2026, 12, 3, 16, 0)  # type: ignore[attr-defined]
    assert first["是否按时"].value == "是" and first["重大投诉"].value is None  # type: ignore[attr-defined]
    rating = first["结果评分"]
    assert rating.data_type == "n" and rating.value == 5 and first["态度评分"].value == 4  # type: ignore[attr-defined]
    # Received at 01:00 on 1 December in Shanghai; resolved on the 10th, after its due day (the 8th).
    assert second["受理时间"].value == datetime(2026, 12, 1, 1, 0)  # type: ignore[attr-defined]
    assert [second[h].value for h in ("是否按时", "重大投诉", "牵头部门", "延期至", "经办人")] == [  # type: ignore[attr-defined]
        "否", "是", "财务部", None, None]
    # Every project, and a reader in Hong Kong.
    hk = tmp_path / "complaints_hk.xlsx"
    assert main(["admin", "export", "complaints", "2026Q4", str(hk), "--locale", "zh_Hant_HK"]) == 0
    headers, rows = _cells(hk)
    assert load_workbook(hk).active["A1"].value == "顧客來訪/投訴處理單"
    assert headers[:3] == ["編號", "受理時間", "業主"] and "重大投訴" in headers and len(rows) == 3


def test_communication_log_export(seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "communication.xlsx"
    assert main(["admin", "export", "communication", "2026-11", str(path), "--project", "HY"]) == 0
    assert capsys.readouterr().out == f"1 message(s) logged 2026-11-01 to 2026-11-30 written to {path}\n"
    headers, rows = _cells(path)
    assert len(headers) == len(COMMUNICATION_COLUMNS)
    assert headers == ["编号", "时间", "类型", "来自", "电话", "留言内容", "回复", "答复人", "答复时间"]
    (entry,) = rows
    assert [entry[h].value for h in ("类型", "来自", "电话", "回复", "答复人")] == [  # type: ignore[attr-defined]
        "建议", "王芳", "138****1234", "已列入明年计划", "李客服"]
    answered = entry["答复时间"]
    assert answered.value == datetime(2026, 11, 24, 14, 30) and answered.number_format == "yyyy-mm-dd hh:mm"  # type: ignore[attr-defined]
    # The whole quarter in English: the message of a person not registered, unanswered.
    english = tmp_path / "communication_en.xlsx"
    assert main(["admin", "export", "communication", "2026Q4", str(english), "--locale", "en"]) == 0
    sheet = load_workbook(english).active
    assert sheet["A1"].value == "Customer Communication Log" and sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:I4"
    headers, rows = _cells(english)
    assert [rows[1][h].value for h in ("Type", "From", "Reply", "Answered at")] == [  # type: ignore[attr-defined]
        "Inquiry", "陈先生 (not registered)", None, None]
    assert rows[1]["Phone"].value == "9***4567"  # type: ignore[attr-defined]  # a Hong Kong number, masked
