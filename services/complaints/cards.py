"""How a complaint looks to staff and to its owner."""

from __future__ import annotations

from datetime import datetime

from dialogs.files import attachments_text
from dialogs.text import N_, DateText, Field, Lines, Msg, Plain, Text
from services.cases.contact import masked_owner_phone, owner_phone_for
from services.cases.outcome import outcome_lines
from services.cases.statuses import OPEN, STATUS_LABELS, WORKING
from services.cases.units import ticket_unit, unit_text
from services.complaints.routing import CATEGORY_LABELS, Category
from services.people.roles import DEPARTMENT_LABELS, Department
from storage.models import Staff, Ticket, Unit
from storage.uow import UnitOfWork


def category_label(ticket: Ticket) -> Msg:
    return Msg(CATEGORY_LABELS[Category(ticket.category)])


async def staff_card(uow: UnitOfWork, ticket: Ticket, headline: Msg, *, viewer: Staff | None = None,
                     now: datetime | None = None) -> Text:
    """The case as ``viewer`` sees it, their text escaped: the owner's phone in full only to the
    handler, who must call the owner while the complaint is open; masked to everyone else (DOMAIN 5.2)."""
    owner = await uow.owners.get(ticket.owner_id) if ticket.owner_id else None
    if viewer is not None and now is not None and viewer.id == ticket.handler_id and ticket.status in OPEN:
        phone = await owner_phone_for(uow, ticket, viewer.id, acts=True, now=now)
    else:
        phone = masked_owner_phone(ticket)
    unit = await ticket_unit(uow, ticket)
    lines: list[Text] = [
        headline,
        Field(Msg(N_("No.")), Plain(ticket.number)),
        Field(Msg(N_("Category")), Msg(CATEGORY_LABELS[Category(ticket.category)])),
        Field(Msg(N_("Unit")), unit_text(unit) if unit else Plain("—")),
        Field(Msg(N_("Owner")), Plain(owner.name if owner else "—")),
        Field(Msg(N_("Phone")), Plain(phone)),
        Field(Msg(N_("Description")), Plain(ticket.description)),
        Field(Msg(N_("Lead department")), Msg(DEPARTMENT_LABELS[Department(ticket.lead_department)])),
    ]
    lines.extend(
        Field(Msg(N_("Assisting department")), Msg(DEPARTMENT_LABELS[Department(d)]))
        for d in ticket.assisting_departments
    )
    if ticket.major:
        lines.append(Msg(N_("🚩 Major complaint")))
    if ticket.attachments:
        lines.append(Field(Msg(N_("Attachments")), attachments_text(ticket.attachments)))
    if ticket.wished_date:
        lines.append(Field(Msg(N_("Wished resolution date")), DateText(ticket.wished_date)))
    lines.extend(_deadline_lines(ticket))
    lines.extend(outcome_lines(ticket, N_("Result rating")))
    return Lines(tuple(lines))


def assumed_note(ticket: Ticket) -> list[Text]:
    if not ticket.calendar_note:
        return []
    return [Msg(N_("Note: the holiday schedule for {years} is not yet published; statutory holidays are "
                   "assumed."), {"years": Plain(ticket.calendar_note)})]


def _deadline_lines(ticket: Ticket) -> list[Text]:
    lines: list[Text] = []
    if ticket.progress_due and ticket.progress_reported_at is None:
        lines.append(Field(Msg(N_("Progress report due")), DateText(ticket.progress_due)))
    if ticket.resolve_due:
        lines.append(Field(Msg(N_("Resolution due")), DateText(ticket.resolve_due)))
    return [*lines, *assumed_note(ticket)]


def owner_card(ticket: Ticket, unit: Unit | None) -> Text:
    lines: list[Text] = [
        Field(Msg(N_("No.")), Plain(ticket.number)),
        Field(Msg(N_("Category")), category_label(ticket)),
        Field(Msg(N_("Status")), Msg(STATUS_LABELS[ticket.status])),
    ]
    if unit is not None:
        lines.append(Field(Msg(N_("Unit")), unit_text(unit)))
    lines.append(Field(Msg(N_("Description")), Plain(ticket.description)))
    if ticket.status in WORKING and ticket.resolve_due:
        lines.append(Field(Msg(N_("Resolution due")), DateText(ticket.resolve_due)))
    if ticket.result:
        lines.append(Field(Msg(N_("Result")), Plain(ticket.result)))
    return Lines(tuple(lines))
