"""/mydata (issue 14, item 8; DOMAIN 5.3): an owner gets what the company holds about him as one
workbook in chat, through the outbox, and the request is recorded; it holds his record, units,
cases, every consent decision, his survey answers and his messages — nobody else's. Staff and
unknown people get a sentence, not a file."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import select, update

from dialogs.engine import Reply
from dialogs.text import Plain
from services.pushes.outbox import enqueue
from services.pushes.purposes import Purpose
from storage.models import Owner
from storage.models.care import Consent, DataRequest
from storage.models.cases import Ticket
from storage.models.inquiries import CommunicationEntry
from storage.models.surveys import SurveyAnswer
from tests.e2e.conftest import CHAN, WANG
from tests.factories import CHAN_PHONE, LI_PHONE, WANG_PHONE, Team
from tests.harness import BotHarness
from tests.survey_fixture import seed_campaigns


def _ticket(owner_id: int, number: str, description: str, now: object) -> Ticket:
    return Ticket(number=number, kind="complaint", owner_id=owner_id, category="quality", description=description,
                  attachments=[], contact_phone=None, lead_department="customer_service", assisting_departments=[],
                  status="closed", major=False, received_at=now, closed_at=now, rating_result=4, rating_attitude=5,
                  rating_comment="师傅很耐心", created_at=now, updated_at=now)


async def _seed(harness: BotHarness) -> tuple[int, int]:
    now = harness.clock.now()
    async with harness.uow() as uow:
        await seed_campaigns(uow, now)
        wang = await uow.owners.by_phone(WANG_PHONE)
        li = await uow.owners.by_phone(LI_PHONE)
        other = (await uow.session.scalars(select(Owner).where(Owner.name == "业主1"))).one()
        assert wang is not None and li is not None
        # 业主1's answers of the current campaign become 王芳's; 业主2's stay theirs.
        await uow.session.execute(update(SurveyAnswer).where(SurveyAnswer.owner_id == other.id)
                                  .values(owner_id=wang.id))
        uow.session.add_all([
            _ticket(wang.id, "TS-2026-000001", "楼上漏水到我家客厅", now),
            _ticket(li.id, "TS-2026-000002", "李伟的车位问题", now),
            Consent(owner_id=wang.id, kind="surveys", granted=True, wording="v1", source="chat",
                    recorded_at=now - timedelta(days=2)),
            Consent(owner_id=wang.id, kind="surveys", granted=False, wording="v1", source="settings",
                    recorded_at=now - timedelta(days=1)),
            CommunicationEntry(created_at=now, kind="suggestion", owner_id=wang.id, text="建议小区多装路灯",
                               status="open"),
            CommunicationEntry(created_at=now, kind="inquiry", owner_id=li.id, text="李伟的咨询", status="open"),
        ])
        await uow.commit()
        return wang.id, li.id


async def test_the_owner_gets_his_own_data_as_one_workbook(harness: BotHarness, team: Team) -> None:
    wang_id, _ = await _seed(harness)
    wang = harness.person(WANG)

    await wang.say("/mydata")
    await harness.settle()
    document, message = wang.received()[-2:]
    assert message["text"] == "上面的文件是我们保存的关于您的全部资料。"
    day = harness.clock.now().date().isoformat()  # the test clock is in Shanghai's day
    assert document["document"]["file_name"] == f"我的资料 {day}.xlsx"
    book = load_workbook(io.BytesIO(harness.emulator.files[document["document"]["file_id"]][0]))
    assert book.sheetnames == ["个人资料", "房产", "案件", "同意记录", "问卷回答", "留言"]

    def values(sheet: str) -> list[list[object]]:
        return [[c.value for c in row] for row in book[sheet].iter_rows(min_row=3)]

    profile = {row[0]: row[1] for row in values("个人资料")}
    assert profile["姓名"] == "王芳" and profile["电话"] == WANG_PHONE
    assert values("房产")[0][:3] == ["华苑", "1栋", "1201"]
    [case] = values("案件")
    assert case[0] == "TS-2026-000001" and case[7] == "楼上漏水到我家客厅" and case[9:] == [4, 5, "师傅很耐心"]
    consents = values("同意记录")
    assert [row[1] for row in consents] == ["同意", "撤回"] and [row[2] for row in consents] == ["v1", "v1"]
    answers = values("问卷回答")
    assert answers and {row[0] for row in answers} <= {"2025 mid-year", "2025 year-end", "2025 A mid-year",
                                                          "2026 mid-year"}
    [entry] = values("留言")
    assert entry[2] == "建议小区多装路灯"
    everything = repr([values(name) for name in book.sheetnames])
    assert "李伟" not in everything and "业主2" not in everything  # nobody else's data
    async with harness.uow() as uow:
        [request] = (await uow.session.scalars(select(DataRequest))).all()
        assert (request.owner_id, request.kind, request.status) == (wang_id, "export", "done")
        assert request.done_at is not None


async def test_staff_and_strangers_get_a_sentence_not_a_file(harness: BotHarness, team: Team) -> None:
    await _seed(harness)
    manager, stranger = harness.person(team.cs_manager), harness.person(7999)

    [answer] = await manager.say("/mydata")
    assert answer["text"] == "/mydata 供业主使用：向业主发送我们保存的其本人资料。您的员工资料由公司保管。"
    [answer] = await stranger.say("/mydata")
    assert answer["text"] == "此对话没有对应的业主记录。如果您是业主，请先发送 /start 登记。"
    await harness.settle()
    assert not [m for m in manager.received() + stranger.received() if m.get("document")]
    async with harness.uow() as uow:
        assert not (await uow.session.scalars(select(DataRequest))).all()


async def _counts(harness: BotHarness, owner_id: int) -> tuple[int, int, int]:
    """All survey answers, the owner's own, and his cases."""
    async with harness.uow() as uow:
        answers = (await uow.session.scalars(select(SurveyAnswer.owner_id))).all()
        cases = (await uow.session.scalars(select(Ticket.id).where(Ticket.owner_id == owner_id))).all()
        return len(answers), sum(1 for a in answers if a == owner_id), len(cases)


def _alert(harness: BotHarness) -> str:
    return str(list(harness.emulator.callback_answers.values())[-1]["text"])


async def test_deletion_approved_anonymises_the_owner_and_keeps_the_statistics(harness: BotHarness,
                                                                              team: Team) -> None:
    wang_id, _ = await _seed(harness)
    wang, manager, agent = harness.person(WANG), harness.person(team.cs_manager), harness.person(team.agent)
    total, his, cases = await _counts(harness, wang_id)
    assert his > 0 and cases == 1

    await wang.say("/mydata")
    await harness.settle()
    sent = wang.received()[-1]
    assert wang.buttons(sent) == ["🗑 删除我的个人资料"]
    [explained] = await wang.press("🗑", sent)
    assert explained["text"].startswith("删除个人资料意味着：您的姓名、电话号码、生日以及与本对话的绑定将被删除。")
    [asked] = await wang.press("✅ 是的，删除", explained)
    assert asked["text"] == "您的申请已记录并提交客户服务部。有结果后我们会在这里通知您。"
    await harness.settle()
    card = manager.received()[-1]
    assert card["text"].startswith("🗑 业主王芳（华苑 1栋-1201）申请删除其个人资料（申请 #")
    assert manager.buttons(card) == ["✅ 批准", "❌ 拒绝"]
    async with harness.uow() as uow:
        [request] = (await uow.session.scalars(select(DataRequest).where(DataRequest.kind == "deletion"))).all()
        assert (request.owner_id, request.status) == (wang_id, "requested")
        request_id = request.id

    await agent.press_data(f"r2:{request_id}:approve", card)  # not a manager
    assert _alert(harness) == "只有该业主所属的客户服务部经理可以审批删除申请。"
    await wang.press_data(f"r2:{request_id}:approve", card)  # the owner himself
    assert _alert(harness) == "只有该业主所属的客户服务部经理可以审批删除申请。"
    async with harness.uow() as uow:
        owner = await uow.owners.get(wang_id)
        assert owner is not None and owner.anonymised_at is None

    async with harness.uow() as uow:  # something queued for him for later: never sent once he is anonymised
        await enqueue(uow, key="test:later", purpose=Purpose.SURVEY, chat_id=WANG, owner_id=wang_id,
                      now=harness.clock.now(), not_before=harness.clock.now() + timedelta(days=1),
                      reply=Reply(Plain("later")))
        await uow.commit()
    [done] = await manager.press("✅ 批准", card)
    assert done["text"] == f"已完成：该业主的个人资料已删除（申请 #{request_id}）。"
    await harness.settle()
    assert wang.texts()[-1].startswith("已按您的要求删除您的个人资料。")
    async with harness.uow() as uow:
        owner = await uow.owners.get(wang_id)
        assert owner is not None
        assert (owner.name, owner.phone) == (f"已注销业主 #{wang_id}", f"deleted:{wang_id}")
        assert (owner.birthday_month, owner.birthday_day, owner.telegram_user_id, owner.chat_id) == (None,) * 4
        assert owner.anonymised_at is not None
        assert await uow.owners.by_phone(WANG_PHONE) is None
        ticket = (await uow.session.scalars(select(Ticket).where(Ticket.owner_id == wang_id))).one()
        assert ticket.contact_phone is None and ticket.description == "楼上漏水到我家客厅"
        done_request = await uow.data_requests.get(request_id)
        assert done_request is not None and done_request.status == "done"
        assert done_request.decided_by is not None and done_request.decided_at and done_request.done_at
        later = await uow.outbox.by_key("test:later")
        assert later is not None and later.status == "cancelled"
    assert await _counts(harness, wang_id) == (total, 0, 1)  # every answer and the case still counted

    # Old buttons: his confirmation, the manager's decision; and /mydata no longer knows him.
    await wang.press_data("r1:confirm", explained)
    assert _alert(harness) == "只有已登记的业主才能申请删除本人的个人资料。"
    await manager.press_data(f"r2:{request_id}:approve", card)
    assert _alert(harness) == "该申请已经处理。"
    [answer] = await wang.say("/mydata")
    assert answer["text"] == "此对话没有对应的业主记录。如果您是业主，请先发送 /start 登记。"


async def test_deletion_refused_with_a_reason(harness: BotHarness, team: Team) -> None:
    wang_id, _ = await _seed(harness)
    wang, manager = harness.person(WANG), harness.person(team.cs_manager)

    [explained] = await wang.say("/mydata delete")
    [kept] = await wang.press("✖ 不，保留", explained)
    assert kept["text"] == "没有任何更改，您的资料已保留。"
    [explained] = await wang.say("/mydata delete")
    await wang.press("✅ 是的，删除", explained)
    [again] = await wang.say("/mydata delete")
    [twice] = await wang.press("✅ 是的，删除", again)
    assert twice["text"] == "您已经申请删除个人资料，请等待客户服务部处理。"
    await harness.settle()
    card = manager.received()[-1]
    [prompt] = await manager.press("❌ 拒绝", card)
    assert prompt["text"].startswith("拒绝删除的原因是什么？")
    [refused] = await manager.say("您还有未结清的维修款项，结清后可再申请")
    assert refused["text"].endswith("已拒绝，已将原因告知业主。")
    await harness.settle()
    assert wang.texts()[-1] == "您删除个人资料的申请未获批准。原因：您还有未结清的维修款项，结清后可再申请"
    async with harness.uow() as uow:
        owner = await uow.owners.get(wang_id)
        assert owner is not None and owner.name == "王芳" and owner.anonymised_at is None
        [request] = (await uow.session.scalars(select(DataRequest).where(DataRequest.kind == "deletion"))).all()
        assert (request.status, request.reason) == ("refused", "您还有未结清的维修款项，结清后可再申请")
        assert request.decided_by is not None and request.decided_at is not None and request.done_at is None
    await manager.press("✅ 批准", card)
    assert _alert(harness) == "该申请已经处理。"


async def test_hong_kong_export_names_the_handover_and_says_when_a_sheet_is_empty(harness: BotHarness,
                                                                                  team: Team) -> None:
    """陳大文 (Hong Kong): the units sheet's date is the handover (交樓日期), not a second move-in date
    beside the profile's 入住日期; a sheet with nothing in it says so in one row; a decision recorded
    from the consent form reads as such."""
    async with harness.uow() as uow:
        chan = await uow.owners.by_phone(CHAN_PHONE)
        assert chan is not None
        uow.session.add(Consent(owner_id=chan.id, kind="greetings", granted=True, wording="paper", source="admin",
                                recorded_at=harness.clock.now() - timedelta(days=1)))
        await uow.commit()
    chan_chat = harness.person(CHAN)
    await chan_chat.say("/mydata")
    await harness.settle()
    document = next(m for m in reversed(chan_chat.received()) if "document" in m)
    book = load_workbook(io.BytesIO(harness.emulator.files[document["document"]["file_id"]][0]))
    profile, units, cases, consents, answers, messages = (book[name] for name in book.sheetnames)

    def row(sheet: object, number: int) -> list[object]:
        return [c.value for c in next(sheet.iter_rows(min_row=number, max_row=number))]  # type: ignore[attr-defined]

    assert row(units, 2)[3] == "交樓日期"
    assert "入住日期" in [r[0] for r in profile.iter_rows(min_row=3, values_only=True)]
    for empty in (cases, answers, messages):
        assert row(empty, 3)[0] == "沒有記錄" and empty.max_row == 3
    assert row(consents, 3)[3] == "書面同意書"
