"""Recording owners' consent in fixtures (survey invitations go only to owners who consented)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from services.care.consent import WORDING, ConsentKind, Source, record
from storage.uow import UnitOfWork


async def consent_to(uow: UnitOfWork, owner_ids: Iterable[int], now: datetime,
                     kind: ConsentKind = ConsentKind.SURVEYS, *, granted: bool = True) -> None:
    for owner_id in owner_ids:
        await record(uow, owner_id, kind, granted, WORDING[kind], Source.ADMIN, now)
