"""Birthday greetings (issue 14; DOMAIN 4.6, 4.7): on his birthday an owner who opted in to greetings
gets one greeting, 09:00–20:00 in the project's time zone; solar and lunar birthdays; nobody who
did not opt in, or withdrew, and nothing twice."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from borax.calendars.lunardate import LunarDate
from sqlalchemy import delete, select, update

from storage.models import OutboxMessage, Owner, OwnerUnit
from storage.models.care import Consent
from tests.e2e.conftest import CHAN, LI, WANG
from tests.factories import CHAN_PHONE, LI_PHONE, WANG_PHONE, Team
from tests.harness import BotHarness

SHANGHAI = ZoneInfo("Asia/Shanghai")
GREETING = "🎂 {}，生日快乐！客户服务部全体同事祝您和家人在新的一年里身体健康、幸福美满。"
WANG_GREETING, LI_GREETING = GREETING.format("王芳"), GREETING.format("李伟")


async def _birthdays(harness: BotHarness, at: datetime, *, li_granted: bool) -> tuple[int, int, int]:
    """王芳: a solar birthday today; 李伟: a lunar birthday today (in the regular month). Both opted
    in; 李伟 withdrew unless ``li_granted``. Returns their ids and the lunar year of 李伟's birthday."""
    today = at.astimezone(SHANGHAI).date()
    lunar = LunarDate.from_solar_date(today.year, today.month, today.day)
    assert not lunar.leap  # the test days are not in a leap month
    async with harness.uow() as uow:
        wang = await uow.owners.by_phone(WANG_PHONE)
        li = await uow.owners.by_phone(LI_PHONE)
        assert wang is not None and li is not None
        await uow.session.execute(update(Owner).where(Owner.id == wang.id).values(
            birthday_calendar="solar", birthday_year=1980, birthday_month=today.month, birthday_day=today.day))
        await uow.session.execute(update(Owner).where(Owner.id == li.id).values(
            birthday_calendar="lunar", birthday_year=1975, birthday_month=lunar.month, birthday_day=lunar.day,
            birthday_leap=False))
        earlier = at - timedelta(days=3)
        uow.session.add_all([
            Consent(owner_id=wang.id, kind="greetings", granted=True, wording="v1", source="chat", recorded_at=earlier),
            Consent(owner_id=wang.id, kind="surveys", granted=False, wording="v1", source="chat", recorded_at=earlier),
            Consent(owner_id=li.id, kind="greetings", granted=True, wording="v1", source="chat", recorded_at=earlier),
        ])
        if not li_granted:
            uow.session.add(Consent(owner_id=li.id, kind="greetings", granted=False, wording="v1", source="settings",
                                    recorded_at=earlier + timedelta(days=1)))
        await uow.commit()
        return wang.id, li.id, lunar.year


async def _plan_at(harness: BotHarness, at: datetime) -> None:
    harness.clock.set(at)
    assert harness.runtime is not None
    await harness.runtime.planner_loop().run_once()
    await harness.settle()


async def _greeting_keys(harness: BotHarness) -> list[str]:
    async with harness.uow() as uow:
        found = await uow.session.scalars(select(OutboxMessage.key).where(OutboxMessage.purpose == "greeting")
                                          .order_by(OutboxMessage.key))
        return list(found)


async def test_owners_who_opted_in_are_greeted_once_on_their_birthday(harness: BotHarness, team: Team) -> None:
    morning = datetime(2026, 6, 25, 7, 0, tzinfo=SHANGHAI)  # 农历五月十一 (no leap month that day)
    wang_id, li_id, lunar_year = await _birthdays(harness, morning, li_granted=True)
    wang, li = harness.person(WANG), harness.person(LI)

    await _plan_at(harness, morning)  # before 09:00: written, not sent
    assert await _greeting_keys(harness) == sorted([f"birthday:{wang_id}:2026", f"birthday:{li_id}:{lunar_year}"])
    assert not [m for m in wang.received() if m.get("text") == WANG_GREETING]

    await _plan_at(harness, morning.replace(hour=9, minute=1))
    await _plan_at(harness, morning.replace(hour=15))  # planning again writes nothing more
    assert [m["text"] for m in wang.received()].count(WANG_GREETING) == 1
    assert [m["text"] for m in li.received()].count(LI_GREETING) == 1
    assert len(await _greeting_keys(harness)) == 2


async def test_nobody_is_greeted_without_consent_off_the_day_or_after_hours(harness: BotHarness, team: Team) -> None:
    day = datetime(2026, 6, 25, 10, 0, tzinfo=SHANGHAI)
    wang_id, _, _ = await _birthdays(harness, day, li_granted=False)  # 李伟 withdrew

    await _plan_at(harness, day - timedelta(days=1))  # the day before
    await _plan_at(harness, day.replace(hour=20, minute=30) - timedelta(days=1))
    assert await _greeting_keys(harness) == []
    await _plan_at(harness, day.replace(hour=20, minute=30))  # the day itself, but after 20:00
    assert await _greeting_keys(harness) == []
    await _plan_at(harness, day)
    assert await _greeting_keys(harness) == [f"birthday:{wang_id}:2026"]
    assert LI_GREETING not in [m.get("text") for m in harness.person(LI).received()]



async def test_29_february_is_greeted_on_28_february_in_a_common_year(harness: BotHarness, team: Team) -> None:
    day = datetime(2027, 2, 28, 10, 0, tzinfo=SHANGHAI)
    wang_id, _, _ = await _birthdays(harness, day, li_granted=False)
    async with harness.uow() as uow:
        await uow.session.execute(update(Owner).where(Owner.id == wang_id).values(birthday_month=2, birthday_day=29))
        await uow.commit()

    await _plan_at(harness, day)
    assert await _greeting_keys(harness) == [f"birthday:{wang_id}:2027"]
    assert WANG_GREETING in harness.person(WANG).texts()


async def test_an_admin_rewording_reaches_his_locale_with_the_owners_name(harness: BotHarness, team: Team) -> None:
    """The birthday greeting is the care template "birthday": reworded for zh_Hant_HK with {name},
    陳大文 (Hong Kong) gets it with his name; 王芳 keeps the built-in wording in her locale. One
    payload was planned for both (set-based); the drain filled the name when it sent each."""
    day = datetime(2026, 6, 25, 10, 0, tzinfo=SHANGHAI)
    wang_id, _, _ = await _birthdays(harness, day, li_granted=False)
    async with harness.uow() as uow:
        chan = await uow.owners.by_phone(CHAN_PHONE)
        assert chan is not None and chan.locale == "zh_Hant_HK"
        await uow.session.execute(update(Owner).where(Owner.id == chan.id).values(
            birthday_calendar="solar", birthday_month=6, birthday_day=25))
        uow.session.add(Consent(owner_id=chan.id, kind="greetings", granted=True, wording="v1", source="admin",
                                recorded_at=day - timedelta(days=3)))
        await uow.care_templates.put("birthday", "zh_Hant_HK", "{name}先生，生日快樂！<祝> 身體健康。", "alice", day)
        await uow.commit()
        chan_id = chan.id

    await _plan_at(harness, day)
    assert await _greeting_keys(harness) == sorted([f"birthday:{wang_id}:2026", f"birthday:{chan_id}:2026"])
    async with harness.uow() as uow:
        payloads = [(await uow.outbox.by_key(key)) for key in await _greeting_keys(harness)]
        assert len({str(row.payload) for row in payloads if row is not None}) == 1  # one payload for all
    # Sent as HTML: the admin's text is escaped (the emulator keeps the source, Telegram shows "<祝>").
    assert "陳大文先生，生日快樂！&lt;祝&gt; 身體健康。" in harness.person(CHAN).texts()
    assert WANG_GREETING in harness.person(WANG).texts()


async def test_project_in_a_reworded_greeting_by_the_owners_project_and_locale(harness: BotHarness,
                                                                               team: Team) -> None:
    """{project}: the owner's project in his locale (華苑 for 陳大文 in Hong Kong, the stored 华苑
    for 王芳); an owner without units reads "our homes" in his locale (我們的屋苑). One payload per
    project: the project's name is a constant of its statement."""
    day = datetime(2026, 6, 25, 10, 0, tzinfo=SHANGHAI)
    _, li_id, _ = await _birthdays(harness, day, li_granted=True)
    async with harness.uow() as uow:
        project = await uow.projects.by_code("HY")
        chan = await uow.owners.by_phone(CHAN_PHONE)
        assert project is not None and chan is not None
        project.names = {"zh_Hant_HK": "華苑", "en": "Huayuan"}
        await uow.session.execute(update(Owner).where(Owner.id == chan.id).values(
            birthday_calendar="solar", birthday_month=6, birthday_day=25))
        await uow.session.execute(update(Owner).where(Owner.id == li_id).values(locale="zh_Hant_HK"))
        await uow.session.execute(delete(OwnerUnit).where(OwnerUnit.owner_id == li_id))  # 李伟: no units
        uow.session.add(Consent(owner_id=chan.id, kind="greetings", granted=True, wording="v1", source="admin",
                                recorded_at=day - timedelta(days=3)))
        for locale, text in (("zh_Hant_HK", "🎂 {name}，{project}管理處祝您生日快樂！"),
                             ("zh_Hans_CN", "🎂 {name}，{project}物业服务中心祝您生日快乐！")):
            await uow.care_templates.put("birthday", locale, text, "alice", day)
        await uow.commit()

    await _plan_at(harness, day)
    assert "🎂 陳大文，華苑管理處祝您生日快樂！" in harness.person(CHAN).texts()
    assert "🎂 王芳，华苑物业服务中心祝您生日快乐！" in harness.person(WANG).texts()
    assert "🎂 李伟，我們的屋苑管理處祝您生日快樂！" in harness.person(LI).texts()
    async with harness.uow() as uow:
        rows = [await uow.outbox.by_key(key) for key in await _greeting_keys(harness)]
        assert len({str(row.payload) for row in rows if row is not None}) == 2  # the project's; no units'
