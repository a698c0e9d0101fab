"""The owner's phone on a staff card (DOMAIN 5.2): masked (138****1234) for everyone who only
reads the case; in full for the staff assigned to act on it who must call the owner — the
worker arranging the visit, the person doing the callback, the follow-up handler — and each
person shown it is recorded in the case's history."""

from __future__ import annotations

from datetime import datetime

from dialogs.phones import display_phone, mask_phone
from services.cases.history import record
from storage.models import Ticket
from storage.uow import UnitOfWork

PHONE_SHOWN = "phone_shown"  # the ticket event: ``staff_id`` was shown the full number
NO_PHONE = "—"


async def owner_phone_for(
    uow: UnitOfWork, ticket: Ticket, viewer_staff_id: int | None, *, acts: bool, now: datetime
) -> str:
    """The case's contact phone as ``viewer_staff_id`` may see it.

    ``acts``: the viewer is assigned to act on the case and must call the owner; they get the
    full number, and the first time they do, a ``phone_shown`` event records it (once per
    person and case: a card sent again does not flood the history). Anyone else gets it masked.
    """
    phone = ticket.contact_phone
    if not phone or not acts or viewer_staff_id is None:
        return masked_owner_phone(ticket)
    if not await _shown_before(uow, ticket, viewer_staff_id):
        await record(uow, ticket, PHONE_SHOWN, now, actor="system", staff_id=viewer_staff_id)
    return display_phone(phone)


def masked_owner_phone(ticket: Ticket) -> str:
    """The case's contact phone for someone who only reads the case."""
    return mask_phone(ticket.contact_phone) if ticket.contact_phone else NO_PHONE


async def _shown_before(uow: UnitOfWork, ticket: Ticket, staff_id: int) -> bool:
    return any(e.kind == PHONE_SHOWN and e.staff_id == staff_id for e in await uow.tickets.events(ticket.id))
