"""The owner meeting 顾客恳谈会 (issue 14 item 4; DOMAIN 4.4): customer service drafts the notice in chat
from the owner_meeting template and sees it as owners will read it; the office manager approves it
in chat or sends it back with a comment; once approved it reaches, on its day from 09:00, the
owners who consented to events, each in his language — nobody else. Old, repeated or foreign
presses change nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from services.people.project_names import set_name
from storage.models import CareNotice, OutboxMessage, Staff
from storage.models.care import Consent
from tests.e2e.conftest import CHAN, LI, WANG
from tests.factories import CHAN_PHONE, LI_PHONE, WANG_PHONE, Team
from tests.harness import BotHarness, Person

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE_MANAGER = 6201
MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)


async def _seed(harness: BotHarness, *, office_manager: bool = True) -> None:
    """华苑's office manager 冯经理; 王芳 and 陳大文 (Hong Kong) agreed to event notices, 李伟 refused."""
    harness.clock.set(MONDAY)
    async with harness.uow() as uow:
        project = await uow.projects.by_code("HY")
        assert project is not None
        set_name(project, "zh_Hant_HK", "華苑")
        if office_manager:
            uow.staff.add(Staff(name="冯经理", department="office", role="manager", project_id=project.id, active=True,
                                telegram_user_id=OFFICE_MANAGER, chat_id=OFFICE_MANAGER, created_at=MONDAY))
        earlier = MONDAY - timedelta(days=3)
        for phone, granted in ((WANG_PHONE, True), (CHAN_PHONE, True), (LI_PHONE, False)):
            owner = await uow.owners.by_phone(phone)
            assert owner is not None
            uow.session.add(Consent(owner_id=owner.id, kind="events", granted=granted, wording="v1", source="chat",
                                    recorded_at=earlier))
        await uow.commit()


def _alert(harness: BotHarness) -> str:
    return str(list(harness.emulator.callback_answers.values())[-1]["text"])


async def _notice(harness: BotHarness) -> CareNotice:
    async with harness.uow() as uow:
        notice = (await uow.session.scalars(select(CareNotice))).one()
        uow.session.expunge(notice)  # read after the unit of work ends
        return notice


async def _draft(agent: Person, day: str, time: str, place: str, lead: str) -> dict[str, Any]:
    """/meeting through to the preview; the preview message."""
    [asked] = await agent.say("/meeting")  # one project: not asked
    assert asked["text"].startswith("恳谈会在哪一天举行？")
    [time_question] = await agent.say(day)
    assert time_question["text"] == "几点开始？" and "14:30" in agent.buttons(time_question)
    await agent.press(time, time_question)
    await agent.say(place)
    [summary] = await agent.press(lead)
    assert summary["text"].startswith("请核对恳谈会信息。")
    replies = await agent.press("✅", summary)
    return replies[-1]


async def _plan_at(harness: BotHarness, at: datetime) -> None:
    harness.clock.set(at)
    assert harness.runtime is not None
    await harness.runtime.planner_loop().run_once()
    await harness.settle()


async def test_drafted_in_chat_sent_back_resubmitted_approved_and_sent_to_consenting_owners(
    harness: BotHarness, team: Team,
) -> None:
    await _seed(harness)
    agent, manager = harness.person(team.agent), harness.person(OFFICE_MANAGER)
    cs_manager = harness.person(team.cs_manager)

    preview = await _draft(agent, "2026-12-20", "14:30", "3栋会所二楼", "提前一周")
    text = preview["text"]
    assert text.startswith("👁 业主将看到的通知：\n\n🤝 ")
    for part in ("华苑", "2026年12月20日", "14:30", "3栋会所二楼", "将于2026年12月13日 09:00–20:00 发给华苑同意接收社区活动与资讯的业主。",
                 "审批人：冯经理（管理处经理）。"):
        assert part in text, part
    assert agent.buttons(preview) == ["📨 提交审批", "✏️ 修改", "🗑 作废"]
    notice = await _notice(harness)
    assert (notice.kind, notice.status, notice.send_on, notice.period) == ("owner_meeting", "draft", date(2026, 12, 13),
                                                                        "2026H2")

    [submitted] = await agent.press("📨 提交审批", preview)
    assert submitted["text"] == "📨 已提交冯经理审批。有结果后会在这里通知您。"
    assert agent.buttons(preview) == []  # the preview shows what was done
    await harness.settle()
    card = manager.received()[-1]
    assert card["text"].startswith("📝 张敏请您审批华苑的顾客恳谈会通知：会议定于2026年12月20日 14:30举行。")
    assert "3栋会所二楼" in card["text"] and manager.buttons(card) == ["✔ 批准", "↩ 退回修改"]
    approve_first = manager.find_button("✔ 批准", card)[1]

    # Nobody but the office manager decides: not the customer-service manager, not the drafter.
    await cs_manager.press_data(approve_first, card)
    assert _alert(harness) == "只有这份通知的审批人（所属项目的管理处经理）可以审批。"
    await agent.press_data(approve_first, card)
    assert _alert(harness) == "只有这份通知的审批人（所属项目的管理处经理）可以审批。"
    await manager.press_data(approve_first.replace(":ok:", ":go:"), card)  # forged
    assert _alert(harness) == "该按钮无效。"
    await manager.press_data(f"g2:{notice.id + 100}:ok:{approve_first.rsplit(':', 1)[1]}", card)
    assert _alert(harness) == "该按钮无效。"
    assert (await _notice(harness)).status == "submitted"

    # Sent back with a comment: the drafter gets it with a button to edit and resubmit.
    [why] = await manager.press("↩ 退回修改", card)
    assert why["text"] == "需要修改什么？客户服务部会连同草稿收到您的意见。"
    [sent_back] = await manager.say("请改到下午三点，业主下班后更方便")
    assert sent_back["text"] == "↩ 已连同您的意见退回给张敏。"
    assert manager.buttons(card) == []
    await harness.settle()
    returned = agent.received()[-1]
    assert returned["text"] == ("↩ 冯经理退回了您起草的华苑顾客恳谈会通知（会议：2026年12月20日 14:30）。\n"
                                "意见：请改到下午三点，业主下班后更方便")
    assert agent.buttons(returned) == ["✏️ 修改后重新提交", "🗑 作废"]
    notice = await _notice(harness)
    assert (notice.status, notice.comment) == ("returned", "请改到下午三点，业主下班后更方便")
    await manager.press_data(approve_first, card)  # the returned version's card
    assert _alert(harness) == "这份通知已经审批过了。"

    # Edited (the time) and resubmitted.
    got = await agent.press("✏️ 修改后重新提交", returned)
    [summary] = got
    assert summary["text"].startswith("请核对恳谈会信息。") and "14:30" in summary["text"]
    assert await agent.press("✏️ 修改", summary) == []  # the summary becomes the list of fields
    [time_question] = await agent.press("时间", summary)
    [summary] = await agent.press("15:00", time_question)
    assert "15:00" in summary["text"]
    preview = (await agent.press("✅", summary))[-1]
    assert "15:00" in preview["text"] and "14:30" not in preview["text"]
    await agent.press("📨 提交审批", preview)
    # The sent-back message no longer offers ✏️ / 🗑: it shows that the notice was submitted again.
    assert agent.buttons(returned) == [] and "📨 已提交审批" in returned["text"]
    await harness.settle()
    card2 = manager.received()[-1]
    assert card2["text"].startswith("📝 张敏请您审批华苑的顾客恳谈会通知：会议定于2026年12月20日 15:00举行。")
    assert "您之前的意见：请改到下午三点，业主下班后更方便" in card2["text"]
    await manager.press_data(approve_first, card)  # the first card shows an older version
    assert _alert(harness) == "此按钮属于这份通知的旧版本，未做任何更改。请在有关这份通知的最新消息中操作。"
    assert (await _notice(harness)).status == "submitted"

    approve = manager.find_button("✔ 批准", card2)[1]
    [approved] = await manager.press_data(approve, card2)
    assert approved["text"] == "✔ 已批准\n将于2026年12月13日 09:00–20:00 发给华苑同意接收社区活动与资讯的业主。"
    assert manager.buttons(card2) == []
    await manager.press_data(approve, card2)
    assert _alert(harness) == "这份通知已经审批过了。"  # a second press changes nothing
    await harness.settle()
    assert agent.texts()[-1].startswith("✔ 冯经理已批准您起草的华苑顾客恳谈会通知（会议：2026年12月20日 15:00）。")
    notice = await _notice(harness)
    assert (notice.status, notice.send_on) == ("scheduled", date(2026, 12, 13))

    # Sent on its day from 09:00, to the owners who agreed to event notices, each in his language.
    await _plan_at(harness, datetime(2026, 12, 12, 10, 0, tzinfo=SHANGHAI))
    await _plan_at(harness, datetime(2026, 12, 13, 7, 30, tzinfo=SHANGHAI))
    async with harness.uow() as uow:
        keys = sorted(await uow.session.scalars(select(OutboxMessage.key).where(OutboxMessage.purpose == "event")))
        wang, chan = await uow.owners.by_phone(WANG_PHONE), await uow.owners.by_phone(CHAN_PHONE)
        assert wang is not None and chan is not None
        owner_ids = (wang.id, chan.id)
    prefix = f"meeting:{notice.project_id}:owner_meeting.{notice.id}:"
    assert keys == sorted(f"{prefix}{owner}" for owner in owner_ids)
    assert not [t for t in harness.person(WANG).texts() if t.startswith("🤝")]  # not before 09:00
    await _plan_at(harness, datetime(2026, 12, 13, 9, 1, tzinfo=SHANGHAI))
    [wang_notice] = [t for t in harness.person(WANG).texts() if t.startswith("🤝")]
    [chan_notice] = [t for t in harness.person(CHAN).texts() if t.startswith("🤝")]
    assert "华苑" in wang_notice and "2026年12月20日" in wang_notice and "15:00" in wang_notice
    assert "3栋会所二楼" in wang_notice and wang_notice in preview["text"]  # as the drafter previewed it
    assert chan_notice != wang_notice and "15:00" in chan_notice  # in Hong Kong Chinese
    assert "華苑" in chan_notice and "华苑" not in chan_notice  # the project's name set for Hong Kong readers
    assert not [t for t in harness.person(LI).texts() if t.startswith("🤝")]


async def test_without_an_office_manager_the_cs_manager_approves_and_a_late_approval_sends_that_day(
    harness: BotHarness, team: Team,
) -> None:
    await _seed(harness, office_manager=False)
    agent, cs_manager = harness.person(team.agent), harness.person(team.cs_manager)
    [refused] = await harness.person(team.engineer).say("/meeting")
    assert refused["text"] == "顾客恳谈会通知由客户服务部起草。"

    preview = await _draft(agent, "2026-12-18", "19:00", "会所", "提前一周")  # to go out on 11 December
    assert "审批人：孙经理（客户服务部经理，因为华苑在本系统中没有管理处经理）。" in preview["text"]
    await agent.press("📨 提交审批", preview)
    await harness.settle()
    card = cs_manager.received()[-1]
    assert "ℹ️ 华苑在本系统中没有管理处经理，因此由您以客户服务部经理的身份审批。" in card["text"]

    harness.clock.set(datetime(2026, 12, 14, 11, 0, tzinfo=SHANGHAI))  # approved three days late
    [approved] = await cs_manager.press("✔ 批准", card)
    assert approved["text"].startswith("✔ 已批准\n将于2026年12月14日 11:00起（至20:00）发给华苑")  # the window now
    await _plan_at(harness, datetime(2026, 12, 14, 11, 1, tzinfo=SHANGHAI))
    assert [t for t in harness.person(WANG).texts() if t.startswith("🤝")]
    assert (await _notice(harness)).status == "sent"


async def test_drafting_starts_from_the_care_card_and_help_names_meeting(harness: BotHarness, team: Team) -> None:
    await _seed(harness)
    agent, manager = harness.person(team.agent), harness.person(OFFICE_MANAGER)
    [card] = await agent.say("/care")
    assert agent.buttons(card) == ["📝 起草顾客恳谈会通知"]
    [asked] = await agent.press("📝", card)
    assert asked["text"].startswith("恳谈会在哪一天举行？")
    [office_card] = await manager.say("/care")  # the office manager approves; he does not draft
    assert manager.buttons(office_card) == []
    await manager.press_data("g1:0:new:0", office_card)
    assert manager.texts()[-1] == "顾客恳谈会通知由客户服务部起草。"
    [help_text] = await agent.say("/help")
    assert "/meeting — 起草顾客恳谈会通知，提交管理处经理审批" in help_text["text"]


async def test_a_discarded_draft_a_waiting_one_and_a_meeting_already_past(harness: BotHarness, team: Team) -> None:
    await _seed(harness)
    agent, manager = harness.person(team.agent), harness.person(OFFICE_MANAGER)

    preview = await _draft(agent, "2026-12-09", "10:00", "会所", "批准后立即发出")
    submit = agent.find_button("📨", preview)[1]
    [dropped] = await agent.press("🗑 作废", preview)
    assert dropped["text"] == "🗑 草稿已作废，不会发给业主。"
    await agent.press_data(submit, preview)
    assert _alert(harness) == "这份通知已作废。"
    assert (await _notice(harness)).status == "cancelled"

    async with harness.uow() as uow:  # start afresh
        await uow.session.execute(delete(CareNotice))
        await uow.commit()
    preview = await _draft(agent, "2026-12-09", "10:00", "会所", "批准后立即发出")
    edit = agent.find_button("✏️ 修改", preview)[1]
    await agent.press("📨 提交审批", preview)
    await agent.press_data(edit, preview)
    assert _alert(harness) == "这份通知正在等待审批，不能再修改。"
    await harness.settle()
    card = manager.received()[-1]
    assert "⚠️ 通知较晚：业主在会议前仅 2 天收到" in card["text"]  # the approver sees it too
    harness.clock.set(datetime(2026, 12, 9, 10, 30, tzinfo=SHANGHAI))  # the meeting has begun
    await manager.press("✔ 批准", card)
    assert _alert(harness) == "会议日期已过，请退回通知以修改日期。"
    assert (await _notice(harness)).status == "submitted"


async def test_send_days_still_ahead_little_notice_typed_times_and_another_meeting_of_the_half_year(
    harness: BotHarness, team: Team,
) -> None:
    await _seed(harness)
    agent = harness.person(team.agent)

    # 13 days ahead: "two weeks before" would be yesterday, so it is not offered.
    await agent.say("/meeting")
    assert [m["text"] for m in await agent.say("2026-12-20")] == ["几点开始？"]
    [refused] = await agent.say("21:00")  # outside 09:00–20:00
    assert refused["text"] == "请点击下方按钮进行选择，或直接输入 09:00–20:00 之间的时间，例如 19:45 或“下午2点半”。"
    [place_question] = await agent.say("晚上7点45")  # any minute, typed as people say it
    assert place_question["text"].startswith("在哪里举行？无论业主使用哪种语言，看到的地点都与您输入的完全一样")
    [lead_question] = await agent.say("会所")
    assert lead_question["text"] == "什么时候向业主发出通知？"
    assert [b for b in agent.buttons(lead_question) if b.startswith(("提前", "批准"))] == [
        "提前一周", "提前三天", "批准后立即发出"]
    [summary] = await agent.press("提前一周", lead_question)
    assert "19:45" in summary["text"] and "提前一周" in summary["text"]
    preview = (await agent.press("✅", summary))[-1]
    assert "将于2026年12月13日 09:00–20:00 发给" in preview["text"] and "⚠️" not in preview["text"]
    await agent.press("📨 提交审批", preview)

    # 3 days ahead: only "as soon as it is approved", said plainly to be little notice; and the
    # half year's other meeting, waiting for approval, is named.
    await agent.say("/meeting")
    await agent.say("2026-12-10")
    await agent.say("下午2点半")
    [lead_question] = await agent.say("3栋会所二楼")
    assert lead_question["text"].startswith("⚠️ 距离会议已不足一周")
    assert [b for b in agent.buttons(lead_question) if b.startswith(("提前", "批准"))] == ["批准后立即发出"]
    [summary] = await agent.press("批准后立即发出", lead_question)
    assert "14:30" in summary["text"]
    text = (await agent.press("✅", summary))[-1]["text"]
    assert "⚠️ 通知较晚：业主在会议前仅 3 天收到" in text
    assert "⚠️ 华苑本半年度另有一份顾客恳谈会通知正在等待审批（会议：2026年12月20日 19:45）" in text

    # Once that one is approved, the warning says so, with the day its notice goes out.
    async with harness.uow() as uow:
        first = (await uow.session.scalars(select(CareNotice).where(CareNotice.status == "submitted"))).one()
        first.status = "scheduled"
        await uow.commit()
    await agent.say("/meeting")
    await agent.say("2026-12-28")
    await agent.say("10:00")
    await agent.say("会所")
    [summary] = await agent.press("提前一周")
    text = (await agent.press("✅", summary))[-1]["text"]
    assert "⚠️ 华苑本半年度已有一场已批准的顾客恳谈会：2026年12月20日 19:45（通知于2026年12月13日发出）" in text
    assert "等待审批" not in text and "通知较晚" not in text  # the 10 December one is still a draft


async def test_a_sent_back_draft_discarded_from_its_new_preview_closes_the_sent_back_message(
    harness: BotHarness, team: Team,
) -> None:
    await _seed(harness)
    agent, manager = harness.person(team.agent), harness.person(OFFICE_MANAGER)
    preview = await _draft(agent, "2026-12-20", "14:30", "会所", "提前一周")
    await agent.press("📨 提交审批", preview)
    await harness.settle()
    await manager.press("↩ 退回修改", manager.received()[-1])
    await manager.say("请改时间")
    await harness.settle()
    returned = agent.received()[-1]
    [summary] = await agent.press("✏️ 修改后重新提交", returned)
    assert agent.buttons(returned) == ["✏️ 修改后重新提交", "🗑 作废"]  # still there while editing
    preview = (await agent.press("✅", summary))[-1]
    await agent.press("🗑 作废", preview)
    assert agent.buttons(returned) == [] and returned["text"].endswith("🗑 已作废")
    assert (await _notice(harness)).status == "cancelled"


async def test_approved_at_night_after_its_send_day_names_the_next_window_and_tells_the_drafter_at_nine(
    harness: BotHarness, team: Team,
) -> None:
    await _seed(harness)
    agent, manager = harness.person(team.agent), harness.person(OFFICE_MANAGER)
    first = await _draft(agent, "2026-12-20", "19:30", "会所", "提前一周")
    await agent.press("📨 提交审批", first)
    await harness.settle()
    await manager.press("✔ 批准", manager.received()[-1])
    await harness.settle()

    second = await _draft(agent, "2026-12-27", "15:00", "会所", "提前一周")  # to go out on 20 December
    harness.clock.set(datetime(2026, 12, 21, 10, 0, tzinfo=SHANGHAI))  # submitted after that day
    await agent.press("📨 提交审批", second)
    await harness.settle()
    card = manager.received()[-1]["text"]
    assert "批准后即在09:00–20:00之间发给华苑" in card and "2026年12月20日 09:00" not in card
    assert "⚠️ 通知较晚：业主在会议前仅 6 天收到" in card
    assert ("⚠️ 华苑本半年度已有一场已批准的顾客恳谈会：2026年12月20日 19:30（通知于2026年12月13日发出）。"
            "确需让业主再收到一份通知时，才批准这一份。") in card

    harness.clock.set(datetime(2026, 12, 23, 21, 0, tzinfo=SHANGHAI))  # today's window is over
    before = len(agent.received())
    [approved] = await manager.press("✔ 批准", manager.received()[-1])
    assert "将于2026年12月24日 09:00起（至20:00）发给华苑" in approved["text"]
    assert "⚠️ 通知较晚：业主在会议前仅 3 天收到" in approved["text"]
    async with harness.uow() as uow:
        notice = (await uow.session.scalars(select(CareNotice).where(CareNotice.starts_at > datetime(
            2026, 12, 25, tzinfo=SHANGHAI)))).one()
        assert notice.send_on.isoformat() == "2026-12-24" and notice.status == "scheduled"
    await harness.settle()
    assert len(agent.received()) == before  # not to the drafter at night
    await _plan_at(harness, datetime(2026, 12, 24, 9, 0, tzinfo=SHANGHAI))
    told = [t for t in agent.texts() if t.startswith("✔ 冯经理")][-1]
    assert "将于2026年12月24日 09:00起（至20:00）发给华苑" in told
