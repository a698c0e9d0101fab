"""The outbox sender against the Bot API emulator over HTTP, on SQLite and PostgreSQL.

Most tests give the sender a fast limiter so they do not wait a second per message; the
rate-limit tests use limits that match the emulator's (Telegram's real ones in one of them).
Backoff is driven by moving the test clock, never by sleeping.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.i18n import Catalogs
from bot.sandbox.emulator import DEFAULT_TOKEN, BotAPIEmulator, RateLimits
from bot.settings import Settings
from dialogs.engine import Button, Reply
from dialogs.text import N_, Msg, Plain, Text
from services.common.clock import ManualClock
from services.pushes.drain import OutboxDrain
from services.pushes.outbox import enqueue
from services.pushes.purposes import Purpose
from services.pushes.ratelimit import RateLimiter
from services.pushes.transport import Transport
from storage.db import create_sessionmaker
from storage.models import Chat, OutboxMessage, Owner, Staff
from storage.uow import UnitOfWork
from tests.frameworks import transport_on
from tests.harness import BotHarness

WHAT = Msg(N_("What would you like to do?"))
HELP = Msg(N_("Help"))
SEND_METHODS = {"sendMessage", "sendPhoto", "sendDocument"}


@dataclass
class Env:
    emulator: BotAPIEmulator
    sessionmaker: async_sessionmaker[AsyncSession]
    transport: Transport
    clock: ManualClock
    catalogs: Catalogs
    dialect: str

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessionmaker)

    def sender(self, limiter: RateLimiter | None = None, *, batch: int = 50, max_attempts: int = 8) -> OutboxDrain:
        """A sender whose limiter lets tests run fast unless a test is about the limits."""
        fast = RateLimiter(overall_per_second=30, per_chat_per_second=100, per_chat_burst=10)
        return OutboxDrain(self.sessionmaker, self.transport, self.clock, "zh_Hans_CN",
                      limiter=limiter or fast, batch=batch, max_attempts=max_attempts)

    async def push(self, key: str, chat_id: int, text: Text = WHAT, *, buttons: Sequence[Button] = (),
                   owner_id: int | None = None, staff_id: int | None = None,
                   media: Sequence[dict[str, str]] = ()) -> bool:
        async with self.uow() as uow:
            added = await enqueue(uow, key=key, purpose=Purpose.CASE, chat_id=chat_id, reply=Reply(text, (tuple(buttons),)),
                                  now=self.clock.now(), owner_id=owner_id, staff_id=staff_id, media=media)
            await uow.commit()
        return added

    async def row(self, key: str) -> OutboxMessage:
        async with self.uow() as uow:
            row = await uow.outbox.by_key(key)
            assert row is not None
            uow.session.expunge(row)  # a snapshot, readable after the unit of work rolls back
            return row

    async def owner(self, chat_id: int, locale: str | None = None) -> int:
        async with self.uow() as uow:
            owner = Owner(name="业主", phone=f"+86138{chat_id:08d}", locale=locale, telegram_user_id=chat_id,
                          chat_id=chat_id, created_at=self.clock.now())
            uow.owners.add(owner)
            await uow.commit()
            return owner.id

    def sends(self, chat_id: int) -> int:
        """Telegram send requests made for a chat, including refused ones."""
        return sum(1 for method, params in self.emulator.calls
                   if method in SEND_METHODS and params.get("chat_id") == chat_id)

    def texts(self, chat_id: int) -> list[str]:
        return [m.get("text", "") for m in self.emulator.bot_messages(chat_id)]


@pytest.fixture(scope="module")
async def transports(emulator: BotAPIEmulator, catalogs: Catalogs) -> AsyncIterator[dict[str, Transport]]:
    """Each chat framework's transport, one per module: closing an HTTP session costs a quarter of a second."""
    settings = Settings(_env_file=None, bot_token=SecretStr(DEFAULT_TOKEN), telegram_api_base=emulator.base_url)
    async with transport_on("aiogram", settings, catalogs) as aiogram, transport_on("ptb", settings, catalogs) as ptb:
        yield {"aiogram": aiogram, "ptb": ptb}


@pytest.fixture
async def env(emulator: BotAPIEmulator, transports: dict[str, Transport], chat_framework: str, engine: AsyncEngine,
              clock: ManualClock, catalogs: Catalogs) -> AsyncIterator[Env]:
    emulator.reset()
    emulator.rate_limits = None
    yield Env(emulator, create_sessionmaker(engine), transports[chat_framework], clock, catalogs,
              engine.dialect.name)
    emulator.rate_limits = None


# ---------------------------------------------------------------- rendering


async def test_pushes_render_in_each_recipients_locale_at_send_time(env: Env) -> None:
    hk = await env.owner(501, locale="zh_Hans_CN")
    await env.push("greet:hk", 501, buttons=[Button(HELP, "m:help")], owner_id=hk)
    async with env.uow() as uow:  # the owner switches language after the push was planned
        owner = await uow.owners.get(hk)
        assert owner is not None
        owner.locale = "zh_Hant_HK"
        uow.session.add(Chat(chat_id=502, locale="en", updated_at=env.clock.now()))
        await uow.commit()
    await env.push("greet:en-chat", 502, buttons=[Button(HELP, "m:help")])
    await env.push("greet:nobody", 503, buttons=[Button(HELP, "m:help")])

    assert await env.sender().drain() == 3

    [message] = env.emulator.bot_messages(501)
    assert message["text"] == "請問有甚麼可以幫您？"
    assert message["reply_markup"]["inline_keyboard"] == [[{"text": "說明", "callback_data": "m:help"}]]
    assert message["_parse_mode"] == "HTML"
    assert env.texts(502) == ["What would you like to do?"]  # the chat's /language choice
    assert env.texts(503) == ["请问您需要办理什么？"]  # nobody known: the default locale
    row = await env.row("greet:hk")
    assert (row.status, row.attempts, row.message_ids, row.claimed_until) == ("sent", 1, [message["message_id"]], None)
    assert row.sent_at == env.clock.now()


async def test_a_row_that_cannot_be_rendered_fails_at_once_and_the_chat_goes_on(env: Env) -> None:
    # A translation with a broken placeholder, say: it can never be sent, so it is not retried.
    await env.push("broken", 506, Msg(N_("Your complaint is registered as {number}.")))  # no {number} given
    await env.push("fine", 506)
    assert await env.sender().drain() == 1
    broken = await env.row("broken")
    assert broken.status == "failed" and broken.attempts == 0 and "cannot render" in (broken.last_error or "")
    assert env.texts(506) == ["请问您需要办理什么？"]


async def test_the_same_key_enqueued_twice_is_sent_once(env: Env) -> None:
    assert await env.push("birthday:7:2026", 504, Plain("生日快乐"))
    assert not await env.push("birthday:7:2026", 504, Plain("生日快乐"))
    sender = env.sender()
    assert await sender.drain() == 1
    assert not await env.push("birthday:7:2026", 504, Plain("生日快乐"))  # also once it was sent
    assert await sender.drain() == 0
    assert env.texts(504) == ["生日快乐"]


async def test_media_go_first_and_are_not_repeated_when_the_text_is_retried(env: Env) -> None:
    # File ids the emulator knows: as if people had sent them to the bot earlier.
    env.emulator.send_photo(505)
    env.emulator.send_photo(505)
    env.emulator.send_document(505, b"%PDF-1.4", "handover.pdf")
    incoming = env.emulator.messages(505)
    media = [{"kind": "photo", "file_id": incoming[0]["photo"][0]["file_id"]},
             {"kind": "photo", "file_id": incoming[1]["photo"][0]["file_id"]},
             {"kind": "document", "file_id": incoming[2]["document"]["file_id"]}]
    await env.push("handover:505", 505, Plain("交付资料"), media=media)
    env.emulator.inject_fault(502, "sendMessage")
    sender = env.sender()

    assert await sender.drain() == 0
    row = await env.row("handover:505")
    assert (row.status, row.attempts, len(row.message_ids or [])) == ("pending", 1, 3)
    env.clock.advance(timedelta(minutes=10))
    assert await sender.drain() == 1

    sent = env.emulator.bot_messages(505)
    assert [("photo" in m, "document" in m, m.get("text")) for m in sent] == [
        (True, False, None), (True, False, None), (False, True, None), (False, False, "交付资料")]
    row = await env.row("handover:505")
    assert row.message_ids == [m["message_id"] for m in sent]
    assert (row.status, row.attempts) == ("sent", 2)


async def test_a_reply_of_two_messages_repeats_neither_when_the_second_is_retried(env: Env) -> None:
    # A contact keyboard and inline buttons take two Telegram messages. The second fails after the
    # first went out: the retry sends the second only.
    async with env.uow() as uow:
        reply = Reply(Plain("请分享您的手机号"), ((Button(Plain("跳过"), "skip"),),),
                      request_contact=Msg(N_("📱 Share my phone number")))
        await enqueue(uow, key="contact:509", purpose=Purpose.CASE, chat_id=509, reply=reply, now=env.clock.now())
        await uow.commit()
    env.emulator.inject_fault(502, "sendMessage", chat_id=509, skip=1)
    sender = env.sender()

    assert await sender.drain() == 0
    row = await env.row("contact:509")
    assert (row.status, row.attempts, len(row.message_ids or [])) == ("pending", 1, 1)
    env.clock.advance(timedelta(minutes=10))
    assert await sender.drain() == 1

    sent = env.emulator.bot_messages(509)
    assert [m["text"] for m in sent] == ["请分享您的手机号", "或选择："]
    assert "keyboard" in sent[0]["_reply_keyboard"] and "inline_keyboard" in sent[1]["reply_markup"]
    row = await env.row("contact:509")
    assert row.message_ids == [m["message_id"] for m in sent]


async def test_a_refused_photo_does_not_cost_the_card_its_text(env: Env) -> None:
    env.emulator.send_photo(507)
    photo = env.emulator.messages(507)[0]["photo"][0]["file_id"]
    media = [{"kind": "photo", "file_id": "a-file-id-telegram-no-longer-has"}, {"kind": "photo", "file_id": photo}]
    await env.push("card:507", 507, Plain("📥 本部门有新投诉"), media=media)
    env.emulator.inject_fault(400, "sendPhoto")  # "wrong file identifier"
    assert await env.sender().drain() == 1
    sent = env.emulator.bot_messages(507)
    assert [("photo" in m, m.get("text")) for m in sent] == [(True, None), (False, "📥 本部门有新投诉")]
    row = await env.row("card:507")
    assert row.status == "sent" and row.message_ids == [0, *(m["message_id"] for m in sent)]


# ---------------------------------------------------------------- rate limits


async def test_40_messages_to_3_chats_under_rate_limits(env: Env) -> None:
    """Limits scaled up (20/s per private chat, so 3 chats could go 60/s) to make the overall
    30/s the binding one; the group keeps Telegram's 20/min. The limiter mirrors the emulator
    and counts a send until its response arrives, so Telegram never has to answer 429."""
    env.emulator.rate_limits = RateLimits(overall_per_second=30, per_chat_burst=3, per_chat_per_second=20)
    limiter = RateLimiter(overall_per_second=30, per_chat_per_second=20, per_chat_burst=3)
    chats = [506, 507, -100506]
    plan = {chat: [f"{chat} #{n:02d}" for n in range(count)] for chat, count in zip(chats, (18, 17, 5), strict=True)}
    for n in range(18):  # interleaved, as a planner would write them
        for chat in chats:
            if n < len(plan[chat]):
                await env.push(f"load:{chat}:{n}", chat, Plain(plan[chat][n]))

    started = time.monotonic()
    assert await env.sender(limiter).drain() == 40
    elapsed = time.monotonic() - started

    for chat in chats:
        assert env.texts(chat) == plan[chat]
    assert env.emulator.stats.rejected_429 == 0
    assert elapsed >= 1.0  # 40 sends at 30/s need more than one second
    async with env.uow() as uow:
        statuses = (await uow.session.scalars(select(OutboxMessage.status))).all()
    assert set(statuses) == {"sent"}


async def test_default_limits_are_telegrams(env: Env) -> None:
    """Telegram's own limits (the emulator's defaults): one message per second per chat, with a
    burst of three allowed (an answer of a few messages goes out at once)."""
    env.emulator.rate_limits = RateLimits()
    for n in range(4):
        for chat in (508, 509, 510):
            await env.push(f"slow:{chat}:{n}", chat, Plain(f"#{n}"))
    started = time.monotonic()
    assert await env.sender(RateLimiter()).drain() == 12
    assert time.monotonic() - started >= 1.0  # the fourth message of each chat waited
    assert env.emulator.stats.rejected_429 == 0
    assert [env.texts(chat) for chat in (508, 509, 510)] == [["#0", "#1", "#2", "#3"]] * 3


# ---------------------------------------------------------------- errors


async def test_429_pauses_all_sending_and_retries_without_counting_an_attempt(env: Env) -> None:
    await env.push("flood", 511, Plain("after the pause"))
    env.emulator.inject_fault(429, "sendMessage", retry_after=1)
    sender = env.sender()
    started = time.monotonic()
    assert await sender.drain() == 1
    assert time.monotonic() - started >= 1.0
    assert env.texts(511) == ["after the pause"]
    assert env.sends(511) == 2
    row = await env.row("flood")
    assert (row.status, row.attempts) == ("sent", 1)  # the 429 did not count as an attempt


async def test_server_errors_back_off_on_the_clock_then_deliver(env: Env) -> None:
    await env.push("flaky", 512, Plain("third time lucky"))
    env.emulator.inject_fault(502, "sendMessage", times=2)
    sender = env.sender()

    assert await sender.drain() == 0
    row = await env.row("flaky")
    assert (row.status, row.attempts, row.claimed_until) == ("pending", 1, None)
    assert "Bad Gateway" in (row.last_error or "")
    assert timedelta(seconds=2) <= row.next_attempt_at - env.clock.now() <= timedelta(seconds=2.2)
    assert await sender.drain() == 0 and env.sends(512) == 1  # not due yet: no request at all

    env.clock.advance(timedelta(seconds=2.3))
    assert await sender.drain() == 0
    row = await env.row("flaky")
    assert row.attempts == 2
    assert timedelta(seconds=4) <= row.next_attempt_at - env.clock.now() <= timedelta(seconds=4.4)

    env.clock.advance(timedelta(seconds=4.5))
    assert await sender.drain() == 1
    row = await env.row("flaky")
    assert (row.status, row.attempts) == ("sent", 3)
    assert env.texts(512) == ["third time lucky"] and env.sends(512) == 3


async def test_transient_errors_give_up_after_max_attempts(env: Env) -> None:
    await env.push("doomed", 513, Plain("never"))
    env.emulator.inject_fault(500, "sendMessage", times=10)
    sender = env.sender(max_attempts=3)
    for _ in range(5):
        await sender.drain()
        env.clock.advance(timedelta(minutes=11))
    row = await env.row("doomed")
    assert (row.status, row.attempts) == ("failed", 3)
    assert env.sends(513) == 3


async def test_later_rows_of_a_chat_wait_for_an_earlier_row_in_backoff(env: Env) -> None:
    for n in range(3):
        await env.push(f"order:{n}", 514, Plain(f"#{n}"))
    env.emulator.inject_fault(502, "sendMessage")
    sender = env.sender()
    assert await sender.drain() == 0  # #0 failed; #1 and #2 must not overtake it
    assert await sender.drain() == 0
    assert env.texts(514) == [] and env.sends(514) == 1
    env.clock.advance(timedelta(seconds=3))
    assert await sender.drain() == 3
    assert env.texts(514) == ["#0", "#1", "#2"]


async def test_403_marks_the_owner_blocked_and_nothing_more_goes_to_that_chat(env: Env) -> None:
    owner = await env.owner(515)
    for n in range(3):
        await env.push(f"blocked:{n}", 515, Plain(f"#{n}"), owner_id=owner)
    await env.push("other", 516, Plain("still delivered"))
    env.emulator.block(515)

    assert await env.sender().drain() == 1
    assert env.sends(515) == 1  # the later rows failed without asking Telegram
    assert env.texts(516) == ["still delivered"]
    async with env.uow() as uow:
        record = await uow.owners.get(owner)
        assert record is not None and record.blocked
    for n in range(3):
        row = await env.row(f"blocked:{n}")
        assert (row.status, row.last_error) == ("failed", "blocked")

    await env.push("blocked:later", 515, Plain("later"), owner_id=owner)
    assert await env.sender().drain() == 0  # a new sender: the owner's flag stops it
    assert env.sends(515) == 1
    assert (await env.row("blocked:later")).status == "failed"


async def test_400_fails_at_once_and_is_not_retried(env: Env) -> None:
    await env.push("bad-text", 517, Plain("<b>broken"))  # Telegram refuses the HTML: a 400
    await env.push("after-bad", 517, Plain("next one"))
    env.emulator.inject_fault(400, "sendMessage")
    sender = env.sender()
    assert await sender.drain() == 1
    row = await env.row("bad-text")
    assert (row.status, row.attempts) == ("failed", 0)
    assert row.last_error == "Error"  # what Telegram (the emulator) said
    env.clock.advance(timedelta(hours=1))
    assert await sender.drain() == 0
    assert env.sends(517) == 2  # the refused text once, then the next row
    assert env.texts(517) == ["next one"]


async def test_a_photo_refused_for_good_is_not_retried_and_its_text_goes_out(env: Env) -> None:
    await env.push("bad-file", 518, Plain("see photo"), media=[{"kind": "photo", "file_id": "not-a-file"}])
    sender = env.sender()
    assert await sender.drain() == 1
    row = await env.row("bad-file")
    assert (row.status, row.attempts) == ("sent", 1)
    env.clock.advance(timedelta(hours=1))
    assert await sender.drain() == 0
    assert env.sends(518) == 2  # the photo once (refused: wrong file identifier), then the text
    assert env.texts(518) == ["see photo"]


async def test_inactive_staff_rows_are_cancelled_and_active_staff_read_their_locale(env: Env) -> None:
    async with env.uow() as uow:
        gone = Staff(name="离职", department="engineering", role="member", chat_id=518, active=False,
                     created_at=env.clock.now())
        here = Staff(name="在职", department="customer_service", role="member", chat_id=519, locale="en",
                     created_at=env.clock.now())
        uow.staff.add(gone)
        uow.staff.add(here)
        await uow.commit()
    await env.push("staff:gone", 518, staff_id=gone.id)
    await env.push("staff:here", 519, staff_id=here.id)
    assert await env.sender().drain() == 1
    assert (await env.row("staff:gone")).status == "cancelled"
    assert env.sends(518) == 0
    assert env.texts(519) == ["What would you like to do?"]


# ---------------------------------------------------------------- crashes and concurrency


async def test_a_crash_after_claiming_loses_nothing_and_sends_once(env: Env) -> None:
    for n in range(3):
        await env.push(f"crash:{n}", 520, Plain(f"#{n}"))
    # A sender claims, then dies before sending: here it waits on a long 429 pause and is killed.
    doomed = env.sender()
    doomed.limiter.pause(60)
    task = asyncio.create_task(doomed.drain())
    for _ in range(200):
        if (await env.row("crash:0")).claimed_until is not None:
            break
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    successor = env.sender()
    assert await successor.drain() == 0  # the dead sender's lease still holds
    assert env.sends(520) == 0
    env.clock.advance(timedelta(seconds=61))
    assert await successor.drain() == 3
    assert await successor.drain() == 0
    assert env.texts(520) == ["#0", "#1", "#2"]


async def test_two_senders_draining_together_never_send_a_row_twice(env: Env) -> None:
    """Several instances are a PostgreSQL setup (rows claimed FOR UPDATE SKIP LOCKED); on SQLite
    the claim's compare-and-set still keeps two senders of one process from both taking a row."""
    chats = list(range(530, 542))
    for n in range(3):
        for chat in chats:
            await env.push(f"pair:{chat}:{n}", chat, Plain(f"#{n}"))
    first, second = env.sender(batch=5), env.sender(batch=5)
    totals = [0, 0]
    for _ in range(20):
        counts = await asyncio.gather(first.drain(), second.drain())
        totals = [total + count for total, count in zip(totals, counts, strict=True)]
        if not sum(counts):
            async with env.uow() as uow:
                if not await uow.outbox.pending():
                    break
    assert min(totals) > 0, totals  # both really worked
    assert sum(totals) == 36
    for chat in chats:
        assert env.texts(chat) == ["#0", "#1", "#2"]
    assert sum(env.sends(chat) for chat in chats) == 36


# ---------------------------------------------------------------- the running bot


async def test_the_running_bot_sends_pushes_in_the_background(harness: BotHarness) -> None:
    async with harness.uow() as uow:
        await enqueue(uow, key="bg:1", purpose=Purpose.CASE, chat_id=521, reply=Reply(WHAT), now=harness.clock.now())
        await uow.commit()
    assert harness.runtime is not None
    harness.runtime.wake_sender()  # what the unit-of-work middleware does after such a commit
    [message] = await harness.emulator.wait_for_bot_messages(521, 1, seconds=3)
    assert message["text"] == "请问您需要办理什么？"
