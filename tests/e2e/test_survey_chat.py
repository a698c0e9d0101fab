"""Owners answer a satisfaction survey in chat (issue 13, item 3), through the real bot on both
databases: the customer-service manager starts a year-end campaign in chat; four owners in the four
locales are invited by the planner, answer with buttons (a
skip, a back, a low score with a comment), one stops half-way and resumes with /survey after a
restart, the one who never answers is reminded twice and no more (the second says it is the last;
both give the closing date), then the invitation expires and its buttons say so. The last answer is
followed by the thank-you and nothing else — with who will call when an answer was 1–2. An owner
who declines is not asked again."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from dialogs.actions import SurveyPress, encode
from dialogs.text import DateText, Lines, Msg
from services.surveys import campaigns
from services.surveys.answering import MANAGER_WILL_CALL, SERVICE_WILL_CALL
from services.surveys.questionnaire import COMMENT_PROMPT, THANK_YOU
from storage.models import Owner, OwnerUnit, Unit
from storage.models.surveys import SurveyInvitation, SurveyTemplate
from tests.consent_helpers import consent_to
from tests.e2e.conftest import CHAN, LI, WANG
from tests.factories import CHAN_PHONE, LI_PHONE, WANG_PHONE, Team
from tests.harness import BotHarness, Person

EMILY = 7104
EMILY_PHONE = "+85261234567"


def _texts(zh_hans: str, zh_hant: str, en: str) -> dict[str, str]:
    return {"zh_Hans_CN": zh_hans, "zh_Hant_HK": zh_hant, "zh_Hant_TW": zh_hant, "en": en}


SPEC: dict[str, Any] = {
    "form_id": "satisfaction",
    "version": "2026.1",
    "title": _texts("客户满意度调查表", "客戶滿意度調查表", "Customer satisfaction survey"),
    "questions": [
        {"name": "overall", "type": "rating", "label": _texts("总体满意度", "總體滿意度", "Overall satisfaction"),
         "required": True, "relevant": None, "area": None, "loyalty": "overall"},
        {"name": "rebuy", "type": "rating", "label": _texts("再次购买", "再次購買", "Would buy again"),
         "required": True, "relevant": None, "area": None, "loyalty": "rebuy"},
        {"name": "property", "type": "rating", "label": _texts("物业管理", "物業管理", "Property management"),
         "required": False, "relevant": None, "area": "property", "loyalty": None},
        {"name": "suggestion", "type": "text", "label": _texts("您的建议", "您的建議", "Your suggestions"),
         "required": False, "relevant": None, "area": None, "loyalty": None},
    ],
}
LOCALES = {WANG: "zh_Hans_CN", CHAN: "zh_Hant_HK", LI: "zh_Hant_TW", EMILY: "en"}
CAMPAIGN = "2026年终满意度调查"


@pytest.fixture
async def invited(harness: BotHarness, team: Team) -> dict[int, int]:
    """A year-end campaign started in chat by the customer-service manager, which samples every
    household of the project — 王芳's, 李伟's two units as one, 陳大文's and Emily's (sampling has its
    own tests): Telegram user id → invitation id."""
    now = harness.clock.now()
    async with harness.uow() as uow:
        chan_unit = await _unit_of(uow, CHAN_PHONE)
        unit = Unit(building_id=chan_unit.building_id, number="0803")
        uow.session.add(unit)
        await uow.session.flush()
        emily = Owner(name="Emily Carter", phone=EMILY_PHONE, locale="en", telegram_user_id=EMILY, chat_id=EMILY,
                      created_at=now)
        uow.session.add(emily)
        await uow.session.flush()
        uow.session.add(OwnerUnit(owner_id=emily.id, unit_id=unit.id))
        li = await uow.owners.by_phone(LI_PHONE)
        assert li is not None
        li.locale = "zh_Hant_TW"
        uow.session.add(SurveyTemplate(form_id="satisfaction", version="2026.1", title=SPEC["title"], spec=SPEC,
                                       warnings=[], imported_at=now))
        await uow.session.flush()
        project = await uow.projects.by_code("HY")
        assert project is not None
        campaign = await campaigns.create(uow, kind="year_end", form_id="satisfaction", project=project,
                                          name=CAMPAIGN, now=now, expires_after_days=14)
        owners = [await uow.owners.by_phone(phone) for phone in (WANG_PHONE, CHAN_PHONE, LI_PHONE)]
        await consent_to(uow, [emily.id, *(owner.id for owner in owners if owner is not None)], now)
        await uow.commit()
    manager = harness.person(team.cs_manager)
    [listing] = await manager.say("/surveys")
    [confirm] = await manager.press("▶ 启动", listing)
    assert confirm["text"] == f"现在启动“{CAMPAIGN}”吗？将邀请全部 4 户。"
    await manager.press("✅ 立即启动", confirm)
    ids: dict[int, int] = {}
    async with harness.uow() as uow:
        for user, phone in ((WANG, WANG_PHONE), (CHAN, CHAN_PHONE), (LI, LI_PHONE), (EMILY, EMILY_PHONE)):
            owner = await uow.owners.by_phone(phone)
            assert owner is not None
            [invitation] = (await uow.session.scalars(select(SurveyInvitation).where(
                SurveyInvitation.campaign_id == campaign.id, SurveyInvitation.owner_id == owner.id))).all()
            assert invitation.status == "sampled"
            ids[user] = invitation.id
    return ids


async def _unit_of(uow: Any, phone: str) -> Unit:
    owner = await uow.owners.by_phone(phone)
    assert owner is not None
    found = await uow.session.execute(select(Unit).join(OwnerUnit, OwnerUnit.unit_id == Unit.id)
                                      .where(OwnerUnit.owner_id == owner.id).order_by(Unit.id))
    return found.scalars().first()  # type: ignore[no-any-return]


async def plan_at(harness: BotHarness, at: datetime) -> None:
    harness.clock.set(at)
    assert harness.runtime is not None
    await harness.runtime.planner_loop().run_once()
    await harness.settle()


async def _invitation(harness: BotHarness, invitation_id: int) -> dict[str, Any]:
    """What the invitation holds now (read in a unit of work of its own)."""
    async with harness.uow() as uow:
        found = await uow.survey_responses.invitation(invitation_id)
        assert found is not None
        return {"status": found.status, "answers": found.answers, "reminders": found.reminders,
                "answered_at": found.answered_at, "template_id": found.template_id}


async def _scores(harness: BotHarness, invitation_id: int) -> dict[str, tuple[int | None, Any, str | None]]:
    async with harness.uow() as uow:
        rows = await uow.survey_responses.answers_of(invitation_id)
        return {row.question: (row.score, row.choice, row.text) for row in rows}


def _thanks(harness: BotHarness, user: int, *, follow_up: str | None = None) -> str:
    """The thank-you; ``follow_up``: the sentence saying who will contact the owner."""
    text = Lines((Msg(THANK_YOU), Msg(follow_up))) if follow_up else Msg(THANK_YOU)
    return harness.catalogs.get(LOCALES[user]).render(text)


def _date(harness: BotHarness, user: int, at: datetime) -> str:
    """A day as the owner reads it (Babel, their locale), in Shanghai."""
    return harness.catalogs.get(LOCALES[user]).render(DateText(at.astimezone(ZoneInfo("Asia/Shanghai")).date()))


def _last_alert(harness: BotHarness, user: int) -> str:
    return str(harness.emulator.answers_to_presses(user)[-1]["text"])


def _survey_messages(person: Person, title: str) -> list[str]:
    return [text for text in person.texts() if text.startswith(f"📝 {title}")]


async def test_owners_answer_a_survey_in_chat_in_four_locales(
    harness: BotHarness, team: Team, invited: dict[int, int]
) -> None:
    start = harness.clock.now()  # 10:00 in Shanghai
    wang, chan, li, emily = (harness.person(WANG), harness.person(CHAN, "陳大文", "zh-hant"),
                             harness.person(LI, "李伟", "zh-hant"), harness.person(EMILY, "Emily", "en"))
    await plan_at(harness, start)
    # Each is invited once, in their language, with the title and how many questions it has.
    [to_wang] = _survey_messages(wang, "客户满意度调查表")
    assert "问卷共 4 题" in to_wang and "/survey" in to_wang
    closes = start + timedelta(days=14)
    # The campaign's kind on the first line (a mid-year sample is not the year-end survey again),
    # and the day it closes.
    assert to_wang.startswith("📝 客户满意度调查表 · 年末全面调查\n")
    assert f"问卷将于 {_date(harness, WANG, closes)} 截止。" in to_wang
    [to_chan] = _survey_messages(chan, "客戶滿意度調查表")
    assert "問卷共 4 題" in to_chan
    [to_li] = _survey_messages(li, "客戶滿意度調查表")
    assert "問卷共 4 題" in to_li
    [to_emily] = _survey_messages(emily, "Customer satisfaction survey")
    assert "The survey has 4 questions" in to_emily
    assert to_emily.startswith("📝 Customer satisfaction survey · Year-end full survey\n")
    assert emily.buttons() == ["📝 Start the survey", "Not now", "🚫 Don't ask me again"]
    await plan_at(harness, start + timedelta(minutes=5))  # planning again sends nothing more
    assert len(_survey_messages(wang, "客户满意度调查表")) == 1
    assert (await _invitation(harness, invited[WANG]))["status"] == "invited"

    # 王芳 (zh_Hans_CN): a worded scale, best first; back to change an answer; a skip; a comment typed.
    await wang.press("开始填写问卷")
    assert wang.buttons() == ["5 · 非常满意", "4 · 满意", "3 · 一般", "2 · 不满意", "1 · 非常不满意", "⏸ 稍后继续"]
    await wang.press("5 ·")
    await wang.press("◀")
    assert "总体满意度" in wang.received()[-1]["text"]
    await wang.press("4 ·")
    await wang.press("5 ·")
    assert "跳过" in wang.buttons()  # the property question is not required
    await wang.press("跳过")
    last = await wang.say("希望增加充电桩")
    assert [m["text"] for m in last] == [_thanks(harness, WANG)]  # the thank-you, and nothing else
    assert await _scores(harness, invited[WANG]) == {
        "overall": (4, None, None), "rebuy": (5, None, None), "suggestion": (None, None, "希望增加充电桩")}
    done = await _invitation(harness, invited[WANG])
    assert done["status"] == "done" and done["answered_at"] is not None
    # Someone else's invitation, or one already answered: refused, clearly.
    invitation_message = next(m for m in wang.received() if m.get("text", "").startswith("📝 客户满意度调查表"))
    await wang.press_data(encode(SurveyPress(invited[CHAN], "start")), invitation_message)
    assert _last_alert(harness, WANG) == "此问卷是发给其他业主的。"
    await wang.press_data(encode(SurveyPress(invited[WANG], "start")), invitation_message)
    assert _last_alert(harness, WANG) == "您已填写过此问卷，谢谢！"
    await wang.say("/survey")
    assert wang.texts()[-1] == "您目前没有需要填写的问卷。"

    # 陳大文 (zh_Hant_HK): a low score with a comment, a low score without one, the last question skipped.
    await chan.press("開始填寫問卷")
    await chan.press("2 ·")
    stopped = await chan.say("/cancel")  # /cancel keeps the answers too
    assert [m["text"] for m in stopped] == ["已儲存。您可以隨時從中斷的地方繼續：傳送 /survey 即可。"]
    again = await chan.say("/survey")  # the comment on the 2 is the first question left
    assert [m["text"] for m in again] == [harness.catalogs.get("zh_Hant_HK").render(Msg(COMMENT_PROMPT))]
    await chan.say("電梯經常故障")
    await chan.press("3 ·")
    await chan.press("1 ·")
    await chan.press("跳過")  # no comment on this one
    last = await chan.press("跳過")  # nor a suggestion: the last answer
    # One message: the thank-you, and that customer service will be in touch about the 1 and the 2.
    assert [m["text"] for m in last] == [_thanks(harness, CHAN, follow_up=SERVICE_WILL_CALL)]
    assert "客戶服務部會盡快與您聯絡" in last[0]["text"]
    assert await _scores(harness, invited[CHAN]) == {
        "overall": (2, None, "電梯經常故障"), "rebuy": (3, None, None), "property": (1, None, None)}
    async with harness.uow() as uow:
        rows = await uow.survey_responses.answers_of(invited[CHAN])
        assert {row.question: (row.loyalty, row.area) for row in rows} == {
            "overall": ("overall", None), "rebuy": ("rebuy", None), "property": (None, "property")}
        assert all(row.stage == "prospective" and row.template_id == done["template_id"] for row in rows)

    # 李伟 (zh_Hant_TW) stops after the first answer; the bot restarts; /survey goes on from there.
    await li.press("開始填寫問卷")
    await li.press("4 ·")
    paused = await li.press("稍後繼續")
    assert paused[-1]["text"] == "已儲存。您可以隨時從中斷的地方繼續：傳送 /survey 即可。"
    kept = await _invitation(harness, invited[LI])
    assert (kept["status"], kept["answers"]) == ("started", {"overall": 4})
    await harness.stop()
    await harness.start()
    [menu] = await li.say("/menu")
    assert li.buttons(menu)[0] == "⭐ 填寫滿意度問卷"
    hint, fallback_menu = await li.say("你好")  # not understood: the same menu, survey entry first
    assert hint["text"] == "抱歉，我不太明白您的意思，請從選單中選擇。"
    assert li.buttons(fallback_menu) == li.buttons(menu)
    resumed = await li.say("/survey")
    assert "再次購買" in resumed[-1]["text"]
    assert li.buttons() == ["5 · 非常滿意", "4 · 滿意", "3 · 普通", "2 · 不滿意", "1 · 非常不滿意", "◀ 返回",
                            "⏸ 稍後繼續"]
    await li.press("5 ·")
    await li.press("3 ·")
    last = await li.press("跳過")
    assert [m["text"] for m in last] == [_thanks(harness, LI)]
    assert await _scores(harness, invited[LI]) == {
        "overall": (4, None, None), "rebuy": (5, None, None), "property": (3, None, None)}

    # Emily (en) puts it off, starts after the first reminder, stops after one low answer: two polite
    # reminders at most, then the invitation expires with that answer kept (and followed up).
    later = await emily.press("Not now")
    assert later[-1]["text"] == "All right. You can answer it later: send /survey at any time."
    await emily.say("/menu")
    assert emily.buttons()[0] == "⭐ Answer the satisfaction survey"
    await plan_at(harness, start + timedelta(days=1))
    await plan_at(harness, start + timedelta(days=3))
    [first] = [text for text in emily.texts() if "A gentle reminder" in text]
    assert "your opinion matters to us" in first
    await emily.press("Start the survey")
    await emily.press("1 ·")
    assert "What disappointed you" in emily.texts()[-1]
    for days in (3, 5, 7, 10, 13):
        await plan_at(harness, start + timedelta(days=days))
    reminders = [text for text in emily.texts() if "A gentle reminder" in text]
    assert len(reminders) == 2 and "you have answered 1 of 4 questions" in reminders[1]
    closing = _date(harness, EMILY, start + timedelta(days=14))
    assert reminders[0].endswith(f"The survey closes on {closing}.")
    assert reminders[1].endswith(f"This is our last reminder: the survey closes on {closing}.")
    assert not any("温馨" in text or "溫馨" in text for person in (wang, chan, li) for text in person.texts())
    assert (await _invitation(harness, invited[EMILY]))["status"] == "started"
    await plan_at(harness, start + timedelta(days=14))
    expired = await _invitation(harness, invited[EMILY])
    assert (expired["status"], expired["reminders"], expired["answered_at"]) == ("expired", 2, None)
    assert await _scores(harness, invited[EMILY]) == {"overall": (1, None, None)}
    # Her open question's buttons, and the reminder's, say the same: the survey has closed.
    question = next(m for m in reversed(emily.received()) if "What disappointed you" in m.get("text", ""))
    await emily.press("Skip", question)
    assert _last_alert(harness, EMILY) == "This survey has closed. Thank you all the same."
    await emily.press("Continue the survey")  # on the last reminder
    assert _last_alert(harness, EMILY) == "This survey has closed. Thank you all the same."
    await emily.say("/survey")
    assert emily.texts()[-1] == "You have no survey to answer at the moment."
    await _follow_up_and_report(harness, team)


async def _follow_up_and_report(harness: BotHarness, team: Team) -> None:
    """Every answer of 1–2 is followed up (an overall 1 by the CS manager personally), and the
    campaign's report reaches the CS manager in chat."""
    manager, agent = harness.person(team.cs_manager), harness.person(team.agent)
    await plan_at(harness, harness.clock.now() + timedelta(minutes=1))  # every household settled: closed
    [closed] = [text for text in manager.texts() if text.startswith(f"🏁 调查活动“{CAMPAIGN}”已结束")]
    assert "回复率</b>：75.0%" in closed and manager.buttons(manager.last_with_buttons()) == ["📈 报告"]
    [chan_card] = [text for text in agent.texts() if text.startswith("⚠️ 华苑 2栋-0802 的满意度调查")]
    assert "電梯經常故障" in chan_card and "2 · 不满意" in chan_card and "1 · 非常不满意" in chan_card
    [emily_card] = [text for text in manager.texts() if text.startswith("⚠️ 华苑 2栋-0803 的满意度调查")]
    assert "须由客户服务部经理亲自回访" in emily_card  # an overall 1, though the survey expired half-way
    [listing] = await manager.say("/surveys")
    [card] = await manager.press(CAMPAIGN, listing)
    await manager.press("📈 报告", card)
    photo, document, rates = manager.received()[-3:]
    assert photo.get("photo") and document.get("document")
    assert "回复率</b>：75.0%" in rates["text"] and "满意率</b>：66.7%" in rates["text"]


async def test_an_owner_who_declines_is_not_asked_again_and_an_overall_1_hears_the_manager_will_call(
    harness: BotHarness, team: Team, invited: dict[int, int]
) -> None:
    start = harness.clock.now()
    wang, chan = harness.person(WANG), harness.person(CHAN, "陳大文", "zh-hant")
    await plan_at(harness, start)
    invitation = next(m for m in wang.received() if m.get("text", "").startswith("📝 客户满意度调查表"))
    await plan_at(harness, start + timedelta(days=3))
    [first] = [text for text in wang.texts() if "温馨提示" in text]
    assert f"问卷将于 {_date(harness, WANG, start + timedelta(days=14))} 截止。" in first
    # 王芳 starts from the reminder, gives a 2, then declines on the invitation still showing its buttons.
    await wang.press("开始填写问卷")
    await wang.press("2 ·")
    question = wang.last_with_buttons()
    declined = await wang.press("不参加", invitation)
    assert [m["text"] for m in declined] == ["好的，我们不会再就此问卷打扰您。谢谢！"]
    kept = await _invitation(harness, invited[WANG])
    assert (kept["status"], kept["answered_at"]) == ("declined", None)
    assert await _scores(harness, invited[WANG]) == {"overall": (2, None, None)}  # kept, and followed up
    refusal = "您已选择不参加此问卷，因此无法再填写。谢谢！"
    await wang.press("跳过", question)  # the question she left open
    assert _last_alert(harness, WANG) == refusal
    await wang.press_data(encode(SurveyPress(invited[WANG], "start")), invitation)
    assert _last_alert(harness, WANG) == refusal
    [menu] = await wang.say("/menu")
    assert "⭐ 填写满意度问卷" not in wang.buttons(menu)
    await wang.say("/survey")
    assert wang.texts()[-1] == "您目前没有需要填写的问卷。"

    # 陳大文 gives an overall 1: the thank-you says the customer-service manager will call personally.
    await chan.press("開始填寫問卷")
    await chan.press("1 ·")
    await chan.say("大堂漏水")
    await chan.press("4 ·")
    await chan.press("跳過")
    last = await chan.press("跳過")
    assert [m["text"] for m in last] == [_thanks(harness, CHAN, follow_up=MANAGER_WILL_CALL)]
    assert "客戶服務部經理會親自致電與您聯絡" in last[0]["text"]

    # No last reminder for her; the others expire; a declined household does not hold the campaign
    # open, and is not a response (1 of 4).
    for days in (7, 14):
        await plan_at(harness, start + timedelta(days=days))
    assert len([text for text in wang.texts() if "温馨提示" in text]) == 1
    await plan_at(harness, start + timedelta(days=14, minutes=1))
    manager = harness.person(team.cs_manager)
    [closed] = [text for text in manager.texts() if text.startswith(f"🏁 调查活动“{CAMPAIGN}”已结束")]
    assert "回复率</b>：25.0%" in closed
