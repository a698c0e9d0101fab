"""The planner: every few minutes, each push rule turns what is due into outbox rows
(docs/architecture.md, Push rules). It runs on the injected clock; planning is idempotent, so running it again —
or on another instance — adds nothing, and on PostgreSQL one instance plans at a time."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from services.pushes.rules import PlanReport, PlanRound, PushRule, RuleSettings, registered_rules
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


async def plan(
    uow: UnitOfWork, now: datetime, rules: Sequence[PushRule] | None = None, settings: RuleSettings | None = None,
) -> PlanReport:
    """Run every rule (the registered ones by default) with the operator's settings; the caller commits.

    Each rule plans in a savepoint of its own: one that fails (a report's chart that cannot be drawn)
    is undone and logged, and the others' rows — the deadline reminders — still go out."""
    round_ = PlanRound(uow, now, settings)
    if not await uow.outbox.planner_lock():
        return round_.report
    for rule in registered_rules() if rules is None else rules:
        planned = len(round_.report.keys)
        try:
            async with uow.savepoint():
                await rule.plan(round_)
        except Exception:
            del round_.report.keys[planned:]
            log.exception("push rule %s failed; its rows are undone, the other rules planned", rule.name)
    return round_.report
