"""Push rules: each turns what is due now into outbox rows. The planner runs every registered rule
in one transaction per round; a rule must be idempotent (its rows' keys say what they are about,
so planning again adds nothing).

A new rule implements ``PushRule`` and is registered by the composition root
(``services/capabilities.py``); see docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from services.calendar.workdays import WorkCalendar, calendar_for
from storage.models import Project, Ticket
from storage.uow import UnitOfWork


@dataclass
class PlanReport:
    reminders: int = 0
    overdue: int = 0
    confirmation_reminders: int = 0
    closed_unconfirmed: int = 0
    keys: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RuleSettings:
    """What the operator configures for the rules (``bot/settings.py`` passes it down)."""

    # An overdue deadline goes one escalation level up after this many working days (DOMAIN 4.5).
    escalate_after_working_days: int = 3
    # Survey invitations go only to owners who consented to surveys (DOMAIN 4.6); True invites every
    # sampled owner (a site that collected consent on paper).
    survey_invitations_without_consent: bool = False
    # An item scored 1–2 by this many owners of one project in a campaign opens a topic investigation.
    survey_topic_threshold: int = 3
    # Owners with no activity for this many days are anonymised (DOMAIN 5.3); None keeps them.
    retention_days: int | None = None


@dataclass(frozen=True)
class Place:
    """Where a case is: its time zone, its region's working-day calendar, its local date today."""

    zone: str
    calendar: WorkCalendar
    today: date


class PlanRound:
    """One planning round: the unit of work, the moment, the report, and lookups shared by rules."""

    def __init__(self, uow: UnitOfWork, now: datetime, settings: RuleSettings | None = None) -> None:
        self.uow = uow
        self.now = now
        self.settings = settings or RuleSettings()
        self.report = PlanReport()
        self._tickets: Sequence[Ticket] | None = None
        self._calendars: dict[str, WorkCalendar] = {}
        self._projects: dict[int, Project | None] = {}

    async def open_tickets(self) -> Sequence[Ticket]:
        if self._tickets is None:
            self._tickets = await self.uow.tickets.open_tickets()
        return self._tickets

    async def calendar(self, region: str) -> WorkCalendar:
        if region not in self._calendars:
            self._calendars[region] = await calendar_for(self.uow, region)
        return self._calendars[region]

    async def place(self, ticket: Ticket) -> Place:
        project = None
        if ticket.project_id is not None:
            if ticket.project_id not in self._projects:
                self._projects[ticket.project_id] = await self.uow.projects.get(ticket.project_id)
            project = self._projects[ticket.project_id]
        region, zone = (project.region, project.timezone) if project else ("CN", "Asia/Shanghai")
        return Place(zone, await self.calendar(region), self.now.astimezone(ZoneInfo(zone)).date())

    def planned(self, key: str) -> None:
        self.report.keys.append(key)


class PushRule(Protocol):
    name: str

    async def plan(self, round_: PlanRound) -> None:
        """Add the outbox rows due now (idempotent keys); the planner commits."""


_RULES: list[PushRule] = []


def register_rule(rule: PushRule) -> None:
    if any(existing.name == rule.name for existing in _RULES):
        raise ValueError(f"push rule {rule.name!r} is registered already")
    _RULES.append(rule)


def registered_rules() -> tuple[PushRule, ...]:
    return tuple(_RULES)
