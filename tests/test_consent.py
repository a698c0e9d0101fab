"""Consent records (DOMAIN 4.6): the latest decision per owner and kind holds, the set of owners who
granted a kind, a withdrawal cancels that kind's pending pushes, and the drain's check of a batch
(also with consent presumed, collected on paper)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from dialogs.engine import Reply
from dialogs.text import Plain
from services.care.consent import WORDING, ConsentKind, Source, current, granted_owners, record
from services.pushes import outbox
from services.pushes.purposes import NEEDS_CONSENT, Purpose
from storage.uow import UnitOfWork
from tests.factories import LI_PHONE, WANG_PHONE, seed_roster

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
SURVEYS = ConsentKind.SURVEYS


async def _owners(uow: UnitOfWork) -> tuple[int, int]:
    await seed_roster(uow, NOW)
    wang, li = await uow.owners.by_phone(WANG_PHONE), await uow.owners.by_phone(LI_PHONE)
    assert wang is not None and li is not None
    return wang.id, li.id


async def test_the_latest_decision_holds_and_the_set_of_owners_who_granted(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    async with uow_factory() as uow:
        wang, li = await _owners(uow)
        assert await current(uow, wang) == dict.fromkeys(ConsentKind)
        await record(uow, wang, SURVEYS, True, WORDING[SURVEYS], Source.CHAT, NOW)
        await record(uow, wang, ConsentKind.EVENTS, False, WORDING[ConsentKind.EVENTS], Source.CHAT, NOW)
        await record(uow, li, SURVEYS, True, WORDING[SURVEYS], Source.CHAT, NOW)
        await record(uow, li, SURVEYS, False, WORDING[SURVEYS], Source.SETTINGS, NOW + timedelta(days=1))
        await uow.commit()
    async with uow_factory() as uow:
        assert await current(uow, wang) == {ConsentKind.GREETINGS: None, ConsentKind.EVENTS: False, SURVEYS: True}
        assert await current(uow, li) == {ConsentKind.GREETINGS: None, ConsentKind.EVENTS: None, SURVEYS: False}
        assert await granted_owners(uow, SURVEYS, [wang, li]) == {wang}
        assert await granted_owners(uow, ConsentKind.EVENTS, [wang, li]) == set()
        assert await uow.consents.count_granted("surveys") == 1
        latest = await uow.consents.latest(li)
        assert (latest["surveys"].source, latest["surveys"].wording) == ("settings", "2026-12")
        await record(uow, li, SURVEYS, True, WORDING[SURVEYS], Source.SETTINGS, NOW + timedelta(days=2))
        assert await granted_owners(uow, SURVEYS, [wang, li]) == {wang, li}


async def test_withdrawal_cancels_pending_pushes_of_that_kind_and_the_batch_check(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    needs = {purpose.value: kind for purpose, kind in NEEDS_CONSENT.items()}
    async with uow_factory() as uow:
        wang, li = await _owners(uow)
        for owner in (wang, li):
            await record(uow, owner, SURVEYS, True, WORDING[SURVEYS], Source.CHAT, NOW)
        for key, purpose, owner in (("s:wang", Purpose.SURVEY, wang), ("c:wang", Purpose.CASE, wang),
                                    ("s:li", Purpose.SURVEY, li), ("g:li", Purpose.GREETING, li)):
            await outbox.enqueue(uow, key=key, purpose=purpose, chat_id=owner, reply=Reply(Plain("x")), now=NOW,
                                 owner_id=owner)
        await uow.commit()
    async with uow_factory() as uow:
        ids = {key: row.id for key in ("s:wang", "c:wang", "s:li", "g:li")
               if (row := await uow.outbox.by_key(key)) is not None}
        # Li never answered about greetings: that row may not go; the others may.
        assert await uow.outbox.lacking_consent(list(ids.values()), needs) == [ids["g:li"]]
        assert await record(uow, wang, SURVEYS, False, WORDING[SURVEYS], Source.SETTINGS, NOW) == 1
        await uow.commit()
    async with uow_factory() as uow:
        statuses = {key: (row.status, row.last_error) for key in ids if (row := await uow.outbox.by_key(key))}
        assert statuses["s:wang"] == ("cancelled", "consent withdrawn: surveys")
        assert statuses["c:wang"][0] == "pending"  # his own case needs no consent
        assert statuses["s:li"][0] == "pending"
        assert set(await uow.outbox.lacking_consent(list(ids.values()), needs)) == {ids["g:li"], ids["s:wang"]}
        # Consent collected on paper for these kinds: only a no in chat or /settings refuses.
        assert await uow.outbox.lacking_consent(list(ids.values()), needs, ["surveys", "greetings"]) == [ids["s:wang"]]
        assert await granted_owners(uow, SURVEYS, [wang, li], presumed=True) == {li}
        assert await granted_owners(uow, ConsentKind.GREETINGS, [wang, li], presumed=True) == {wang, li}
