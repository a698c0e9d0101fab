"""The care calendar per owner (issue 14 item 4; DOMAIN 4.1, 4.3, 4.4): the welcome within a week of
subscription and the specialist told once (or the CS managers, without one), the delivery notice 10
days ahead with the guides, the one-year inspection notice (29 February too), family occasions only
with consent to greetings; every rule idempotent and quiet after 20:00."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from dialogs.engine import reply_from_json
from dialogs.text import DateText, Localized, Msg, Plain, Template
from services.care.calendar_rules import (
    CONTACT_NAME,
    CONTACT_WITH_PHONE,
    NO_SPECIALIST_CONTACT,
    NO_SPECIALIST_NAME,
    DeliveryNoticeRule,
    InspectionNoticeRule,
    OccasionRule,
    WelcomeRule,
    anniversary,
    delivered_for,
)
from services.care.consent import ConsentKind
from services.people.project_names import set_name
from services.pushes import outbox
from services.pushes.planner import plan
from storage.models import OutboxMessage, Owner, Staff, Unit
from storage.models.care import CareDocument, FamilyOccasion
from storage.uow import UnitOfWork
from tests.consent_helpers import consent_to
from tests.factories import CHAN_PHONE, LI_PHONE, WANG_PHONE, bind_owner, seed_team

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
TODAY = date(2026, 12, 7)
EVENING = datetime(2026, 12, 7, 12, 30, tzinfo=UTC)  # 20:30 in Shanghai


async def _rows(uow: UnitOfWork, prefix: str) -> dict[str, OutboxMessage]:
    found = await uow.session.scalars(select(OutboxMessage).where(OutboxMessage.key.startswith(prefix)))
    return {row.key: row for row in found}


async def _owner(uow: UnitOfWork, phone: str) -> Owner:
    owner = await uow.owners.by_phone(phone)
    assert owner is not None
    return owner


async def _setup(uow: UnitOfWork) -> None:
    await seed_team(uow, NOW - timedelta(days=30))
    await bind_owner(uow, WANG_PHONE, 7001)
    await bind_owner(uow, LI_PHONE, 7002)


def _text(row: OutboxMessage) -> Any:
    return reply_from_json(row.payload["reply"]).text


async def test_welcome_window_and_the_specialist_told_once(uow_factory: Callable[[], UnitOfWork]) -> None:
    async with uow_factory() as uow:
        await _setup(uow)
        specialist = (await uow.session.scalars(select(Staff).where(Staff.name == "张敏"))).one()
        dates = {WANG_PHONE: TODAY - timedelta(days=7), LI_PHONE: TODAY - timedelta(days=8),
                 CHAN_PHONE: TODAY + timedelta(days=1)}
        for phone, day in dates.items():
            owner = await _owner(uow, phone)
            owner.subscription_date = day
            owner.specialist_id = specialist.id
        await uow.commit()
        wang_id, specialist_id = (await _owner(uow, WANG_PHONE)).id, specialist.id

    for _ in range(2):  # the second round adds nothing
        async with uow_factory() as uow:
            await plan(uow, NOW, rules=[WelcomeRule()])
            await uow.commit()
    async with uow_factory() as uow:
        rows = await _rows(uow, "welcome")
        assert sorted(rows) == [f"welcome-staff:{wang_id}", f"welcome:{wang_id}"]
        welcome = _text(rows[f"welcome:{wang_id}"])
        assert isinstance(welcome, Template)
        assert welcome.params == {"name": Plain("王芳"), "project": Plain("华苑"), "specialist": Plain("张敏")}
        assert rows[f"welcome:{wang_id}"].purpose == "care"
        card = rows[f"welcome-staff:{wang_id}"]
        assert card.staff_id == specialist_id
        text = _text(card)
        assert isinstance(text, Msg)
        assert text.params["phone"] == Plain("13812341234")  # in full: he calls (DOMAIN 5.2)
        assert text.params["deadline"] == DateText(TODAY)
        assert text.params["units"] == Plain("华苑 1栋-1201")


async def test_without_a_specialist_the_cs_managers_are_told(uow_factory: Callable[[], UnitOfWork]) -> None:
    async with uow_factory() as uow:
        await _setup(uow)
        owner = await _owner(uow, LI_PHONE)
        owner.subscription_date = TODAY
        await uow.commit()
        li_id = owner.id
        manager = (await uow.session.scalars(select(Staff).where(Staff.name == "孙经理"))).one()
    async with uow_factory() as uow:
        await plan(uow, NOW, rules=[WelcomeRule()])
        await uow.commit()
    async with uow_factory() as uow:
        rows = await _rows(uow, "welcome")
        assert sorted(rows) == [f"welcome-staff:{li_id}:{manager.id}", f"welcome:{li_id}"]
        text = _text(rows[f"welcome-staff:{li_id}:{manager.id}"])
        assert isinstance(text, Msg) and text.params["phone"] == Plain("139****1111")  # masked: not his call
        welcome = _text(rows[f"welcome:{li_id}"])
        assert isinstance(welcome, Template) and isinstance(welcome.params["specialist"], Msg)


async def _delivery(uow: UnitOfWork, phone: str, delivered: date | None) -> int:
    units = await uow.units.units_of_owner((await _owner(uow, phone)).id)
    await uow.session.execute(update(Unit).where(Unit.id == units[0].id).values(delivery_date=delivered))
    return units[0].id


async def test_delivery_notice_from_10_days_ahead_with_the_guides(uow_factory: Callable[[], UnitOfWork]) -> None:
    async with uow_factory() as uow:
        await _setup(uow)
        wang_unit = await _delivery(uow, WANG_PHONE, TODAY + timedelta(days=11))  # not yet
        li_unit = await _delivery(uow, LI_PHONE, TODAY + timedelta(days=10))
        wang, li = await _owner(uow, WANG_PHONE), await _owner(uow, LI_PHONE)
        li.name = 'Li "the" Wei\\'  # quotes and a backslash stay valid JSON
        project = await uow.projects.by_code("HY")
        assert project is not None
        set_name(project, "zh_Hant_HK", "華苑")
        set_name(project, "en", "Huayuan")
        specialist = (await uow.session.scalars(select(Staff).where(Staff.name == "张敏"))).one()
        specialist.phone = "+8613900001234"
        li.specialist_id = specialist.id  # Wang has none: the department is his contact
        guide = await outbox.store_upload(uow, "document", "交付指南.pdf", b"%PDF-1.4\n", NOW)
        uow.care_calendar.add_document(CareDocument(project_id=project.id, kind="delivery_guide",
                                                    file_id=int(guide["upload"]), name="交付指南.pdf", added_at=NOW))
        await uow.commit()
        wang_id, li_id = wang.id, li.id

    async with uow_factory() as uow:
        await plan(uow, EVENING, rules=[DeliveryNoticeRule()])  # after 20:00: nothing for the day
        await plan(uow, NOW, rules=[DeliveryNoticeRule()])
        await plan(uow, NOW + timedelta(hours=1), rules=[DeliveryNoticeRule()])
        await uow.commit()
    async with uow_factory() as uow:
        rows = await _rows(uow, "delivery:")
        assert sorted(rows) == [f"delivery:{li_unit}:{li_id}"]
        row = rows[f"delivery:{li_unit}:{li_id}"]
        assert row.purpose == "care" and row.payload["media"] == [guide]
        text = _text(row)
        assert isinstance(text, Template)
        assert text.params == {
            "name": Plain('Li "the" Wei\\'), "project": Localized({"zh_Hans_CN": "华苑", "zh_Hant_HK": "華苑",
                                                                   "en": "Huayuan"}),
            "building": Plain("1栋"), "unit": Plain("1202"), "date": DateText(TODAY + timedelta(days=10), "full"),
            "specialist": Plain("张敏"),
            "contact": Msg(CONTACT_WITH_PHONE, {"specialist": Plain("张敏"), "phone": Plain("13900001234")})}
        # Registered late (the day before): still told.
        await _delivery(uow, WANG_PHONE, TODAY + timedelta(days=1))
        await uow.commit()
    async with uow_factory() as uow:
        await plan(uow, NOW + timedelta(hours=2), rules=[DeliveryNoticeRule()])
        await uow.commit()
    async with uow_factory() as uow:
        rows = await _rows(uow, "delivery:")
        assert sorted(rows) == sorted([f"delivery:{li_unit}:{li_id}", f"delivery:{wang_unit}:{wang_id}"])
        text = _text(rows[f"delivery:{wang_unit}:{wang_id}"])
        assert isinstance(text, Template)
        assert text.params["specialist"] == Msg(NO_SPECIALIST_NAME)
        assert text.params["contact"] == Msg(NO_SPECIALIST_CONTACT)


def test_the_anniversary_of_29_february_is_28_february() -> None:
    assert anniversary(date(2024, 2, 29)) == date(2025, 2, 28)
    assert anniversary(date(2025, 3, 1)) == date(2026, 3, 1)
    assert delivered_for([date(2025, 2, 28)]) == {date(2024, 2, 28): date(2025, 2, 28),
                                                  date(2024, 2, 29): date(2025, 2, 28)}
    assert delivered_for([date(2028, 2, 29)]) == {}  # 2027 had no 29 February
    assert delivered_for([date(2028, 2, 28)]) == {date(2027, 2, 28): date(2028, 2, 28)}


async def test_inspection_notice_14_days_before_the_anniversary(uow_factory: Callable[[], UnitOfWork]) -> None:
    at = datetime(2025, 2, 14, 2, 0, tzinfo=UTC)  # 14 days before 2025-02-28
    async with uow_factory() as uow:
        await _setup(uow)
        li_unit = await _delivery(uow, LI_PHONE, date(2024, 2, 29))
        await _delivery(uow, WANG_PHONE, date(2024, 3, 1))  # its anniversary is 15 days away
        specialist = (await uow.session.scalars(select(Staff).where(Staff.name == "张敏"))).one()
        specialist.phone = None  # no phone: his name only
        (await _owner(uow, LI_PHONE)).specialist_id = specialist.id
        await uow.commit()
        li_id = (await _owner(uow, LI_PHONE)).id
    for _ in range(2):
        async with uow_factory() as uow:
            await plan(uow, at, rules=[InspectionNoticeRule()])
            await uow.commit()
    async with uow_factory() as uow:
        rows = await _rows(uow, "inspection:")
        assert sorted(rows) == [f"inspection:{li_unit}:{li_id}"]
        text = _text(rows[f"inspection:{li_unit}:{li_id}"])
        assert isinstance(text, Template) and text.params["date"] == DateText(date(2025, 2, 28))
        assert text.params["contact"] == Msg(CONTACT_NAME, {"specialist": Plain("张敏")})
        assert text.params["project"] == Plain("华苑")  # no names per locale set: the stored name
        assert rows[f"inspection:{li_unit}:{li_id}"].payload["media"] == []


async def test_occasions_need_consent_to_greetings(uow_factory: Callable[[], UnitOfWork]) -> None:
    async with uow_factory() as uow:
        await _setup(uow)
        wang, li = await _owner(uow, WANG_PHONE), await _owner(uow, LI_PHONE)
        await consent_to(uow, [wang.id], NOW - timedelta(days=1), ConsentKind.GREETINGS)
        for owner, kind in ((wang, "wedding"), (li, "birth")):
            uow.care_calendar.add_occasion(FamilyOccasion(owner_id=owner.id, kind=kind, on_date=TODAY,
                                                          recorded_by="test", recorded_at=NOW))
        uow.care_calendar.add_occasion(FamilyOccasion(owner_id=wang.id, kind="graduation",
                                                      on_date=TODAY + timedelta(days=1), recorded_by="test",
                                                      recorded_at=NOW))
        await uow.commit()
        wang_id = wang.id
        [wedding] = [o for o in await uow.care_calendar.occasions(wang_id) if o.kind == "wedding"]
    for _ in range(2):
        async with uow_factory() as uow:
            await plan(uow, NOW, rules=[OccasionRule()])
            await uow.commit()
    async with uow_factory() as uow:
        rows = await _rows(uow, "occasion:")
        assert sorted(rows) == [f"occasion:{wedding.id}:{wang_id}"]
        row = rows[f"occasion:{wedding.id}:{wang_id}"]
        assert row.purpose == "greeting"
        text = _text(row)
        assert isinstance(text, Template) and "wedding" in text.default


async def test_the_roster_names_each_owners_specialist(uow_factory: Callable[[], UnitOfWork], tmp_path: Path) -> None:
    from services.people.roster_import import import_roster, read_table

    async with uow_factory() as uow:
        await seed_team(uow, NOW)
        row = {"project": "HY", "building": "1栋", "unit": "1201", "name": "王芳", "phone": "13812341234"}
        bad = await import_roster(uow, [{**row, "specialist": "13600000009"}], NOW)
        assert [str(e) for e in bad.errors] == ["row 2, specialist: no active staff member with phone +8613600000009"]
        path = tmp_path / "roster.csv"
        path.write_text("项目,楼栋,房号,姓名,电话,專屬客服\nHY,1栋,1201,王芳,13812341234,136 0000 0001\n", encoding="utf-8")
        report = await import_roster(uow, read_table(path), NOW)
        assert report.ok and report.owners_updated == 1
        await uow.commit()
        wang = await _owner(uow, WANG_PHONE)
        specialist = await uow.care_calendar.staff_by_phone("+8613600000001")
        assert specialist is not None and wang.specialist_id == specialist.id


async def test_the_sandbox_demo_shows_the_care_calendar(uow_factory: Callable[[], UnitOfWork]) -> None:
    from bot.sandbox.demo import seed_demo
    from bot.sandbox.demo_care import guide_pdf, seed_demo_care

    pdf = guide_pdf()
    xref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf.startswith(b"%PDF-1.4") and pdf[xref:].startswith(b"xref\n0 6\n")
    for number, line in enumerate(pdf[xref:].split(b"\n")[3:8], start=1):
        assert pdf[int(line[:10]):].startswith(f"{number} 0 obj".encode())
    async with uow_factory() as uow:
        assert await seed_demo(uow, NOW)
        assert await seed_demo_care(uow, NOW)
        await uow.commit()
        assert not await seed_demo_care(uow, NOW)  # once
        zhao = await _owner(uow, "+8613812340007")
        [unit] = await uow.units.units_of_owner(zhao.id)
        zhao_id = zhao.id
    async with uow_factory() as uow:
        await plan(uow, NOW, rules=[WelcomeRule(), DeliveryNoticeRule()])
        await uow.commit()
    async with uow_factory() as uow:
        keys = set(await _rows(uow, "welcome")) | set(await _rows(uow, "delivery:"))
        assert keys == {f"welcome:{zhao_id}", f"welcome-staff:{zhao_id}", f"delivery:{unit.id}:{zhao_id}"}


async def test_an_inactive_specialist_counts_as_none(uow_factory: Callable[[], UnitOfWork]) -> None:
    async with uow_factory() as uow:
        await _setup(uow)
        specialist = (await uow.session.scalars(select(Staff).where(Staff.name == "张敏"))).one()
        specialist.active = False
        owner = await _owner(uow, WANG_PHONE)
        owner.subscription_date, owner.specialist_id = TODAY - timedelta(days=1), specialist.id
        await uow.commit()
        wang_id = owner.id
        manager = (await uow.session.scalars(select(Staff).where(Staff.name == "孙经理"))).one()
    async with uow_factory() as uow:
        await plan(uow, NOW, rules=[WelcomeRule()])
        await uow.commit()
    async with uow_factory() as uow:
        rows = await _rows(uow, "welcome")
        assert sorted(rows) == [f"welcome-staff:{wang_id}:{manager.id}", f"welcome:{wang_id}"]
        welcome = _text(rows[f"welcome:{wang_id}"])
        assert isinstance(welcome, Template) and welcome.params["specialist"] == Msg("Customer Service Department")
