"""How a complaint looks to staff and to its owner."""

from __future__ import annotations

from dialogs.phones import mask_phone
from dialogs.text import N_, DateText, Field, Lines, Msg, Plain, Text
from services.cases.statuses import STATUS_LABELS, WORKING
from services.cases.units import ticket_unit, unit_label
from services.complaints.routing import CATEGORY_LABELS, Category
from services.people.roles import DEPARTMENT_LABELS, Department
from storage.models import Ticket, Unit
from storage.uow import UnitOfWork


def category_label(ticket: Ticket) -> Msg:
    return Msg(CATEGORY_LABELS[Category(ticket.category)])


async def staff_card(uow: UnitOfWork, ticket: Ticket, headline: Msg) -> Text:
    """The case as staff see it: the owner's phone masked (DOMAIN 5.2), their text escaped."""
    owner = await uow.owners.get(ticket.owner_id) if ticket.owner_id else None
    unit = await ticket_unit(uow, ticket)
    lines: list[Text] = [
        headline,
        Field(Msg(N_("No.")), Plain(ticket.number)),
        Field(Msg(N_("Category")), Msg(CATEGORY_LABELS[Category(ticket.category)])),
        Field(Msg(N_("Unit")), Plain(unit_label(unit) if unit else "—")),
        Field(Msg(N_("Owner")), Plain(owner.name if owner else "—")),
        Field(Msg(N_("Phone")), Plain(mask_phone(ticket.contact_phone) if ticket.contact_phone else "—")),
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
        lines.append(Field(Msg(N_("Attachments")), len(ticket.attachments)))
    if ticket.wished_date:
        lines.append(Field(Msg(N_("Wished resolution date")), DateText(ticket.wished_date)))
    lines.extend(_deadline_lines(ticket))
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
        lines.append(Field(Msg(N_("Unit")), Plain(unit_label(unit))))
    lines.append(Field(Msg(N_("Description")), Plain(ticket.description)))
    if ticket.status in WORKING and ticket.resolve_due:
        lines.append(Field(Msg(N_("Resolution due")), DateText(ticket.resolve_due)))
    if ticket.result:
        lines.append(Field(Msg(N_("Result")), Plain(ticket.result)))
    return Lines(tuple(lines))
