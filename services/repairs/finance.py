"""What finance is asked when a repair's completion is recorded (DOMAIN 2.6): an audit of a
settlement over 20,000 yuan, and for a class-A job the deduction of its cost from the builder's
quality deposit.

Each is asked once per settled amount of a work order. A job recorded as done again — after a
failed check, a rejected settlement or the owner's "not resolved" — with the same amount asks
nothing new; a changed amount sends one correction that replaces the earlier request (so finance
never deducts twice). The requests are the case's history events, which say what was asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from dialogs.text import N_, Money, Msg
from services.cases.history import record
from services.cases.notify import notify_staff
from services.people.roles import Department
from services.repairs.acting import people
from storage.models import Ticket, TicketEvent, WorkOrder
from storage.uow import UnitOfWork

AUDIT = "audit_flagged"  # data: order, settlement
DEDUCTION = "deposit_deduction"  # data: order, amount
DEDUCTION_CORRECTED = "deposit_deduction_corrected"  # data: order, amount, previous


async def tell_finance(uow: UnitOfWork, ticket: Ticket, order: WorkOrder, settlement: Decimal, now: datetime) -> None:
    events = await uow.tickets.events(ticket.id)
    finance = await people(uow, ticket, Department.FINANCE)
    if order.audit_required and _last_asked(events, order, (AUDIT,), "settlement") != settlement:
        audit = await record(uow, ticket, AUDIT, now, order=order.number, settlement=str(settlement))
        await notify_staff(uow, finance, ticket, audit, Msg(N_("🔎 Settlement of {number} is over 20,000 yuan: audit"
                                                               " it"), {"number": ticket.number}), now, with_media=False)
    if not order.deposit_deduction:
        return
    asked = _last_asked(events, order, (DEDUCTION, DEDUCTION_CORRECTED), "amount")
    if asked is None and settlement > 0:
        deduction = await record(uow, ticket, DEDUCTION, now, order=order.number, amount=str(settlement))
        await notify_staff(uow, finance, ticket, deduction, Msg(
            N_("🏗 Deduct {amount} from the builder's quality deposit for {number} (class A)"),
            {"amount": Money(str(settlement)), "number": ticket.number}), now, with_media=False)
    elif asked is not None and asked != settlement:
        correction = await record(uow, ticket, DEDUCTION_CORRECTED, now, order=order.number, amount=str(settlement),
                                  previous=str(asked))
        await notify_staff(uow, finance, ticket, correction, Msg(
            N_("🏗 Correction for {number}: deduct {amount} from the builder's quality deposit instead of the "
               "{previous} asked before (class A)"),
            {"number": ticket.number, "amount": Money(str(settlement)), "previous": Money(str(asked))}), now,
            with_media=False)


def _last_asked(events: Sequence[TicketEvent], order: WorkOrder, kinds: tuple[str, ...], field: str) -> Decimal | None:
    """The amount of the latest request of these kinds about this work order, if any."""
    asked = [e for e in events if e.kind in kinds and e.data.get("order") == order.number]
    return Decimal(str(asked[-1].data[field])) if asked else None
