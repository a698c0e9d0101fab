"""The care calendar through the real bot (issue 14 item 4; DOMAIN 4.1, 4.3): an owner who subscribed
three days ago is welcomed and his specialist gets the card with the number to call; the delivery
notice arrives exactly 10 days before handover, in the owner's language (the project's Hong Kong name,
the day with its weekday, his specialist to call), with the project's guide."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update

from dialogs.text import DateText, Localized, Msg, Plain, Template, Text
from services.care.calendar_admin import add_document, set_specialist
from services.care.calendar_rules import CONTACT_WITH_PHONE, DELIVERY, WELCOME
from services.people.project_names import set_name
from storage.models import Owner, Unit
from storage.uow import UnitOfWork
from tests.e2e.conftest import CHAN
from tests.factories import CHAN_PHONE, Team
from tests.harness import BotHarness

SHANGHAI = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _hk(harness: BotHarness, default: str, **params: Text) -> str:
    """The built-in wording as a Hong Kong reader gets it."""
    return harness.catalogs.get("zh_Hant_HK").render(Template(default, {}, params))


HUAYUAN = Localized({"zh_Hans_CN": "华苑", "zh_Hant_HK": "華苑"})


async def _name_in_hong_kong(uow: UnitOfWork) -> None:
    """What ``estatebot admin project name HY zh_Hant_HK 華苑`` does."""
    project = await uow.projects.by_code("HY")
    assert project is not None
    set_name(project, "zh_Hant_HK", "華苑")


async def _plan_at(harness: BotHarness, at: datetime) -> None:
    harness.clock.set(at)
    assert harness.runtime is not None
    await harness.runtime.planner_loop().run_once()
    await harness.settle()


async def test_a_new_owner_is_welcomed_and_his_specialist_told(harness: BotHarness, team: Team) -> None:
    morning = datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
    async with harness.uow() as uow:
        await set_specialist(uow, CHAN_PHONE, "13600000001")  # 张敏
        await uow.session.execute(update(Owner).where(Owner.phone == CHAN_PHONE).values(
            subscription_date=morning.date() - timedelta(days=3)))
        await _name_in_hong_kong(uow)
        await uow.commit()
    chan, agent = harness.person(CHAN), harness.person(team.agent)

    await _plan_at(harness, morning)
    await _plan_at(harness, morning + timedelta(hours=2))  # nothing twice
    welcome = [t for t in chan.texts() if t.startswith("🏡")]
    assert welcome == [_hk(harness, WELCOME.default, name=Plain("陳大文"), project=HUAYUAN,
                           specialist=Plain("张敏"))]
    assert "歡迎" in welcome[0] and "選擇華苑" in welcome[0]  # in his language, the project's Hong Kong name
    cards = [t for t in agent.texts() if t.startswith("🤝")]
    assert len(cards) == 1
    assert "陳大文" in cards[0] and "华苑 2栋-0802" in cards[0]
    assert "+852 9123 4567" in cards[0]  # in full: he is the one to call (DOMAIN 5.2)
    assert "2026年12月11日" in cards[0]  # greet by: subscription (4 December) + 7 days


async def test_the_delivery_notice_arrives_10_days_ahead_with_the_guide(harness: BotHarness, team: Team) -> None:
    day = datetime(2026, 12, 7, 9, 30, tzinfo=SHANGHAI)
    async with harness.uow() as uow:
        owner = await uow.owners.by_phone(CHAN_PHONE)
        assert owner is not None
        [unit] = await uow.units.units_of_owner(owner.id)
        await uow.session.execute(update(Unit).where(Unit.id == unit.id).values(
            delivery_date=day.date() + timedelta(days=10)))
        await add_document(uow, "HY", "交付指南.pdf", PDF, day)
        await set_specialist(uow, CHAN_PHONE, "13600000001")  # 张敏, whose phone the notice gives
        await _name_in_hong_kong(uow)
        await uow.commit()
    chan = harness.person(CHAN)

    await _plan_at(harness, day - timedelta(days=1))  # 11 days before: not yet
    assert not [m for m in chan.received() if m.get("document")]
    await _plan_at(harness, day)
    await _plan_at(harness, day + timedelta(hours=3))
    [document] = [m for m in chan.received() if m.get("document")]
    assert document["document"]["file_name"] == "交付指南.pdf"
    assert harness.emulator.files[document["document"]["file_id"]][0] == PDF
    [notice] = [t for t in chan.texts() if t.startswith("📦")]
    contact = Msg(CONTACT_WITH_PHONE, {"specialist": Plain("张敏"), "phone": Plain("13600000001")})
    assert notice == _hk(harness, DELIVERY.default, name=Plain("陳大文"), project=HUAYUAN, building=Plain("2栋"),
                         unit=Plain("0802"), date=DateText(day.date() + timedelta(days=10), "full"),
                         specialist=Plain("张敏"), contact=contact)
    assert "通知書" in notice and "陳大文，您好！" in notice  # in his language, the editor's opening
    assert "華苑2栋-0802將於2026年12月17日星期四交樓" in notice  # his project's HK name; the day with its weekday
    assert "另行與您聯絡" in notice  # the handover's time is not stored: we say we will call
    assert "請聯絡您的專屬客服张敏（電話：13600000001）" in notice
    # The notice's text first, its guide right after it (not above it, as if it belonged to the message before).
    order = [("document" if m.get("document") else (m.get("text") or "")[:1]) for m in chan.received()]
    assert order[order.index("📦") + 1] == "document"
