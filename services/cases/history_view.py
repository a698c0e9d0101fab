"""A case's history as people read it (DOMAIN 5.1): every event in order, a page at a time, dates
in the reader's locale and the project's time zone.

Staff read every event with its details; the owner reads the steps of their own case (filed,
accepted, transferred, results, extensions, their own answers, a missed deadline) without the
office's internal notes. How an event reads is declared once per event kind: the shared ones here,
a case kind's own ones by its package (``register_event_views``, from ``services/capabilities.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from dialogs.engine import Button, Reply
from dialogs.text import N_, DateText, DateTimeText, Field, Lines, Msg, Plain, Text
from services.cases.overdue import ESCALATED, LEVEL_LABELS, Level
from services.common.pages import clipped, page_note
from services.people.roles import DEPARTMENT_LABELS, Department
from storage.models import Staff, Ticket, TicketEvent
from storage.uow import UnitOfWork

HISTORY_PAGE = 8  # events per message: with their details well under Telegram's 4,096 characters


def as_text(value: Any) -> Text:
    return Plain(clipped(str(value)))


def as_date(value: Any) -> Text:
    try:
        return DateText(date.fromisoformat(str(value)))
    except ValueError:
        return Plain(str(value))


def as_department(value: Any) -> Text:
    try:
        return Msg(DEPARTMENT_LABELS[Department(str(value))])
    except ValueError:
        return Plain(str(value))


def as_number(value: Any) -> Text:
    return value if isinstance(value, int) and not isinstance(value, bool) else Plain(str(value))


def as_yes_no(value: Any) -> Text:
    return Msg(N_("Yes") if value else N_("No"))


def as_level(value: Any) -> Text:
    try:
        return Msg(LEVEL_LABELS[Level(int(value))])
    except ValueError:
        return Plain(str(value))


def as_staff(value: Any) -> Text:
    """A staff id: the renderer puts the person's name in its place (see ``_detail``)."""
    return Plain(str(value))


@dataclass(frozen=True)
class Detail:
    """One field of an event's data, as a line under it."""

    key: str
    label: str  # msgid
    show: Callable[[Any], Text] = as_text
    owner: bool = False  # the owner reads it too


@dataclass(frozen=True)
class EventView:
    label: str  # msgid: what happened
    owner: bool = False  # the owner reads this event in their case's history
    details: tuple[Detail, ...] = ()


REASON = Detail("reason", N_("Reason"))
OWNER_REASON = Detail("reason", N_("Reason"), owner=True)

EVENT_VIEWS: dict[str, EventView] = {
    "created": EventView(N_("Filed"), owner=True),
    "routed": EventView(N_("Sent to the responsible department"), owner=True,
                        details=(Detail("department", N_("Department"), as_department, owner=True),)),
    "accepted": EventView(N_("Accepted"), owner=True),
    "transferred": EventView(N_("Transferred"), owner=True, details=(
        Detail("to_department", N_("To"), as_department, owner=True), Detail("to_staff", N_("Handler"), as_staff),
        REASON, Detail("progress_due", N_("Progress report due"), as_date))),
    "assisting_added": EventView(N_("Another department asked to assist"), details=(
        Detail("department", N_("Department"), as_department), Detail("note", N_("Request")))),
    "progress": EventView(N_("Progress reported"), details=(Detail("text", N_("Progress")),)),
    "extension_requested": EventView(N_("More time asked of the owner"), owner=True, details=(
        Detail("until", N_("Until"), as_date, owner=True), OWNER_REASON)),
    "extension_agreed": EventView(N_("The owner agreed to more time"), owner=True,
                                  details=(Detail("until", N_("Until"), as_date, owner=True),)),
    "extension_declined": EventView(N_("The owner did not agree to more time"), owner=True),
    "escalated": EventView(N_("Flagged as a major complaint"), details=(REASON,)),
    "measures_set": EventView(N_("Handling measures set by the leadership"), details=(Detail("measures", N_("Measures")),)),
    "resolved": EventView(N_("Result given to the owner"), owner=True,
                          details=(Detail("result", N_("Result"), owner=True),)),
    "reopened": EventView(N_("Reopened by the owner"), owner=True),
    "reopen_reason": EventView(N_("Why the owner reopened it"), owner=True, details=(OWNER_REASON,)),
    "info_added": EventView(N_("The owner added information"), owner=True, details=(
        Detail("text", N_("Added"), owner=True), Detail("attachments", N_("Attachments"), as_number, owner=True))),
    "confirmed": EventView(N_("The owner confirmed the result"), owner=True),
    "rated": EventView(N_("Rated"), owner=True, details=(
        Detail("result", N_("Result or quality rating"), as_number, owner=True),
        Detail("attitude", N_("Attitude rating"), as_number, owner=True),
        Detail("comment", N_("Comment"), owner=True))),
    "rated_after_close": EventView(N_("Rated after the case was closed"), owner=True,
                                   details=(Detail("comment", N_("Comment"), owner=True),)),
    "closed_unconfirmed": EventView(N_("Closed without the owner's confirmation"), owner=True),
    "closed_without_rating": EventView(N_("Closed without a rating"), owner=True),
    ESCALATED: EventView(N_("Deadline passed: escalated"), owner=True, details=(
        Detail("due", N_("Was due"), as_date, owner=True), Detail("level", N_("Escalated to"), as_level, owner=True))),
    "phone_shown": EventView(N_("Shown the owner's full phone number")),
    "follow_up_opened": EventView(N_("Follow-up opened (low rating)"),
                                  details=(Detail("due", N_("Call the owner by"), as_date),)),
    "follow_up_attempt": EventView(N_("Follow-up call: owner not reached")),
    "follow_up_closed": EventView(N_("Follow-up call done"), details=(
        Detail("agreed", N_("Agreed with the owner")), Detail("satisfied", N_("Owner now satisfied"), as_yes_no))),
}


def register_event_views(views: Mapping[str, EventView]) -> None:
    """A case kind's own events (its package declares how they read); registering again is harmless."""
    for kind, view in views.items():
        if EVENT_VIEWS.get(kind, view) != view:
            raise ValueError(f"event {kind!r} already reads differently")
        EVENT_VIEWS[kind] = view


def visible_events(events: Sequence[TicketEvent], *, for_owner: bool) -> list[TicketEvent]:
    """What a reader sees: staff everything, the owner the events declared for owners."""
    if not for_owner:
        return list(events)
    return [e for e in events if (view := EVENT_VIEWS.get(e.kind)) is not None and view.owner]


async def history_page(
    uow: UnitOfWork, ticket: Ticket, *, for_owner: bool, offset: int, more: Callable[[int], Button],
    back: Callable[[int], Button] | None = None,
) -> Reply:
    """One page of the case's history, oldest first; ``more(offset)`` draws the next page's button,
    ``back(offset)`` the previous page's (both on one row: ◀ on the left, ▶ on the right)."""
    events, reasons = _reasons_folded(visible_events(await uow.tickets.events(ticket.id), for_owner=for_owner))
    offset = max(0, min(offset, max(0, len(events) - 1)))
    page = events[offset : offset + HISTORY_PAGE]
    project = await uow.projects.get(ticket.project_id) if ticket.project_id else None
    zone = project.timezone if project else "Asia/Shanghai"
    names = await _staff_names(uow, page)
    lines: list[Text] = [Msg(N_("📜 History of {number}"), {"number": ticket.number})]
    if not page:
        lines.append(Msg(N_("Nothing recorded yet.")))
    for event in page:
        lines.append("")
        lines.append(_headline(event, zone, names, for_owner))
        view = EVENT_VIEWS.get(event.kind)
        for detail in view.details if view else ():
            value = event.data.get(detail.key)
            if value is None or value == "" or (for_owner and not detail.owner):
                continue
            shown: Text = (Plain(names.get(int(value), str(value))) if detail.show is as_staff
                           else detail.show(value))
            lines.append(Field(Msg(detail.label), shown))
        if event.id in reasons:
            lines.append(Field(Msg(OWNER_REASON.label), as_text(reasons[event.id])))
    note = page_note(offset, len(page), len(events))
    if note:
        lines.extend(("", note))
    row: list[Button] = []
    if back is not None and offset > 0:
        row.append(back(max(0, offset - HISTORY_PAGE)))
    if offset + len(page) < len(events):
        row.append(more(offset + len(page)))
    return Reply(Lines(tuple(lines)), (tuple(row),) if row else ())


def _reasons_folded(events: Sequence[TicketEvent]) -> tuple[list[TicketEvent], dict[int, str]]:
    """The owner's reason for reopening read as part of the reopening (one entry, not two): each
    ``reopen_reason`` goes under the latest ``reopened`` before it; one with none stays as it is."""
    kept: list[TicketEvent] = []
    reasons: dict[int, str] = {}
    open_reopening: TicketEvent | None = None
    for event in events:
        if event.kind == "reopened":
            open_reopening = event
        elif event.kind == "reopen_reason" and open_reopening is not None and event.data.get("reason"):
            reasons[open_reopening.id] = str(event.data["reason"])
            open_reopening = None
            continue
        kept.append(event)
    return kept, reasons


def _headline(event: TicketEvent, zone: str, names: Mapping[int, str], for_owner: bool) -> Text:
    view = EVENT_VIEWS.get(event.kind)
    what: Text = Msg(view.label) if view else Msg(N_("Other update ({kind})"), {"kind": Plain(event.kind)})
    when = DateTimeText(event.at, zone, "short")
    who: Text | None = None
    if event.actor == "owner":
        who = Msg(N_("you") if for_owner else N_("the owner"))
    elif event.staff_id is not None and not for_owner:
        who = Plain(names.get(event.staff_id, "—"))
    if who is None:
        return Msg(N_("{when} · {what}"), {"when": when, "what": what})
    return Msg(N_("{when} · {what} · {who}"), {"when": when, "what": what, "who": who})


async def _staff_names(uow: UnitOfWork, events: Sequence[TicketEvent]) -> dict[int, str]:
    """The names of the staff an event page mentions (who acted, who a detail names)."""
    ids = {e.staff_id for e in events if e.staff_id is not None}
    for event in events:
        view = EVENT_VIEWS.get(event.kind)
        for detail in view.details if view else ():
            value = event.data.get(detail.key)
            if detail.show is as_staff and isinstance(value, int):
                ids.add(value)
    names: dict[int, str] = {}
    for staff_id in ids:
        person: Staff | None = await uow.staff.get(staff_id)
        if person is not None:
            names[staff_id] = person.name
    return names
