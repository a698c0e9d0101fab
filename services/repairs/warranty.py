"""Warranty class of a repair (DOMAIN 2.2): A类 (builder's warranty) or B类 (company / owner pays).

Pure: dates and configuration in, a decision with a staff-readable reason out. No database, no I/O.

Two warranties per component
----------------------------
* **Builder's warranty** (施工单位保修, 《建设工程质量管理条例》第四十条) runs from the building's
  completion acceptance date (竣工验收合格之日). A repair within it is **A类**, charged to the
  builder's quality deposit.
* **Owner's warranty** (《住宅质量保证书》, 建房〔1998〕102号) runs from the unit's delivery date
  (交付之日). Outside the builder's warranty a repair is **B类**: the company pays while the owner's
  warranty runs, the owner pays after it (staff may waive; not decided here).
* Where the builder's warranty still has longer to run at delivery, the owner's warranty lasts at
  least as long (商品房销售管理办法 第三十三条): ``owner_end = max(owner's own end, builder_end)``
  whenever ``builder_end >= delivery``. That is also how a component without an owner's minimum of
  its own (electrical wiring, plumbing, equipment installation, decoration) gets an owner's warranty.

Component table (statutory minimums)
------------------------------------
One component set serves both regulations. The builder's items (第四十条) and the owner's items
(102号文 第五条) name the same building parts at different grain, so every component carries the
builder's period of the 第四十条 item it belongs to and the owner's period of the 102号 item, if any.
Each part appears once: where both lists name the same part (the roof: 屋面防水工程 / 屋面防水) it
is one component under the regulations' shared name, and the catch-all leakage item of 102号文 is
named for what it covers beyond the waterproofed rooms and the exterior walls. Labels (in
``dialogs.repair.COMPONENT_LABELS``) name the part or its defect as the surveyor finds it on site::

    component               中文                               builder (from completion)     owner (from delivery)
    foundation_structure    地基基础和主体结构                 design life                   design life
    roof_waterproofing      屋面防水                           5 years                       3 years
    waterproof_rooms        有防水要求的卫生间、房间           5 years                       1 year (厨卫地面渗漏)
    exterior_wall_leak      外墙面渗漏                         5 years                       1 year (墙面渗漏)
    wall_floor_pipe_leak    其他渗漏（内墙、地下室、管道）     2 years (给排水管道) *        1 year
    plaster_floor_cracks    墙面顶棚抹灰层脱落、地面空鼓开裂   2 years (装修工程)            1 year
    doors_windows           门窗翘裂、五金件损坏               2 years (装修工程)            1 year
    plumbing                给排水管道                         2 years                       —
    blocked_pipes           管道堵塞                           2 years (给排水管道)          2 months
    sanitary_fittings       卫生洁具                           2 years (给排水/设备安装)     1 year
    electrical              电气管线                           2 years                       —
    lamps_switches          灯具、电器开关                     2 years (电气管线)            6 months
    heating_cooling         供热与供冷系统                     2 heating/cooling periods     1 heating/cooling period
    equipment_installation  设备安装                           2 years                       —
    decoration              装修工程                           2 years                       —

``—``: 102号文 sets no minimum ("其他部位、部件的保修期限，由房地产开发企业与用户自行约定"); only a
contract override or the 第三十三条 extension gives one.

``*`` ``wall_floor_pipe_leak`` is the owner's catch-all leakage item. Its cases fall under different
builder items (pipes: plumbing, 2 years; wet-room floors and exterior walls: waterproofing, 5 years),
so it carries the shortest builder minimum common to all of them, 2 years, and is offered as the
leaks other than those two. Staff who can tell a waterproofing leak pick ``waterproof_rooms`` or
``exterior_wall_leak`` (5 years); a contract override can lengthen it.

``roof_leak`` (屋面渗漏) was once a second roof component with the same periods; records and
contract settings that name it read as ``roof_waterproofing`` (``Component._missing_``).

Readings chosen
---------------
* **Period arithmetic** (民法典 第二百零一、二百零二条): the start day is not counted; N years or
  months end on the corresponding day N months later (years = 12 months); without a corresponding
  day, on the last day of that month (2024-02-29 + 1 year → 2025-02-28; 2024-01-31 + 1 month →
  2024-02-29). The end day is covered; the next day is not. 第二百零三条 (a last day falling on a
  holiday moves to the next working day) is not applied: it concerns the time to perform an act, not
  whether a defect appeared within a guarantee.
* **Design life** (合理使用年限) is ``WarrantyRules.design_life_years`` (default 50) years.
* **N heating/cooling periods** end on the end day of the N-th configured season that ends
  *strictly after* the start date: a start in the middle of a season counts that season as the first
  period; a start on a season's last day does not (the start day is not counted). With both a heating
  and a cooling season configured, the ``heating_cooling`` component covers both systems, so the period
  ends at the later of the N-th heating season's end and the N-th cooling season's end. A season end on
  29 February falls back to 28 February in a common year.
* **Overrides**: a project and a building may set a longer contract period per component, separately
  for each warranty. The building's override replaces the project's for that component and warranty.
  Periods of different units (years vs. heating periods) only compare on a calendar, so an override is
  checked against the statutory minimum *at decision time*, from the actual start date: an override
  that ends earlier than the statutory minimum is **ignored** (the minimum applies) and the reason says
  so. Nothing is rejected at configuration time except malformed periods (count < 1).
* **Coverage** is ``reported <= end``. A repair reported on or before completion acceptance counts as
  within the builder's warranty (before acceptance the work is still the builder's to put right).
* **Missing completion date**: no builder's warranty can be established, so never A; no 第三十三条
  extension either. **Missing delivery date**: the owner's warranty is treated as not started; a
  B repair is then paid by the company (the unit is still the company's), as is one reported before
  delivery. Both are stated in the reason.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Literal

PeriodKind = Literal["years", "months", "design_life", "seasons"]
WarrantyClass = Literal["A", "B"]
Payer = Literal["builder", "company", "owner"]
Side = Literal["builder", "owner"]


class Component(StrEnum):
    """A building part, once each, at the grain of both warranty regulations (see the module's table)."""

    FOUNDATION_STRUCTURE = "foundation_structure"
    ROOF_WATERPROOFING = "roof_waterproofing"
    WATERPROOF_ROOMS = "waterproof_rooms"
    EXTERIOR_WALL_LEAK = "exterior_wall_leak"
    WALL_FLOOR_PIPE_LEAK = "wall_floor_pipe_leak"
    PLASTER_FLOOR_CRACKS = "plaster_floor_cracks"
    DOORS_WINDOWS = "doors_windows"
    PLUMBING = "plumbing"
    BLOCKED_PIPES = "blocked_pipes"
    SANITARY_FITTINGS = "sanitary_fittings"
    ELECTRICAL = "electrical"
    LAMPS_SWITCHES = "lamps_switches"
    HEATING_COOLING = "heating_cooling"
    EQUIPMENT_INSTALLATION = "equipment_installation"
    DECORATION = "decoration"

    @classmethod
    def _missing_(cls, value: object) -> Component | None:
        # Stored before the roof was one component: the same part, the same periods.
        return cls.ROOF_WATERPROOFING if value == "roof_leak" else None


LABELS_ZH: Mapping[Component, str] = {
    Component.FOUNDATION_STRUCTURE: "地基基础和主体结构",
    Component.ROOF_WATERPROOFING: "屋面防水",
    Component.WATERPROOF_ROOMS: "有防水要求的卫生间、房间",
    Component.EXTERIOR_WALL_LEAK: "外墙面渗漏",
    Component.HEATING_COOLING: "供热与供冷系统",
    Component.ELECTRICAL: "电气管线",
    Component.PLUMBING: "给排水管道",
    Component.EQUIPMENT_INSTALLATION: "设备安装",
    Component.DECORATION: "装修工程",
    Component.WALL_FLOOR_PIPE_LEAK: "其他渗漏（内墙、地下室、管道）",
    Component.PLASTER_FLOOR_CRACKS: "墙面顶棚抹灰层脱落、地面空鼓开裂",
    Component.DOORS_WINDOWS: "门窗翘裂、五金件损坏",
    Component.SANITARY_FITTINGS: "卫生洁具",
    Component.BLOCKED_PIPES: "管道堵塞",
    Component.LAMPS_SWITCHES: "灯具、电器开关",
}


@dataclass(frozen=True)
class Period:
    """A warranty period: N years, N months, the design life, or N heating/cooling seasons."""

    kind: PeriodKind
    count: int = 1

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError(f"a warranty period needs a count of at least 1, not {self.count}")
        if self.kind == "design_life" and self.count != 1:
            raise ValueError("the design life has no count")

    @classmethod
    def years(cls, n: int) -> Period:
        return cls("years", n)

    @classmethod
    def months(cls, n: int) -> Period:
        return cls("months", n)

    @classmethod
    def seasons(cls, n: int) -> Period:
        return cls("seasons", n)

    @classmethod
    def design_life(cls) -> Period:
        return cls("design_life")


@dataclass(frozen=True)
class Season:
    """A yearly heating or cooling season, e.g. 15 Nov – 15 Mar (it may cross the new year)."""

    name: str
    start_month: int
    start_day: int
    end_month: int
    end_day: int

    def __post_init__(self) -> None:
        for month, day in ((self.start_month, self.start_day), (self.end_month, self.end_day)):
            date(2000, month, day)  # raises ValueError for an impossible day (29 Feb is allowed)

    def end_in(self, year: int) -> date:
        """The season's last day in ``year`` (29 Feb → 28 Feb in a common year)."""
        return date(year, self.end_month, min(self.end_day, calendar.monthrange(year, self.end_month)[1]))

    def describe(self) -> str:
        return (
            f"{self.start_day} {calendar.month_abbr[self.start_month]} – "
            f"{self.end_day} {calendar.month_abbr[self.end_month]}"
        )


DEFAULT_HEATING = Season("heating", 11, 15, 3, 15)


@dataclass(frozen=True)
class Overrides:
    """Contract periods per component, longer than the statutory minimums (shorter ones are ignored)."""

    builder: Mapping[Component, Period] = field(default_factory=dict)
    owner: Mapping[Component, Period] = field(default_factory=dict)

    def for_side(self, side: Side) -> Mapping[Component, Period]:
        return self.builder if side == "builder" else self.owner


NO_OVERRIDES = Overrides()


@dataclass(frozen=True)
class WarrantyRules:
    """The configuration that applies to one unit: its project's and its building's."""

    design_life_years: int = 50
    heating: Season | None = DEFAULT_HEATING
    cooling: Season | None = None
    project: Overrides = NO_OVERRIDES
    building: Overrides = NO_OVERRIDES

    def __post_init__(self) -> None:
        if self.design_life_years < 1:
            raise ValueError("the design life must be at least 1 year")
        if self.heating is None and self.cooling is None:
            raise ValueError("configure a heating or a cooling season (or both)")

    @property
    def seasons(self) -> tuple[Season, ...]:
        return tuple(s for s in (self.heating, self.cooling) if s is not None)


Source = Literal["statutory", "project", "building"]


@dataclass(frozen=True)
class Term:
    """One side's effective warranty: its period, where it comes from, and its last covered day."""

    period: Period
    source: Source
    end: date
    ignored: Period | None = None  # a contract override shorter than the minimum


@dataclass(frozen=True)
class WarrantyDecision:
    component: Component
    warranty_class: WarrantyClass
    payer: Payer
    builder_end: date | None
    owner_end: date | None
    reason: str  # the whole reasoning in English (logs, audits); staff read the localized facts below
    builder: Term | None = None
    owner: Term | None = None
    extended: bool = False  # the owner's warranty runs to the builder's end (第三十三条)


_Y = Period.years
# component: (builder's minimum from completion, owner's minimum from delivery or None)
STATUTORY: Mapping[Component, tuple[Period, Period | None]] = {
    Component.FOUNDATION_STRUCTURE: (Period.design_life(), Period.design_life()),
    Component.ROOF_WATERPROOFING: (_Y(5), _Y(3)),
    Component.WATERPROOF_ROOMS: (_Y(5), _Y(1)),
    Component.EXTERIOR_WALL_LEAK: (_Y(5), _Y(1)),
    Component.WALL_FLOOR_PIPE_LEAK: (_Y(2), _Y(1)),
    Component.HEATING_COOLING: (Period.seasons(2), Period.seasons(1)),
    Component.ELECTRICAL: (_Y(2), None),
    Component.PLUMBING: (_Y(2), None),
    Component.EQUIPMENT_INSTALLATION: (_Y(2), None),
    Component.DECORATION: (_Y(2), None),
    Component.PLASTER_FLOOR_CRACKS: (_Y(2), _Y(1)),
    Component.DOORS_WINDOWS: (_Y(2), _Y(1)),
    Component.SANITARY_FITTINGS: (_Y(2), _Y(1)),
    Component.BLOCKED_PIPES: (_Y(2), Period.months(2)),
    Component.LAMPS_SWITCHES: (_Y(2), Period.months(6)),
}


# ---------------------------------------------------------------- period arithmetic


def add_months(start: date, months: int) -> date:
    """The corresponding day ``months`` later, or that month's last day if it has none."""
    index = start.year * 12 + start.month - 1 + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def nth_season_end(season: Season, start: date, n: int) -> date:
    """The last day of the n-th ``season`` that ends strictly after ``start``."""
    first_year = start.year if season.end_in(start.year) > start else start.year + 1
    return season.end_in(first_year + n - 1)


def period_end(period: Period, start: date, rules: WarrantyRules) -> date:
    """The last day covered by ``period`` counted from ``start`` (the start day itself not counted)."""
    if period.kind == "years":
        return add_months(start, 12 * period.count)
    if period.kind == "months":
        return add_months(start, period.count)
    if period.kind == "design_life":
        return add_months(start, 12 * rules.design_life_years)
    return max(nth_season_end(season, start, period.count) for season in rules.seasons)


def describe_period(period: Period, rules: WarrantyRules) -> str:
    if period.kind in ("years", "months"):
        unit = period.kind[:-1] if period.count == 1 else period.kind
        return f"{period.count} {unit}"
    if period.kind == "design_life":
        return f"design life {rules.design_life_years} years"
    names = "/".join(s.name for s in rules.seasons)
    spans = ", ".join(s.describe() for s in rules.seasons)
    plural = "period" if period.count == 1 else "periods"
    return f"{period.count} {names} {plural} ({spans})"


# ---------------------------------------------------------------- the decision


@dataclass(frozen=True)
class _Term:
    end: date
    text: str  # e.g. "5 years (to 2028-06-30)"
    term: Term


def _term(component: Component, side: Side, start: date, rules: WarrantyRules) -> _Term | None:
    """The effective period on one side: the statutory minimum, or a longer contract override."""
    builder_min, owner_min = STATUTORY[component]
    minimum = builder_min if side == "builder" else owner_min
    source: Source = "building"
    override = rules.building.for_side(side).get(component)
    if override is None:
        source, override = "project", rules.project.for_side(side).get(component)

    minimum_end = period_end(minimum, start, rules) if minimum is not None else None
    if override is not None:
        override_end = period_end(override, start, rules)
        if minimum_end is None or override_end >= minimum_end:
            return _Term(override_end, f"{describe_period(override, rules)} by {source} contract (to {override_end})",
                         Term(override, source, override_end))
        assert minimum is not None
        note = (
            f"{describe_period(minimum, rules)} (to {minimum_end}; {source} contract "
            f"{describe_period(override, rules)} is shorter than the statutory minimum and is ignored)"
        )
        return _Term(minimum_end, note, Term(minimum, "statutory", minimum_end, ignored=override))
    if minimum is None or minimum_end is None:
        return None
    return _Term(minimum_end, f"{describe_period(minimum, rules)} (to {minimum_end})",
                 Term(minimum, "statutory", minimum_end))


def decide(
    component: Component,
    reported: date,
    completion: date | None,
    delivery: date | None,
    rules: WarrantyRules,
) -> WarrantyDecision:
    """Class A (builder's warranty) or B (company while the owner's warranty runs, owner after)."""
    parts: list[str] = [f"{component.value} ({LABELS_ZH[component]})"]

    # Builder's warranty, from completion acceptance.
    builder: _Term | None = None
    if completion is None:
        parts.append("no completion acceptance date recorded: no builder's warranty can be established")
    else:
        builder = _term(component, "builder", completion, rules)
        assert builder is not None  # every component has a builder's minimum
        parts.append(f"completion accepted {completion}, builder's warranty {builder.text}")
    builder_end = builder.end if builder is not None else None

    # Owner's warranty, from delivery; at least as long as the builder's still running at delivery.
    owner_end: date | None = None
    own: _Term | None = None
    if delivery is None:
        owner_text = "no delivery date recorded: owner's warranty treated as not started"
    else:
        own = _term(component, "owner", delivery, rules)
        ends = [own.end] if own is not None else []
        if builder_end is not None and builder_end >= delivery:
            ends.append(builder_end)
        owner_end = max(ends) if ends else None
        if own is None:
            owner_text = f"delivered {delivery}, no statutory owner's warranty for this component"
        else:
            owner_text = f"delivered {delivery}, owner's warranty {own.text}"
        if owner_end is not None and (own is None or owner_end > own.end):
            owner_text += f", extended to the builder's end {owner_end} (商品房销售管理办法 第三十三条)"

    def verdict(warranty_class: WarrantyClass, payer: Payer, *more: str) -> WarrantyDecision:
        label = "A" if warranty_class == "A" else f"B, {payer} pays"
        reason = "; ".join([*parts, *more, f"reported {reported} → {label}"])
        extended = owner_end is not None and (own is None or owner_end > own.end)
        return WarrantyDecision(component, warranty_class, payer, builder_end, owner_end, reason,
                                builder.term if builder else None, own.term if own else None, extended)

    if builder_end is not None:
        if reported <= builder_end:
            return verdict("A", "builder")
        parts[-1] += " expired"
    if delivery is None:
        return verdict("B", "company", owner_text)
    if reported < delivery:
        return verdict("B", "company", owner_text, "reported before delivery: owner's warranty not started")
    if owner_end is not None and reported <= owner_end:
        return verdict("B", "company", owner_text)
    return verdict("B", "owner", owner_text + (" expired" if owner_end is not None else ""))
