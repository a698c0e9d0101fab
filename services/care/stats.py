"""Per-campaign statistics of care pushes (issue 14 item 6): how many rows were planned, and how
many of them were sent, are still pending, failed, hit an owner who blocked the bot, or were
stopped because the owner withdrew his consent (opted out). Campaigns: each notice (its key prefix,
services/care/notices.py), and per month each family of per-owner care keys (``birthday:``,
``occasion:``, ``welcome:``, ``delivery:``, ``inspection:``, and the notices' families).

Read from the outbox rows themselves (one grouped query), so the numbers are what happened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from services.care.notices import campaign_prefix
from storage.models import CareNotice
from storage.repositories.care_notices import Audience, Counts
from storage.uow import UnitOfWork

STATS_ZONE = ZoneInfo("Asia/Shanghai")  # a month of the care calendar, as the company's office counts it


@dataclass(frozen=True)
class NoticeStats:
    notice: CareNotice
    counts: Counts
    audience: Audience  # now: owners in scope, reachable, consenting (the gap: in scope without consent)

    @property
    def without_consent(self) -> int:
        return self.audience.reachable - self.audience.consenting


async def notice_stats(uow: UnitOfWork, notice: CareNotice) -> NoticeStats:
    return NoticeStats(notice, await uow.care_notices.counts(campaign_prefix(notice)),
                       await uow.care_notices.audience(notice.project_id, notice.building_id))


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first moment of ``month`` and of the next, in STATS_ZONE."""
    start = datetime(month.year, month.month, 1, tzinfo=STATS_ZONE)
    after = datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=STATS_ZONE)
    return start, after


async def month_stats(uow: UnitOfWork, month: date) -> dict[str, Counts]:
    """The care rows created in ``month``, by key family (``birthday``, ``welcome``, …)."""
    return await uow.care_notices.counts_by_family(*month_bounds(month))
