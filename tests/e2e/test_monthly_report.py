"""The monthly complaint report approved in chat (issue 15 item 2; DOMAIN 1.7): drafted by the planner
on the first working day of the month for the office manager (summary, PNG chart, workbook), sent back
with a comment to customer service, resubmitted with a note as a new version, approved before the 5th
— archived and published to the configured recipients, each in his language. Presses by anyone else,
on an old card or a second time change nothing; the 4th's reminder comes only while it is not
approved."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from sqlalchemy import select

from services.people import admin
from storage.models import OutboxMessage, Project, ReportIssue, Staff, Ticket
from tests.e2e.conftest import WANG
from tests.factories import Team
from tests.harness import BotHarness, Person
from tests.test_weekly_report import local, ticket

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE_MANAGER, OTHER_OFFICE_MANAGER = 6201, 6301  # 冯经理 of 华苑, 郑经理 of 金湖
DEC_1 = datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)  # Tuesday, the first working day of December


async def _seed(harness: BotHarness, team: Team) -> None:
    """华苑's office manager; 金湖 with its own; one November complaint in 华苑; the vice president receives
    every office's monthly report, the quality manager 华苑's (in Hong Kong Chinese)."""
    harness.clock.set(datetime(2026, 11, 30, 18, 0, tzinfo=SHANGHAI))
    now = harness.clock.now()
    async with harness.uow() as uow:
        hy = await uow.projects.by_code("HY")
        assert hy is not None
        jh = await admin.add_project(uow, "JH", "金湖", "CN", "Asia/Shanghai", now)
        uow.staff.add(Staff(name="冯经理", department="office", role="manager", project_id=hy.id, active=True,
                            telegram_user_id=OFFICE_MANAGER, chat_id=OFFICE_MANAGER, created_at=now))
        uow.staff.add(Staff(name="郑经理", department="office", role="manager", project_id=jh.id, active=True,
                            telegram_user_id=OTHER_OFFICE_MANAGER, chat_id=OTHER_OFFICE_MANAGER, created_at=now))
        uow.session.add(_closed(hy, "TS-2026-000101", datetime(2026, 11, 10).date()))
        staff = {person.chat_id: person for person in await uow.staff.all()}
        staff[team.quality_manager].locale = "zh_Hant_HK"
        await uow.report_issues.add_recipient("monthly", None, staff[team.vice_president].id, "test", now)
        await uow.report_issues.add_recipient("monthly", hy.id, staff[team.quality_manager].id, "test", now)
        await uow.commit()


def _closed(project: Project, number: str, day: date) -> Ticket:
    """A November complaint handled in time (no reminder or escalation reaches the managers)."""
    return ticket(project, number, local(day, 10), "equipment", "engineering", status="closed",
                  progress_reported_at=local(day, 15), resolved_at=local(day, 16), closed_at=local(day, 17))


async def _plan_at(harness: BotHarness, at: datetime) -> None:
    harness.clock.set(at)
    assert harness.runtime is not None
    await harness.runtime.planner_loop().run_once()
    await harness.settle()


def _alert(harness: BotHarness) -> str:
    return str(list(harness.emulator.callback_answers.values())[-1]["text"])


async def _issue(harness: BotHarness, code: str = "HY") -> ReportIssue:
    async with harness.uow() as uow:
        project = await uow.projects.by_code(code)
        assert project is not None
        issue = (await uow.session.scalars(select(ReportIssue).where(ReportIssue.project_id == project.id, ReportIssue.kind == "monthly"))).one()
        uow.session.expunge(issue)
        return issue


def _files(harness: BotHarness, messages: list[dict[str, Any]]) -> tuple[bytes, str, bytes]:
    """The PNG, and the workbook's name and bytes, of a card's first two messages."""
    photo, document = messages
    png = harness.emulator.files[photo["photo"][-1]["file_id"]][0]
    xlsx = harness.emulator.files[document["document"]["file_id"]][0]
    return png, document["document"]["file_name"], xlsx


def _card(person: Person, head: str = "📝") -> list[dict[str, Any]]:
    """The last card of the monthly report (chart, workbook, text with the buttons): other rules
    (the weekly report, the calendar warning) write to the same people."""
    messages = person.received()
    index = max(i for i, m in enumerate(messages) if (m.get("text") or "").startswith(head))
    return messages[index - 2:index + 1]


async def test_drafted_sent_back_resubmitted_approved_and_published(harness: BotHarness, team: Team) -> None:
    await _seed(harness, team)
    manager, other = harness.person(OFFICE_MANAGER), harness.person(OTHER_OFFICE_MANAGER)
    cs_manager, agent, owner = harness.person(team.cs_manager), harness.person(team.agent), harness.person(WANG)
    vice_president, quality = harness.person(team.vice_president), harness.person(team.quality_manager)

    await _plan_at(harness, datetime(2026, 12, 1, 8, 30, tzinfo=SHANGHAI))  # before the staff's window
    assert not manager.received()
    await _plan_at(harness, DEC_1)
    await _plan_at(harness, DEC_1.replace(minute=1))  # planning again adds nothing
    assert len([t for t in manager.texts() if t.startswith("📝")]) == 1  # once
    assert [t for t in other.texts() if t.startswith("📝 金湖 2026-11")]  # each office its own
    png, name, xlsx = _files(harness, _card(manager)[:2])
    card = _card(manager)[2]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert name.endswith(".xlsx") and "华苑" in name and "2026-11" in name
    load_workbook(io.BytesIO(xlsx))
    text = card["text"]
    assert text.startswith("📝 华苑 2026-11 投诉处理月报已生成，请您审批。\n请于2026年12月5日前审批。\n\n📊 投诉处理月报 2026-11")
    assert "批准后将发送给：吴总和周主管。" in text
    assert manager.buttons(card) == ["✔ 批准", "↩ 退回修改"]
    issue = await _issue(harness)
    assert (issue.kind, issue.period, issue.status, issue.version) == ("monthly", "2026-11", "submitted", 1)
    assert issue.figures is not None and issue.figures["totals"]["new"] == 1
    approve_v1 = manager.find_button("✔ 批准", card)[1]

    # Nobody but 华苑's office manager decides: not an owner, customer service, or another office's manager.
    for stranger in (owner, agent, cs_manager, other):
        await stranger.press_data(approve_v1, card)
        assert _alert(harness) == "只有这份报告的审批人（所属项目的管理处经理）可以审批。"
    await manager.press_data(approve_v1.replace(":ok:", ":go:"), card)  # forged
    assert _alert(harness) == "该按钮无效。"
    assert (await _issue(harness)).status == "submitted"

    # Sent back with a comment: the customer-service manager gets it with ↻ Resubmit.
    [why] = await manager.press("↩ 退回修改", card)
    assert why["text"] == "请说明需要客户服务部核实或更正的内容，您的意见将随报告一并退回给他们。"
    [sent_back] = await manager.say("设备类投诉请核对工程部的处理时间")
    assert sent_back["text"] == "↩ 已连同您的意见退回客户服务部（孙经理）。"
    assert manager.buttons(card) == []
    await harness.settle()
    *sent_files, returned = cs_manager.received()[-3:]  # what the approver saw: chart, workbook, figures
    assert returned["text"].startswith("↩ 冯经理退回了华苑 2026-11 投诉处理月报。\n意见：设备类投诉请核对工程部的处理时间\n\n"
                                       "📊 投诉处理月报 2026-11\n")
    assert cs_manager.buttons(returned) == ["↻ 重新提交"]
    assert [m["document"]["file_name"] for m in sent_files if "document" in m] == ["投诉处理月报 华苑 2026-11.xlsx"]
    issue = await _issue(harness)
    assert (issue.status, issue.comment) == ("returned", "设备类投诉请核对工程部的处理时间")
    await manager.press_data(approve_v1, card)
    assert _alert(harness) == "这份报告已经退回，等待客户服务部重新提交。"
    resubmit = cs_manager.find_button("↻ 重新提交", returned)[1]
    await manager.press_data(resubmit, returned)  # the approver is not customer service
    assert _alert(harness) == "只有本项目的客户服务部可以重新提交这份报告。"

    # A complaint registered late for November: the resubmitted figures count it.
    async with harness.uow() as uow:
        hy = await uow.projects.by_code("HY")
        assert hy is not None
        uow.session.add(_closed(hy, "TS-2026-000102", datetime(2026, 11, 20).date()))
        await uow.commit()
    harness.clock.set(datetime(2026, 12, 2, 10, 0, tzinfo=SHANGHAI))
    [asked] = await cs_manager.press("↻ 重新提交", returned)
    assert asked["text"] == "请说明已核实或更正的内容。审批人会在重新提交的报告中看到您的说明，报告数据将重新统计。"
    [resubmitted] = await cs_manager.say("已补登11月20日的设备投诉")
    assert resubmitted["text"] == "↻ 已重新提交给冯经理审批（第2版），数据已重新统计。"
    assert cs_manager.buttons(returned) == [] and "↻ 已重新提交" in returned["text"]
    await cs_manager.press_data(resubmit, returned)
    assert _alert(harness) == "这份报告已经重新提交，正在等待审批。"
    await harness.settle()
    assert len([t for t in manager.texts() if t.startswith("📝")]) == 2
    card2 = _card(manager)[2]
    assert card2["text"].startswith("📝 客户服务部已重新提交华苑 2026-11 投诉处理月报（第2版）。\n请于2026年12月5日前审批。")
    assert "客户服务部说明：已补登11月20日的设备投诉" in card2["text"]
    assert "您之前的意见：设备类投诉请核对工程部的处理时间" in card2["text"]
    issue = await _issue(harness)
    assert (issue.status, issue.version, issue.figures["totals"]["new"]) == ("submitted", 2, 2)  # type: ignore[index]
    await manager.press_data(approve_v1, card)  # the first card shows version 1
    assert _alert(harness) == "此卡片是这份报告的旧版本，未做任何更改。请在最新的卡片中操作。"
    assert (await _issue(harness)).status == "submitted"

    # Approved: archived, published to the recipients in their language, customer service told.
    harness.clock.set(datetime(2026, 12, 3, 11, 0, tzinfo=SHANGHAI))
    approve_v2 = manager.find_button("✔ 批准", card2)[1]
    [approved] = await manager.press_data(approve_v2, card2)
    assert approved["text"] == "✔ 已批准，并已发布给吴总和周主管。"
    assert manager.buttons(card2) == [] and "✔ 已批准" in card2["text"]
    await manager.press_data(approve_v2, card2)  # a second press
    assert _alert(harness) == "这份报告已经批准并发布。"
    await harness.settle()
    issue = await _issue(harness)
    assert issue.status == "published" and issue.published_at is not None and issue.decided_at is not None
    published = _card(vice_president, "📢")
    assert published[2]["text"].startswith("📢 华苑 2026-11 投诉处理月报（已由冯经理批准）：")
    png, name, _ = _files(harness, published[:2])
    assert png.startswith(b"\x89PNG") and "华苑" in name
    hk = _card(quality, "📢")
    assert hk[2]["text"].startswith("📢 華苑") or hk[2]["text"].startswith("📢 华苑")
    _, hk_name, hk_xlsx = _files(harness, hk[:2])
    assert "投訴處理月報" in hk_name
    load_workbook(io.BytesIO(hk_xlsx))
    assert cs_manager.texts()[-1] == "✔ 冯经理已批准华苑 2026-11 投诉处理月报。"
    async with harness.uow() as uow:
        files = {(row.locale, row.kind) for row in await uow.report_issues.files(issue.id)}
    assert files == {("zh_Hans_CN", "png"), ("zh_Hans_CN", "xlsx"), ("zh_Hant_HK", "png"), ("zh_Hant_HK", "xlsx")}
    assert set(issue.figures["text"]) == {"zh_Hans_CN", "zh_Hant_HK"}  # type: ignore[index]

    # The 4th: 华苑's is approved, nobody there is reminded; 金湖's is not, its manager is, once.
    await _plan_at(harness, datetime(2026, 12, 4, 9, 0, tzinfo=SHANGHAI))
    await _plan_at(harness, datetime(2026, 12, 4, 15, 0, tzinfo=SHANGHAI))
    assert not [t for t in (*manager.texts(), *cs_manager.texts()) if t.startswith("⏰") and "投诉处理月报" in t]
    assert [t for t in other.texts() if t.startswith("⏰")] == ["⏰ 金湖 2026-11 投诉处理月报仍在等待审批，应于2026年12月5日前发布。"]


async def test_the_fourth_reminds_the_approver_and_customer_service_once(harness: BotHarness, team: Team) -> None:
    await _seed(harness, team)
    manager, cs_manager = harness.person(OFFICE_MANAGER), harness.person(team.cs_manager)
    await _plan_at(harness, DEC_1)
    await _plan_at(harness, datetime(2026, 12, 3, 19, 0, tzinfo=SHANGHAI))  # before the 4th: nothing
    assert [t for t in manager.texts() if t.startswith("⏰")] == []  # nothing else is overdue in this test
    await _plan_at(harness, datetime(2026, 12, 4, 9, 30, tzinfo=SHANGHAI))
    await _plan_at(harness, datetime(2026, 12, 4, 16, 0, tzinfo=SHANGHAI))
    reminder = "⏰ 华苑 2026-11 投诉处理月报仍在等待审批，应于2026年12月5日前发布。"
    assert [t for t in manager.texts() if t.startswith("⏰")] == [reminder]
    assert [t for t in cs_manager.texts() if t.startswith("⏰")] == [reminder]
    async with harness.uow() as uow:
        keys = list(await uow.session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.like("%:remind:%"))))
    assert all(key.startswith("monthly-report:") and ":2026-11:remind:staff:" in key for key in keys)


async def test_a_month_whose_first_days_are_a_holiday_is_drafted_on_its_first_working_day(
    harness: BotHarness, team: Team,
) -> None:
    """October 2026 begins with National Day (1–7 October): September's report waits for Thursday the 8th."""
    await _seed(harness, team)
    async with harness.uow() as uow:  # the offices were there in September (the test goes back in time)
        for project in await uow.projects.all():
            project.created_at = datetime(2026, 9, 1, tzinfo=SHANGHAI)
        await uow.commit()
    manager = harness.person(OFFICE_MANAGER)
    for day in range(1, 8):
        await _plan_at(harness, datetime(2026, 10, day, 10, 0, tzinfo=SHANGHAI))
    assert not manager.received()
    await _plan_at(harness, datetime(2026, 10, 8, 9, 0, tzinfo=SHANGHAI))
    assert manager.texts()[-1].startswith("📝 华苑 2026-09 投诉处理月报已生成，请您审批。\n原定于2026年10月5日前完成审批，现已逾期，请尽快审批。")
    assert (await _issue(harness)).period == "2026-09"
    # Not approved by the next day: the reminder says the day has passed.
    await _plan_at(harness, datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI))
    assert [t for t in manager.texts() if t.startswith("⏰")] == [
        "⏰ 华苑 2026-09 投诉处理月报仍在等待审批，原定于2026年10月5日前发布，现已逾期。"]


async def test_an_approver_bound_after_the_draft_gets_the_card_and_the_reminders_carry_the_buttons(
    harness: BotHarness, team: Team,
) -> None:
    """湖畔 has no office manager on the 1st: its customer-service manager approves (the card says why).
    Its office manager binds on the 2nd: he gets the card at the next round and decides; the old card
    holder is refused. Sent back, the 4th's reminder gives customer service ↻ again."""
    cs_chat, manager_chat = 6401, 6402
    await _seed(harness, team)
    async with harness.uow() as uow:
        hp = await admin.add_project(uow, "HP", "湖畔", "CN", "Asia/Shanghai", harness.clock.now())
        uow.staff.add(Staff(name="褚经理", department="customer_service", role="manager", project_id=hp.id,
                            active=True, telegram_user_id=cs_chat, chat_id=cs_chat, created_at=harness.clock.now()))
        uow.session.add(_closed(hp, "TS-2026-000201", date(2026, 11, 12)))
        await uow.commit()
    cs, manager = harness.person(cs_chat), harness.person(manager_chat)
    await _plan_at(harness, DEC_1)
    fallback_card = _card(cs)[2]
    assert "ℹ️ 湖畔在本系统中没有管理处经理，因此由您以客户服务部经理的身份审批。" in fallback_card["text"]
    async with harness.uow() as uow:
        hp_project = await uow.projects.by_code("HP")
        assert hp_project is not None
        uow.staff.add(Staff(name="卫经理", department="office", role="manager", project_id=hp_project.id,
                            active=True, telegram_user_id=manager_chat, chat_id=manager_chat,
                            created_at=harness.clock.now()))
        await uow.commit()
    await _plan_at(harness, datetime(2026, 12, 2, 9, 0, tzinfo=SHANGHAI))
    await _plan_at(harness, datetime(2026, 12, 2, 9, 1, tzinfo=SHANGHAI))  # once
    assert len([t for t in manager.texts() if t.startswith("📝 湖畔 2026-11")]) == 1
    await cs.press("✔ 批准", fallback_card)  # no longer the approver
    assert _alert(harness) == "只有这份报告的审批人（所属项目的管理处经理）可以审批。"
    await manager.press("↩ 退回修改", _card(manager)[2])
    await manager.say("请补充十一月的电话投诉")
    assert (await _issue(harness, "HP")).status == "returned"
    await _plan_at(harness, datetime(2026, 12, 4, 9, 0, tzinfo=SHANGHAI))
    reminder = [m for m in cs.received() if (m.get("text") or "").startswith("⏰ 湖畔")]
    assert len(reminder) == 1 and cs.buttons(reminder[0]) == ["↻ 重新提交"]
    told = [m for m in manager.received() if (m.get("text") or "").startswith("⏰ 湖畔")]
    assert len(told) == 1 and not cs.buttons(told[0])  # the approver waits: no button for him
    [_prompt] = await cs.press("↻ 重新提交", reminder[0])
    await cs.say("已补充电话投诉两件")
    issue = await _issue(harness, "HP")
    assert (issue.status, issue.version) == ("submitted", 2)


async def test_an_office_added_after_the_month_has_no_report_of_it(harness: BotHarness, team: Team) -> None:
    """湖滨, added on 1 December with its office manager, gets no November report; 华苑 does."""
    await _seed(harness, team)
    async with harness.uow() as uow:
        hb = await admin.add_project(uow, "HB", "湖滨", "CN", "Asia/Shanghai", DEC_1.replace(hour=8))
        uow.staff.add(Staff(name="蒋经理", department="office", role="manager", project_id=hb.id, active=True,
                            telegram_user_id=6501, chat_id=6501, created_at=DEC_1))
        await uow.commit()
    await _plan_at(harness, DEC_1)
    assert not [t for t in harness.person(6501).texts() if "投诉处理月报" in t]
    assert [t for t in harness.person(OFFICE_MANAGER).texts() if t.startswith("📝 华苑 2026-11")]
