"""Binding chat accounts to the roster: contact sharing, invitation codes, staff codes, inquiries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import CHAN_PHONE, LI_PHONE, UNLISTED_PHONE, WANG_PHONE, Roster, owner_code, seed_roster
from tests.harness import BotHarness


@pytest.fixture
async def roster(harness: BotHarness) -> Roster:
    async with harness.uow() as uow:
        return await seed_roster(uow, harness.clock.now())


async def test_owner_binds_by_sharing_own_contact(harness: BotHarness, roster: Roster) -> None:
    wang = harness.person(7001)
    await wang.say("/start")
    replies = await wang.share_contact("+86 138 1234 1234")
    assert "欢迎，王芳！您的账号已与业主资料绑定。" in replies[0]["text"]
    assert wang.buttons(replies[-1]) == ["✅ 可以", "不用了，谢谢"]  # the consent questions; the menu after them
    async with harness.uow() as uow:
        owner = await uow.owners.by_phone(WANG_PHONE)
        assert owner is not None and owner.telegram_user_id == 7001 and owner.chat_id == 7001
        assert owner.locale == "zh_Hans_CN"


async def test_someone_elses_contact_is_refused(harness: BotHarness, roster: Roster) -> None:
    stranger = harness.person(7002)
    replies = await stranger.share_contact(WANG_PHONE, own=False, contact_user_id=9999)
    assert "不要发送他人的名片" in replies[0]["text"]
    replies = await stranger.share_contact(WANG_PHONE, own=False, contact_user_id=None)
    assert "不要发送他人的名片" in replies[0]["text"]
    async with harness.uow() as uow:
        owner = await uow.owners.by_phone(WANG_PHONE)
        assert owner is not None and owner.telegram_user_id is None


async def test_number_not_in_roster_gets_guidance(harness: BotHarness, roster: Roster) -> None:
    person = harness.person(7003)
    replies = await person.share_contact(UNLISTED_PHONE)
    assert "业主名册中没有找到该手机号码" in replies[0]["text"]
    assert "🔑 我有邀请码" in person.buttons(replies[-1])
    async with harness.uow() as uow:
        assert await uow.owners.by_telegram_user(7003) is None


async def test_number_bound_to_another_account_is_refused(harness: BotHarness, roster: Roster) -> None:
    first, second = harness.person(7004), harness.person(7005)
    await first.share_contact(LI_PHONE)
    replies = await second.share_contact(LI_PHONE)
    assert "该手机号码已绑定其他账号" in replies[0]["text"]
    async with harness.uow() as uow:
        owner = await uow.owners.by_phone(LI_PHONE)
        assert owner is not None and owner.telegram_user_id == 7004


async def test_bound_account_sharing_again_is_told_so(harness: BotHarness, roster: Roster) -> None:
    wang = harness.person(7006)
    await wang.share_contact(WANG_PHONE)
    replies = await wang.share_contact(WANG_PHONE)
    assert "此账号已绑定" in replies[0]["text"]


async def test_owner_binds_with_invitation_code_typed_in_dialog(harness: BotHarness, roster: Roster) -> None:
    async with harness.uow() as uow:
        code = await owner_code(uow, CHAN_PHONE, harness.clock.now())
    chan = harness.person(7007, "陳", "zh-hk")
    await chan.say("/menu")
    replies = await chan.press("我有邀請碼")
    assert "請輸入您收到的邀請碼" in replies[0]["text"]
    replies = await chan.say("WRONG123")
    assert "邀請碼無效或已過期" in replies[0]["text"]
    assert "請輸入您收到的邀請碼" in replies[1]["text"]  # asked again
    replies = await chan.say(" " + code.lower()[:4] + "-" + code.lower()[4:] + " ")  # forgiving input
    assert "歡迎，陳大文！" in replies[0]["text"]
    async with harness.uow() as uow:
        owner = await uow.owners.by_phone(CHAN_PHONE)
        assert owner is not None and owner.telegram_user_id == 7007
    # The code is spent: nobody else can use it.
    other = harness.person(7008)
    replies = await other.say(f"/start {code}")
    assert "邀请码无效或已过期" in replies[0]["text"]


async def test_invitation_code_by_deep_link_and_expiry(harness: BotHarness, roster: Roster) -> None:
    async with harness.uow() as uow:
        code = await owner_code(uow, LI_PHONE, harness.clock.now())
        late_code = await owner_code(uow, WANG_PHONE, harness.clock.now())
    li = harness.person(7009)
    replies = await li.say(f"/start {code}")
    assert "欢迎，李伟！" in replies[0]["text"]
    harness.clock.advance(timedelta(days=15))  # owner codes are valid for 14 days
    wang = harness.person(7010)
    replies = await wang.say(f"/start {late_code}")
    assert "邀请码无效或已过期" in replies[0]["text"]
    async with harness.uow() as uow:
        owner = await uow.owners.by_phone(WANG_PHONE)
        assert owner is not None and owner.telegram_user_id is None


async def test_staff_bind_with_code_and_read_inquiries(harness: BotHarness, roster: Roster) -> None:
    # An unknown person leaves an inquiry; it lands in the communication log.
    visitor = harness.person(7011, "访客")
    await visitor.say("/start")
    await visitor.press("留言")
    await visitor.press("咨询")
    await visitor.say("请问<b>车位</b>什么时候开始出租？")
    await visitor.say("刘先生")
    await visitor.say("13712345678")
    replies = await visitor.press("确认")
    assert "客户服务部已收到您的留言" in replies[0]["text"]
    assert "登记编号：GT-000001" in replies[1]["text"]

    agent = harness.person(7012, "张敏")
    replies = await agent.say(f"/start {roster.service_agent_code}")
    assert "欢迎，张敏！您已登记为员工。" in replies[0]["text"]
    replies = await agent.say("/inbox")
    text = replies[0]["text"]
    assert "GT-000001" in text and "刘先生（未登记）" in text
    assert "137****5678" in text and "13712345678" not in text  # masked for staff
    assert "&lt;b&gt;车位&lt;/b&gt;" in text  # user text escaped in HTML

    # Another department's staff may not read the log.
    engineer = harness.person(7013, "赵工")
    await engineer.say(f"/start {roster.engineer_code}")
    replies = await engineer.say("/inbox")
    assert "此命令仅供客户服务人员使用" in replies[0]["text"]
    async with harness.uow() as uow:
        entries = await uow.communication.recent()
        assert [(e.kind, e.name, e.phone, e.owner_id) for e in entries] == [
            ("inquiry", "刘先生", "+8613712345678", None)
        ]


async def test_owner_inquiry_uses_roster_name_and_phone(harness: BotHarness, roster: Roster) -> None:
    wang = harness.person(7014)
    await wang.share_contact(WANG_PHONE)
    await wang.say("/menu")  # the consent questions left unanswered
    await wang.press("咨询、建议或表扬")
    await wang.press("表扬")
    replies = await wang.say("维修师傅很负责，谢谢！")
    assert "请核对并确认" in replies[0]["text"]
    assert "请问怎么称呼您" not in replies[0]["text"]  # known owners are not asked
    await wang.press("确认")
    async with harness.uow() as uow:
        [entry] = await uow.communication.recent()
        assert (entry.kind, entry.name, entry.phone) == ("praise", "王芳", WANG_PHONE)


async def test_owner_sees_own_details_formatted_for_locale(harness: BotHarness, roster: Roster) -> None:
    li = harness.person(7015, "Li", "en")
    await li.share_contact(LI_PHONE)
    await li.say("/menu")  # the consent questions left unanswered
    replies = await li.press("My details")
    text = replies[0]["text"]
    assert "华苑 1栋-1202, delivered January 15, 2024" in text
    assert "华苑 2栋-0801, delivered May 20, 2024" in text
    wang = harness.person(7016)
    await wang.share_contact(WANG_PHONE)
    await wang.say("/menu")
    replies = await wang.press("我的资料")
    assert "2024年1月15日 交付" in replies[0]["text"]
    assert "农历8月15日" in replies[0]["text"]


async def test_menu_items_are_checked_against_identity(harness: BotHarness, roster: Roster) -> None:
    stranger = harness.person(7017)
    await stranger.say("/menu")
    replies = await stranger.press_data("m1:inbox")  # forged: strangers have no inbox
    assert replies == []
    answers = list(harness.emulator.callback_answers.values())
    assert answers[-1] == {"text": "您无权使用此功能。", "show_alert": True}


async def test_guessing_codes_locks_the_account_out_and_then_every_code_is_refused(
    harness: BotHarness, roster: Roster, caplog: pytest.LogCaptureFixture,
) -> None:
    async with harness.uow() as uow:
        code = await owner_code(uow, LI_PHONE, harness.clock.now())
    guesser = harness.person(7020)
    for n in range(5):  # a person who mistypes is told and asked again
        replies = await guesser.say(f"/start WRONG{n:03d}")
        assert "邀请码无效或已过期" in replies[0]["text"]
    replies = await guesser.say(f"/start {code}")  # even the right code, while locked out
    assert "输错邀请码的次数过多" in replies[0]["text"]
    assert "account 7020 is locked out" in caplog.text
    async with harness.uow() as uow:
        owner = await uow.owners.by_phone(LI_PHONE)
        assert owner is not None and owner.telegram_user_id is None
    harness.clock.advance(timedelta(hours=1, minutes=1))
    replies = await guesser.say(f"/start {code}")
    assert "欢迎，李伟！" in replies[0]["text"]


async def test_many_guessing_accounts_pause_every_code_for_a_while(harness: BotHarness, roster: Roster) -> None:
    from services.people.onboarding import ATTEMPTS_OVERALL, ATTEMPTS_PER_ACCOUNT

    async with harness.uow() as uow:
        code = await owner_code(uow, LI_PHONE, harness.clock.now())
    accounts = -(-ATTEMPTS_OVERALL // (ATTEMPTS_PER_ACCOUNT - 1))
    for account in range(accounts):
        person = harness.person(7100 + account)
        for n in range(ATTEMPTS_PER_ACCOUNT - 1):  # each stays under its own limit
            harness.emulator.send_text(person.id, f"/start GUESS{n:03d}")
    await harness.settle()
    honest = harness.person(7099)
    replies = await honest.say(f"/start {code}")
    assert "输错邀请码的次数过多" in replies[0]["text"]
    harness.clock.advance(timedelta(minutes=11))
    replies = await honest.say(f"/start {code}")
    assert "欢迎，李伟！" in replies[0]["text"]


async def test_inbox_is_paged_within_telegrams_limits_and_scoped_to_the_readers_project(
    harness: BotHarness, roster: Roster,
) -> None:
    from services.people import admin
    from services.people.roster_import import import_roster
    from storage.models import CommunicationEntry

    now = harness.clock.now()
    async with harness.uow() as uow:
        await admin.add_project(uow, "LY", "丽苑", "CN", "Asia/Shanghai", now)
        report = await import_roster(uow, [{"project": "LY", "building": "3栋", "unit": "0101", "name": "赵六",
                                            "phone": "13955550000"}], now)
        assert report.ok, report.errors
        other = await uow.owners.by_phone("+8613955550000")
        assert other is not None
        uow.communication.add(CommunicationEntry(created_at=now, channel="telegram", kind="suggestion",
                                                 owner_id=other.id, name="赵六", text="丽苑的事", status="open"))
        for n in range(12):  # five of these 1,000-character messages used to lock customer service out
            uow.communication.add(CommunicationEntry(created_at=now, channel="telegram", kind="suggestion",
                                                     name=f"访客{n}", text=f"第{n}条" + "很长的建议" * 200,
                                                     status="open"))
        await uow.commit()
    agent = harness.person(7030, "张敏")
    await agent.say(f"/start {roster.service_agent_code}")  # customer service of project HY
    [page] = await agent.say("/inbox")
    assert len(page["text"]) < 4096 and "第11条" in page["text"] and "第7条" in page["text"]
    assert "第6条" not in page["text"] and "丽苑的事" not in page["text"]
    assert "第 1–5 条，共 12 条" in page["text"]
    [second] = await agent.press("下一页")
    assert "第6条" in second["text"] and "第 6–10 条，共 12 条" in second["text"]
    [third] = await agent.press("下一页", second)
    assert "第0条" in third["text"] and "下一页" not in str(third.get("reply_markup"))
    # The whole message before replying; another project's message cannot be answered by a forged button.
    replies = await agent.press("回复 GT-000013", page)
    assert "很长的建议" * 200 in replies[0]["text"]
    await agent.press_data("c1:1")
    answers = [params for method, params in agent.emulator.calls if method == "answerCallbackQuery"]
    assert answers[-1].get("text") == "该按钮无效。"
