"""Record exports as .xlsx (DOMAIN 1.1, 1.8, 5.2): 《顾客来访/投诉处理单》 (one row per complaint) and
《与顾客沟通登记表》 (inquiries, suggestions and praise with their answers).

Built like the repair record (``services/repairs/reports.py``): rows of locale-free text and typed
values (``datetime`` in the project's time zone, ``date``, ``int``), rendered for a reader's locale and
written by ``services.common.sheets.write_xlsx`` (bold frozen header, autofilter). Phones are masked.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from pathlib import Path
from typing import TypeAlias
from zoneinfo import ZoneInfo

from dialogs.complaint import CATEGORY_LABELS
from dialogs.inquiry import KINDS
from dialogs.phones import mask_phone
from dialogs.text import N_, Msg, Plain, Text
from services.cases.statuses import STATUS_LABELS
from services.common.sheets import Cell, SheetValue, day_bounds, fill_sheet, wall_clock
from services.complaints.filing import KIND as COMPLAINT
from services.inquiries.log import entry_number
from services.people.roles import DEPARTMENT_LABELS, Department
from storage.repositories.record_exports import CommunicationRow, ComplaintRow
from storage.uow import UnitOfWork

COMPLAINT_TITLE = N_("Customer Visit/Complaint Record")  # 《顾客来访/投诉处理单》
COMPLAINT_COLUMNS: tuple[str, ...] = (
    N_("No."), N_("Received on"), N_("Owner"), N_("Unit"), N_("Phone"), N_("Category"), N_("Lead department"),
    N_("Handler"), N_("Progress report time"), N_("Resolution time"), N_("Deadlines met"), N_("Extended to"),
    N_("Owner confirmed"), N_("Result rating"), N_("Attitude rating"), N_("Major complaint"), N_("Status"),
)
COMMUNICATION_TITLE = N_("Customer Communication Log")  # 《与顾客沟通登记表》
COMMUNICATION_COLUMNS: tuple[str, ...] = (
    N_("No."), N_("Time"), N_("Type"), N_("From"), N_("Phone"), N_("Message"), N_("Reply"), N_("Answered by"),
    N_("Answered at"),
)
# complaint_rows and communication_rows: (uow, start, end, project_id, zone) -> rows
RowsOf: TypeAlias = Callable[[UnitOfWork, date, date, int | None, str], Awaitable[list[list[Cell]]]]




def _yes_no(flag: bool | None) -> Text:
    if flag is None:
        return ""
    return Msg(N_("Yes")) if flag else Msg(N_("No"))


def _local_day(value: datetime | None, zone: str) -> date | None:
    return value.astimezone(ZoneInfo(zone)).date() if value else None


def deadlines_met(row: ComplaintRow, zone: str) -> bool | None:
    """Progress reported by its due day and resolved by the (possibly extended) resolution day; None
    while the complaint is not resolved (not yet decided)."""
    ticket = row.ticket
    resolved = _local_day(ticket.resolved_at, zone)
    if resolved is None:
        return None
    progress = _local_day(ticket.progress_reported_at, zone) or resolved  # resolving also reports progress
    return ((ticket.progress_due is None or progress <= ticket.progress_due)
            and (ticket.resolve_due is None or resolved <= ticket.resolve_due))


def _complaint(row: ComplaintRow, zone: str) -> list[Cell]:
    ticket = row.ticket
    category = CATEGORY_LABELS.get(ticket.category)
    department = DEPARTMENT_LABELS.get(Department(ticket.lead_department)) if ticket.lead_department in set(
        Department) else None
    status = STATUS_LABELS.get(ticket.status)
    return [
        Plain(ticket.number), wall_clock(ticket.received_at, zone), Plain(row.owner or ""), Plain(row.unit or ""),
        Plain(mask_phone(ticket.contact_phone) if ticket.contact_phone else ""),
        Msg(category) if category else Plain(ticket.category),
        Msg(department) if department else Plain(ticket.lead_department), Plain(row.handler or ""),
        wall_clock(ticket.progress_reported_at, zone), wall_clock(ticket.resolved_at, zone), _yes_no(deadlines_met(row, zone)),
        date.fromisoformat(row.extended_to) if row.extended_to else None, wall_clock(ticket.confirmed_at, zone),
        ticket.rating_result, ticket.rating_attitude, Msg(N_("Yes")) if ticket.major else "",
        Msg(status) if status else Plain(ticket.status),
    ]


def _communication(row: CommunicationRow, zone: str) -> list[Cell]:
    entry = row.entry
    who: Text = Plain(entry.name or "")
    if entry.owner_id is None and entry.name:
        who = Msg(N_("{name} (not registered)"), {"name": Plain(entry.name)})
    return [
        Plain(entry_number(entry.id)), wall_clock(entry.created_at, zone), Msg(KINDS.get(entry.kind, KINDS["other"])), who,
        Plain(mask_phone(entry.phone) if entry.phone else ""), Plain(entry.text), Plain(entry.reply or ""),
        Plain(row.replied_by or ""), wall_clock(entry.replied_at, zone),
    ]


async def complaint_rows(
    uow: UnitOfWork, start: date, end: date, project_id: int | None = None, zone: str = "Asia/Shanghai"
) -> list[list[Cell]]:
    """One row per complaint received in [start, end) (days in ``zone``)."""
    begin, finish = day_bounds(start, end, zone)
    return [_complaint(row, zone) for row in await uow.record_exports.case_rows(COMPLAINT, begin, finish, project_id)]


async def communication_rows(
    uow: UnitOfWork, start: date, end: date, project_id: int | None = None, zone: str = "Asia/Shanghai"
) -> list[list[Cell]]:
    """One row per message logged in [start, end) (days in ``zone``), with its answer."""
    begin, finish = day_bounds(start, end, zone)
    return [_communication(row, zone) for row in await uow.record_exports.communication_rows(begin, finish, project_id)]


def write_record(path: Path, title: str, headers: list[str], rows: list[list[SheetValue]]) -> None:
    """``write_xlsx`` for a record whose title has characters a sheet's name may not hold (the "/"
    of 顾客来访/投诉处理单): the sheet is named by the title with those replaced by "-"."""
    from openpyxl import Workbook

    book = Workbook()
    fill_sheet(book.active, title, headers, rows, name=re.sub(r"[/\\?*\[\]:]", "-", title))
    book.save(path)
