"""The monthly complaint summary: drafted on the first working day, approval reminder (DOMAIN 1.7). STUB."""

from __future__ import annotations

from services.pushes.rules import PlanRound


class MonthlyReportRule:
    name = "monthly_report"

    async def plan(self, round_: PlanRound) -> None:
        return None
