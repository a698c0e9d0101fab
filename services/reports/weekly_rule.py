"""The weekly complaint report delivered in chat (DOMAIN 1.7). STUB."""

from __future__ import annotations

from services.pushes.rules import PlanRound


class WeeklyReportRule:
    name = "weekly_report"

    async def plan(self, round_: PlanRound) -> None:
        return None
