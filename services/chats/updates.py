"""Exactly-once handling of Telegram updates (docs/architecture.md, How an update flows)."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.uow import UnitOfWork


async def claim_update(uow: UnitOfWork, update_id: int, now: datetime) -> bool:
    """Record the update in the current unit of work; False for a redelivery seen before."""
    return await uow.updates.claim(update_id, now)


async def next_update_id(uow: UnitOfWork) -> int:
    """An update id above every one recorded: where a local Bot API (the sandbox) starts numbering."""
    return await uow.updates.highest() + 1


# Telegram keeps an unconfirmed update for 24 hours; a week leaves a wide margin.
KEEP_UPDATE_IDS = timedelta(days=7)


async def prune_processed_updates(uow: UnitOfWork, now: datetime) -> int:
    """Forget update ids that can no longer be redelivered, so the table stays small."""
    removed = await uow.updates.prune(now - KEEP_UPDATE_IDS)
    return removed
