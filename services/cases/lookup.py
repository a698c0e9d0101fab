"""Finding a case (issue 12): staff open any case they may see by typing its number — closed ones
too —, list the open cases they handle (``/my``) and the cases closed lately; everyone who may see a
case reads its whole history. Someone who may not see a case is answered exactly as if it did
not exist."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from dialogs.actions import OwnerCasePress, PagePress, StaffCasePress, encode
from dialogs.engine import Button, Reply
from dialogs.text import N_, DateText, Lines, Msg, Plain, Text
from services.cases import follow_up
from services.cases.history_view import history_page
from services.cases.kinds import kind_of, registered_kinds
from services.cases.numbering import parse_number
from services.cases.overdue import late_since, local_date, shown_due
from services.cases.statuses import STATUS_LABELS
from services.cases.visibility import may_see
from services.common.actor import Actor
from services.common.pages import next_page, page_note
from services.pushes import outbox
from services.pushes.purposes import Purpose
from storage.models import Staff, Ticket
from storage.uow import UnitOfWork

MY_PAGE = 10
CLOSED_PAGE = 10
CLOSED_LIST_DAYS = 365  # the closed list covers a year; older cases are opened by their number

HISTORY = N_("📜 History")
CLOSED = N_("🗄 Closed cases")
NUMBER_HINT = N_("Type a case number (e.g. TS-2026-000123) to open any case you may see, closed ones too.")


def typed_number(text: str) -> str | None:
    """A case number of a registered kind in its canonical form, or None if the text is not one."""
    number = parse_number(text)
    if number is None or number[:2] not in {kind.prefix for kind in registered_kinds()}:
        return None
    return number


async def acting_staff(uow: UnitOfWork, actor: Actor) -> Staff | None:
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    return staff if staff is not None and staff.active else None


async def find_for_staff(uow: UnitOfWork, staff: Staff, number: str, now: datetime) -> Reply:
    ticket = await uow.tickets.by_number(number)
    if ticket is None or not may_see(staff, ticket):  # the same answer: nothing about its existence
        return Reply(Msg(N_("No case {number} among the cases you may see."), {"number": number}))
    await _send_photos(uow, staff, ticket, now)
    return await staff_view(uow, staff, ticket, now)


async def _send_photos(uow: UnitOfWork, staff: Staff, ticket: Ticket, now: datetime) -> None:
    """Opened by its number, a case's photos and files come again, right after its card (notices
    bring them only once per chat, ``notify.send_card``)."""
    if not ticket.attachments or staff.chat_id is None:
        return
    await outbox.enqueue(
        uow, key=f"ticket:{ticket.id}:photos:staff:{staff.id}:{now.isoformat()}", purpose=Purpose.CASE,
        chat_id=staff.chat_id, reply=Reply(Msg(N_("📎 The photos and files of {number}"), {"number": ticket.number})),
        now=now, not_before=now, staff_id=staff.id, media=ticket.attachments, ticket_id=ticket.id)


async def staff_view(uow: UnitOfWork, staff: Staff, ticket: Ticket, now: datetime) -> Reply:
    """The case card as this person sees it — overdue marked, an open follow-up shown —, with what
    they may do now and its history."""
    kind = kind_of(ticket)
    headline = Msg(N_("Case details · {status}"), {"status": Msg(STATUS_LABELS[ticket.status])})
    lines: list[Text] = [await kind.staff_card(uow, ticket, headline, viewer=staff, now=now)]
    late = late_since(ticket, await local_date(uow, ticket, now))
    if late is not None:
        lines.append(Msg(N_("⏰ Overdue: it was due {date}; escalated every working day until it is done."),
                         {"date": DateText(late)}))
    follow_up_lines, follow_up_buttons = await follow_up.view_part(uow, staff, ticket)
    buttons = (*await kind.staff_buttons(uow, staff, ticket), *follow_up_buttons,
               (Button(Msg(HISTORY), encode(StaffCasePress(ticket.id, "h0"))),))
    return Reply(Lines((*lines, *follow_up_lines)), buttons)


NEXT_PAGE = N_("Next page ▶")
PREVIOUS_PAGE = N_("◀ Previous page")


async def staff_history(uow: UnitOfWork, ticket: Ticket, offset: int) -> Reply:
    def page(label: str) -> Callable[[int], Button]:
        return lambda at: Button(Msg(label), encode(StaffCasePress(ticket.id, f"hp{at}")))
    return await history_page(uow, ticket, for_owner=False, offset=offset, more=page(NEXT_PAGE),
                              back=page(PREVIOUS_PAGE))


async def owner_history(uow: UnitOfWork, ticket: Ticket, offset: int) -> Reply:
    def page(label: str) -> Callable[[int], Button]:
        return lambda at: Button(Msg(label), encode(OwnerCasePress(ticket.id, f"hp{at}")))
    return await history_page(uow, ticket, for_owner=True, offset=offset, more=page(NEXT_PAGE),
                              back=page(PREVIOUS_PAGE))


async def staff_my_cases(uow: UnitOfWork, staff: Staff, now: datetime, offset: int = 0) -> Reply:
    """The open cases this person handles (or repairs), oldest deadline first."""
    tickets = await uow.tickets.handled_by(staff.id)
    page = tickets[offset : offset + MY_PAGE]
    lines: list[Text] = [Msg(N_("Open cases you handle:") if tickets else N_("You are not handling any open case."))]
    rows: list[tuple[Button, ...]] = []
    zones: dict[int | None, str] = {}
    for ticket in page:
        line, button = await list_entry(uow, ticket, now, zones)
        lines.append(line)
        rows.append((button,))
    note = page_note(offset, len(page), len(tickets))
    lines.extend([*([note] if note else []), Msg(NUMBER_HINT)])
    return Reply(Lines(tuple(lines)), (*rows, *next_page("my", offset, len(page), len(tickets)), closed_button()))


def closed_button() -> tuple[Button, ...]:
    return (Button(Msg(CLOSED), encode(PagePress("closed", 0))),)


async def list_entry(uow: UnitOfWork, ticket: Ticket, now: datetime,
                     zones: dict[int | None, str]) -> tuple[Text, Button]:
    """A case's line in a staff list (overdue ones marked ⏰) and its button."""
    late = late_since(ticket, await local_date(uow, ticket, now, zones))
    due_date = late or shown_due(ticket)
    params: dict[str, Text] = {
        "number": ticket.number, "category": kind_of(ticket).category_label(ticket),
        "status": Msg(STATUS_LABELS[ticket.status]), "date": DateText(due_date) if due_date else "—"}
    if late is not None:
        line = Msg(N_("⏰ {number} · {category} · {status} · overdue, was due {date}"), params)
    else:
        line = Msg(N_("{number} · {category} · {status} · due {date}"), params)
    button = Button(Plain(("⏰ " if late else "") + ticket.number), encode(StaffCasePress(ticket.id, "view")))
    return line, button


async def closed_cases(uow: UnitOfWork, staff: Staff, now: datetime, offset: int = 0) -> Reply:
    """Cases closed in the last year that this person may see, the latest first."""
    since = now - timedelta(days=CLOSED_LIST_DAYS)
    tickets = [t for t in await uow.tickets.closed_since(staff.project_id, since) if may_see(staff, t)]
    if not tickets:
        return Reply(Lines((Msg(N_("No closed cases in the last year.")), Msg(NUMBER_HINT))))
    page = tickets[offset : offset + CLOSED_PAGE]
    lines: list[Text] = [Msg(N_("Closed cases, the latest first:"))]
    rows: list[tuple[Button, ...]] = []
    zones: dict[int | None, str] = {}
    for ticket in page:
        closed: Text = DateText(await local_date(uow, ticket, ticket.closed_at, zones)) if ticket.closed_at else "—"
        lines.append(Msg(N_("{number} · {category} · {status} · closed {date}"), {
            "number": ticket.number, "category": kind_of(ticket).category_label(ticket),
            "status": Msg(STATUS_LABELS[ticket.status]), "date": closed}))
        rows.append((Button(Plain(ticket.number), encode(StaffCasePress(ticket.id, "view"))),))
    note = page_note(offset, len(page), len(tickets))
    lines.extend([*([note] if note else []), Msg(NUMBER_HINT)])
    return Reply(Lines(tuple(lines)), (*rows, *next_page("closed", offset, len(page), len(tickets))))
