"""Answers of a committed step are durable: written with the step, sent at once, and still
delivered when the send fails or the process dies right after the commit — never an error
message for a step that was saved, never the step done twice."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from tests.harness import BotHarness, Person


async def _inquiry_up_to_confirm(person: Person) -> None:
    await person.say("/menu")
    await person.press("留言")
    await person.press("咨询")
    await person.say("电梯周末停运吗？")
    await person.say("陈先生")
    await person.press("跳过")


async def _entries(harness: BotHarness) -> int:
    async with harness.uow() as uow:
        return len(await uow.communication.recent())


async def test_a_failed_send_of_the_answer_is_retried_and_no_error_is_shown(harness: BotHarness) -> None:
    person = harness.person(9401)
    await _inquiry_up_to_confirm(person)
    harness.emulator.inject_fault(502, "sendMessage")  # Telegram fails the answer to ✅ 确认
    message, data = person.find_button("确认")
    harness.emulator.press(person.id, message, data)
    await harness.settle_updates(15)  # the later answer waits behind the failed one, in order
    assert await _entries(harness) == 1  # the step was committed
    assert not any("出了点问题" in text for text in person.texts())
    harness.clock.advance(timedelta(seconds=5))  # the drain's backoff, on the test clock
    await harness.settle()
    texts = person.texts()
    assert any("客户服务部已收到您的留言" in text for text in texts)
    assert sum("登记编号：GT-000001" in text for text in texts) == 1
    assert await _entries(harness) == 1


async def test_the_answer_reaches_the_person_after_a_crash_right_after_the_commit(harness: BotHarness) -> None:
    person = harness.person(9402)
    await _inquiry_up_to_confirm(person)
    harness.emulator.inject_fault(0, "sendMessage", delay=2.0)  # the answer is on its way when the process dies
    message, data = person.find_button("确认")
    harness.emulator.press(person.id, message, data)
    for _ in range(200):
        if await _entries(harness) == 1:
            break
        await asyncio.sleep(0.025)
    await harness.crash()

    await harness.start()
    harness.clock.advance(timedelta(seconds=61))  # the dead process's lease on the answer runs out
    await harness.settle()
    # At least once: the answer under way when the process died may arrive twice, never not at all.
    assert any("客户服务部已收到您的留言" in text for text in person.texts())
    assert await _entries(harness) == 1  # the redelivered press did not file it again
    assert sum("登记编号：GT-000001" in text for text in person.texts()) == 1
