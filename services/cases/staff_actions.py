"""Staff presses on a case, and their queue. Who may see a case is decided for every kind
(``services/cases/visibility.py``); what they may do on it is the kind's, checked against the
database again on every press. Viewing a case and reading its history are the same for every kind."""

from __future__ import annotations

import re
from datetime import datetime

from dialogs.actions import StaffCasePress
from dialogs.engine import Reply
from dialogs.text import N_, Lines, Msg, Text
from services.cases import follow_up
from services.cases.kinds import kind_of
from services.cases.lookup import closed_button, list_entry, staff_history, staff_view
from services.cases.results import NOT_VALID, ActionResult
from services.cases.visibility import EVERYTHING_DEPARTMENTS, in_reach, may_see
from services.chats.pressed import last_event_id
from services.common.actor import Actor
from services.common.pages import next_page, page_note
from storage.uow import UnitOfWork

__all__ = ["EVERYTHING_DEPARTMENTS", "in_reach", "may_see", "queue", "staff_press"]


async def staff_press(uow: UnitOfWork, actor: Actor, press: StaffCasePress, now: datetime) -> ActionResult:
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    if staff is None:
        return ActionResult(refusal=NOT_VALID)
    ticket = await uow.tickets.get(press.ticket, lock=True)
    if ticket is None or not may_see(staff, ticket):
        return ActionResult(refusal=NOT_VALID)
    if press.action == "view":
        return ActionResult([await staff_view(uow, staff, ticket, now)])
    page = re.fullmatch(r"h(p?)([0-9]{1,6})", press.action)
    if page is not None:  # "hp": a page turned in place
        return ActionResult([await staff_history(uow, ticket, int(page[2]))], in_place=bool(page[1]))
    before = await last_event_id(uow, ticket.id)
    if press.action in follow_up.CODES:
        result = await follow_up.press(uow, staff, ticket, press.action, now)
    else:
        result = await kind_of(ticket).staff_press(uow, staff, ticket, press.action, now)
    # A press that recorded something on the case did what its button offered: the card it was
    # on loses its buttons (a press that only shows something, or is refused, records nothing).
    # When no new card came back, the card keeps what the presser may still do on the case.
    if result.refusal is None and await last_event_id(uow, ticket.id) != before:
        result.used = True
        if not any(reply.buttons for reply in result.replies):
            result.left = await kind_of(ticket).staff_buttons(uow, staff, ticket)
    return result


QUEUE_PAGE = 20


async def queue(uow: UnitOfWork, actor: Actor, now: datetime, offset: int = 0) -> Reply:
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    if staff is None:
        return Reply(Msg(N_("This command is for staff.")))
    tickets = await uow.tickets.queue_for(staff, everything=staff.department in EVERYTHING_DEPARTMENTS)
    # A customer-service manager's own follow-ups (回访) come first, then the cases by deadline.
    entries = await follow_up.queue_entries(uow, staff, now)
    zones: dict[int | None, str] = {}
    for ticket in tickets:
        entries.append(await list_entry(uow, ticket, now, zones))
    if not entries:
        return Reply(Msg(N_("No open cases.")), (closed_button(),))
    page = entries[offset : offset + QUEUE_PAGE]
    lines: list[Text] = [Msg(N_("Open cases, oldest deadline first:")), *(line for line, _button in page)]
    note = page_note(offset, len(page), len(entries))
    return Reply(Lines((*lines, *([note] if note else []))),
                 (*((button,) for _line, button in page), *next_page("queue", offset, len(page), len(entries)),
                  closed_button()))
