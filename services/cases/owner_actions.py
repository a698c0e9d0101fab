"""What owners do with their own cases in chat: view, add information, confirm or reopen a
result, answer an extension request, rate. Every press is checked against the database
(every press is checked against the database): never another owner's case, never an answer to a superseded question."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from dialogs.actions import OwnerCasePress, encode
from dialogs.engine import Button, Reply
from dialogs.text import N_, DateText, Field, Lines, Msg, Plain, Text
from services.cases.confirmation import confirmation_buttons
from services.cases.follow_up import LOW_RATING
from services.cases.history import latest_resolution, record
from services.cases.kinds import kind_of, registered_kinds
from services.cases.lookup import HISTORY, owner_history
from services.cases.notices import notify_line, tell_confirmed, tell_rated
from services.cases.notify import cancel_reminders, notify_workers, owner_button, workers
from services.cases.numbering import parse_number
from services.cases.overdue import local_date, owner_late_notice, owner_late_since
from services.cases.result_history import result_history
from services.cases.results import NO_LONGER_VALID, NOT_VALID, STALE, ActionResult
from services.cases.statuses import OWNER_MAY_ADD, STATUS_LABELS, WORKING, Status, move
from services.cases.units import ticket_unit
from services.common.actor import Actor, Completion
from services.common.pages import next_page, page_note
from storage.models import Ticket
from storage.uow import UnitOfWork


async def owner_press(uow: UnitOfWork, actor: Actor, press: OwnerCasePress, now: datetime) -> ActionResult:
    owner_id = actor.identity.owner_id
    if owner_id is None:
        return ActionResult(refusal=NOT_VALID)
    ticket = await uow.tickets.get(press.ticket, lock=True)
    if ticket is None or ticket.owner_id != owner_id:  # never another owner's case
        return ActionResult(refusal=NOT_VALID)
    code = press.action
    if code == "view":
        return ActionResult([await owner_view(uow, ticket, now)])
    history = re.fullmatch(r"h(p?)([0-9]{1,6})", code)
    if history is not None:  # the case's history, closed cases too; "hp": a page turned in place
        return ActionResult([await owner_history(uow, ticket, int(history[2]))], in_place=bool(history[1]))
    if code == "add" and ticket.status in OWNER_MAY_ADD:
        return ActionResult(begin=("ticket_add_info", {"ticket": ticket.id}))
    answer = re.fullmatch(r"(ok|no|xy|xn)([0-9]{1,9})", code)
    if answer and answer[1] in ("ok", "no") and ticket.status == Status.RESOLVED:
        if int(answer[2]) != await latest_resolution(uow, ticket):
            return ActionResult(refusal=NO_LONGER_VALID)
        if answer[1] == "no":
            return ActionResult([await reopen(uow, ticket, now)], begin=("ticket_reopen", {"ticket": ticket.id}),
                                used=True, done=_your_answer(N_("❌ Not resolved")))
        move(ticket, Status.CONFIRMED)
        ticket.confirmed_at = now
        confirmed = await record(uow, ticket, "confirmed", now, actor="owner")
        await tell_confirmed(uow, ticket, confirmed, now)
        return ActionResult([Reply(Msg(N_("Thank you for confirming. Two quick questions about our service:")))],
                            begin=(kind_of(ticket).rating_dialog, {"ticket": ticket.id}),
                            used=True, done=_your_answer(N_("✅ Yes, resolved")))
    if code == "rate" and ticket.status == Status.CONFIRMED:
        return ActionResult(begin=(kind_of(ticket).rating_dialog, {"ticket": ticket.id}))
    if answer and answer[1] in ("xy", "xn") and ticket.status in WORKING:
        return ActionResult([await _decide_extension(uow, ticket, int(answer[2]), answer[1] == "xy", now)],
                            used=True, done=_your_answer(N_("Agree") if answer[1] == "xy" else N_("Disagree")))
    return ActionResult(refusal=NO_LONGER_VALID)


def _your_answer(label: str) -> Text:
    """The line the answered question shows: the label of the button pressed, as the owner reads it."""
    return Msg(N_("Your answer: {answer}"), {"answer": Msg(label)})


async def _decide_extension(uow: UnitOfWork, ticket: Ticket, event_id: int, agree: bool, now: datetime) -> Reply:
    events = await uow.tickets.events(ticket.id)
    requests = [e for e in events if e.kind == "extension_requested"]
    request = requests[-1] if requests and requests[-1].id == event_id else None  # only the latest counts
    decided = any(e.kind in ("extension_agreed", "extension_declined") and e.data.get("request") == event_id
                  for e in events)
    if request is None or decided:
        return Reply(Msg(N_("This request has already been answered.")))
    until = str(request.data["until"])
    if agree:
        ticket.resolve_due = date.fromisoformat(until)
        await kind_of(ticket).extension_agreed(uow, ticket, ticket.resolve_due, now)
        await cancel_reminders(uow, ticket, "resolve")
        event = await record(uow, ticket, "extension_agreed", now, actor="owner", request=event_id, until=until)
        text = Msg(N_("Thank you. The new date for {number} is {date}."),
                   {"number": ticket.number, "date": DateText(ticket.resolve_due)})
    else:
        event = await record(uow, ticket, "extension_declined", now, actor="owner", request=event_id)
        text = Msg(N_("Noted: you did not agree to more time. We will contact you."))
    headline = Msg(N_("The owner agreed to more time on {number}") if agree
                   else N_("The owner did not agree to more time on {number}"), {"number": ticket.number})
    await notify_workers(uow, ticket, event, headline, now)
    return Reply(text)


async def owner_view(uow: UnitOfWork, ticket: Ticket, now: datetime) -> Reply:
    buttons: list[Button] = []
    if ticket.status in OWNER_MAY_ADD:
        buttons.append(owner_button(ticket, N_("➕ Add information"), "add"))
    rows: tuple[tuple[Button, ...], ...] = ((*buttons,),) if buttons else ()
    resolution = await latest_resolution(uow, ticket)
    if ticket.status == Status.RESOLVED and resolution is not None:
        rows = (*confirmation_buttons(ticket, resolution), *rows)
    if ticket.status == Status.CONFIRMED:
        rows = ((owner_button(ticket, N_("⭐ Rate our service"), "rate"),),)
    rows = (*rows, (owner_button(ticket, HISTORY, "h0"),))
    card = await kind_of(ticket).owner_card(uow, ticket, await ticket_unit(uow, ticket))
    results = await result_history(uow, ticket)  # after a rework, every result and the owner's answer
    late = owner_late_since(ticket, await local_date(uow, ticket, now))  # told it is late, and what happens next
    parts = (card, *((results,) if results is not None else ()), *((owner_late_notice(ticket, late),) if late else ()))
    return Reply(Lines(parts) if len(parts) > 1 else card, rows)


MY_PAGE = 10


async def my_cases(uow: UnitOfWork, actor: Actor, now: datetime, offset: int = 0) -> Reply:
    if actor.identity.owner_id is None:
        return Reply(Msg(N_("Please link your account first: /start")))
    tickets = await uow.tickets.of_owner(actor.identity.owner_id)
    if not tickets:
        return Reply(Msg(N_("You have no cases yet.")))
    lines: list[Text] = [Msg(N_("Your cases:"))]
    rows: list[tuple[Button, ...]] = []
    page = tickets[offset : offset + MY_PAGE]
    zones: dict[int | None, str] = {}
    for ticket in page:
        late = owner_late_since(ticket, await local_date(uow, ticket, now, zones))
        due: Text = Msg(N_(", due {date}"), {"date": DateText(ticket.resolve_due)}) if (
            ticket.status in WORKING and ticket.resolve_due) else ""
        if late is not None:  # the promised date has passed: marked, the case view says what happens next
            due = Msg(N_(", late: was due {date}"), {"date": DateText(late)})
        lines.append(Msg(N_("⏰ {number} · {category} · {status}{due}") if late else N_("{number} · {category} · {status}{due}"), {
            "number": ticket.number, "category": kind_of(ticket).category_label(ticket),
            "status": Msg(STATUS_LABELS[ticket.status]), "due": due}))
        rows.append((Button(Plain(("⏰ " if late else "") + ticket.number), encode(OwnerCasePress(ticket.id, "view"))),))
    note = page_note(offset, len(page), len(tickets))
    return Reply(Lines((*lines, *([note] if note else []))),
                 (*rows, *next_page("my", offset, len(page), len(tickets))))


async def find_own_case(uow: UnitOfWork, actor: Actor, text: str, now: datetime) -> Reply | None:
    """A typed case number: shown only if it is the owner's own (same answer otherwise)."""
    number = parse_number(text)
    if number is None or number[:2] not in {kind.prefix for kind in registered_kinds()}:
        return None
    ticket = await uow.tickets.by_number(number)
    if ticket is None or actor.identity.owner_id is None or ticket.owner_id != actor.identity.owner_id:
        return Reply(Msg(N_("You have no case with the number {number}."), {"number": number}))
    return await owner_view(uow, ticket, now)


async def own_ticket(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any]) -> Ticket | None:
    ticket = await uow.tickets.get(int(answers["ticket"]), lock=True) if answers.get("ticket") is not None else None
    if ticket is None or ticket.owner_id is None or ticket.owner_id != actor.identity.owner_id:
        return None
    return ticket


async def reopen(uow: UnitOfWork, ticket: Ticket, now: datetime) -> Reply:
    """❌ reopens at once: the owner's "not resolved" stands even if they never give a reason."""
    ticket.resolved_at = None
    await kind_of(ticket).reopen(uow, ticket)
    event = await record(uow, ticket, "reopened", now, actor="owner")
    await notify_workers(uow, ticket, event, Msg(N_("↩️ The owner reopened {number}"), {"number": ticket.number}), now)
    return Reply(Msg(kind_of(ticket).reopened_text, {"number": ticket.number}))


async def complete_reopen(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    ticket = await own_ticket(uow, actor, answers)
    if ticket is None or ticket.status not in WORKING:
        return STALE
    reason = str(answers["reason"])
    event = await record(uow, ticket, "reopen_reason", now, actor="owner", reason=reason)
    # The handler got the card when the case was reopened: the reason follows as one line.
    await notify_line(uow, await workers(uow, ticket), ticket, event, Msg(
        N_("↩️ The owner's reason for reopening {number}: {reason}"),
        {"number": ticket.number, "reason": Plain(reason)}), now)
    return Completion((Reply(Msg(N_("Thank you; the handler has your explanation."))),))


async def complete_add_info(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    ticket = await own_ticket(uow, actor, answers)
    if ticket is None or ticket.status not in OWNER_MAY_ADD:
        return STALE
    attachments = list(answers.get("attachments") or [])
    ticket.attachments = [*ticket.attachments, *attachments]
    event = await record(uow, ticket, "info_added", now, actor="owner", text=str(answers["text"]),
                         attachments=len(attachments))
    headline = Msg(N_("➕ The owner added information to {number}"), {"number": ticket.number})
    await notify_workers(uow, ticket, event, headline, now, media=attachments,
                         extra=Field(Msg(N_("Added")), Plain(str(answers["text"]))))
    return Completion((Reply(Msg(N_("Added to {number}. Thank you."), {"number": ticket.number})),))


async def complete_rating(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    """The owner's own ratings close a confirmed case, with one answer whatever happened meanwhile: if
    customer service recorded the callback by phone, or the case closed unrated after 3 working days,
    what the owner said is added to the record (and shown to the handler and customer service)."""
    ticket = await own_ticket(uow, actor, answers)
    if ticket is None or ticket.status not in (Status.CONFIRMED, Status.CLOSED):
        return STALE
    kind = kind_of(ticket)
    if ticket.status == Status.CONFIRMED:
        await kind.rate(uow, ticket, answers, now)
        if min(value for _label, value in kind.ratings(answers)) <= LOW_RATING:  # rate() opened the follow-up
            return Completion((Reply(Msg(N_("Thank you for your feedback. We are sorry we fell short: our customer "
                                            "service manager will call you about {number}."),
                                         {"number": ticket.number}), remove_keyboard=True),))
        return Completion((Reply(Msg(N_("Thank you for your feedback.")), remove_keyboard=True),))
    ratings = [e for e in await uow.tickets.events(ticket.id) if e.kind in ("rated", "rated_after_close")]
    if ratings and ratings[-1].actor == "owner":  # a second rating dialog finished: the first one counts
        return Completion((Reply(Msg(N_("You have already rated {number}. Thank you."), {"number": ticket.number}),
                                 remove_keyboard=True),))
    given, comment = kind.ratings(answers), answers.get("comment")
    event = await record(uow, ticket, "rated_after_close", now, actor="owner",
                         ratings={label: value for label, value in given}, comment=comment)
    await tell_rated(uow, ticket, event, now, given, comment, late=True)
    text = (N_("Thank you for your feedback. Customer service had already recorded your ratings for {number} by "
               "phone; your answers have been added to the case.") if ratings else
            N_("Thank you for your feedback. {number} had already been closed; your answers have been added to "
               "the case."))
    return Completion((Reply(Msg(text, {"number": ticket.number}), remove_keyboard=True),))
