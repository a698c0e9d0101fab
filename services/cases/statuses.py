"""A case's statuses, with the one table of the moves between them (complaints and repairs alike).

Every status change goes through ``move``, so a use case that tries a move the procedures do not
allow fails loudly in tests instead of leaving a case in a state nobody can act on.
"""

from __future__ import annotations

from enum import StrEnum

from dialogs.text import N_
from storage.models import Ticket


class Status(StrEnum):
    NEW = "new"  # routed, nobody has accepted it yet
    ACCEPTED = "accepted"  # a handler works on it
    RESOLVED = "resolved"  # waiting for the owner's confirmation
    CONFIRMED = "confirmed"  # the owner confirmed; the callback rating is pending
    CLOSED = "closed"  # rated
    UNCONFIRMED = "unconfirmed"  # closed without the owner's confirmation (never counted as confirmed)
    # Repairs (DOMAIN 2) pass through their own stages before RESOLVED.
    SURVEY = "survey"  # waiting for the site survey
    APPROVAL = "approval"  # the estimate waits for cost approval
    ISSUED = "issued"  # work order issued, no worker has taken it yet
    IN_PROGRESS = "in_progress"  # a worker repairs it
    COMPLETED = "completed"  # the team lead recorded completion; customer service checks it


STATUS_LABELS: dict[str, str] = {
    Status.NEW: N_("Registered, waiting to be accepted"),
    Status.ACCEPTED: N_("Being handled"),
    Status.RESOLVED: N_("Resolved, waiting for your confirmation"),
    Status.CONFIRMED: N_("Confirmed"),
    Status.CLOSED: N_("Closed"),
    Status.UNCONFIRMED: N_("Closed without confirmation"),
    Status.SURVEY: N_("Waiting for the site survey"),
    Status.APPROVAL: N_("Waiting for cost approval"),
    Status.ISSUED: N_("Work order issued"),
    Status.IN_PROGRESS: N_("Being repaired"),
    Status.COMPLETED: N_("Repaired, being checked"),
}

OPEN = (Status.NEW, Status.ACCEPTED)  # a complaint being handled
REPAIR_WORK = (Status.ISSUED, Status.IN_PROGRESS)  # a work order is out
REPAIR_STAGES = (Status.SURVEY, Status.APPROVAL, *REPAIR_WORK, Status.COMPLETED)
WORKING = (*OPEN, *REPAIR_WORK)  # someone works on it against a resolution deadline
OWNER_MAY_ADD = (*OPEN, *REPAIR_STAGES, Status.RESOLVED)
WAITING_FOR_OWNER = (Status.RESOLVED, Status.CONFIRMED)
FINAL = (Status.CLOSED, Status.UNCONFIRMED)

# Which status may follow which. A move to the same status (a transfer between departments,
# a repair reassigned to another worker) is always allowed.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset({Status.ACCEPTED}),
    Status.ACCEPTED: frozenset({Status.NEW, Status.RESOLVED}),
    Status.SURVEY: frozenset({Status.APPROVAL, Status.ISSUED}),
    Status.APPROVAL: frozenset({Status.ISSUED, Status.SURVEY}),
    Status.ISSUED: frozenset({Status.IN_PROGRESS}),
    Status.IN_PROGRESS: frozenset({Status.COMPLETED}),
    Status.COMPLETED: frozenset({Status.IN_PROGRESS, Status.RESOLVED}),
    # The owner says "not resolved": back to whoever works on it.
    Status.RESOLVED: frozenset({Status.CONFIRMED, Status.UNCONFIRMED, Status.NEW, Status.ACCEPTED,
                                Status.IN_PROGRESS}),
    Status.CONFIRMED: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
    Status.UNCONFIRMED: frozenset(),
}


class InvalidTransition(RuntimeError):
    """A use case tried a move the table does not allow (a bug, never the user's fault)."""


def can_move(current: str, target: Status) -> bool:
    return target == current or target in TRANSITIONS[Status(current)]


def move(ticket: Ticket, target: Status) -> None:
    """Set the case's status, if the table allows the move from its current one."""
    if not can_move(ticket.status, target):
        raise InvalidTransition(f"{ticket.number}: {ticket.status} → {target}")
    ticket.status = target
