"""Notices to a project's or building's owners (issue 14 items 3, 6): who gets a row (scope,
consent, blocked, anonymised, one per owner), idempotent planning, the 09:00 window, the checks of
a scheduled notice, cancelling, and the campaign statistics. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.i18n import Catalogs
from dialogs.text import Lines, Msg
from services.care.care_chat import FAMILY_LABELS, FAMILY_LINE, care_card
from services.care.consent import ConsentKind
from services.care.notice_rule import NoticeRule
from services.care.notices import (
    Attachment,
    NoticeError,
    NoticeRequest,
    campaign_prefix,
    cancel,
    notice_text,
    schedule,
)
from services.care.stats import Scope, month_stats, notice_stats
from services.people import admin
from services.people.project_names import set_name
from services.pushes.planner import plan
from storage.models import CareNotice, OutboxMessage, Owner, Staff
from storage.uow import UnitOfWork
from tests.consent_helpers import consent_to
from tests.factories import CHAN_PHONE, LI_PHONE, WANG_PHONE, seed_roster

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 7, 7, 0, tzinfo=SHANGHAI).astimezone(UTC)  # 07:00 in Shanghai
PDF = b"%PDF-1.4\n%test\n"


async def _owners(uow_factory: Callable[[], UnitOfWork]) -> dict[str, int]:
    """The roster, every owner bound; 王芳 (1栋) and 李伟 (1栋 and 2栋) and 陳大文 (2栋) consented to events."""
    async with uow_factory() as uow:
        await seed_roster(uow, NOW - timedelta(days=30))
        ids = {}
        for n, (name, phone) in enumerate((("wang", WANG_PHONE), ("li", LI_PHONE), ("chan", CHAN_PHONE))):
            owner = await uow.owners.by_phone(phone)
            assert owner is not None
            owner.chat_id = 9000 + n
            ids[name] = owner.id
        await uow.session.flush()
        await consent_to(uow, ids.values(), NOW - timedelta(days=1), ConsentKind.EVENTS)
        await uow.commit()
    return ids


async def _schedule(uow_factory: Callable[[], UnitOfWork], request: NoticeRequest) -> int:
    async with uow_factory() as uow:
        notice, _ = await schedule(uow, request, NOW)
        await uow.commit()
        return notice.id


async def _plan(uow_factory: Callable[[], UnitOfWork], at: datetime) -> list[str]:
    async with uow_factory() as uow:
        report = await plan(uow, at, rules=[NoticeRule()])
        await uow.commit()
        return sorted(report.keys)


async def test_a_building_notice_reaches_its_consenting_owners_once(uow_factory: Callable[[], UnitOfWork]) -> None:
    ids = await _owners(uow_factory)
    async with uow_factory() as uow:  # 王芳 withdrew; 陳大文 (2栋) is out of scope
        await consent_to(uow, [ids["wang"]], NOW, ConsentKind.EVENTS, granted=False)
        await uow.commit()
    notice_id = await _schedule(uow_factory, NoticeRequest(
        "HY", "topping_out", NOW.astimezone(SHANGHAI).date(), building="1栋", attachments=(Attachment("news.pdf", PDF),)))

    keys = await _plan(uow_factory, NOW)
    async with uow_factory() as uow:
        notice = await uow.care_notices.get(notice_id)
        assert notice is not None and notice.status == "sent" and notice.planned_at == NOW
        prefix = campaign_prefix(notice)
        assert prefix == f"milestone:{notice.project_id}:topping_out.{notice_id}:"
        assert keys == [f"{prefix}{ids['li']}"]
        [row] = (await uow.session.scalars(select(OutboxMessage))).all()
        assert row.purpose == "event" and row.owner_id == ids["li"] and row.status == "pending"
        assert row.not_before == datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)  # not before 09:00 local
        assert [(m["kind"], m["name"]) for m in row.payload["media"]] == [("document", "news.pdf")]
    assert await _plan(uow_factory, NOW + timedelta(hours=3)) == []  # planned once


async def test_a_project_notice_gives_an_owner_of_several_units_one_row(uow_factory: Callable[[], UnitOfWork]) -> None:
    ids = await _owners(uow_factory)
    async with uow_factory() as uow:  # 王芳 blocked the bot; 陳大文 was anonymised
        await uow.session.execute(update(Owner).where(Owner.id == ids["wang"]).values(blocked=True))
        await uow.session.execute(update(Owner).where(Owner.id == ids["chan"]).values(anonymised_at=NOW))
        await uow.commit()
    day = NOW.astimezone(SHANGHAI).date()
    async with uow_factory() as uow:
        notice, audience = await schedule(uow, NoticeRequest(
            "HY", "community_event", day + timedelta(days=10), at=time(15, 0), place={"zh_Hans_CN": "会所"}), NOW)
        await uow.commit()
        assert (audience.owners, audience.reachable, audience.consenting) == (2, 1, 1)  # 陳大文 not counted
        assert notice.send_on == day + timedelta(days=3)  # a week before the event
    assert await _plan(uow_factory, NOW) == []  # not yet
    keys = await _plan(uow_factory, NOW + timedelta(days=3))
    assert keys == [f"event:{notice.project_id}:community_event.{notice.id}:{ids['li']}"]


async def test_a_due_notice_written_after_20_00_waits_for_the_next_morning(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    await _owners(uow_factory)
    day = NOW.astimezone(SHANGHAI).date()
    await _schedule(uow_factory, NoticeRequest("HY", "newsletter", day, attachments=(Attachment("n.png", b"\x89PNG\r\n\x1a\nxx"),)))
    evening = datetime.combine(day, time(21, 0), SHANGHAI)
    assert len(await _plan(uow_factory, evening)) == 3
    async with uow_factory() as uow:
        rows = (await uow.session.scalars(select(OutboxMessage))).all()
        assert {row.not_before for row in rows} == {datetime.combine(day + timedelta(days=1), time(9), SHANGHAI)}
        assert {m["kind"] for row in rows for m in row.payload["media"]} == {"photo"}


async def test_a_notice_is_checked_before_it_is_stored(uow_factory: Callable[[], UnitOfWork]) -> None:
    await _owners(uow_factory)
    day = NOW.astimezone(SHANGHAI).date()
    bad = [
        (NoticeRequest("XX", "topping_out", day), "no project"),
        (NoticeRequest("HY", "fireworks", day), "unknown notice kind"),
        (NoticeRequest("HY", "topping_out", day, building="9栋"), "no building"),
        (NoticeRequest("HY", "topping_out", day - timedelta(days=1)), "in the past"),
        (NoticeRequest("HY", "open_day", day + timedelta(days=9)), "needs --time"),
        (NoticeRequest("HY", "open_day", day + timedelta(days=9), at=time(10)), "needs a place"),
        (NoticeRequest("HY", "topping_out", day, texts={"en": "{name}, {colour} is up"}), "unknown placeholder {colour}"),
        (NoticeRequest("HY", "newsletter", day, attachments=(Attachment("x.pdf", b"MZ\x90\x00"),)), "not a PDF"),
        (NoticeRequest("HY", "newsletter", day, attachments=(Attachment("big.pdf", PDF + b"0" * 20 * 1024 * 1024),)),
         "at most"),
        (NoticeRequest("HY", "service_report", day), "needs --period"),
    ]
    for request, expected in bad:
        async with uow_factory() as uow:
            with pytest.raises(NoticeError, match=expected.replace("{", r"\{").replace("}", r"\}")):
                await schedule(uow, request, NOW)
    async with uow_factory() as uow:
        assert (await uow.session.scalars(select(CareNotice))).all() == []


async def test_cancelling_stops_the_pending_rows_and_the_statistics_count_outcomes(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    ids = await _owners(uow_factory)
    day = NOW.astimezone(SHANGHAI).date()
    notice_id = await _schedule(uow_factory, NoticeRequest("HY", "scaffolding_down", day))
    assert len(await _plan(uow_factory, NOW)) == 3
    async with uow_factory() as uow:  # 王芳's was sent, 李伟 blocked the bot, 陳大文 withdrew
        await uow.session.execute(update(OutboxMessage).where(OutboxMessage.owner_id == ids["wang"]).values(status="sent"))
        await uow.session.execute(update(OutboxMessage).where(OutboxMessage.owner_id == ids["li"])
                                  .values(status="failed", last_error="blocked"))
        await uow.session.execute(update(Owner).where(Owner.id == ids["li"]).values(blocked=True))  # as the drain does
        await consent_to(uow, [ids["chan"]], NOW, ConsentKind.EVENTS, granted=False)  # cancels his pending row
        await uow.commit()
    async with uow_factory() as uow:
        notice = await uow.care_notices.get(notice_id)
        assert notice is not None
        stats = await notice_stats(uow, notice)
        counts = stats.counts
        assert (counts.planned, counts.sent, counts.pending, counts.failed, counts.blocked, counts.opted_out) == (
            3, 1, 0, 0, 1, 1)
        # Who was in scope as when planned: 李伟 blocked and 陳大文 withdrew later — counted in the outcomes.
        assert stats.scope == Scope(in_scope=3, not_on_bot=0, without_consent=0, planned=3, now=False)
        assert notice.audience == {"in_scope": 3, "not_on_bot": 0, "without_consent": 0, "planned": 3}

    other = await _schedule(uow_factory, NoticeRequest("HY", "topping_out", day + timedelta(days=1)))
    async with uow_factory() as uow:  # not planned yet: who is in scope now (李伟 blocked, 陳大文 withdrew)
        notice = await uow.care_notices.get(other)
        assert notice is not None
        assert (await notice_stats(uow, notice)).scope == Scope(3, not_on_bot=1, without_consent=1, planned=1, now=True)
    assert len(await _plan(uow_factory, NOW + timedelta(days=1))) == 1  # 王芳 only now
    async with uow_factory() as uow:
        notice = await uow.care_notices.get(other)
        assert notice is not None
        assert await cancel(uow, notice) == 1
        await uow.commit()
    async with uow_factory() as uow:
        notice = await uow.care_notices.get(other)
        assert notice is not None and notice.status == "cancelled"
        counts = (await notice_stats(uow, notice)).counts
        assert (counts.planned, counts.pending, counts.cancelled) == (1, 0, 1)


async def test_notice_dates_are_local(uow_factory: Callable[[], UnitOfWork]) -> None:
    """At 23:30 UTC on 6 December it is already 7 December in Shanghai: a notice for the 7th goes."""
    await _owners(uow_factory)
    await _schedule(uow_factory, NoticeRequest("HY", "topping_out", date(2026, 12, 7)))
    assert len(await _plan(uow_factory, datetime(2026, 12, 6, 15, 30, tzinfo=UTC))) == 0  # 23:30 on the 6th
    assert len(await _plan(uow_factory, datetime(2026, 12, 6, 16, 30, tzinfo=UTC))) == 3  # 00:30 on the 7th


async def test_the_care_messages_of_a_month_are_counted_by_kind(uow_factory: Callable[[], UnitOfWork]) -> None:
    ids = await _owners(uow_factory)
    in_month, before = datetime(2026, 12, 1, 0, 30, tzinfo=SHANGHAI), datetime(2026, 11, 30, 23, 30, tzinfo=SHANGHAI)
    rows = [  # key, status, last_error, created_at
        (f"birthday:{ids['wang']}:2026", "sent", None, in_month),
        (f"birthday:{ids['li']}:2026", "failed", "blocked", in_month),
        (f"birthday:{ids['chan']}:2026", "cancelled", "no consent", in_month),  # the drain found no consent
        (f"birthday:{ids['chan']}:2025", "sent", None, before),  # November (Shanghai time): not counted
        (f"welcome:{ids['wang']}", "failed", "Bad Request: chat not found", in_month),
        (f"welcome:{ids['li']}", "cancelled", "consent withdrawn: greetings", in_month),
        (f"delivery:{ids['chan']}:1", "pending", None, in_month),
        (f"case:{ids['chan']}:1", "sent", None, in_month),  # not a care message
    ]
    async with uow_factory() as uow:
        for n, (key, status, error, created) in enumerate(rows):
            uow.session.add(OutboxMessage(key=key, purpose="greeting", priority=10, chat_id=9000 + n,
                                          owner_id=int(key.split(":")[1]),
                                          payload={}, status=status, not_before=created, next_attempt_at=created,
                                          attempts=0, last_error=error, created_at=created))
        await uow.commit()
    async with uow_factory() as uow:
        found = await month_stats(uow, date(2026, 12, 1))
    assert sorted(found) == ["birthday", "delivery", "welcome"]
    birthday, welcome, delivery = found["birthday"], found["welcome"], found["delivery"]
    assert (birthday.planned, birthday.sent, birthday.blocked, birthday.opted_out, birthday.failed) == (3, 1, 1, 1, 0)
    assert (welcome.planned, welcome.failed, welcome.opted_out) == (2, 1, 1)
    assert (delivery.planned, delivery.pending) == (1, 1)
    async with uow_factory() as uow:  # a project's staff: the rows to its owners only
        hy = await uow.projects.by_code("HY")
        other = await admin.add_project(uow, "LY", "绿苑", "CN", "Asia/Shanghai", in_month)
        assert hy is not None
        assert await month_stats(uow, date(2026, 12, 1), hy.id) == found
        assert await month_stats(uow, date(2026, 12, 1), other.id) == {}


async def test_an_event_notice_names_the_weekday_and_the_project_per_locale(
    uow_factory: Callable[[], UnitOfWork], catalogs: Catalogs,
) -> None:
    """The meeting's day with its weekday (owners decide whether they can come), the project as each
    locale's readers write it (`estatebot admin project name HY zh_Hant_HK 華苑`)."""
    await _owners(uow_factory)
    async with uow_factory() as uow:
        project = await uow.projects.by_code("HY")
        assert project is not None
        set_name(project, "zh_Hant_HK", "華苑")
        set_name(project, "en", "Huayuan")
        notice, _ = await schedule(uow, NoticeRequest(
            "HY", "owner_meeting", date(2026, 12, 20), at=time(19, 30), place={"zh_Hans_CN": "会所"},
            period="2026H2"), NOW)
        text = await notice_text(uow, notice, project, None)
        await uow.commit()
    read = {locale: catalogs.get(locale).render(text) for locale in ("zh_Hans_CN", "zh_Hant_HK", "zh_Hant_TW", "en")}
    assert "华苑" in read["zh_Hans_CN"] and "2026年12月20日星期日 19:30" in read["zh_Hans_CN"]
    assert "華苑" in read["zh_Hant_HK"] and "2026年12月20日星期日 19:30" in read["zh_Hant_HK"]
    assert "華苑" in read["zh_Hant_TW"] and "2026年12月20日 星期日 19:30" in read["zh_Hant_TW"]
    assert "Huayuan" in read["en"] and "Sunday, December 20, 2026 at 19:30" in read["en"]
    async with uow_factory() as uow:  # a milestone's day stays a plain date
        milestone, _ = await schedule(uow, NoticeRequest("HY", "topping_out", date(2026, 12, 20)), NOW)
        project = await uow.projects.by_code("HY")
        assert project is not None
        plain = catalogs.get("zh_Hans_CN").render(await notice_text(uow, milestone, project, None))
    assert "2026年12月20日" in plain and "星期" not in plain


async def test_a_project_managers_card_has_its_owners_month_lines(uow_factory: Callable[[], UnitOfWork]) -> None:
    ids = await _owners(uow_factory)
    async with uow_factory() as uow:
        project = await uow.projects.by_code("HY")
        assert project is not None
        created = datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI)
        uow.session.add(OutboxMessage(key=f"welcome:{ids['wang']}", purpose="care", priority=10, chat_id=9000,
                                      owner_id=ids["wang"], payload={}, status="sent", not_before=created,
                                      next_attempt_at=created, attempts=1, created_at=created))
        manager = Staff(name="孙经理", department="customer_service", role="manager", project_id=project.id,
                        active=True, created_at=NOW)
        uow.session.add(manager)
        await uow.session.flush()
        card = await care_card(uow, manager, NOW)
    assert isinstance(card.text, Lines)
    families = [item for item in card.text.items if isinstance(item, Msg) and item.msgid == FAMILY_LINE]
    assert [(line.params["kind"], line.params["planned"], line.params["sent"]) for line in families] == [
        (Msg(FAMILY_LABELS["welcome"]), 1, 1)]


async def test_care_card_leads_an_event_with_its_own_day_and_says_when_its_notice_goes_out(
    uow_factory: Callable[[], UnitOfWork], catalogs: Catalogs,
) -> None:
    """Staff read a line's leading date as the event's (QA14b #3): an event or meeting shows its own
    day with the weekday, then when the notice goes (or went) out; a milestone keeps its day."""
    await _owners(uow_factory)
    event = await _schedule(uow_factory, NoticeRequest("HY", "community_event", date(2026, 12, 20), at=time(19, 0),
                                                       place={"zh_Hans_CN": "会所"}, send_on=date(2026, 12, 10)))
    await _schedule(uow_factory, NoticeRequest("HY", "topping_out", date(2026, 12, 8), building="1栋"))
    async with uow_factory() as uow:
        manager = Staff(name="孙经理", department="customer_service", role="manager", active=True, created_at=NOW)
        uow.session.add(manager)
        await uow.session.flush()
        before = catalogs.get("zh_Hans_CN").render((await care_card(uow, manager, NOW)).text)
        # Planned (its rows written) later than the day it was meant for: the day it really went out.
        notice = await uow.care_notices.get(event)
        assert notice is not None
        notice.status, notice.planned_at = "sent", datetime(2026, 12, 12, 9, 0, tzinfo=SHANGHAI)
        await uow.session.flush()
        after = {locale: catalogs.get(locale).render((await care_card(uow, manager, NOW)).text)
                 for locale in ("zh_Hans_CN", "zh_Hant_HK", "zh_Hant_TW", "en")}
    assert "2026年12月20日星期日 · 通知将于2026年12月10日发出 · 社区文化活动 · 华苑：已排期" in before
    assert "2026年12月8日 · 封顶 · 华苑 1栋" in before
    assert "2026年12月20日星期日 · 通知于2026年12月12日发出 · 社区文化活动 · 华苑：" in after["zh_Hans_CN"]
    assert "2026年12月20日星期日 · 通知於2026年12月12日發出 · " in after["zh_Hant_HK"]
    assert "2026年12月20日 星期日 · 通知於2026年12月12日發出 · " in after["zh_Hant_TW"]
    assert "Sunday, December 20, 2026 · notice sent on Dec 12, 2026 · Community event · " in after["en"]
