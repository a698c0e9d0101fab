"""Survey campaigns in chat (issue 13, item 2): the customer-service manager lists the campaigns of
their project with /surveys, starts a draft with a second press that shows the sample size, and
reads the sample per project and owner stage; anyone else, a forged button or a second start
changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from services.surveys.campaigns import create
from services.surveys.templates import install_shipped
from storage.models.surveys import SurveyInvitation
from tests.factories import Team
from tests.harness import BotHarness


def _last_alert(harness: BotHarness) -> str:
    return str(list(harness.emulator.callback_answers.values())[-1].get("text", ""))


async def test_the_cs_manager_starts_a_campaign_in_chat(harness: BotHarness, team: Team) -> None:
    now = harness.clock.now()
    async with harness.uow() as uow:
        await install_shipped(uow, now)  # the company's 《客户满意度调查表》 among them
        project = await uow.projects.by_code("HY")
        campaign = await create(uow, kind="mid_year", form_id="satisfaction", project=project, now=now,
                                name="2026年中调查", seed=5)
        await uow.commit()
        campaign_id = campaign.id
    manager, agent = harness.person(team.cs_manager), harness.person(team.agent)

    [menu] = await manager.say("/menu")
    assert "📊 满意度调查活动" in manager.buttons(menu)
    [agent_menu] = await agent.say("/menu")
    assert "📊 满意度调查活动" not in agent.buttons(agent_menu)

    [listing] = await manager.say("/surveys")
    assert "2026年中调查 · 年中抽样调查 · 未启动\n" in listing["text"] + "\n"  # no rate before it starts
    assert manager.buttons(listing) == ["▶ 启动2026年中调查"]

    # Not the manager: a clear refusal, in chat and on a button; a forged campaign id: not valid.
    [refused] = await agent.say("/surveys")
    assert refused["text"] == "只有客户服务部经理可以管理调查活动。"
    await agent.press_data(f"s2:{campaign_id}:go", listing)
    assert _last_alert(harness) == "只有客户服务部经理可以管理调查活动。"
    await manager.press_data(f"s2:{campaign_id + 99}:start", listing)
    assert _last_alert(harness) == "该按钮无效。"
    async with harness.uow() as uow:
        found = await uow.survey_campaigns.get(campaign_id)
        assert found is not None and found.status == "draft"

    # Start: a confirmation with the sample size (half of the project's 3 households — 李伟 owns two
    # units and is asked once —, rounded up), then the sample.
    [confirm] = await manager.press("▶ 启动", listing)
    assert confirm["text"] == "现在启动“2026年中调查”吗？将抽取并邀请 2 户。"
    assert manager.buttons(confirm) == ["✅ 立即启动", "✖ 暂不启动"]
    assert await manager.press("暂不启动", confirm) == []  # not now: the question goes, nothing changes
    assert manager.buttons(confirm) == [] and confirm["text"].endswith("✖ 暂不启动")
    async with harness.uow() as uow:
        found = await uow.survey_campaigns.get(campaign_id)
        assert found is not None and found.status == "draft"
    [confirm] = await manager.press("▶ 启动", listing)
    replies = await manager.press("✅ 立即启动", confirm)
    started = replies[-1]["text"]
    # Seeded and stratified: the same two households every run, one of each stage.
    assert started == ("“2026年中调查”已启动：抽取 2 户。\n其中 0 户选自去年投诉最多的业主。\n"
                       "<b>华苑 · 准业主（未入住）</b>：1\n<b>华苑 · 老业主（入住两年以上）</b>：1\n"
                       "邀请将在工作时间内发出；未绑定聊天账号的业主无法邀请（调查活动卡片会列出户数）。")
    async with harness.uow() as uow:
        invitations = (await uow.session.scalars(
            select(SurveyInvitation).where(SurveyInvitation.campaign_id == campaign_id))).all()
        assert len(invitations) == 2 and {i.status for i in invitations} == {"sampled"}
    await manager.press_data(f"s2:{campaign_id}:go", confirm)  # an old press starts nothing again
    assert _last_alert(harness) == "该调查活动已经启动。"

    [listing] = await manager.say("/surveys")
    assert "2026年中调查 · 年中抽样调查 · 进行中 · 已回复 0.0%（目标 50.0%）" in listing["text"]
    [card] = await manager.press("📊 2026年中调查", listing)
    assert "<b>抽样户数</b>：2\n<b>已邀请</b>：0\n<b>已回复</b>：0\n<b>回复率</b>：0.0%（目标 50.0%）" in card["text"]
    assert card["text"].endswith("<b>华苑 · 准业主（未入住）</b>：1 户中 0 户已回复\n"
                                 "<b>华苑 · 老业主（入住两年以上）</b>：1 户中 0 户已回复")
    # An owner who is not on the bot cannot be invited: the card says how many are waiting for that.
    async with harness.uow() as uow:
        sampled = (await uow.session.scalars(select(SurveyInvitation).where(SurveyInvitation.campaign_id == campaign_id))).all()
        owner = await uow.owners.get(sampled[0].owner_id)
        assert owner is not None
        owner.chat_id = None
        await uow.commit()
    [card] = await manager.press("📊 2026年中调查", listing)
    assert "<b>已邀请</b>：0\n<b>已回复</b>：0\n<b>回复率</b>：0.0%（目标 50.0%）\n尚未邀请 1 户：业主未绑定聊天账号\n" in card["text"]
    assert manager.buttons(card) == ["📈 报告"]  # the report (services/surveys/report_chat.py)
