"""Record exports of a repair's own records as .xlsx (DOMAIN 2.3, 2.4): 《工程派工单》 (one row per work
order) and 《现场勘察会签表》 (one row per site survey).

Built like the other record exports (``services/reports/exports.py``): locale-free text and typed
values (local wall-clock ``datetime``, ``date``, ``Decimal`` yuan shown as #,##0.00), rendered for a
reader's locale and written with a bold frozen header and a filter. No phone is on these sheets.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from dialogs.text import N_, ListText, Msg, Plain, Text
from services.common.sheets import Cell, day_bounds, wall_clock
from services.repairs.rules import COMPONENT_LABELS, RESPONSIBLE_LABELS, TRADE_LABELS, from_fen
from storage.repositories.record_exports import SurveyRow, WorkOrderRow
from storage.uow import UnitOfWork

WORK_ORDER_TITLE = N_("Work Order")  # 《工程派工单》
WORK_ORDER_COLUMNS: tuple[str, ...] = (
    N_("No."), N_("Case number"), N_("Issued at"), N_("Class"), N_("Payer"), N_("Trades"), N_("Worker"),
    N_("Repair due"), N_("Completed"), N_("Work done"), N_("Settlement"), N_("Checked at"), N_("Checked"),
    N_("Audit"), N_("Deposit deduction"), N_("Status"),
)
SURVEY_TITLE = N_("Site Survey and Countersignature Form")  # 《现场勘察会签表》
SURVEY_COLUMNS: tuple[str, ...] = (
    N_("Case number"), N_("Recorded at"), N_("Recorded by"), N_("Participants"), N_("Responsible party"),
    N_("Part"), N_("Trades"), N_("Estimate"), N_("Builder's representative"), N_("Countersignature"),
    N_("Countersigned by"), N_("Countersigned at"), N_("Objection"), N_("Notes"),
)

# Who pays for a work order's job (DOMAIN 2.2): class A the builder's deposit, class B the company or the owner.
PAYER_LABELS: dict[str, str] = {
    "builder": N_("The builder (quality deposit)"),
    "company": N_("The company"),
    "owner": N_("The owner"),
}
WORK_ORDER_STATUS_LABELS: dict[str, str] = {
    "approval": N_("Waiting for cost approval"),
    "issued": N_("Issued"),
    "in_progress": N_("In progress"),
    "completed": N_("Work completed"),
    "checked": N_("Checked and accepted"),
    "cancelled": N_("Cancelled"),
}
COUNTERSIGN_LABELS: dict[str, str] = {
    "pending": N_("Waiting for the builder"),
    "signed": N_("Countersigned"),
    "objected": N_("Objected"),
    "withdrawn": N_("Withdrawn (survey redone)"),
}


def label_of(labels: Mapping[Any, str], code: str | None) -> Text:
    """A code's label, or the code itself when it has none (an older row keeps what it says)."""
    if code is None:
        return ""
    return Msg(labels[code]) if code in labels else Plain(code)


def trades_text(trades: list[str]) -> Text:
    return ListText(tuple(label_of(TRADE_LABELS, trade) for trade in trades))


def _yes(flag: bool) -> Text:
    return Msg(N_("Yes")) if flag else ""


def _work_order(row: WorkOrderRow, zone: str) -> list[Cell]:
    order = row.order
    return [
        Plain(order.number), Plain(row.case), wall_clock(order.issued_at, zone),
        Msg(N_("Class {type}"), {"type": Plain(order.order_type)}),
        label_of(PAYER_LABELS, order.payer), trades_text(order.trades), Plain(row.worker or ""), order.due,
        wall_clock(order.completed_at, zone), Plain(order.work_done or ""),
        from_fen(order.settlement_fen) if order.settlement_fen is not None else None,
        wall_clock(order.checked_at, zone), Plain(row.checker or ""), _yes(order.audit_required),
        _yes(order.deposit_deduction), label_of(WORK_ORDER_STATUS_LABELS, order.status),
    ]


def _survey(row: SurveyRow, zone: str) -> list[Cell]:
    survey = row.survey
    return [
        Plain(row.case), wall_clock(survey.recorded_at, zone), Plain(row.recorder or ""), Plain(survey.participants),
        label_of(RESPONSIBLE_LABELS, survey.responsible), label_of(COMPONENT_LABELS, survey.component),
        trades_text(survey.trades), from_fen(survey.estimate_fen), Plain(survey.builder_representative or ""),
        label_of(COUNTERSIGN_LABELS, survey.countersign), Plain(row.countersigner or ""),
        wall_clock(survey.countersigned_at, zone), Plain(survey.countersign_note or ""), Plain(survey.notes or ""),
    ]


async def work_order_rows(
    uow: UnitOfWork, start: date, end: date, project_id: int | None = None, zone: str = "Asia/Shanghai"
) -> list[list[Cell]]:
    """One row per work order made out in [start, end) (days in ``zone``)."""
    begin, finish = day_bounds(start, end, zone)
    return [_work_order(row, zone) for row in await uow.record_exports.work_order_rows(begin, finish, project_id)]


async def survey_rows(
    uow: UnitOfWork, start: date, end: date, project_id: int | None = None, zone: str = "Asia/Shanghai"
) -> list[list[Cell]]:
    """One row per site survey recorded in [start, end) (days in ``zone``), redone ones included."""
    begin, finish = day_bounds(start, end, zone)
    return [_survey(row, zone) for row in await uow.record_exports.survey_rows(begin, finish, project_id)]
