"""The low-rating follow-up shared by every case kind (DOMAIN 1.6, 2.5): a rating of 1 or 2 opens a
follow-up for the customer-service manager, who re-visits the owner."""

from __future__ import annotations

from datetime import datetime

from dialogs.text import N_, Field, Lines, Msg, Plain
from services.cases.history import record
from services.cases.notify import notify_customer_service
from storage.models import Ticket
from storage.uow import UnitOfWork

LOW_RATING = 2


async def follow_up_if_low(
    uow: UnitOfWork, ticket: Ticket, now: datetime, ratings: tuple[tuple[str, int], ...], comment: str | None,
) -> bool:
    """``ratings``: (label msgid, 1–5) pairs as the kind asked them. True if a follow-up was opened."""
    if min(value for _label, value in ratings) > LOW_RATING:
        return False
    follow_up = await record(uow, ticket, "follow_up_opened", now, reason="low_rating")
    await notify_customer_service(
        uow, ticket, follow_up, Msg(N_("⚠️ Dissatisfied owner on {number}: please re-visit"), {"number": ticket.number}),
        now, managers_only=True,
        extra=Lines((*(Field(Msg(label), value) for label, value in ratings),
                     Field(Msg(N_("Comment")), Plain(comment or "—")))),
    )
    return True
