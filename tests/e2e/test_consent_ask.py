"""The consent question for owners bound before consent existed (issue 14 item 1; DOMAIN 4.6): an
owner who linked his chat before consent was asked after binding, and never decided anything, is
asked once — the same question and buttons as after binding, 09:00–20:00 in his project's zone —
and his answer brings the next kind as in chat. Nobody who decided, or bound since, is asked."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from services.care.consent_ask import ASKED_AFTER_BINDING_SINCE, VERSION
from storage.models import OutboxMessage, Owner
from storage.models.care import Consent
from tests.e2e.conftest import CHAN, LI, WANG
from tests.factories import CHAN_PHONE, LI_PHONE, WANG_PHONE, Team
from tests.harness import BotHarness

SHANGHAI = ZoneInfo("Asia/Shanghai")
GREETINGS_Q = "我们可以向您发送生日及家庭喜庆祝福吗？"
EVENTS_Q = "我们可以向您发送社区活动、业主通讯和工程进展通知吗？"


async def _plan_at(harness: BotHarness, at: datetime) -> None:
    harness.clock.set(at)
    assert harness.runtime is not None
    await harness.runtime.planner_loop().run_once()
    await harness.settle()


async def _asked(harness: BotHarness) -> list[str]:
    async with harness.uow() as uow:
        found = await uow.session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.like("consent-ask:%"))
                                          .order_by(OutboxMessage.key))
        return list(found)


async def test_owners_bound_before_consent_are_asked_once(harness: BotHarness, team: Team) -> None:
    before = ASKED_AFTER_BINDING_SINCE - timedelta(days=60)
    async with harness.uow() as uow:
        ids = {}
        for phone, bound in ((WANG_PHONE, before), (LI_PHONE, before),
                             (CHAN_PHONE, ASKED_AFTER_BINDING_SINCE + timedelta(days=1))):
            owner = await uow.owners.by_phone(phone)
            assert owner is not None
            ids[phone] = owner.id
            await uow.session.execute(update(Owner).where(Owner.id == owner.id).values(bound_at=bound))
        # 李伟 decided about one kind already (on paper): he is not asked.
        uow.session.add(Consent(owner_id=ids[LI_PHONE], kind="surveys", granted=False, wording="paper",
                                source="admin", recorded_at=before))
        await uow.commit()
    wang = harness.person(WANG)

    morning = datetime(2027, 1, 11, 7, 30, tzinfo=SHANGHAI)
    await _plan_at(harness, morning)  # before 09:00: written, not sent
    assert await _asked(harness) == [f"consent-ask:{ids[WANG_PHONE]}:{VERSION}"]
    assert not any(GREETINGS_Q in text for text in wang.texts())
    async with harness.uow() as uow:
        row = await uow.outbox.by_key(f"consent-ask:{ids[WANG_PHONE]}:{VERSION}")
        assert row is not None and row.purpose == "care"
        assert row.not_before == morning.replace(hour=9, minute=0)

    await _plan_at(harness, morning.replace(hour=9, minute=5))
    await _plan_at(harness, morning.replace(hour=15))  # planning again writes nothing more
    questions = [m for m in wang.received() if GREETINGS_Q in m.get("text", "")]
    assert len(questions) == 1
    assert wang.buttons(questions[0]) == ["✅ 可以", "不用了，谢谢"]
    assert not any(GREETINGS_Q in text for text in harness.person(LI).texts() + harness.person(CHAN).texts())

    [events] = await wang.press("✅ 可以", questions[0])  # answered as in chat: the next kind follows
    assert EVENTS_Q in events["text"]
    async with harness.uow() as uow:
        latest = await uow.consents.latest(ids[WANG_PHONE])
        assert {kind: (row.granted, row.source) for kind, row in latest.items()} == {"greetings": (True, "chat")}
    await _plan_at(harness, morning + timedelta(days=1))
    assert len(await _asked(harness)) == 1
