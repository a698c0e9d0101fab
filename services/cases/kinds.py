"""Case kinds: what differs between a complaint and a repair, behind one protocol.

The shared case code (history, owner actions, confirmation, reminders) asks the ticket's kind
instead of testing ``ticket.kind``. A kind is registered once, by the composition root
(``services/capabilities.py``); adding a kind means a new package that implements ``CaseKind``,
its dialogs, and a few registrations — the steps are in docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from dialogs.engine import Button
from dialogs.text import Msg, Text
from services.cases.results import ActionResult
from storage.models import Staff, Ticket, Unit
from storage.uow import UnitOfWork

Buttons = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Deadline:
    """A deadline the reminder rule watches: ``which`` keys the reminders (``progress``, ``resolve``)."""

    which: str
    due: date
    label: str  # msgid: what is due ("Progress report", "Resolution")
    remind_before: bool = True  # False: a deadline too short for a reminder the day before (a site survey)


class CaseKind(Protocol):
    name: str  # the ``tickets.kind`` value
    prefix: str  # of the unified number: TS-2026-000123
    intake_dialog: str  # the owner's filing dialog
    rating_dialog: str  # the owner's rating after confirming
    resolved_text: str  # msgid with {number}: the owner is asked to confirm the result
    reopened_text: str  # msgid with {number}: the owner's "not resolved" has reopened the case

    def category_label(self, ticket: Ticket) -> Msg:
        """A complaint's category or a repair's trade, for lists and cards."""

    async def staff_card(self, uow: UnitOfWork, ticket: Ticket, headline: Msg, *, viewer: Staff | None = None,
                         now: datetime | None = None) -> Text:
        """The case as ``viewer`` sees it: the owner's phone masked, in full only to the staff the
        kind assigns to act on it (``services.cases.contact``, DOMAIN 5.2); no viewer: masked."""

    async def staff_buttons(self, uow: UnitOfWork, staff: Staff, ticket: Ticket) -> Buttons:
        """What this staff member may do on the case now."""

    async def owner_card(self, uow: UnitOfWork, ticket: Ticket, unit: Unit | None) -> Text:
        """The case as its owner sees it."""

    def may_see(self, staff: Staff, ticket: Ticket) -> bool:
        """Staff beyond the shared rule (customer service, leadership, lead and assisting departments)."""

    async def staff_press(self, uow: UnitOfWork, staff: Staff, ticket: Ticket, code: str,
                          now: datetime) -> ActionResult:
        """A staff button on a case of this kind (visibility already checked)."""

    def deadlines(self, ticket: Ticket) -> list[Deadline]:
        """The deadlines whose reminders are due to the people working on the case now."""

    async def extension_agreed(self, uow: UnitOfWork, ticket: Ticket, until: date, now: datetime) -> None:
        """The owner agreed to a later date (the ticket's ``resolve_due`` is moved already)."""

    async def reopen(self, uow: UnitOfWork, ticket: Ticket) -> None:
        """The owner said "not resolved": move the case back to whoever works on it."""

    async def rate(self, uow: UnitOfWork, ticket: Ticket, answers: Mapping[str, Any], now: datetime) -> None:
        """The owner's ratings from the rating dialog close the case."""

    def ratings(self, answers: Mapping[str, Any]) -> tuple[tuple[str, int], ...]:
        """The ratings in a rating dialog's answers: (label msgid, 1–5) pairs, in the order asked."""


_KINDS: dict[str, CaseKind] = {}


def register_kind(kind: CaseKind) -> None:
    if _KINDS.get(kind.name, kind) is not kind:
        raise ValueError(f"case kind {kind.name!r} is registered already")
    if any(other.prefix == kind.prefix and other is not kind for other in _KINDS.values()):
        raise ValueError(f"number prefix {kind.prefix!r} is taken")
    _KINDS[kind.name] = kind


def kind_of(ticket: Ticket) -> CaseKind:
    try:
        return _KINDS[ticket.kind]
    except KeyError:
        raise LookupError(f"no case kind {ticket.kind!r}; services.capabilities registers them") from None


def kind_named(name: str) -> CaseKind:
    return _KINDS[name]


def registered_kinds() -> tuple[CaseKind, ...]:
    return tuple(_KINDS.values())
