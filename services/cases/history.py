"""A case's history (DOMAIN 5.1): every change is an event; nothing is edited silently."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storage.models import Ticket, TicketEvent
from storage.uow import UnitOfWork


async def record(
    uow: UnitOfWork, ticket: Ticket, kind: str, now: datetime, *, actor: str = "system",
    staff_id: int | None = None, **data: Any,
) -> TicketEvent:
    """Append an event to the ticket's history (and flush, so its id can key notifications)."""
    event = TicketEvent(ticket_id=ticket.id, at=now, kind=kind, actor=actor, staff_id=staff_id,
                        data={k: v for k, v in data.items() if v is not None})
    uow.tickets.add_event(event)
    ticket.updated_at = now
    await uow.flush()
    return event


async def latest_resolution(uow: UnitOfWork, ticket: Ticket) -> int | None:
    """The event id of the latest result the owner is asked to confirm."""
    resolutions = [e.id for e in await uow.tickets.events(ticket.id) if e.kind == "resolved"]
    return resolutions[-1] if resolutions else None
