"""Overdue cases (DOMAIN 1.3, 1.4, 2.4, 4.5): which deadlines have passed, how far up the case has
been escalated, and who hears of it at each level.

A deadline that has passed is escalated every working day it stays overdue; after every
``escalate_after_working_days`` working days (an operator's setting) it goes one level up:

1. the lead department's and customer service's managers (and whoever works on the case);
2. also the company leadership in charge (分管领导, the vice-presidents) and the office's managers;
3. also the general manager.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import IntEnum
from zoneinfo import ZoneInfo

from dialogs.text import N_, DateText, Msg, Text
from services.cases.kinds import Deadline, kind_of
from services.cases.notify import supervisors, workers
from services.cases.statuses import Status
from services.people.roles import Department, Role
from storage.models import Staff, Ticket
from storage.uow import UnitOfWork

# The deadline the owner was promised (a complaint's resolution, a repair's work order): the owner
# is told when it passes. Progress reports and surveys are the office's own steps.
OWNER_DEADLINE = "resolve"
ESCALATED = "deadline_escalated"  # the ticket event recorded when a deadline reaches a level


class Level(IntEnum):
    MANAGERS = 1
    LEADERSHIP = 2
    GENERAL_MANAGER = 3


LEVEL_LABELS: dict[Level, str] = {
    Level.MANAGERS: N_("the department's and customer service's managers"),
    Level.LEADERSHIP: N_("the company leadership in charge"),
    Level.GENERAL_MANAGER: N_("the general manager"),
}


def escalation_level(working_days_late: int, step: int) -> Level:
    """Level 1 for the first ``step`` working days overdue, one level up after each further ``step``."""
    return Level(min(Level.GENERAL_MANAGER, 1 + max(0, working_days_late - 1) // max(1, step)))


async def escalation_people(uow: UnitOfWork, ticket: Ticket, level: Level) -> list[Staff]:
    """Everyone told of an overdue deadline at ``level``: each level adds people, none drops out."""
    people = [*await workers(uow, ticket), *await supervisors(uow, ticket)]
    if level >= Level.LEADERSHIP:
        people.extend(await uow.staff.reachable(ticket.project_id, roles=[Role.VICE_PRESIDENT]))
        people.extend(await uow.staff.reachable(ticket.project_id, departments=[Department.OFFICE],
                                                roles=[Role.MANAGER]))
    if level >= Level.GENERAL_MANAGER:
        people.extend(await uow.staff.reachable(ticket.project_id, roles=[Role.GENERAL_MANAGER]))
    unique: dict[int, Staff] = {}
    for person in people:
        unique.setdefault(person.id, person)
    return list(unique.values())


def shown_due(ticket: Ticket) -> date | None:
    """The date lists show a case against: the survey's while surveying, then the resolution's."""
    return ticket.progress_due if ticket.status == Status.SURVEY else ticket.resolve_due


def overdue_deadlines(ticket: Ticket, today: date) -> list[Deadline]:
    """The case's live deadlines that have passed (its kind says which are live now)."""
    return [deadline for deadline in kind_of(ticket).deadlines(ticket) if deadline.due < today]


def late_since(ticket: Ticket, today: date) -> date | None:
    """The earliest live deadline that has passed (a repair's survey counts while it is being
    surveyed), or None if the case is on time."""
    passed = [deadline.due for deadline in overdue_deadlines(ticket, today)]
    if ticket.status == Status.SURVEY and ticket.progress_due is not None and ticket.progress_due < today:
        passed.append(ticket.progress_due)
    return min(passed, default=None)


def owner_late_since(ticket: Ticket, today: date) -> date | None:
    """The date the owner was promised, if it has passed (the office's own steps do not count)."""
    return next((d.due for d in overdue_deadlines(ticket, today) if d.which == OWNER_DEADLINE), None)


async def local_date(uow: UnitOfWork, ticket: Ticket, moment: datetime,
                     cache: dict[int | None, str] | None = None) -> date:
    """The date of ``moment`` in the case's project time zone (``cache``: zones looked up, by project id)."""
    cache = {} if cache is None else cache
    if ticket.project_id not in cache:
        project = await uow.projects.get(ticket.project_id) if ticket.project_id else None
        cache[ticket.project_id] = project.timezone if project else "Asia/Shanghai"
    return moment.astimezone(ZoneInfo(cache[ticket.project_id])).date()


def owner_late_notice(ticket: Ticket, due: date) -> Text:
    """What the owner is told when the promised date has passed, and what happens next."""
    return Msg(N_("⏰ Your case {number} is past its deadline ({date}). We are sorry for the delay. It has "
                  "been reported to the managers responsible, who follow it up every "
                  "working day until it is done; if it stays late it goes up to the company leadership. We will "
                  "contact you as soon as there is progress."),
               {"number": ticket.number, "date": DateText(due)})

