"""Retention (DOMAIN 5.3): records are kept for a configured period, then anonymised. A push rule:
each planning round anonymises a batch of owners with no activity for ``retention_days`` (unset:
nothing happens), exactly as an approved deletion does, and records it (``DataRequest`` retention,
done) — the audit of what was done with personal data."""

from __future__ import annotations

from datetime import date, timedelta

from services.pushes.rules import PlanRound

BATCH = 100  # owners per round: a first run on an old database spreads over a few rounds


class RetentionRule:
    name = "retention"

    def __init__(self) -> None:
        # The day this process last found nobody left to anonymise: the search reads every owner, and
        # a day's delay changes nothing for a period counted in years. A restart searches again.
        self._finished: date | None = None

    async def plan(self, round_: PlanRound) -> None:
        days = round_.settings.retention_days
        uow, now = round_.uow, round_.now
        if days is None or self._finished == now.date():
            return
        owners = await uow.data_requests.inactive_owners(now - timedelta(days=days), BATCH)
        for owner in owners:
            await uow.data_requests.anonymise(owner, now)
            await uow.data_requests.record(owner.id, "retention", "done", now, done=True)
        if len(owners) < BATCH:
            self._finished = now.date()
