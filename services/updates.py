"""Exactly-once handling of Telegram updates (DESIGN principle 6)."""

from __future__ import annotations

from datetime import datetime

from storage.uow import UnitOfWork


async def claim_update(uow: UnitOfWork, update_id: int, now: datetime) -> bool:
    """Record the update in the current unit of work; False for a redelivery seen before."""
    return await uow.updates.claim(update_id, now)
