"""Construction milestone notices (issue 14 items 3, 6): a topping-out notice for one building
reaches the owners of that building who consented to events, each in his language with the PDF
attached, not before 09:00 in the project's time zone; not the owner who refused, nor the owners of
another building; and /care shows the customer-service manager its statistics."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from services.care.notices import Attachment, NoticeRequest, schedule
from services.people.project_names import set_name
from storage.models import OutboxMessage, OwnerUnit, Unit
from storage.models.care import Consent
from tests.e2e.conftest import CHAN, LI, WANG
from tests.factories import CHAN_PHONE, LI_PHONE, TEAM_CHATS, WANG_PHONE, Team
from tests.harness import BotHarness

SHANGHAI = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


async def _plan_at(harness: BotHarness, at: datetime) -> None:
    harness.clock.set(at)
    assert harness.runtime is not None
    await harness.runtime.planner_loop().run_once()
    await harness.settle()


async def test_a_topping_out_notice_reaches_the_consenting_owners_of_its_building(
    harness: BotHarness, team: Team,
) -> None:
    morning = datetime(2026, 12, 8, 7, 30, tzinfo=SHANGHAI)
    harness.clock.set(morning - timedelta(days=1))
    async with harness.uow() as uow:
        wang, li, chan = [await uow.owners.by_phone(p) for p in (WANG_PHONE, LI_PHONE, CHAN_PHONE)]
        assert wang is not None and li is not None and chan is not None
        # 陳大文 (Hong Kong, 2栋) bought a second home in 1栋; 王芳 and he opted in to events, 李伟 refused.
        unit = (await uow.session.scalars(select(Unit).where(Unit.number == "1202"))).one()
        uow.session.add(OwnerUnit(owner_id=chan.id, unit_id=unit.id))
        earlier = morning - timedelta(days=3)
        uow.session.add_all([
            Consent(owner_id=wang.id, kind="events", granted=True, wording="v1", source="chat", recorded_at=earlier),
            Consent(owner_id=chan.id, kind="events", granted=True, wording="v1", source="chat", recorded_at=earlier),
            Consent(owner_id=li.id, kind="events", granted=False, wording="v1", source="chat", recorded_at=earlier),
        ])
        await uow.session.flush()
        hy = await uow.projects.by_code("HY")
        assert hy is not None
        set_name(hy, "zh_Hant_HK", "華苑")  # as `estatebot admin project name HY zh_Hant_HK 華苑`
        notice, audience = await schedule(uow, NoticeRequest(
            "HY", "topping_out", morning.date(), building="1栋",
            texts={"zh_Hant_HK": "{name}您好：{project}{building}已於{date}順利平頂！"},  # this notice's own HK text
            attachments=(Attachment("封顶简报.pdf", PDF),)), harness.clock.now())
        await uow.commit()
        assert (audience.owners, audience.consenting) == (3, 2)
        wang_id, chan_id = wang.id, chan.id

    await _plan_at(harness, morning)  # 07:30: written, not sent before 09:00
    async with harness.uow() as uow:
        keys = sorted(await uow.session.scalars(select(OutboxMessage.key).where(OutboxMessage.purpose == "event")))
    prefix = f"milestone:{notice.project_id}:topping_out.{notice.id}:"
    assert keys == sorted([f"{prefix}{wang_id}", f"{prefix}{chan_id}"])
    assert not any("封顶" in t or "平頂" in t for p in (WANG, CHAN) for t in harness.person(p).texts())

    await _plan_at(harness, morning.replace(hour=9, minute=5))
    await _plan_at(harness, morning.replace(hour=11))  # again: nothing more
    wang_texts, chan_texts = harness.person(WANG).texts(), harness.person(CHAN).texts()
    assert [t for t in wang_texts if "顺利封顶" in t] == [
        "🏗 华苑传来好消息：1栋已于2026年12月8日顺利封顶。感谢您的信任，我们会继续向您通报工程进展。"]
    assert [t for t in chan_texts if "順利平頂" in t] == ["陳大文您好：華苑1栋已於2026年12月8日順利平頂！"]
    for person in (WANG, CHAN):
        received = harness.person(person).received()
        documents = [m["document"]["file_name"] for m in received if m.get("document")]
        assert documents == ["封顶简报.pdf"]
        # The text first, its attachment right after it.
        at = next(i for i, m in enumerate(received) if "封顶" in (m.get("text") or "") or "平頂" in (m.get("text") or ""))
        assert received[at + 1].get("document", {}).get("file_name") == "封顶简报.pdf"
    assert not [t for t in harness.person(LI).texts() if "封顶" in t or "封頂" in t]

    manager = harness.person(TEAM_CHATS.cs_manager)
    [card] = await manager.say("/care")
    assert "📣 关怀通知" in card["text"]
    # Who was in scope when it was planned, then what became of the rows written.
    assert ("封顶 · 华苑 1栋：范围内 3 位：未绑定或已屏蔽 0，未同意 1，计划 2；"
            "已发送 2，待发送 0，失败 0，已屏蔽 0，计划后退订 0") in card["text"]
    async with harness.uow() as uow:  # 王芳 turns events off after it went out: still one of the 2 planned
        uow.session.add(Consent(owner_id=wang_id, kind="events", granted=False, wording="v1", source="chat",
                                recorded_at=harness.clock.now()))
        await uow.commit()
    [card] = await manager.say("/care")
    assert "范围内 3 位：未绑定或已屏蔽 0，未同意 1，计划 2；已发送 2" in card["text"]
    agent, engineer = harness.person(TEAM_CHATS.agent), harness.person(TEAM_CHATS.engineer)
    [menu] = await agent.say("/menu")  # a customer-service member opens it from the menu too
    assert "📣 关怀通知" in agent.buttons(menu)
    [pressed] = await agent.press("📣 关怀通知", menu)
    assert "已发送 2" in pressed["text"]
    [engineer_menu] = await engineer.say("/menu")
    assert "📣 关怀通知" not in engineer.buttons(engineer_menu)
    # An owner is not told about staff workflow: /care and /meeting are unknown commands to him.
    owner_chat = harness.person(WANG)
    [unknown, menu] = await owner_chat.say("/whatever")
    for command in ("/care", "/meeting"):
        answer = await owner_chat.say(command)
        assert [m["text"] for m in answer] == [unknown["text"], menu["text"]]
        assert not any("客户服务部" in m["text"] for m in answer)
