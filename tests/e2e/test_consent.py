"""Consent in chat (DOMAIN 4.6): an owner who binds is asked one kind at a time with two equal
buttons, /settings shows each kind with its state and switches it with one tap, withdrawing surveys
cancels a pending invitation at once, and the drain refuses a row whose consent went between
planning and sending."""

from __future__ import annotations

from dialogs.engine import Reply
from dialogs.text import Plain
from services.care.consent import WORDING, ConsentKind, Source, record
from services.pushes import outbox
from services.pushes.purposes import Purpose
from tests.factories import WANG_PHONE, seed_roster
from tests.harness import BotHarness

GREETINGS_Q = "我们可以向您发送生日及家庭喜庆祝福吗？"
EVENTS_Q = "我们可以向您发送社区活动、业主通讯和工程进展通知吗？"
SURVEYS_Q = "我们可以邀请您参加关于房屋和服务的满意度调查吗？"


async def test_owner_is_asked_after_binding_and_switches_in_settings(harness: BotHarness) -> None:
    async with harness.uow() as uow:
        await seed_roster(uow, harness.clock.now())
    wang = harness.person(7001)
    await wang.say("/start")
    replies = await wang.share_contact("+86 138 1234 1234")
    question = next(reply for reply in replies if GREETINGS_Q in reply.get("text", ""))
    assert wang.buttons(question) == ["✅ 可以", "不用了，谢谢"]
    # The questions follow one another; the menu comes after the last answer, not between two.
    assert replies[-1] is question and not any("⚙️ 设置" in wang.buttons(reply) for reply in replies)
    [events] = await wang.press("✅ 可以", question)
    assert EVENTS_Q in events["text"]
    [surveys] = await wang.press("不用了，谢谢", events)
    assert SURVEYS_Q in surveys["text"]
    [done, menu] = await wang.press("✅ 可以", surveys)
    assert "/settings" in done["text"] and "⚙️ 设置" in wang.buttons(menu)
    # The answered question lost its buttons; its old button data pressed again records nothing.
    await wang.press_data("k1:surveys:no", surveys)
    async with harness.uow() as uow:
        owner = await uow.owners.by_phone(WANG_PHONE)
        assert owner is not None
        latest = await uow.consents.latest(owner.id)
        assert {kind: row.granted for kind, row in latest.items()} == {
            "greetings": True, "events": False, "surveys": True}
        assert {row.source for row in latest.values()} == {"chat"}
        owner_id, chat_id = owner.id, owner.chat_id
        assert chat_id is not None
        # A survey invitation planned and waiting (night), and a greeting that is being sent.
        await outbox.enqueue(uow, key="survey:test:invite", purpose=Purpose.SURVEY, chat_id=chat_id,
                             reply=Reply(Plain("survey")), now=harness.clock.now(), owner_id=owner_id,
                             not_before=harness.clock.now().replace(year=2099))
        await uow.commit()

    [view] = await wang.say("/settings")
    assert "✅ 自" in view["text"] and "✖ 关闭" in view["text"]
    assert wang.buttons(view) == ["关闭：🎂 生日及家庭喜庆祝福", "开启：📰 社区活动与资讯", "关闭：⭐ 满意度调查"]
    await wang.press("关闭：⭐ 满意度调查", view)
    async with harness.uow() as uow:
        row = await uow.outbox.by_key("survey:test:invite")
        assert row is not None and (row.status, row.last_error) == ("cancelled", "consent withdrawn: surveys")
        assert (await uow.consents.latest(owner_id))["surveys"].source == "settings"
    redrawn = [m for m in wang.received() if "满意度调查" in m.get("text", "") and "开启：⭐ 满意度调查" in wang.buttons(m)]
    assert redrawn  # the same message shows the new state

    # Withdrawn between planning and sending (recorded without the cancel, as a race would leave it).
    async with harness.uow() as uow:
        await outbox.enqueue(uow, key="greeting:test", purpose=Purpose.GREETING, chat_id=chat_id,
                             reply=Reply(Plain("生日快乐")), now=harness.clock.now(), owner_id=owner_id)
        await uow.consents.add(__import__("storage.models.care", fromlist=["Consent"]).Consent(
            owner_id=owner_id, kind="greetings", granted=False, wording=WORDING[ConsentKind.GREETINGS],
            source="admin", recorded_at=harness.clock.now()))
        await uow.commit()
    assert harness.runtime is not None
    harness.runtime.wake_sender()
    await harness.settle()
    async with harness.uow() as uow:
        row = await uow.outbox.by_key("greeting:test")
        assert row is not None and (row.status, row.last_error) == ("cancelled", "no consent")
        await record(uow, owner_id, ConsentKind.EVENTS, True, WORDING[ConsentKind.EVENTS], Source.SETTINGS,
                     harness.clock.now())
        await uow.commit()
    assert not any("生日快乐" in text for text in wang.texts())


async def test_an_owner_whose_consent_was_on_paper_is_told_once_when_he_binds(harness: BotHarness) -> None:
    """Consent collected on paper (source admin): after the welcome, one line says what he agreed
    to and that /settings changes it; the kind he did not decide on paper is still asked; /settings
    marks the decisions from the consent form, and no longer once he switched one himself."""
    async with harness.uow() as uow:
        await seed_roster(uow, harness.clock.now())
        owner = await uow.owners.by_phone(WANG_PHONE)
        assert owner is not None
        owner_id = owner.id
        await record(uow, owner_id, ConsentKind.GREETINGS, True, "paper", Source.ADMIN, harness.clock.now())
        await record(uow, owner_id, ConsentKind.EVENTS, False, "paper", Source.ADMIN, harness.clock.now())
        await uow.commit()
    wang = harness.person(7001)
    await wang.say("/start")
    replies = await wang.share_contact("+86 138 1234 1234")
    texts = [reply.get("text", "") for reply in replies]
    paper = "根据您签署的书面同意书，您同意接收：🎂 生日及家庭喜庆祝福。您可以随时通过 /settings 更改。"
    assert texts.count(paper) == 1
    assert "您的账号已与业主资料绑定" in texts[texts.index(paper) - 1]  # right after the welcome
    question = next(reply for reply in replies if SURVEYS_Q in reply.get("text", ""))  # undecided on paper
    assert texts.index(paper) < replies.index(question)
    assert not any(GREETINGS_Q in text or EVENTS_Q in text for text in texts)

    [view] = await wang.say("/settings")
    assert "🎂 生日及家庭喜庆祝福：✅ 自" in view["text"] and "起开启（书面同意）" in view["text"]
    assert "📰 社区活动与资讯：✖ 关闭（书面意见）" in view["text"]
    assert "⭐ 满意度调查：尚未选择" in view["text"]  # its question is on screen: asked, not answered
    await wang.press("开启：📰 社区活动与资讯", view)  # redrawn in place; read it again
    [redrawn] = await wang.say("/settings")
    assert "（书面同意）" in redrawn["text"] and "📰 社区活动与资讯：✅ 自" in redrawn["text"]
    assert "（书面意见）" not in redrawn["text"]
    # Once: /start again says nothing more about the consent form.
    assert not [r for r in await wang.say("/start") if "书面同意书" in r.get("text", "")]
