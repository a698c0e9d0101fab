"""Retention (DOMAIN 5.3): the planner anonymises owners with no activity for RETENTION_DAYS, as an
approved deletion does, records it, and leaves alone anyone active since; unset, nothing happens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from services.care.retention import RetentionRule
from services.pushes.planner import plan
from services.pushes.rules import RuleSettings
from storage.models import Owner
from storage.models.care import DataRequest
from storage.models.inquiries import CommunicationEntry
from storage.uow import UnitOfWork
from tests.factories import CHAN_PHONE, LI_PHONE, WANG_PHONE, seed_roster

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
YEARS_AGO = NOW - timedelta(days=3 * 365)


async def test_owners_inactive_beyond_the_retention_period_are_anonymised(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    async with uow_factory() as uow:
        await seed_roster(uow, YEARS_AGO)
        li = await uow.owners.by_phone(LI_PHONE)
        chan = await uow.owners.by_phone(CHAN_PHONE)
        assert li is not None and chan is not None
        li_id, chan_id = li.id, chan.id
        # 李伟 left a message last month: active. 陳大文 was registered a week ago: active.
        uow.session.add(CommunicationEntry(created_at=NOW - timedelta(days=30), kind="inquiry", owner_id=li.id,
                                           text="车位的问题", status="open"))
        chan.bound_at = NOW - timedelta(days=7)
        await uow.commit()

    async with uow_factory() as uow:  # unset: records are kept
        await plan(uow, NOW, rules=[RetentionRule()])
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.owners.by_phone(WANG_PHONE) is not None

    async with uow_factory() as uow:
        await plan(uow, NOW, rules=[RetentionRule()], settings=RuleSettings(retention_days=730))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.owners.by_phone(WANG_PHONE) is None
        wang = (await uow.session.scalars(select(Owner).where(Owner.name.startswith("已注销业主")))).one()
        assert wang.phone == f"deleted:{wang.id}" and wang.birthday_month is None and wang.anonymised_at == NOW
        for kept in (li_id, chan_id):
            owner = await uow.owners.get(kept)
            assert owner is not None and owner.anonymised_at is None
        [request] = (await uow.session.scalars(select(DataRequest))).all()
        assert (request.owner_id, request.kind, request.status, request.done_at) == (wang.id, "retention", "done", NOW)

    async with uow_factory() as uow:  # the next round: nobody new, nothing twice
        await plan(uow, NOW + timedelta(minutes=5), rules=[RetentionRule()], settings=RuleSettings(retention_days=730))
        await uow.commit()
    async with uow_factory() as uow:
        assert len((await uow.session.scalars(select(DataRequest))).all()) == 1
