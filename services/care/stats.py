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
from storage.repositories.care_notices import Counts
from storage.uow import UnitOfWork

STATS_ZONE = ZoneInfo("Asia/Shanghai")  # a month of the care calendar, as the company's office counts it


@dataclass(frozen=True)
class Scope:
    """Who was in a notice's scope (storage/repositories/care_notices.py ``Audience``): in scope =
    not on the bot + without consent + planned (the rows written, or for a notice not planned yet:
    who would get one). ``now``: counted now (a scheduled notice), not as when it was planned."""

    in_scope: int
    not_on_bot: int
    without_consent: int
    planned: int
    now: bool


@dataclass(frozen=True)
class NoticeStats:
    notice: CareNotice
    counts: Counts  # the delivery of the rows written: sent, waiting, failed, blocked, opted out since
    scope: Scope

    @property
    def without_consent(self) -> int:
        return self.scope.without_consent


async def notice_stats(uow: UnitOfWork, notice: CareNotice) -> NoticeStats:
    """A planned notice's scope as recorded when its rows were written (the consents withdrawn since
    show as "opted out" in its counts, not as "without consent"); a scheduled one's as of now."""
    counts = await uow.care_notices.counts(campaign_prefix(notice))
    recorded = notice.audience
    if recorded:
        scope = Scope(int(recorded.get("in_scope", 0)), int(recorded.get("not_on_bot", 0)),
                      int(recorded.get("without_consent", 0)), int(recorded.get("planned", 0)), now=False)
    else:  # not planned yet (or planned before the audience was recorded): now
        audience = await uow.care_notices.audience(notice.project_id, notice.building_id)
        scope = Scope(audience.owners, audience.not_on_bot, audience.without_consent, audience.consenting, now=True)
    return NoticeStats(notice, counts, scope)


def month_bounds(month: date, zone: ZoneInfo = STATS_ZONE) -> tuple[datetime, datetime]:
    """The first moment of ``month`` and of the next, in ``zone``."""
    start = datetime(month.year, month.month, 1, tzinfo=zone)
    after = datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=zone)
    return start, after


async def month_stats(uow: UnitOfWork, month: date, project_id: int | None = None,
                      zone: ZoneInfo = STATS_ZONE) -> dict[str, Counts]:
    """The care rows created in ``month`` (in ``zone``), by key family (``birthday``, ``welcome``, …);
    with ``project_id``, only those to the owners of a unit in that project."""
    return await uow.care_notices.counts_by_family(*month_bounds(month, zone), project_id=project_id)
