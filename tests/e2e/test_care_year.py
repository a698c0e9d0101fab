"""A year of care (issue 14, item 9): the real bot and the Bot API emulator on an injected clock moved
day by day from 27 February 2027 to 12 July 2028 (a common year's 28 February, a leap year's
29 February, lunar 2027 without a leap month and lunar 2028 with its 闰五月). At the end the
emulator's log says exactly which owner got which care message on which local date and hour — the
table OWNERS — and nothing else:

- birthdays: solar, lunar, born in a leap month (celebrated in the regular month), day 30 in a
  29-day month (day 29), 29 February (28 February in a common year), in the owner's language;
- quiet hours: the 06:00 round plans, the message goes out at 09:00; a 21:00 round sends nothing;
- a construction milestone for one building (owners who consented to events) and a delivery notice
  10 days before a unit's delivery date, with the project's guide (no consent needed);
- consent withdrawn in /settings while the greeting, or the milestone, waits for 09:00: cancelled,
  nothing arrives; an owner who turns greetings on at noon of his birthday is greeted at 13:00;
- an owner who blocked the bot: one attempt (403), marked blocked, nothing tried while he is; when
  he unblocks and writes again, greeted on his next birthday;
- 200 owners with the same birthday and a milestone of their building that day (400 rows), and the
  bot restarted in the middle of sending them: each gets exactly one of each, nothing lost, nothing
  twice;
- the statistics customer service sees (planned, sent, blocked, opted out) agree.
Two bugs it found are reproduced at the bottom: a greeting that missed 20:00 is dropped, not sent at
night; greetings turned off and on again the same morning still greet.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from services.care.calendar_admin import add_document
from services.care.notices import NoticeRequest, schedule
from services.care.stats import month_stats, notice_stats
from services.people import admin
from services.people.roster_import import import_roster
from storage.models import CareNotice, OutboxMessage, Owner, Unit
from storage.models.care import Consent
from storage.repositories.care_notices import Counts
from tests.harness import BotHarness

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_DAY, LAST_DAY = date(2027, 2, 27), date(2028, 7, 12)
# Every day a planner round at 06:00 (before the window: rows are written, nothing goes out) and a
# drain at 09:00. On the days of the story (each delivery, each action, and the day before) also
# rounds at 13:00 and 21:00 (after the window: nothing goes out, nothing is planned for tomorrow).
# A round costs tens of milliseconds: four a day for 500 days would take minutes.
DAILY_ROUNDS, STORY_ROUNDS, DRAIN_HOURS = (6,), (13, 21), (9,)
# Each care message by the sign its built-in wording starts with; a document by its name.
SIGNS = {"🎂": "birthday", "🏗": "milestone", "📦": "delivery"}  # 🏗: topping out and scaffolding down
GUIDE = "交付指南.pdf"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MILESTONE_DAY = date(2027, 11, 18)  # 1栋 is topped out: to its owners who consented to events


@dataclass(frozen=True)
class Case:
    """One owner: his birthday as the roster enters it, his consents (on paper, before the year),
    the delivery date of his unit, and the care messages he must receive — (local date, local hour,
    message) — and no other."""

    name: str
    birthday: str
    expected: tuple[tuple[str, int, str], ...]
    greetings: bool = True
    events: bool = False
    locale: str | None = None
    delivery: date | None = None


B, M, D, G = "birthday", "milestone", "delivery", f"document {GUIDE}"
OWNERS: dict[int, Case] = {
    # chat id: who, birthday as entered, what reaches him (local date, hour, message)
    7301: Case("王芳 solar", "1980-05-03", (
        ("2027-05-03", 9, B), ("2027-11-18", 9, M),
        ("2027-12-10", 9, D), ("2027-12-10", 9, G),  # her unit is handed over on 2027-12-20: the notice, its guide
        ("2028-05-03", 9, B)), events=True, delivery=date(2027, 12, 20)),
    # 中秋 2027 = 09-15 (2028's, 10-03, is after the span); withdraws events at 07:00 on the milestone's day
    7302: Case("李伟 lunar 中秋", "农历08-15", (("2027-09-15", 9, B),), events=True),
    # 闰六月初一 2025 = 2025-07-25 (DOMAIN 4.7); celebrated on 六月初一: 2027-07-04 (2028-07-22 is after the span)
    7303: Case("闰六月 born", "农历闰06-01", (("2027-07-04", 9, B),)),
    # 三月 has 29 days in lunar 2027 (三月廿九 = 2027-05-05) and 30 in 2028 (三月三十 = 2028-04-24)
    7304: Case("三月三十", "农历03-30", (("2027-05-05", 9, B), ("2028-04-24", 9, B))),
    # 腊月 of lunar 2027 has 29 days: 腊月廿九 = 除夕 = 2028-01-25
    7305: Case("腊月三十", "农历12-30", (("2028-01-25", 9, B),)),
    # 2028 has a 闰五月: 五月十五 = 2028-06-07, 闰五月十五 = 2028-07-07 — once, in the regular month
    7306: Case("闰五月 born", "农历闰05-15", (("2027-06-19", 9, B), ("2028-06-07", 9, B))),
    7307: Case("五月十五", "农历05-15", (("2027-06-19", 9, B), ("2028-06-07", 9, B))),
    7308: Case("29 February", "1988-02-29", (("2027-02-28", 9, B), ("2028-02-29", 9, B))),
    7309: Case("陳大文 Hong Kong", "1975-12-24", (("2027-11-18", 9, M), ("2027-12-24", 9, B)),
               events=True, locale="zh_Hant_HK"),
    # Greeted in 2027; in 2028 his greeting is planned at 06:00 and at 07:00 he turns greetings off.
    7310: Case("withdraws greetings", "1982-03-20", (("2027-03-20", 9, B), ("2027-11-18", 9, M)), events=True),
    # No consent until noon of his birthday, when he turns greetings on: the 13:00 round greets him.
    # His unit is handed over on 2028-03-15: the delivery notice needs no consent.
    7311: Case("opts in at noon", "1991-08-08", (("2027-08-08", 13, B), ("2028-03-05", 9, D), ("2028-03-05", 9, G)),
               greetings=False, delivery=date(2028, 3, 15)),
    7312: Case("never opted in", "1990-06-01", (), greetings=False),
    # 403 on 2027-04-01: marked blocked, nothing more tried (not the milestone); he unblocks the bot
    # and writes to it on 2028-01-10, and is greeted again on 2028-04-01.
    7313: Case("blocked the bot", "1970-04-01", (("2028-04-01", 9, B),), events=True),
}
LI, WITHDRAWS, OPTS_IN, NEVER, BLOCKED = 7302, 7310, 7311, 7312, 7313
# 200 owners of 3栋 with the same birthday: the fan-out the bot is restarted in the middle of.
# 200 owners of 3栋 born on 10 October, and 3栋 scaffolding down that day: two rows each, 400 in all.
FAN_OUT = {8000 + n: Case(f"fan-out {n}", "1985-10-10", (("2027-10-10", 9, B), ("2027-10-10", 9, M)), events=True)
           for n in range(200)}
FAN_OUT_DAY = date(2027, 10, 10)
RESTART_AFTER = 40  # messages sent before the old process stops
EVERYONE = {**OWNERS, **FAN_OUT}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), SHANGHAI)


@dataclass
class Year:
    """The bot, and every message an owner got from it unasked, stamped with the local moment the
    clock showed when it arrived."""

    harness: BotHarness
    seen: Counter[int] = field(default_factory=Counter)  # messages of each chat already accounted for
    got: dict[int, list[tuple[str, int, dict[str, Any]]]] = field(default_factory=lambda: defaultdict(list))
    restarts: list[int] = field(default_factory=list)  # fan-out messages sent before each restart
    halfway: list[int] = field(default_factory=list)  # fan-out chats with one of their two rows sent at the restart
    tried_while_blocked: list[str] = field(default_factory=list)  # what the bot tried to send to BLOCKED

    async def step(self, at: datetime, *, plan: bool) -> None:
        self.harness.clock.set(at)
        if plan:
            assert self.harness.runtime is not None
            await self.harness.runtime.planner_loop().run_once()
        await self.harness.settle()
        self.record(at)

    def record(self, at: datetime) -> None:
        """Stamp the owners' new messages with ``at`` (local date and hour)."""
        local = at.astimezone(SHANGHAI)
        for chat in EVERYONE:
            messages = self.harness.emulator.bot_messages(chat)
            for message in messages[self.seen[chat]:]:
                self.got[chat].append((local.date().isoformat(), local.hour, message))
            self.seen[chat] = len(messages)

    async def switch(self, chat: int, label: str) -> None:
        """The owner opens /settings and taps one button, as he would in chat; the bot's answers
        are not care messages."""
        self.record(self.harness.clock.now())
        person = self.harness.person(chat)
        [view] = await person.say("/settings")
        await person.press(label, view)
        self.seen[chat] = len(self.harness.emulator.bot_messages(chat))


    async def unblock(self, chat: int) -> None:
        """The owner unblocks the bot and writes to it again."""
        self.record(self.harness.clock.now())
        self.tried_while_blocked = [method for method, params in self.harness.emulator.calls
                                    if method.startswith("send") and str(params.get("chat_id")) == str(chat)]
        self.harness.emulator.blocked.discard(chat)
        await self.harness.person(chat).say("/start")
        self.seen[chat] = len(self.harness.emulator.bot_messages(chat))


async def _seed(harness: BotHarness) -> dict[int, int]:
    """The project, its owners as a roster imports them, bound to their chats, their consents,
    their units' delivery dates, the delivery guide and the milestone; owner id by chat."""
    now = _at(FIRST_DAY, 0) - timedelta(days=30)
    harness.clock.set(now)
    async with harness.uow() as uow:
        await admin.add_project(uow, "HY", "华苑", "CN", "Asia/Shanghai", now)
        rows = [{"project": "HY", "building": "3栋" if chat in FAN_OUT else "1栋", "unit": str(chat),
                 "name": case.name, "phone": f"139{chat:08d}", "birthday": case.birthday,
                 **({"locale": case.locale} if case.locale else {})} for chat, case in EVERYONE.items()]
        report = await import_roster(uow, rows, now)
        assert report.ok, report.errors
        owners = {owner.phone: owner for owner in (await uow.session.scalars(select(Owner))).all()}
        ids: dict[int, int] = {}
        for chat, case in EVERYONE.items():
            owner = owners[f"+86139{chat:08d}"]
            owner.telegram_user_id = owner.chat_id = chat
            owner.bound_at = now  # bound in chat, and asked about consent then (on paper here)
            ids[chat] = owner.id
            for kind, granted in (("greetings", case.greetings), ("events", case.events)):
                if granted:
                    uow.session.add(Consent(owner_id=owner.id, kind=kind, granted=True, wording="v1",
                                            source="chat", recorded_at=now))
            if case.delivery:
                await uow.session.execute(update(Unit).where(Unit.number == str(chat))
                                          .values(delivery_date=case.delivery))
        await add_document(uow, "HY", GUIDE, PDF, now)
        await schedule(uow, NoticeRequest("HY", "topping_out", MILESTONE_DAY, building="1栋"), now)
        await schedule(uow, NoticeRequest("HY", "scaffolding_down", FAN_OUT_DAY, building="3栋"), now)
        await uow.commit()
    for chat, case in EVERYONE.items():
        harness.emulator.user(chat, case.name, "zh-hant" if case.locale else "zh-hans")
    harness.emulator.block(BLOCKED)
    return ids


async def _restart_in_fan_out(year: Year) -> None:
    """09:00 of the fan-out day: the bot, paced as Telegram wants (30 messages/s), starts sending the
    400 rows the 06:00 round planned (a greeting and a milestone per chat); after RESTART_AFTER
    messages the process stops as a deploy stops it (the second row of a chat, claimed with the
    first, goes back unsent), and a new one on the same database sends the rest."""
    harness = year.harness
    await harness.stop()  # nothing is due before 09:00: the process stops idle
    harness.clock.set(_at(FAN_OUT_DAY, 9))
    harness.telegram_limits = True
    await harness.start()
    assert harness.runtime is not None
    harness.runtime.wake_sender()

    def sent() -> int:
        return sum(len(harness.emulator.bot_messages(chat)) for chat in FAN_OUT)

    await harness.emulator.wait_until(lambda: sent() >= RESTART_AFTER, 20.0)
    # SIGTERM: the drain stops (the sends in flight finish and are recorded, the rows it claimed
    # and did not send go back), then the process ends.
    await harness.runtime.stop_background()
    await harness.crash()
    year.restarts.append(sent())
    year.halfway = [chat for chat in FAN_OUT if len(harness.emulator.bot_messages(chat)) == 1]
    harness.telegram_limits = False
    await harness.start()
    await year.step(_at(FAN_OUT_DAY, 9), plan=False)


Action = Callable[[Year], Awaitable[None]]
ACTIONS: dict[datetime, Action] = {
    _at(date(2027, 8, 8), 12): lambda year: year.switch(OPTS_IN, "开启：🎂 生日及家庭喜庆祝福"),
    _at(MILESTONE_DAY, 7): lambda year: year.switch(LI, "关闭：📰 社区活动与资讯"),
    _at(date(2028, 1, 10), 10): lambda year: year.unblock(BLOCKED),
    _at(date(2028, 3, 20), 7): lambda year: year.switch(WITHDRAWS, "关闭：🎂 生日及家庭喜庆祝福"),
}


def _story_days() -> set[date]:
    days = {date.fromisoformat(day) for case in EVERYONE.values() for day, _, _ in case.expected}
    days |= {at.date() for at in ACTIONS} | {date(2027, 4, 1), date(2028, 7, 7)}
    return days | {day - timedelta(days=1) for day in days}


async def test_a_year_of_care_messages(harness: BotHarness) -> None:
    ids = await _seed(harness)
    year, story = Year(harness), _story_days()
    day = FIRST_DAY
    while day <= LAST_DAY:
        hours = DAILY_ROUNDS + DRAIN_HOURS + (STORY_ROUNDS if day in story else ())
        for at in sorted({*(_at(day, hour) for hour in hours), *(at for at in ACTIONS if at.date() == day)}):
            if at in ACTIONS:
                harness.clock.set(at)
                await ACTIONS[at](year)
            elif day == FAN_OUT_DAY and at.hour == 9:
                await _restart_in_fan_out(year)
            else:
                await year.step(at, plan=at.hour not in DRAIN_HOURS)
        day += timedelta(days=1)
    await _check(year, ids)


def _kind(message: dict[str, Any]) -> str:
    """Which care message this is: its sign, or the document's name."""
    if document := message.get("document"):
        return f"document {document['file_name']}"
    text = message.get("text") or message.get("caption") or ""
    return next((kind for sign, kind in SIGNS.items() if text.startswith(sign)), f"unexpected: {text!r}")


def _texts(year: Year, chat: int) -> list[str]:
    return [message.get("text") or "" for _, _, message in year.got[chat]]


async def _check(year: Year, ids: dict[int, int]) -> None:
    got = {chat: [(day, hour, _kind(message)) for day, hour, message in year.got.get(chat, [])]
           for chat in EVERYONE}
    # Exactly the table: the right day, the right hour, once each.
    assert {OWNERS[chat].name: got[chat] for chat in OWNERS} == \
        {case.name: list(case.expected) for case in OWNERS.values()}
    # The fan-out: the restart came in the middle, and each of the 200 got one greeting and one milestone.
    [before_restart] = year.restarts
    assert RESTART_AFTER <= before_restart < 2 * len(FAN_OUT)
    assert year.halfway  # a chat's second row, claimed with its first, went back and came from the new process
    assert {chat: sorted(got[chat]) for chat in FAN_OUT} == {chat: sorted(case.expected) for chat, case in FAN_OUT.items()}
    # Quiet hours: nothing reached an owner before 09:00 or after 20:00.
    assert all(9 <= hour < 20 for deliveries in got.values() for _, hour, _ in deliveries)
    # In the owner's language.
    assert "生日快乐" in _texts(year, 7301)[0] and "顺利封顶" in _texts(year, 7301)[1]
    assert "生日快樂" in _texts(year, 7309)[1] and "順利平頂" in _texts(year, 7309)[0]
    assert "2027年12月20日" in _texts(year, 7301)[2]  # the delivery date the notice announces (its guide after it)

    async with year.harness.uow() as uow:
        # The statistics customer service sees (/care, `care stats`) agree with what happened.
        notices = {notice.kind: notice for notice in (await uow.session.scalars(select(CareNotice))).all()}
        assert (await notice_stats(uow, notices["topping_out"])).counts == Counts(planned=4, sent=3, opted_out=1)
        assert (await notice_stats(uow, notices["scaffolding_down"])).counts == Counts(planned=200, sent=200)
        assert (await month_stats(uow, date(2027, 4, 1)))["birthday"] == Counts(planned=1, blocked=1)
        march = await month_stats(uow, date(2028, 3, 1))
        assert (march["birthday"], march["delivery"]) == (Counts(planned=1, opted_out=1), Counts(planned=1, sent=1))
        rows = {row.key: row for row in (await uow.session.scalars(select(OutboxMessage))).all()
                if row.owner_id is not None}
        blocked = await uow.session.get(Owner, ids[BLOCKED])
        uow.session.expunge_all()  # read after the unit of work: the rows as they were
    by_owner: dict[int, list[OutboxMessage]] = defaultdict(list)
    for row in rows.values():
        by_owner[row.owner_id or 0].append(row)
    # Quiet hours in the outbox: written by the 06:00 round (13:00 for the owner who opted in at
    # noon), sent at 09:00 (13:00) — the rows of the table, each planned and sent on its day.
    sent = sorted((row.created_at.astimezone(SHANGHAI), row.sent_at.astimezone(SHANGHAI))
                  for row in rows.values() if row.status == "sent" and row.sent_at is not None)
    assert {(planned.time(), at.time()) for planned, at in sent} == {(time(6), time(9)), (time(13), time(13))}
    assert all(planned.date() == at.date() for planned, at in sent)
    # Withdrawn while waiting for 09:00: cancelled at once.
    greeting = rows[f"birthday:{ids[WITHDRAWS]}:2028"]
    assert (greeting.status, greeting.last_error) == ("cancelled", "consent withdrawn: greetings")
    [milestone] = [row for row in by_owner[ids[LI]] if row.key.startswith("milestone:")]
    assert (milestone.status, milestone.last_error) == ("cancelled", "consent withdrawn: events")
    # The owner who blocked the bot: one attempt (403), marked blocked, nothing planned for him while
    # he was (not the milestone); once he wrote again, unblocked and greeted.
    assert year.tried_while_blocked == ["sendMessage"]
    assert [(row.key, row.status) for row in sorted(by_owner[ids[BLOCKED]], key=lambda row: row.id)] == [
        (f"birthday:{ids[BLOCKED]}:2027", "failed"), (f"birthday:{ids[BLOCKED]}:2028", "sent")]
    assert blocked is not None and not blocked.blocked
    # Nothing written for the owner who never opted in but what needs no consent.
    assert [row.key.split(":")[0] for row in by_owner[ids[NEVER]]] == []
    # Every row of an owner is settled: one sent row per message of the table (a delivery notice
    # and its guide are one row), the two withdrawals cancelled, the blocked owner's failed.
    messages = sum(1 for case in EVERYONE.values() for _, _, kind in case.expected if kind != G)
    assert Counter(row.status for row in rows.values()) == Counter(sent=messages, cancelled=2, failed=1)


# ---------------------------------------------------------------- bugs found, fixed
# Each is a short reproduction on the same owners (they were strict xfails until fixed).


async def test_a_greeting_missed_by_20_00_does_not_go_out_at_night(harness: BotHarness) -> None:
    """The bot is down from 08:00 to 22:00: the greeting written at 06:00 for 09:00 has missed its day
    (cancelled: neither at night nor a day late); a delivery notice still matters and goes out at
    09:00 the next morning."""
    ids = await _seed(harness)
    year = Year(harness)
    for day in (date(2027, 5, 3), date(2028, 3, 5)):  # 王芳's birthday; OPTS_IN's delivery notice (unit: 03-15)
        await year.step(_at(day, 6), plan=True)  # written for 09:00
        await harness.stop()  # the bot is down from 08:00 …
        harness.clock.set(_at(day, 22))
        await harness.start()  # … to 22:00
        await year.step(_at(day, 22), plan=True)
        await year.step(_at(day + timedelta(days=1), 6), plan=True)
        await year.step(_at(day + timedelta(days=1), 9), plan=False)
    assert not [message for _, _, message in year.got[7301] if _kind(message) == B]
    assert [(day, hour, _kind(message)) for day, hour, message in year.got[OPTS_IN]] == [
        ("2028-03-06", 9, D), ("2028-03-06", 9, G)]
    async with harness.uow() as uow:
        greeting = await uow.outbox.by_key(f"birthday:{ids[7301]}:2027")
        assert greeting is not None and (greeting.status, greeting.last_error) == ("cancelled", "missed its day")


async def test_greetings_turned_off_and_on_again_the_same_morning_still_greet(harness: BotHarness) -> None:
    await _seed(harness)
    year, birthday = Year(harness), date(2027, 3, 20)  # the WITHDRAWS owner's
    await year.step(_at(birthday, 6), plan=True)
    harness.clock.set(_at(birthday, 7))
    await year.switch(WITHDRAWS, "关闭：🎂 生日及家庭喜庆祝福")
    harness.clock.set(_at(birthday, 8))
    await year.switch(WITHDRAWS, "开启：🎂 生日及家庭喜庆祝福")
    await year.step(_at(birthday, 9), plan=True)
    await year.step(_at(birthday, 13), plan=True)
    assert [(day, hour, _kind(message)) for day, hour, message in year.got[WITHDRAWS]] == [("2027-03-20", 9, B)]
