"""One record as its paper form, to print and file (``services/reports/record_pdf.py`` draws it):
《顾客来访/投诉处理单》 (a complaint), 《维修服务及回访记录表》 (a repair), 《工程派工单》 (a work order) and
《现场勘察会签表》 (a case's latest site survey).

The fields are those of the paper form, locale-free (``dialogs.text``), times in the project's zone.
The owner's phone is masked on every form: the worker has it in full on his card, and a printed
sheet travels further than a chat (DOMAIN 5.2). The owner's and staff's words are printed as given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from dialogs.complaint import CATEGORY_LABELS
from dialogs.text import N_, DateText, DateTimeText, Field, Lines, ListText, Money, Msg, Plain, Text
from services.cases.contact import masked_owner_phone
from services.cases.history_view import EVENT_VIEWS, EventView, as_staff
from services.cases.statuses import STATUS_LABELS
from services.cases.units import ticket_unit, unit_label
from services.people.project_names import project_text
from services.people.roles import DEPARTMENT_LABELS
from services.repairs.history_events import REPAIR_EVENT_VIEWS
from services.repairs.rules import COMPONENT_LABELS, RESPONSIBLE_LABELS, TRADE_LABELS, VISIT_SLOT_LABELS, from_fen
from services.repairs.warranty_terms import class_label, warranty_reason
from services.reports.record_pdf import Box, Entry, RecordForm, Section
from services.reports.repair_exports import (
    COUNTERSIGN_LABELS,
    PAYER_LABELS,
    WORK_ORDER_STATUS_LABELS,
    label_of,
    trades_text,
)
from storage.models import Repair, SiteSurvey, Ticket, TicketEvent, WorkOrder
from storage.uow import UnitOfWork


class FormKind(StrEnum):
    COMPLAINT = "complaint"
    WORK_ORDER = "work-order"
    SITE_SURVEY = "site-survey"
    REPAIR = "repair"


# The paper forms each case kind files, its own record first (a work order number asks for the order).
FORMS_OF_KIND: dict[str, tuple[FormKind, ...]] = {
    "complaint": (FormKind.COMPLAINT,),
    "repair": (FormKind.REPAIR, FormKind.WORK_ORDER, FormKind.SITE_SURVEY),
}

FORM_TITLES: dict[FormKind, str] = {
    FormKind.COMPLAINT: N_("Customer Visit/Complaint Record"),  # 《顾客来访/投诉处理单》
    FormKind.WORK_ORDER: N_("Work Order"),  # 《工程派工单》
    FormKind.SITE_SURVEY: N_("Site Survey and Countersignature Form"),  # 《现场勘察会签表》
    FormKind.REPAIR: N_("Repair Service and Callback Record"),  # 《维修服务及回访记录表》
}
CHANNEL_LABELS: dict[str, str] = {"telegram": N_("Telegram"), "phone": N_("Phone call"), "visit": N_("Visit")}
HISTORY_COLUMNS = (Msg(N_("Time")), Msg(N_("Action")), Msg(N_("By")), Msg(N_("Details")))
ORDER_NUMBER = re.compile(r".+-\d+-\d+-\d+")  # BX-2026-000123-1: a case's number and the order's


class NotFound(ValueError):
    """No such record, or the record has no form of that kind."""


@dataclass(frozen=True)
class Case:
    """What every form of a case shows about it."""

    ticket: Ticket
    project: Text
    zone: str
    owner: str
    unit: str
    phone: str
    names: Mapping[int, str]  # every staff member the record mentions
    events: Sequence[TicketEvent]


async def record_form(uow: UnitOfWork, number: str, kind: FormKind | None, now: datetime) -> RecordForm:
    """The form of the record ``number`` (a case's or a work order's): by default a complaint's
    record, a repair's record, or the work order itself; ``kind`` asks for another form of the same
    case (a repair's work order or site survey)."""
    order = await uow.record_exports.work_order(number) if ORDER_NUMBER.fullmatch(number) else None
    ticket = await uow.tickets.get(order.ticket_id) if order else await uow.tickets.by_number(number)
    if ticket is None:
        raise NotFound(f"no case or work order {number}")
    forms = FORMS_OF_KIND.get(ticket.kind, ())
    kind = kind or (FormKind.WORK_ORDER if order else forms[0] if forms else None)
    if kind is None or kind not in forms:
        raise NotFound(f"{number} is a {ticket.kind}: it has no {kind.value if kind else 'printed'} form")
    repair = await uow.repairs.get(ticket.id)
    surveys = await uow.record_exports.surveys_of(ticket.id)
    if kind is FormKind.WORK_ORDER and order is None:
        order = await uow.repairs.current_order(ticket.id)
        if order is None:
            raise NotFound(f"{number} has no work order yet")
    elif kind is not FormKind.WORK_ORDER:
        order = await uow.repairs.current_order(ticket.id)
    if kind is FormKind.SITE_SURVEY and not surveys:
        raise NotFound(f"{number} has no site survey yet")
    survey = next((s for s in surveys if order is not None and s.id == order.survey_id), None) \
        if kind is FormKind.WORK_ORDER else (surveys[-1] if surveys else None)
    case = await _case(uow, ticket, order, survey)
    footer = Msg(N_("Printed {when} by estatebot"), {"when": DateTimeText(now, case.zone, "short")})
    if kind is FormKind.COMPLAINT:
        return _complaint(case, footer)
    if kind is FormKind.REPAIR:
        assert repair is not None
        return _repair(case, repair, order, footer)
    if kind is FormKind.WORK_ORDER:
        assert order is not None and repair is not None
        return _work_order(case, repair, order, survey, footer)
    assert survey is not None and repair is not None
    return _survey(case, repair, survey, footer)


async def _case(uow: UnitOfWork, ticket: Ticket, order: WorkOrder | None, survey: SiteSurvey | None) -> Case:
    project = await uow.projects.get(ticket.project_id) if ticket.project_id else None
    owner = await uow.owners.get(ticket.owner_id) if ticket.owner_id else None
    unit = await ticket_unit(uow, ticket)
    events = await uow.tickets.events(ticket.id)
    ids = {ticket.handler_id} | {e.staff_id for e in events}
    ids |= {int(value) for e in events for detail in _view(e).details
            if detail.show is as_staff and isinstance(value := e.data.get(detail.key), int)}
    if order is not None:
        ids |= {order.worker_id, order.checked_by, order.completed_by}
    if survey is not None:
        ids |= {survey.recorded_by, survey.countersigned_by}
    repair = await uow.repairs.get(ticket.id)
    if repair is not None:
        ids.add(repair.callback_by)
    names = await uow.record_exports.staff_names({i for i in ids if i is not None})
    return Case(ticket, project_text(project) if project else "", project.timezone if project else "Asia/Shanghai",
                owner.name if owner else "", unit_label(unit) if unit else "", masked_owner_phone(ticket), names, events)


def _view(event: TicketEvent) -> EventView:
    return EVENT_VIEWS.get(event.kind) or REPAIR_EVENT_VIEWS.get(event.kind) or EventView(N_("Other update"))


def history(case: Case) -> tuple[Entry, ...]:
    """Every event of the case as staff read it (DOMAIN 1.1: the actions), oldest first."""
    entries = []
    for event in case.events:
        view = _view(event)
        details: list[Text] = []
        for detail in view.details:
            value = event.data.get(detail.key)
            if value is None or value == "":
                continue
            shown = Plain(case.names.get(int(value), str(value))) if detail.show is as_staff else detail.show(value)
            details.append(Field(Msg(detail.label), shown))
        who: Text = Msg(N_("the owner")) if event.actor == "owner" else (
            Plain(case.names.get(event.staff_id, "")) if event.staff_id is not None else "")
        entries.append(Entry(DateTimeText(event.at, case.zone, "short"), Msg(view.label), who, Lines(tuple(details))))
    return tuple(entries)


def _when(value: datetime | None, zone: str) -> Text:
    return DateTimeText(value, zone, "short") if value else ""


def _name(case: Case, staff_id: int | None) -> Text:
    return Plain(case.names.get(staff_id, "")) if staff_id is not None else ""


def _yes_no(flag: bool) -> Text:
    return Msg(N_("Yes")) if flag else Msg(N_("No"))


def _money(fen: int | None) -> Text:
    return Money(str(from_fen(fen))) if fen is not None else ""


def _form(kind: FormKind, case: Case, number: str, sections: tuple[Section, ...], signatures: tuple[str, ...],
          footer: Text, *, with_history: bool) -> RecordForm:
    return RecordForm(
        title=Msg(FORM_TITLES[kind]), number=Field(Msg(N_("No.")), Plain(number)), heading=case.project,
        sections=sections, history_title=Msg(N_("Handling history")) if with_history else None,
        history_columns=HISTORY_COLUMNS if with_history else None,
        history=history(case) if with_history else (),
        signatures=tuple(Msg(s) for s in signatures), signature_date=Msg(N_("Date:        /        /")),
        footer=footer)


def _owner_boxes(case: Case) -> tuple[Box, ...]:
    return (Box(Msg(N_("Owner")), Plain(case.owner)), Box(Msg(N_("Unit")), Plain(case.unit)),
            Box(Msg(N_("Phone")), Plain(case.phone)))


def _callback_boxes(ticket: Ticket, zone: str, rating: str) -> tuple[Box, ...]:
    return (
        Box(Msg(N_("Owner confirmed")), _when(ticket.confirmed_at, zone)),
        Box(Msg(rating), ticket.rating_result if ticket.rating_result is not None else ""),
        Box(Msg(N_("Attitude rating")), ticket.rating_attitude if ticket.rating_attitude is not None else ""),
        Box(Msg(N_("Comment")), Plain(ticket.rating_comment or ""), wide=True, lines=2),
    )


def _complaint(case: Case, footer: Text) -> RecordForm:
    t, zone = case.ticket, case.zone
    department = label_of(DEPARTMENT_LABELS, t.lead_department)
    assisting = ListText(tuple(label_of(DEPARTMENT_LABELS, d) for d in t.assisting_departments))
    sections = (
        Section(None, (
            Box(Msg(N_("Received on")), _when(t.received_at, zone)), Box(Msg(N_("Channel")), label_of(CHANNEL_LABELS, t.channel)),
            *_owner_boxes(case),
            Box(Msg(N_("Category")), label_of(CATEGORY_LABELS, t.category)),
            Box(Msg(N_("Major complaint")), _yes_no(t.major)),
            Box(Msg(N_("Lead department")), department), Box(Msg(N_("Assisting departments")), assisting),
            Box(Msg(N_("Handler")), _name(case, t.handler_id)), Box(Msg(N_("Status")), label_of(STATUS_LABELS, t.status)),
        )),
        Section(Msg(N_("Complaint")), (
            Box(Msg(N_("Description")), Plain(t.description), wide=True, lines=4),
            Box(Msg(N_("Attachments")), len(t.attachments)),
        )),
        Section(Msg(N_("Handling")), (
            Box(Msg(N_("Progress report due")), DateText(t.progress_due, "short") if t.progress_due else ""),
            Box(Msg(N_("Progress report time")), _when(t.progress_reported_at, zone)),
            Box(Msg(N_("Resolution due")), DateText(t.resolve_due, "short") if t.resolve_due else ""),
            Box(Msg(N_("Resolution time")), _when(t.resolved_at, zone)),
            Box(Msg(N_("Result")), Plain(t.result or ""), wide=True, lines=3),
        )),
        Section(Msg(N_("Owner's confirmation and callback")), _callback_boxes(t, zone, N_("Result rating"))),
    )
    return _form(FormKind.COMPLAINT, case, t.number, sections,
                 (N_("Owner's confirmation (signature)"), N_("Handler (signature)"), N_("Manager (signature)")),
                 footer, with_history=True)


def _order_boxes(case: Case, order: WorkOrder | None) -> tuple[Box, ...]:
    if order is None:
        return (Box(Msg(N_("Work order")), Msg(N_("None yet"))),)
    zone = case.zone
    return (
        Box(Msg(N_("Work order")), Plain(order.number)), Box(Msg(N_("Worker")), _name(case, order.worker_id)),
        Box(Msg(N_("Repair due")), DateText(order.due, "short") if order.due else ""),
        Box(Msg(N_("Completed")), _when(order.completed_at, zone)),
        Box(Msg(N_("Work done")), Plain(order.work_done or ""), wide=True, lines=3),
        Box(Msg(N_("Settlement")), _money(order.settlement_fen)),
        Box(Msg(N_("Checked")), _name(case, order.checked_by)),
        Box(Msg(N_("Audit")), _yes_no(order.audit_required)),
        Box(Msg(N_("Deposit deduction")), _yes_no(order.deposit_deduction)),
    )


def _request_boxes(case: Case, repair: Repair) -> tuple[Box, ...]:
    t = case.ticket
    return (
        Box(Msg(N_("Trade")), label_of(TRADE_LABELS, t.category)), Box(Msg(N_("Location")), Plain(repair.location)),
        Box(Msg(N_("Description")), Plain(t.description), wide=True, lines=3),
    )


def _repair(case: Case, repair: Repair, order: WorkOrder | None, footer: Text) -> RecordForm:
    t, zone = case.ticket, case.zone
    slots = ListText(tuple(label_of(VISIT_SLOT_LABELS, s) for s in repair.visit_slots))
    sections = (
        Section(None, (
            Box(Msg(N_("Received")), _when(t.received_at, zone)), *_owner_boxes(case), *_request_boxes(case, repair),
            Box(Msg(N_("Preferred visit times")), slots, wide=True),
            Box(Msg(N_("Warranty class")), Lines((class_label(repair.warranty_class, repair.payer),
                                                  warranty_reason(repair))), wide=True),
        )),
        Section(Msg(N_("Repair work")), _order_boxes(case, order)),
        Section(Msg(N_("Owner's confirmation and callback")), (
            *_callback_boxes(t, zone, N_("Quality rating"))[:3],
            Box(Msg(N_("Callback")), _when(repair.callback_at, zone)),
            *_callback_boxes(t, zone, N_("Quality rating"))[3:],
        )),
    )
    return _form(FormKind.REPAIR, case, t.number, sections,
                 (N_("Owner's confirmation (signature)"), N_("Callback by (signature)"), N_("Manager (signature)")),
                 footer, with_history=True)


def _work_order(case: Case, repair: Repair, order: WorkOrder, survey: SiteSurvey | None, footer: Text) -> RecordForm:
    zone = case.zone
    sections = (
        Section(None, (
            Box(Msg(N_("Case number")), Plain(case.ticket.number)),
            Box(Msg(N_("Class")), Msg(N_("Class {type}"), {"type": Plain(order.order_type)})),
            Box(Msg(N_("Issued at")), _when(order.issued_at, zone)), Box(Msg(N_("Payer")), label_of(PAYER_LABELS, order.payer)),
            *_owner_boxes(case), *_request_boxes(case, repair),
            Box(Msg(N_("Trades")), trades_text(order.trades)),
            Box(Msg(N_("Estimate")), _money(survey.estimate_fen) if survey else ""),
            Box(Msg(N_("Repair due")), DateText(order.due, "short") if order.due else ""),
            Box(Msg(N_("Worker")), _name(case, order.worker_id)),
        )),
        Section(Msg(N_("Completion and check")), (
            Box(Msg(N_("Completed")), _when(order.completed_at, zone)),
            Box(Msg(N_("Settlement")), _money(order.settlement_fen)),
            Box(Msg(N_("Work done")), Plain(order.work_done or ""), wide=True, lines=4),
            Box(Msg(N_("Checked at")), _when(order.checked_at, zone)), Box(Msg(N_("Checked")), _name(case, order.checked_by)),
            Box(Msg(N_("Audit")), _yes_no(order.audit_required)),
            Box(Msg(N_("Deposit deduction")), _yes_no(order.deposit_deduction)),
            Box(Msg(N_("Status")), label_of(WORK_ORDER_STATUS_LABELS, order.status)),
        )),
    )
    return _form(FormKind.WORK_ORDER, case, order.number, sections,
                 (N_("Worker (signature)"), N_("Checked by (signature)"), N_("Owner's confirmation (signature)")),
                 footer, with_history=False)


def _survey(case: Case, repair: Repair, survey: SiteSurvey, footer: Text) -> RecordForm:
    zone = case.zone
    sections = (
        Section(None, (
            Box(Msg(N_("Case number")), Plain(case.ticket.number)), Box(Msg(N_("Recorded at")), _when(survey.recorded_at, zone)),
            *_owner_boxes(case), Box(Msg(N_("Recorded by")), _name(case, survey.recorded_by)),
            *_request_boxes(case, repair),
            Box(Msg(N_("Participants")), Plain(survey.participants), wide=True, lines=2),
        )),
        Section(Msg(N_("Findings")), (
            Box(Msg(N_("Responsible party")), label_of(RESPONSIBLE_LABELS, survey.responsible), wide=True),
            Box(Msg(N_("Part")), label_of(COMPONENT_LABELS, survey.component), wide=True),
            Box(Msg(N_("Trades")), trades_text(survey.trades)), Box(Msg(N_("Estimate")), _money(survey.estimate_fen)),
            Box(Msg(N_("Notes")), Plain(survey.notes or ""), wide=True, lines=3),
        )),
        Section(Msg(N_("Builder's countersignature")), (
            Box(Msg(N_("Builder's representative")), Plain(survey.builder_representative or "")),
            Box(Msg(N_("Countersignature")), label_of(COUNTERSIGN_LABELS, survey.countersign) if survey.countersign
                else Msg(N_("Not needed (500 yuan or less)"))),
            Box(Msg(N_("Countersigned by")), _name(case, survey.countersigned_by)),
            Box(Msg(N_("Countersigned at")), _when(survey.countersigned_at, zone)),
            Box(Msg(N_("Objection")), Plain(survey.countersign_note or ""), wide=True, lines=2),
        )),
    )
    return _form(FormKind.SITE_SURVEY, case, case.ticket.number, sections,
                 (N_("Customer service (signature)"), N_("Engineering (signature)"), N_("Repair team lead (signature)"),
                  N_("Builder's representative (signature)")),
                 footer, with_history=False)
