"""报修: an owner files a repair request (DOMAIN 2.1), its warranty class (2.2) and how staff see it.

A repair is a ticket (same numbering, events, outbox and deadlines as complaints) with a
``repairs`` row beside it. Its life: survey → (cost approval) → work order issued → in progress →
completed → checked (RESOLVED) → the owner confirms → rated (CLOSED); see ``repair_flow``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from dialogs.engine import Reply
from dialogs.phones import mask_phone
from dialogs.text import N_, DateText, Field, Lines, ListText, Money, Msg, Plain, Plural, Text
from services.calendar.workdays import calendar_for, due_after_working_days
from services.cases.numbering import next_number
from services.cases.tickets import (
    NO_HOME,
    STATUS_LABELS,
    Status,
    chosen_unit,
    notify_staff,
    record,
    ticket_unit,
    unit_label,
)
from services.common.actor import Actor, Completion
from services.people.roles import Department, Role
from services.repairs.rules import (
    APPROVER_LABELS,
    COMPONENT_LABELS,
    DEFAULT_COMPONENT,
    RESPONSIBLE_LABELS,
    SURVEY_WORKING_DAYS,
    TRADE_LABELS,
    VISIT_SLOT_LABELS,
    Approver,
    Responsible,
    Trade,
    VisitSlot,
    from_fen,
)
from services.repairs.warranty import (
    DEFAULT_HEATING,
    Component,
    Overrides,
    Period,
    Season,
    Term,
    WarrantyDecision,
    WarrantyRules,
    decide,
)
from storage.models import Building, Project, Repair, Ticket, TicketEvent, Unit
from storage.uow import UnitOfWork

ISO_DATE = "yyyy-MM-dd"  # the reason cites dates as the records do
SURVEY_DEPARTMENTS = (Department.CUSTOMER_SERVICE, Department.ENGINEERING, Department.OFFICE)
TEAM_LEADS = (Role.LEAD, Role.MANAGER)


# ---------------------------------------------------------------- warranty configuration


def parse_season(text: str, name: str) -> Season:
    """"11-15/03-15" → 15 Nov – 15 Mar."""
    start, _, end = text.partition("/")
    (sm, sd), (em, ed) = (tuple(int(x) for x in part.split("-")) for part in (start, end))
    return Season(name, sm, sd, em, ed)


def parse_period(text: str) -> Period:
    """"5y", "18m", "3s" (heating/cooling periods) or "life"."""
    text = text.strip().lower()
    if text in ("life", "design_life"):
        return Period.design_life()
    count, unit = int(text[:-1]), text[-1]
    return {"y": Period.years, "m": Period.months, "s": Period.seasons}[unit](count)


async def warranty_rules(uow: UnitOfWork, project: Project, building: Building | None) -> WarrantyRules:
    """The project's seasons and design life, with the project's and the building's contract periods."""
    sides: dict[tuple[int | None, str], dict[Component, Period]] = {}
    for row in await uow.repairs.overrides(project.id):
        period = Period(row.period_kind, row.period_count)  # type: ignore[arg-type]
        sides.setdefault((row.building_id, row.side), {})[Component(row.component)] = period

    def overrides(building_id: int | None) -> Overrides:
        return Overrides(builder=sides.get((building_id, "builder"), {}), owner=sides.get((building_id, "owner"), {}))

    heating = parse_season(project.heating_season, "heating") if project.heating_season else DEFAULT_HEATING
    cooling = parse_season(project.cooling_season, "cooling") if project.cooling_season else None
    return WarrantyRules(
        design_life_years=project.design_life_years or 50, heating=heating, cooling=cooling,
        project=overrides(None), building=overrides(building.id) if building is not None else Overrides(),
    )


async def decide_for_unit(uow: UnitOfWork, unit: Unit, component: Component, reported: date) -> WarrantyDecision:
    building = unit.building
    rules = await warranty_rules(uow, building.project, building)
    return decide(component, reported, building.completion_date, unit.delivery_date, rules)


def _term_json(term: Term | None) -> dict[str, Any] | None:
    if term is None:
        return None
    ignored = {"kind": term.ignored.kind, "count": term.ignored.count} if term.ignored else None
    return {"kind": term.period.kind, "count": term.period.count, "source": term.source,
            "end": term.end.isoformat(), "ignored": ignored}


def warranty_facts(decision: WarrantyDecision, reported: date, completion: date | None, delivery: date | None,
                   design_life: int) -> dict[str, Any]:
    """What the class rests on, stored with the repair so the reason can be shown in any locale."""
    return {
        "component": decision.component.value, "class": decision.warranty_class, "payer": decision.payer,
        "reported": reported.isoformat(), "completion": completion.isoformat() if completion else None,
        "delivery": delivery.isoformat() if delivery else None, "builder": _term_json(decision.builder),
        "owner": _term_json(decision.owner), "owner_end": decision.owner_end.isoformat() if decision.owner_end else None,
        "extended": decision.extended, "design_life": design_life, "reason": decision.reason,
    }


def apply_finding(facts: Mapping[str, Any], responsible: str | None) -> tuple[str, str]:
    """Class and payer after the survey: a defect of the works follows the warranty; damage the
    owner caused is the owner's to pay; the company's own equipment is the company's."""
    if responsible == Responsible.OWNER:
        return "B", "owner"
    if responsible == Responsible.COMPANY:
        return "B", "company"
    return str(facts["class"]), str(facts["payer"])


def set_class(repair: Repair) -> None:
    """The effective class: a staff override stands over the computed one."""
    if repair.override:
        repair.warranty_class, repair.payer = str(repair.override["class"]), str(repair.override["payer"])
    else:
        repair.warranty_class, repair.payer = apply_finding(repair.warranty, repair.warranty.get("finding"))


# ---------------------------------------------------------------- the reason, localized


def period_text(kind: str, count: int, design_life: int) -> Text:
    if kind == "years":
        return Plural("{n} year", "{n} years", count)
    if kind == "months":
        return Plural("{n} month", "{n} months", count)
    if kind == "seasons":
        return Plural("{n} heating/cooling period", "{n} heating/cooling periods", count)
    return Msg(N_("design life ({n} years)"), {"n": design_life})


def _term_text(term: Mapping[str, Any], design_life: int) -> Text:
    sources = {"project": N_(" by the project's contract"), "building": N_(" by the building's contract")}
    source: Text = Msg(sources[term["source"]]) if term["source"] in sources else ""
    ignored: Text = ""
    if term.get("ignored"):
        ignored = Msg(N_("; a shorter contract period ({period}) is ignored"),
                      {"period": period_text(term["ignored"]["kind"], term["ignored"]["count"], design_life)})
    return Msg(N_("{period} (to {end}){source}{ignored}"), {
        "period": period_text(term["kind"], term["count"], design_life),
        "end": DateText(date.fromisoformat(term["end"]), ISO_DATE), "source": source, "ignored": ignored})


def class_label(warranty_class: str, payer: str) -> Msg:
    if warranty_class == "A":
        return Msg(N_("Class A (builder's warranty)"))
    return Msg(N_("Class B, paid by the owner") if payer == "owner" else N_("Class B, borne by the company"))


def warranty_reason(repair: Repair) -> Text:
    """"Waterproofed rooms: completion accepted 2023-06-30, builder's warranty 5 years (to 2028-06-30) → Class A"."""
    facts = repair.warranty
    life = int(facts.get("design_life") or 50)
    component = Msg(COMPONENT_LABELS[Component(facts["component"])])
    lines: list[Text] = []
    if facts.get("completion") and facts.get("builder"):
        lines.append(Msg(N_("{component}: completion accepted {date}, builder's warranty {term}"), {
            "component": component, "date": DateText(date.fromisoformat(facts["completion"]), ISO_DATE),
            "term": _term_text(facts["builder"], life)}))
    else:
        lines.append(Msg(N_("{component}: no completion acceptance date on record, so no builder's warranty"),
                         {"component": component}))
    if facts.get("delivery"):
        owner_term: Text = (_term_text(facts["owner"], life) if facts.get("owner")
                            else Msg(N_("no statutory period for this part")))
        lines.append(Msg(N_("Delivered {date}, owner's warranty {term}"), {
            "date": DateText(date.fromisoformat(facts["delivery"]), ISO_DATE), "term": owner_term}))
        if facts.get("extended") and facts.get("owner_end"):
            lines.append(Msg(N_("The owner's warranty runs as long as the builder's, to {date} (商品房销售管理办法 第三十三条)"),
                             {"date": DateText(date.fromisoformat(facts["owner_end"]), ISO_DATE)}))
    else:
        lines.append(Msg(N_("No delivery date on record: the company bears class B repairs")))
    computed = class_label(str(facts["class"]), str(facts["payer"]))
    lines.append(Msg(N_("Reported {date} → {verdict}"), {
        "date": DateText(date.fromisoformat(facts["reported"]), ISO_DATE), "verdict": computed}))
    finding = facts.get("finding")
    if finding in (Responsible.OWNER, Responsible.COMPANY):
        lines.append(Msg(N_("Survey: responsible party is {party} → {verdict}"), {
            "party": Msg(RESPONSIBLE_LABELS[Responsible(finding)]),
            "verdict": class_label(*apply_finding(facts, finding))}))
    if repair.override:
        lines.append(Msg(N_("Overridden by staff → {verdict}. Reason: {reason}"), {
            "verdict": class_label(str(repair.override["class"]), str(repair.override["payer"])),
            "reason": Plain(str(repair.override["reason"]))}))
    return Lines(tuple(lines))


# ---------------------------------------------------------------- filing


async def file_repair(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    owner_id = actor.identity.owner_id
    if owner_id is None:
        return Completion((Reply(Msg(N_("Only registered owners can request a repair here."))),))
    unit = await chosen_unit(uow, owner_id, answers)
    if unit is None:
        return NO_HOME
    project = unit.building.project
    zone = project.timezone
    today = now.astimezone(ZoneInfo(zone)).date()
    trade = Trade(str(answers["trade"]))
    calendar = await calendar_for(uow, project.region)
    ticket = Ticket(
        number=await next_number(uow, "repair", today.year), kind="repair", project_id=project.id,
        owner_id=owner_id, unit_id=unit.id, channel="telegram", category=trade.value,
        description=str(answers["description"]), attachments=list(answers.get("attachments") or []),
        contact_phone=answers.get("phone"), lead_department=Department.REPAIR.value,
        assisting_departments=[d.value for d in SURVEY_DEPARTMENTS], status=Status.SURVEY, major=False,
        received_at=now, progress_due=due_after_working_days(calendar, now, SURVEY_WORKING_DAYS, zone),
        created_at=now, updated_at=now,
    )
    assumed = calendar.assumed_years(today, ticket.progress_due or today)
    ticket.calendar_note = ", ".join(map(str, assumed)) or None
    uow.tickets.add(ticket)
    await uow.flush()
    component = DEFAULT_COMPONENT[trade]
    decision = await decide_for_unit(uow, unit, component, today)
    rules_life = project.design_life_years or 50
    repair = Repair(
        ticket_id=ticket.id, trade=trade.value, location=str(answers["location"]),
        visit_slots=list(answers.get("visit_slots") or []), component=component.value,
        warranty_class=decision.warranty_class, payer=decision.payer,
        warranty=warranty_facts(decision, today, unit.building.completion_date, unit.delivery_date, rules_life),
    )
    uow.repairs.add(repair)
    await record(uow, ticket, "created", now, actor="owner", channel="telegram")
    event = await record(uow, ticket, "warranty_decided", now, component=component.value,
                         warranty_class=decision.warranty_class, payer=decision.payer, reason=decision.reason)
    await notify_survey_team(uow, ticket, event, now)
    reply = Reply(Lines((
        Msg(N_("Your repair request is registered as {number}."), {"number": ticket.number}),
        Msg(N_("Our staff will inspect it on site by {date} and agree the visit with you."),
            {"date": DateText(ticket.progress_due) if ticket.progress_due else "—"}),
        Msg(N_("You can follow it with /my.")),
    )), remove_keyboard=True)
    return Completion((reply,))


async def survey_team(uow: UnitOfWork, ticket: Ticket) -> list[Any]:
    """DOMAIN 2.3: customer service, engineering/property, and the repair team's lead."""
    people = list(await uow.staff.reachable(ticket.project_id, departments=list(SURVEY_DEPARTMENTS)))
    people += await uow.staff.reachable(ticket.project_id, departments=[Department.REPAIR], roles=list(TEAM_LEADS))
    return people


async def notify_survey_team(uow: UnitOfWork, ticket: Ticket, event: TicketEvent, now: datetime,
                             headline: Msg | None = None) -> int:
    headline = headline or Msg(N_("🛠 New repair request: site survey due {date}"),
                               {"date": DateText(ticket.progress_due) if ticket.progress_due else "—"})
    return await notify_staff(uow, await survey_team(uow, ticket), ticket, event, headline, now)


# ---------------------------------------------------------------- cards


async def repair_card(uow: UnitOfWork, ticket: Ticket, headline: Msg) -> Text:
    """The repair as staff see it: the request, the warranty reason, survey, work order and costs."""
    repair = await uow.repairs.get(ticket.id)
    owner = await uow.owners.get(ticket.owner_id) if ticket.owner_id else None
    unit = await ticket_unit(uow, ticket)
    lines: list[Text] = [
        headline,
        Field(Msg(N_("No.")), Plain(ticket.number)),
        Field(Msg(N_("Status")), Msg(STATUS_LABELS[ticket.status])),
        Field(Msg(N_("Trade")), Msg(TRADE_LABELS[Trade(ticket.category)])),
        Field(Msg(N_("Unit")), Plain(unit_label(unit) if unit else "—")),
        Field(Msg(N_("Owner")), Plain(owner.name if owner else "—")),
        Field(Msg(N_("Phone")), Plain(mask_phone(ticket.contact_phone) if ticket.contact_phone else "—")),
    ]
    if repair is not None:
        lines.append(Field(Msg(N_("Location")), Plain(repair.location)))
    lines.append(Field(Msg(N_("Description")), Plain(ticket.description)))
    if repair is not None:
        if repair.visit_slots:
            lines.append(Field(Msg(N_("Preferred visit times")),
                               ListText(tuple(Msg(VISIT_SLOT_LABELS[VisitSlot(s)]) for s in repair.visit_slots))))
        lines.append(Field(Msg(N_("Warranty")), class_label(repair.warranty_class, repair.payer)))
        lines.append(warranty_reason(repair))
    if ticket.attachments:
        lines.append(Field(Msg(N_("Attachments")), len(ticket.attachments)))
    lines.extend(await _work_lines(uow, ticket))
    return Lines(tuple(lines))


async def _work_lines(uow: UnitOfWork, ticket: Ticket) -> list[Text]:
    lines: list[Text] = []
    if ticket.status == Status.SURVEY and ticket.progress_due:
        lines.append(Field(Msg(N_("Site survey due")), DateText(ticket.progress_due)))
    survey = await uow.repairs.latest_survey(ticket.id)
    if survey is not None:
        lines.append(Field(Msg(N_("Survey")), Msg(N_("{party}; trades: {trades}; estimate {amount}"), {
            "party": Msg(RESPONSIBLE_LABELS[Responsible(survey.responsible)]),
            "trades": ListText(tuple(Msg(TRADE_LABELS[Trade(t)]) for t in survey.trades)),
            "amount": Money(str(from_fen(survey.estimate_fen)))})))
    order = await uow.repairs.current_order(ticket.id)
    if order is not None:
        worker = await uow.staff.get(order.worker_id) if order.worker_id else None
        lines.append(Field(Msg(N_("Work order")), Msg(N_("{number}, type {type}"),
                                                      {"number": Plain(order.number), "type": order.order_type})))
        if order.due:
            lines.append(Field(Msg(N_("Repair due")), DateText(order.due)))
        if worker is not None:
            lines.append(Field(Msg(N_("Worker")), Plain(worker.name)))
        if order.settlement_fen is not None:
            lines.append(Field(Msg(N_("Settlement")), Money(str(from_fen(order.settlement_fen)))))
        if order.audit_required:
            lines.append(Msg(N_("🔎 Settlement over 20,000 yuan: to be audited")))
        if order.deposit_deduction:
            lines.append(Msg(N_("🏗 Class A: the cost is deducted from the builder's quality deposit")))
    approval = await uow.repairs.pending_approval(ticket.id)
    if approval is not None:
        waiting = next((s for s in approval.steps if s["status"] == "pending"), None)
        if waiting is not None:
            lines.append(Field(Msg(N_("Waiting for approval by")), Msg(APPROVER_LABELS[Approver(waiting["step"])])))
    if ticket.calendar_note:
        lines.append(Msg(N_("Note: the holiday schedule for {years} is not yet published; statutory holidays are "
                            "assumed."), {"years": Plain(ticket.calendar_note)}))
    return lines


async def repair_owner_card(uow: UnitOfWork, ticket: Ticket, unit: Unit | None) -> Text:
    repair = await uow.repairs.get(ticket.id)
    order = await uow.repairs.current_order(ticket.id)
    lines: list[Text] = [
        Field(Msg(N_("No.")), Plain(ticket.number)),
        Field(Msg(N_("Trade")), Msg(TRADE_LABELS[Trade(ticket.category)])),
        Field(Msg(N_("Status")), Msg(STATUS_LABELS[ticket.status])),
    ]
    if unit is not None:
        lines.append(Field(Msg(N_("Unit")), Plain(unit_label(unit))))
    if repair is not None:
        lines.append(Field(Msg(N_("Location")), Plain(repair.location)))
    lines.append(Field(Msg(N_("Description")), Plain(ticket.description)))
    if order is not None and order.due and ticket.status in (Status.ISSUED, Status.IN_PROGRESS):
        lines.append(Field(Msg(N_("Repair due")), DateText(order.due)))
    if ticket.result:
        lines.append(Field(Msg(N_("Result")), Plain(ticket.result)))
    return Lines(tuple(lines))
