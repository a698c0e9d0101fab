"""How a repair's own events read in the case history (``services/cases/history_view.py``):
registered by the composition root. A repair event not listed here reads as "Other update" to
staff and is not shown to the owner."""

from __future__ import annotations

from typing import Any

from dialogs.text import N_, ListText, Money, Msg, Plain, Text
from services.cases.history_view import REASON, Detail, EventView, as_date, as_number, as_staff, as_text
from services.repairs.rules import APPROVER_LABELS, RESPONSIBLE_LABELS, TRADE_LABELS, Approver, Responsible, Trade


def as_money(value: Any) -> Text:
    return Money(str(value))


def as_trades(value: Any) -> Text:
    if not isinstance(value, list):
        return Plain(str(value))
    return ListText(tuple(Msg(TRADE_LABELS[Trade(t)]) if t in set(Trade) else Plain(str(t)) for t in value))


def as_responsible(value: Any) -> Text:
    return Msg(RESPONSIBLE_LABELS[Responsible(value)]) if value in set(Responsible) else Plain(str(value))


def as_approver(value: Any) -> Text:
    return Msg(APPROVER_LABELS[Approver(value)]) if value in set(Approver) else Plain(str(value))


ORDER = Detail("order", N_("Work order"))

REPAIR_EVENT_VIEWS: dict[str, EventView] = {
    "warranty_decided": EventView(N_("Warranty class decided")),
    "warranty_overridden": EventView(N_("Warranty class changed"), details=(REASON,)),
    "surveyed": EventView(N_("Site survey recorded"), owner=True, details=(
        Detail("responsible", N_("Responsible party"), as_responsible),
        Detail("trades", N_("Trades"), as_trades), Detail("estimate", N_("Estimate"), as_money))),
    "survey_countersigned": EventView(N_("The builder countersigned the site survey")),
    "survey_objected": EventView(N_("The builder objected to the site survey"), details=(REASON,)),
    "countersign_withdrawn": EventView(N_("Countersign request withdrawn (survey to be redone)")),
    "approval_requested": EventView(N_("Cost approval requested"), details=(Detail("amount", N_("Amount"), as_money),)),
    "cost_approved": EventView(N_("Cost approved"), details=(
        Detail("step", N_("Approved by"), as_approver), Detail("amount", N_("Amount"), as_money))),
    "cost_rejected": EventView(N_("Cost rejected"), details=(Detail("step", N_("Rejected by"), as_approver), REASON)),
    "work_order_issued": EventView(N_("Work order issued"), owner=True, details=(
        Detail("order", N_("Work order"), as_text, owner=True), Detail("due", N_("Repair due"), as_date, owner=True))),
    "worker_assigned": EventView(N_("Worker assigned"), owner=True,
                                 details=(Detail("worker", N_("Worker"), as_staff),)),
    "completed": EventView(N_("Completion recorded"), owner=True, details=(
        ORDER, Detail("work_done", N_("Work done"), as_text, owner=True),
        Detail("settlement", N_("Settlement"), as_money), Detail("attachments", N_("Attachments"), as_number))),
    "check_failed": EventView(N_("Completion check failed"), details=(REASON,)),
    "audit_flagged": EventView(N_("Settlement sent for audit"),
                               details=(ORDER, Detail("settlement", N_("Settlement"), as_money))),
    "deposit_deduction": EventView(N_("Deduction from the builder's deposit requested"),
                                   details=(ORDER, Detail("amount", N_("Amount"), as_money))),
    "deposit_deduction_corrected": EventView(N_("Deduction from the builder's deposit corrected"), details=(
        ORDER, Detail("amount", N_("Amount"), as_money), Detail("previous", N_("Before"), as_money))),
}
