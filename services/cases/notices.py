"""One-line notices to staff: how a case ended, without the whole card again.

When the owner confirms a result, rates the service, or a case closes because the owner never
answered, the handler and customer service (who logs everything) each get one line — never the
person who did it, never twice to one person. The customer-service managers who were just sent a
low-rating follow-up with the ratings get no second line about it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from dialogs.engine import Reply
from dialogs.text import N_, Msg, Plain, Text
from services.cases.follow_up import LOW_RATING
from services.cases.notify import staff_delivery
from services.common.pages import clipped
from services.people.roles import SUPERVISOR_ROLES, Department
from services.pushes import outbox
from services.pushes.purposes import Purpose
from storage.models import Staff, Ticket, TicketEvent
from storage.uow import UnitOfWork


async def notify_line(
    uow: UnitOfWork, people: Iterable[Staff], ticket: Ticket, event: TicketEvent, text: Text, now: datetime,
) -> int:
    """``text`` to each person, in working hours on working days (``ticket:<id>:event:<id>:line:staff:<id>``)."""
    not_before = await staff_delivery(uow, ticket, now)
    sent = 0
    for person in people:
        if person.chat_id is not None and await outbox.enqueue(
            uow, key=f"ticket:{ticket.id}:event:{event.id}:line:staff:{person.id}", purpose=Purpose.CASE,
            chat_id=person.chat_id, reply=Reply(text), now=now, not_before=not_before, staff_id=person.id,
        ):
            sent += 1
    return sent


async def handler_and_customer_service(
    uow: UnitOfWork, ticket: Ticket, *, actor_id: int | None = None, without_managers: bool = False,
) -> list[Staff]:
    """The case's handler and the project's customer service, each once, without ``actor_id``."""
    handler = await uow.staff.get(ticket.handler_id) if ticket.handler_id else None
    service = await uow.staff.reachable(ticket.project_id, departments=[Department.CUSTOMER_SERVICE])
    people: dict[int, Staff] = {}
    for person in ([handler] if handler is not None and handler.active else []) + list(service):
        if person.id == actor_id or person.chat_id is None:
            continue
        if without_managers and person.id != ticket.handler_id and person.role in SUPERVISOR_ROLES:
            continue
        people.setdefault(person.id, person)
    return list(people.values())


async def tell_confirmed(uow: UnitOfWork, ticket: Ticket, event: TicketEvent, now: datetime) -> int:
    text = Msg(N_("✅ The owner confirmed the result of {number}."), {"number": ticket.number})
    return await notify_line(uow, await handler_and_customer_service(uow, ticket), ticket, event, text, now)


def ratings_line(ticket: Ticket, ratings: Sequence[tuple[str, int]], comment: str | None, *,
                 by: Staff | None = None, late: bool = False) -> Text:
    """"⭐ The owner rated TS-…: result 4/5, attitude 5/5. Comment: …" (a phone callback says who recorded it)."""
    (first, first_value), (second, second_value) = ratings  # every kind asks two: result or quality, attitude
    values: dict[str, Text] = {"number": ticket.number, "first": Msg(first), "first_value": first_value,
                               "second": Msg(second), "second_value": second_value}
    if late:
        line = Msg(N_("💬 After {number} was closed, the owner also rated it in chat: {first} {first_value}/5, "
                      "{second} {second_value}/5."), values)
    elif by is not None:
        line = Msg(N_("📞 {name} recorded the callback on {number}: {first} {first_value}/5, "
                      "{second} {second_value}/5."), {**values, "name": Plain(by.name)})
    else:
        line = Msg(N_("⭐ The owner rated {number}: {first} {first_value}/5, {second} {second_value}/5."), values)
    if not comment:
        return line
    return Msg(N_("{line} Comment: {comment}"), {"line": line, "comment": Plain(clipped(comment))})


async def tell_rated(
    uow: UnitOfWork, ticket: Ticket, event: TicketEvent, now: datetime, ratings: Sequence[tuple[str, int]],
    comment: str | None, *, by: Staff | None = None, late: bool = False,
) -> int:
    """The ratings to the handler and customer service. A low one already reached the managers with
    the follow-up, so they are left out of the line."""
    low = min(value for _label, value in ratings) <= LOW_RATING and not late
    people = await handler_and_customer_service(uow, ticket, actor_id=by.id if by else None, without_managers=low)
    return await notify_line(uow, people, ticket, event, ratings_line(ticket, ratings, comment, by=by, late=late), now)


async def tell_closed(uow: UnitOfWork, ticket: Ticket, event: TicketEvent, now: datetime, *, confirmed: bool) -> int:
    """The planner closed the case because the owner did not answer in 3 working days."""
    text = (Msg(N_("⌛ {number} was closed without a rating: the owner did not rate it within 3 working days."),
                {"number": ticket.number}) if confirmed else
            Msg(N_("⌛ {number} was closed as not confirmed: the owner did not answer within 3 working days."),
                {"number": ticket.number}))
    return await notify_line(uow, await handler_and_customer_service(uow, ticket), ticket, event, text, now)
