"""The warranty class of a repair (DOMAIN 2.2) from the project's configuration, and its reason
in the reader's language: what the class rests on is stored with the repair as plain facts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from dialogs.text import N_, DateText, Lines, Msg, Plain, Plural, Text
from services.repairs.rules import COMPONENT_LABELS, RESPONSIBLE_LABELS, Responsible
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
from storage.models import Building, Project, Repair, Unit
from storage.uow import UnitOfWork


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
        "end": DateText(date.fromisoformat(term["end"])), "source": source, "ignored": ignored})


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
            "component": component, "date": DateText(date.fromisoformat(facts["completion"])),
            "term": _term_text(facts["builder"], life)}))
    else:
        lines.append(Msg(N_("{component}: no completion acceptance date on record, so no builder's warranty"),
                         {"component": component}))
    if facts.get("delivery"):
        delivered = DateText(date.fromisoformat(facts["delivery"]))
        if facts.get("owner"):
            lines.append(Msg(N_("Delivered {date}, owner's warranty {term}"), {
                "date": delivered, "term": _term_text(facts["owner"], life)}))
        else:  # a sentence of its own: "业主保修期 该部位无法定保修期" read as two labels
            lines.append(Msg(N_("Delivered {date}; the law sets no owner's warranty period for this part"),
                             {"date": delivered}))
        if facts.get("extended") and facts.get("owner_end"):
            lines.append(Msg(N_("The owner's warranty runs as long as the builder's, to {date} (商品房销售管理办法 第三十三条)"),
                             {"date": DateText(date.fromisoformat(facts["owner_end"]))}))
    else:
        lines.append(Msg(N_("No delivery date on record: the company bears class B repairs")))
    computed = class_label(str(facts["class"]), str(facts["payer"]))
    lines.append(Msg(N_("Reported {date} → {verdict}"), {
        "date": DateText(date.fromisoformat(facts["reported"])), "verdict": computed}))
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
