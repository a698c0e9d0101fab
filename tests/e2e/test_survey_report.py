"""The campaign report in chat (issue 13, item 6): the customer-service manager presses 📈 报告 on a
campaign's card and gets the rates at once, then the PNG chart and the 《客户满意度测量结果报告》
workbook as files, uploaded through the outbox (tests/survey_fixture.py's campaign, counted by hand)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.factories import Team
from tests.harness import BotHarness
from tests.survey_fixture import seed_campaigns


async def test_the_cs_manager_gets_the_chart_and_the_workbook(harness: BotHarness, team: Team) -> None:
    async with harness.uow() as uow:
        seeded = await seed_campaigns(uow, harness.clock.now())
    async with harness.uow() as uow:  # the manager's project is 华苑: the campaigns are theirs
        project = await uow.projects.by_code("HY")
        assert project is not None
        for campaign_id in (seeded.current, seeded.previous):
            campaign = await uow.survey_campaigns.get(campaign_id)
            assert campaign is not None
            campaign.project_id = project.id
        await uow.commit()
    manager, agent = harness.person(team.cs_manager), harness.person(team.agent)

    [listing] = await manager.say("/surveys")
    [card] = await manager.press("📊 2026 mid-year", listing)
    assert "📈 报告" in manager.buttons(card)
    await agent.press_data(f"s2:{seeded.current}:report", card)  # not the manager: nothing is made
    await manager.press("📈 报告", card)
    await harness.settle()

    # The chart, the workbook, then the rates (a mid-year campaign: the monitoring information).
    photo, document, rates = manager.received()[-3:]
    assert rates["text"] == (
        "客户满意度监测信息\n2026 mid-year\n<b>回复率</b>：70.0%（7/10 户，目标 50.0%）\n<b>满意率</b>：66.7%\n"
        "<b>忠诚度</b>：33.3%\n<b>回访完成率</b>：—\n<b>最不满意的项目</b>：build：75.0%评1–2分\n"
        "<b>最不满意的项目</b>：service：33.3%评1–2分\n<b>最不满意的项目</b>：design：25.0%评1–2分")
    assert document["document"]["file_name"] == "客户满意度测量结果报告 2026 mid-year.xlsx"
    png = harness.emulator.files[photo["photo"][-1]["file_id"]][0]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    book = load_workbook(io.BytesIO(harness.emulator.files[document["document"]["file_id"]][0]))
    assert book.sheetnames == ["监测信息", "汇总", "按业主阶段", "按项目", "按服务领域", "低分回答", "回访记录"]
    sheet = book["汇总"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_row=3, max_col=2)] == [
        ["调查活动", "2026 mid-year"], ["类型", "年中抽样调查"]]  # what it is about, above the table
    assert [c.value for c in sheet[7]] == ["指标", "本次调查", "目标", "上次调查", "变化"]
    summary = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=8)}
    assert list(summary)[:4] == ["抽样户数", "已邀请", "已完成问卷", "有效答卷"]
    assert (summary["抽样户数"], summary["已邀请"], summary["已完成问卷"], summary["有效答卷"]) == (10, 0, 7, 6)
    # Widths from what a column shows, a Chinese character counting two: "跟进已处理"-like labels fit.
    assert sheet.column_dimensions["A"].width == 2 * len("回访完成率") + 2
    assert book["按业主阶段"].column_dimensions["A"].width == 2 * len("磨合期业主（不足一年）") + 2
    assert summary["满意率"] == pytest.approx(4 / 6) and summary["忠诚度"] == pytest.approx(2 / 6)
    assert not [m for m in agent.received() if m.get("document") or m.get("photo")]
    async with harness.uow() as uow:  # the files went out: the rows are sent
        rows = await uow.outbox.pending(team.cs_manager)
        assert not rows
