"""Tickets (complaints, later repairs) and their history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import or_, select, text

from storage.models import Staff, Ticket, TicketEvent
from storage.repositories.base import Repository

# The planner still has work on these (repairs pass through survey … completed first).
OPEN_STATUSES = ("new", "accepted", "resolved", "confirmed", "survey", "approval", "issued", "in_progress", "completed")
WAITING_FOR_OWNER = ("resolved", "confirmed")
FINAL_STATUSES = ("closed", "unconfirmed")

# One atomic upsert: parallel filings queue on the row lock (PostgreSQL) or the write lock (SQLite),
# and a rolled-back filing gives its number back.
_NEXT_NUMBER = text(
    "INSERT INTO number_sequences (prefix, year, value) VALUES (:prefix, :year, 1) "
    "ON CONFLICT (prefix, year) DO UPDATE SET value = number_sequences.value + 1 "
    "RETURNING value"
)


class TicketRepository(Repository):
    def add(self, ticket: Ticket) -> None:
        self.session.add(ticket)

    async def next_sequence_value(self, prefix: str, year: int) -> int:
        """The next value of the unified numbering sequence of ``prefix`` in ``year``."""
        return int((await self.session.execute(_NEXT_NUMBER, {"prefix": prefix, "year": year})).scalar_one())

    async def get(self, ticket_id: int, *, lock: bool = False, fresh: bool = False) -> Ticket | None:
        """``lock``: FOR UPDATE on PostgreSQL; ``fresh``: reload even if this session has it."""
        query = select(Ticket).where(Ticket.id == ticket_id)
        if lock and self.dialect == "postgresql":
            query = query.with_for_update()
        if fresh:
            query = query.execution_options(populate_existing=True)
        return await self.session.scalar(query)

    async def by_number(self, number: str) -> Ticket | None:
        return await self.session.scalar(select(Ticket).where(Ticket.number == number))

    async def of_owner(self, owner_id: int) -> Sequence[Ticket]:
        query = select(Ticket).where(Ticket.owner_id == owner_id).order_by(Ticket.id.desc())
        return (await self.session.scalars(query)).all()

    async def open_tickets(self) -> Sequence[Ticket]:
        return (await self.session.scalars(select(Ticket).where(Ticket.status.in_(OPEN_STATUSES)))).all()

    async def queue_for(self, staff: Staff, *, everything: bool) -> Sequence[Ticket]:
        """Open cases a staff member works on: theirs, their department's, or (customer
        service and leadership) all of their project's; oldest deadline first."""
        query = select(Ticket).where(Ticket.status.in_(OPEN_STATUSES))
        if staff.project_id is not None:
            query = query.where(or_(Ticket.project_id == staff.project_id, Ticket.project_id.is_(None)))
        tickets = (await self.session.scalars(query.order_by(Ticket.id))).all()
        if not everything:
            # Assisting departments live in a JSON list: filtered here, the same on both databases.
            tickets = [
                t for t in tickets
                if t.handler_id == staff.id or staff.department in (t.lead_department, *t.assisting_departments)
            ]
        return sorted(tickets, key=_urgency)


    async def handled_by(self, staff_id: int) -> Sequence[Ticket]:
        """Open cases a staff member is the handler (or the work order's worker) of, oldest deadline first."""
        query = select(Ticket).where(Ticket.handler_id == staff_id, Ticket.status.in_(OPEN_STATUSES))
        return sorted((await self.session.scalars(query)).all(), key=_urgency)

    async def closed_since(self, project_id: int | None, since: datetime) -> Sequence[Ticket]:
        """Closed cases (rated, unrated or unconfirmed) of a project — all projects for ``None`` —
        closed at or after ``since``, the latest first."""
        query = select(Ticket).where(Ticket.status.in_(FINAL_STATUSES), Ticket.closed_at >= since)
        if project_id is not None:
            query = query.where(or_(Ticket.project_id == project_id, Ticket.project_id.is_(None)))
        return (await self.session.scalars(query.order_by(Ticket.closed_at.desc(), Ticket.id.desc()))).all()

    async def events(self, ticket_id: int) -> Sequence[TicketEvent]:
        query = select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.id)
        return (await self.session.scalars(query)).all()

    def add_event(self, event: TicketEvent) -> None:
        self.session.add(event)


def _urgency(ticket: Ticket) -> tuple[int, date, int]:
    """Cases staff still work on first, by their earliest pending deadline; then those waiting
    for the owner."""
    pending = [d for d in (None if ticket.progress_reported_at else ticket.progress_due, ticket.resolve_due) if d]
    waiting_for_owner = ticket.status in WAITING_FOR_OWNER
    return (int(waiting_for_owner), min(pending) if pending else date.max, ticket.id)
