"""《维修服务及回访记录表》 as a table (exported to .xlsx) and the repair workers' ratings (DOMAIN 2.5, 2.7).

Rows hold locale-free text (``dialogs.text``); the caller renders them for a locale, so the
headers come out as the Chinese record names in the Chinese catalogs. Phones are masked (DOMAIN 5.2).
Times, dates, amounts and ratings stay typed (``datetime`` in the project's time zone, ``date``,
``Decimal`` yuan, ``int``), so the spreadsheet can sort, filter and add them up.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from dialogs.phones import mask_phone
from dialogs.text import N_, Msg, Plain, Text
from services.cases.statuses import STATUS_LABELS
from services.cases.units import ticket_unit, unit_label
from services.common.sheets import Cell as Cell  # the sheet helpers live there now (the survey report's too)
from services.common.sheets import day_bounds, wall_clock
from services.common.sheets import rendered as rendered
from services.common.sheets import write_xlsx as write_xlsx
from services.repairs.rules import TRADE_LABELS, Trade, from_fen
from services.repairs.warranty_terms import class_label
from storage.models import Repair, Staff, Ticket, WorkOrder
from storage.uow import UnitOfWork

RECORD_TITLE = N_("Repair Service and Callback Record")  # 《维修服务及回访记录表》
COLUMNS: tuple[str, ...] = (
    N_("No."), N_("Received"), N_("Owner"), N_("Unit"), N_("Phone"), N_("Trade"), N_("Location"),
    N_("Description"), N_("Warranty class"), N_("Work order"), N_("Worker"), N_("Repair due"), N_("Completed"),
    N_("Settlement"), N_("Audit"), N_("Deposit deduction"), N_("Checked"), N_("Owner confirmed"), N_("Callback"),
    N_("Quality rating"), N_("Attitude rating"), N_("Comment"), N_("Status"),
)



def period(spec: str) -> tuple[date, date]:
    """"2026Q4" → [2026-10-01, 2027-01-01); "2026" → the year; "2026-11" → the month."""
    if match := re.fullmatch(r"(\d{4})[Qq]([1-4])", spec):
        year, quarter = int(match[1]), int(match[2])
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        return start, end
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})", spec):
        year, month = int(match[1]), int(match[2])
        return date(year, month, 1), date(year + (month == 12), month % 12 + 1, 1)
    if re.fullmatch(r"\d{4}", spec):
        return date(int(spec), 1, 1), date(int(spec) + 1, 1, 1)
    raise ValueError(f"not a period: {spec!r} (use 2026Q4, 2026 or 2026-11)")


def period_text(start: date, end: date) -> str:
    """[start, end) as people read a period: both days included, "2026-10-01 to 2026-12-31"."""
    return f"{start.isoformat()} to {(end - timedelta(days=1)).isoformat()}"




async def record_rows(
    uow: UnitOfWork, start: date, end: date, project_id: int | None = None, zone: str = "Asia/Shanghai"
) -> list[list[Cell]]:
    """One row per repair received in [start, end): the request, its work order, check, callback."""
    begin, finish = day_bounds(start, end, zone)
    rows: list[list[Cell]] = []
    for ticket, repair in await uow.repairs.record_rows(begin, finish, project_id):
        order = await uow.repairs.current_order(ticket.id)
        people = await uow.repairs.staff_by_ids({i for i in (order.worker_id, order.checked_by) if i} if order else set())
        owner = await uow.owners.get(ticket.owner_id) if ticket.owner_id else None
        unit = await _unit_text(uow, ticket)
        rows.append(_row(ticket, repair, order, owner.name if owner else "", unit, people, zone))
    return rows


async def _unit_text(uow: UnitOfWork, ticket: Ticket) -> str:
    unit = await ticket_unit(uow, ticket)
    return unit_label(unit) if unit else ""


def _row(ticket: Ticket, repair: Repair, order: WorkOrder | None, owner: str, unit: str,
         people: Mapping[int, Staff], zone: str) -> list[Cell]:
    def name(staff_id: int | None) -> Text:
        person = people.get(staff_id) if staff_id else None
        return Plain(person.name) if person else ""

    def yes(flag: bool) -> Text:
        return Msg(N_("Yes")) if flag else ""

    return [
        Plain(ticket.number), wall_clock(ticket.received_at, zone), Plain(owner), Plain(unit),
        Plain(mask_phone(ticket.contact_phone) if ticket.contact_phone else ""),
        Msg(TRADE_LABELS[Trade(ticket.category)]), Plain(repair.location), Plain(ticket.description),
        class_label(repair.warranty_class, repair.payer),
        Plain(order.number) if order else "", name(order.worker_id if order else None),
        order.due if order and order.due else None,
        wall_clock(order.completed_at if order else None, zone),
        from_fen(order.settlement_fen) if order and order.settlement_fen is not None else None,
        yes(bool(order and order.audit_required)), yes(bool(order and order.deposit_deduction)),
        name(order.checked_by if order else None), wall_clock(ticket.confirmed_at, zone), wall_clock(repair.callback_at, zone),
        ticket.rating_result, ticket.rating_attitude,
        Plain(ticket.rating_comment or ""), Msg(STATUS_LABELS[ticket.status]),
    ]


# ---------------------------------------------------------------- workers' ratings (DOMAIN 2.7)


@dataclass(frozen=True)
class WorkerRating:
    staff_id: int
    name: str
    jobs: int  # work orders completed in the period
    rated: int
    quality: float | None  # average of the owners' ratings, 1–5
    attitude: float | None
    low: int  # ratings of 1 or 2 on either question


async def worker_ratings(
    uow: UnitOfWork, start: date, end: date, project_id: int | None = None, zone: str = "Asia/Shanghai"
) -> list[WorkerRating]:
    """Per worker: completed jobs of repairs received in the period and the callback ratings they got."""
    begin, finish = day_bounds(start, end, zone)
    jobs: dict[int, list[Ticket]] = {}
    for ticket, _repair in await uow.repairs.record_rows(begin, finish, project_id):
        order = await uow.repairs.current_order(ticket.id)
        if order is not None and order.worker_id is not None and order.completed_at is not None:
            jobs.setdefault(order.worker_id, []).append(ticket)
    people = await uow.repairs.staff_by_ids(set(jobs))
    result = []
    for staff_id, tickets in jobs.items():
        rated = [t for t in tickets if t.rating_result is not None and t.rating_attitude is not None]
        quality = [t.rating_result for t in rated if t.rating_result is not None]
        attitude = [t.rating_attitude for t in rated if t.rating_attitude is not None]
        result.append(WorkerRating(
            staff_id, people[staff_id].name if staff_id in people else str(staff_id), len(tickets), len(rated),
            round(sum(quality) / len(quality), 2) if quality else None,
            round(sum(attitude) / len(attitude), 2) if attitude else None,
            sum(1 for t in rated if min(t.rating_result or 5, t.rating_attitude or 5) <= 2),
        ))
    return sorted(result, key=lambda r: (-(r.quality or 0), -(r.attitude or 0), r.name))
