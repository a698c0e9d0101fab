"""Warranty class of a repair (DOMAIN 2.2): statutory periods, 民法典 period arithmetic, heating
seasons, the 第三十三条 extension, contract overrides, A/B boundaries and missing dates.

Expected end dates are worked out by hand: N years/months end on the corresponding day (the start
day not counted), or on the month's last day when there is none.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.repairs.warranty import (
    STATUTORY,
    Component,
    Overrides,
    Period,
    Season,
    WarrantyRules,
    add_months,
    decide,
    period_end,
)

C = Component
RULES = WarrantyRules()
DAY = timedelta(days=1)
COMPLETION = date(2023, 6, 30)
DELIVERY = date(2023, 9, 1)

# component: (builder's end from COMPLETION, owner's own end from DELIVERY or None)
EXPECTED: dict[Component, tuple[date, date | None]] = {
    C.FOUNDATION_STRUCTURE: (date(2073, 6, 30), date(2073, 9, 1)),
    C.ROOF_WATERPROOFING: (date(2028, 6, 30), date(2026, 9, 1)),
    C.WATERPROOF_ROOMS: (date(2028, 6, 30), date(2024, 9, 1)),
    C.EXTERIOR_WALL_LEAK: (date(2028, 6, 30), date(2024, 9, 1)),
    C.WALL_FLOOR_PIPE_LEAK: (date(2025, 6, 30), date(2024, 9, 1)),
    # 2 seasons ending after 2023-06-30: 2023/24 and 2024/25; 1 season after 2023-09-01: 2023/24
    C.HEATING_COOLING: (date(2025, 3, 15), date(2024, 3, 15)),
    C.ELECTRICAL: (date(2025, 6, 30), None),
    C.PLUMBING: (date(2025, 6, 30), None),
    C.EQUIPMENT_INSTALLATION: (date(2025, 6, 30), None),
    C.DECORATION: (date(2025, 6, 30), None),
    C.PLASTER_FLOOR_CRACKS: (date(2025, 6, 30), date(2024, 9, 1)),
    C.DOORS_WINDOWS: (date(2025, 6, 30), date(2024, 9, 1)),
    C.SANITARY_FITTINGS: (date(2025, 6, 30), date(2024, 9, 1)),
    C.BLOCKED_PIPES: (date(2025, 6, 30), date(2023, 11, 1)),
    C.LAMPS_SWITCHES: (date(2025, 6, 30), date(2024, 3, 1)),
}


def test_every_component_has_a_statutory_row_and_a_chinese_label() -> None:
    assert set(STATUTORY) == set(Component) == set(EXPECTED)
    assert len(Component) == 15
    # The roof is one part under both regulations; the old second roof code reads as it.
    assert Component("roof_leak") is C.ROOF_WATERPROOFING


@pytest.mark.parametrize("component", list(Component))
def test_statutory_periods_per_component(component: Component) -> None:
    builder_min, owner_min = STATUTORY[component]
    builder_end, owner_end = EXPECTED[component]
    assert period_end(builder_min, COMPLETION, RULES) == builder_end
    if owner_end is None:
        assert owner_min is None
    else:
        assert owner_min is not None
        assert period_end(owner_min, DELIVERY, RULES) == owner_end


@pytest.mark.parametrize("component", list(Component))
def test_builder_end_is_the_last_day_of_class_a(component: Component) -> None:
    builder_end, _ = EXPECTED[component]
    last = decide(component, builder_end, COMPLETION, DELIVERY, RULES)
    after = decide(component, builder_end + DAY, COMPLETION, DELIVERY, RULES)
    assert (last.warranty_class, last.payer, last.builder_end) == ("A", "builder", builder_end)
    assert after.warranty_class == "B"
    assert after.builder_end == builder_end


# ---------------------------------------------------------------- period arithmetic


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (Period.years(1), date(2023, 3, 10), date(2024, 3, 10)),
        (Period.years(5), date(2023, 6, 30), date(2028, 6, 30)),
        (Period.months(2), date(2024, 10, 31), date(2024, 12, 31)),
        (Period.months(2), date(2024, 12, 31), date(2025, 2, 28)),
        (Period.months(6), date(2024, 8, 31), date(2025, 2, 28)),
        (Period.months(6), date(2023, 8, 31), date(2024, 2, 29)),
        (Period.months(1), date(2024, 1, 31), date(2024, 2, 29)),
        (Period.months(1), date(2023, 1, 31), date(2023, 2, 28)),
        (Period.months(1), date(2024, 3, 31), date(2024, 4, 30)),
        (Period.years(1), date(2024, 2, 29), date(2025, 2, 28)),
        (Period.years(4), date(2024, 2, 29), date(2028, 2, 29)),
        (Period.years(3), date(2024, 2, 29), date(2027, 2, 28)),
        (Period.months(12), date(2024, 2, 29), date(2025, 2, 28)),
        (Period.design_life(), date(2024, 2, 29), date(2074, 2, 28)),
    ],
)
def test_period_ends_on_the_corresponding_day_or_the_months_last(period: Period, start: date, end: date) -> None:
    assert period_end(period, start, RULES) == end


@pytest.mark.parametrize(
    ("component", "delivery", "last"),
    [
        (C.BLOCKED_PIPES, date(2024, 1, 31), date(2024, 3, 31)),  # 2 months
        (C.BLOCKED_PIPES, date(2023, 12, 31), date(2024, 2, 29)),  # 2 months, no 31 Feb
        (C.LAMPS_SWITCHES, date(2024, 3, 15), date(2024, 9, 15)),  # 6 months
        (C.LAMPS_SWITCHES, date(2024, 8, 31), date(2025, 2, 28)),  # 6 months, no 31 Feb
        (C.DOORS_WINDOWS, date(2024, 2, 29), date(2025, 2, 28)),  # 1 year from 29 Feb
        (C.ROOF_WATERPROOFING, date(2024, 5, 20), date(2027, 5, 20)),  # 3 years
    ],
)
def test_owner_period_last_day_covered_next_day_not(component: Component, delivery: date, last: date) -> None:
    # Completion long ago: the builder's warranty is over and does not extend the owner's.
    completion = date(2010, 1, 1)
    on_last = decide(component, last, completion, delivery, RULES)
    next_day = decide(component, last + DAY, completion, delivery, RULES)
    assert (on_last.warranty_class, on_last.payer, on_last.owner_end) == ("B", "company", last)
    assert (next_day.warranty_class, next_day.payer, next_day.owner_end) == ("B", "owner", last)


def test_builder_years_from_29_february() -> None:
    decision = decide(C.ELECTRICAL, date(2026, 2, 28), date(2024, 2, 29), None, RULES)
    assert (decision.warranty_class, decision.builder_end) == ("A", date(2026, 2, 28))
    assert decide(C.ELECTRICAL, date(2026, 3, 1), date(2024, 2, 29), None, RULES).warranty_class == "B"


def test_design_life_is_configurable() -> None:
    rules = WarrantyRules(design_life_years=70)
    decision = decide(C.FOUNDATION_STRUCTURE, date(2090, 1, 1), date(2023, 6, 30), None, rules)
    assert (decision.warranty_class, decision.builder_end) == ("A", date(2093, 6, 30))
    assert "design life 70 years" in decision.reason


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)), st.integers(min_value=1, max_value=600))
def test_add_months_properties(start: date, months: int) -> None:
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == start.day or (end.day < start.day and (end + DAY).day == 1)  # else the month's last day
    assert end > start


# ---------------------------------------------------------------- heating / cooling periods


@pytest.mark.parametrize(
    ("start", "one", "two"),
    [
        (date(2024, 7, 1), date(2025, 3, 15), date(2026, 3, 15)),  # summer: next season is the first
        (date(2024, 12, 20), date(2025, 3, 15), date(2026, 3, 15)),  # mid-season (Dec): this season counts
        (date(2025, 1, 10), date(2025, 3, 15), date(2026, 3, 15)),  # mid-season (Jan): this season counts
        (date(2025, 3, 14), date(2025, 3, 15), date(2026, 3, 15)),  # one day left in the season
        (date(2025, 3, 15), date(2026, 3, 15), date(2027, 3, 15)),  # season's last day: start day not counted
        (date(2025, 11, 15), date(2026, 3, 15), date(2027, 3, 15)),  # season's first day
    ],
)
def test_heating_periods(start: date, one: date, two: date) -> None:
    assert period_end(Period.seasons(1), start, RULES) == one
    assert period_end(Period.seasons(2), start, RULES) == two


def test_heating_cooling_builder_and_owner_decisions() -> None:
    # Completion in summer 2024: 2 heating periods → 2026-03-15; delivery mid-season → 1 period → 2025-03-15.
    completion, delivery = date(2024, 7, 1), date(2024, 12, 1)
    last = decide(C.HEATING_COOLING, date(2026, 3, 15), completion, delivery, RULES)
    assert (last.warranty_class, last.builder_end, last.owner_end) == ("A", date(2026, 3, 15), date(2026, 3, 15))
    after = decide(C.HEATING_COOLING, date(2026, 3, 16), completion, delivery, RULES)
    assert (after.warranty_class, after.payer) == ("B", "owner")
    assert "2 heating periods (15 Nov – 15 Mar)" in last.reason


def test_configured_season_and_cooling() -> None:
    heating = Season("heating", 11, 1, 3, 31)
    cooling = Season("cooling", 6, 1, 9, 30)
    start = date(2024, 5, 1)
    only_heating = WarrantyRules(heating=heating)
    assert period_end(Period.seasons(1), start, only_heating) == date(2025, 3, 31)
    only_cooling = WarrantyRules(heating=None, cooling=cooling)
    assert period_end(Period.seasons(1), start, only_cooling) == date(2024, 9, 30)
    # Both systems: the later of the N-th heating and the N-th cooling season ends.
    both = WarrantyRules(heating=heating, cooling=cooling)
    assert period_end(Period.seasons(1), start, both) == date(2025, 3, 31)
    assert period_end(Period.seasons(2), date(2024, 10, 1), both) == date(2026, 9, 30)  # heating: 2026-03-31
    with pytest.raises(ValueError):
        WarrantyRules(heating=None, cooling=None)


def test_season_ending_29_february_in_a_common_year() -> None:
    rules = WarrantyRules(heating=Season("heating", 11, 1, 2, 29))
    assert period_end(Period.seasons(1), date(2024, 6, 1), rules) == date(2025, 2, 28)
    assert period_end(Period.seasons(1), date(2027, 6, 1), rules) == date(2028, 2, 29)


# ---------------------------------------------------------------- 第三十三条 extension


def test_owner_warranty_extended_to_builders_end() -> None:
    # Delivered 8 months after completion: decoration has no owner's minimum, doors and walls 1 year
    # (to 2025-03-01); the builder's 2 (or 5) years run longer, so the owner's warranty lasts as long.
    completion, delivery = date(2023, 6, 30), date(2024, 3, 1)
    for component, builder_end in (
        (C.DECORATION, date(2025, 6, 30)),
        (C.DOORS_WINDOWS, date(2025, 6, 30)),
        (C.EXTERIOR_WALL_LEAK, date(2028, 6, 30)),
    ):
        decision = decide(component, builder_end + DAY, completion, delivery, RULES)
        assert decision.owner_end == builder_end
        assert (decision.warranty_class, decision.payer) == ("B", "owner")
        assert "第三十三条" in decision.reason


def test_owner_own_period_longer_than_builders_remainder() -> None:
    # Roof: builder 5 years from 2020-01-10 → 2025-01-10; owner 3 years from 2023-12-01 → 2026-12-01.
    decision = decide(C.ROOF_WATERPROOFING, date(2026, 12, 1), date(2020, 1, 10), date(2023, 12, 1), RULES)
    assert (decision.warranty_class, decision.payer) == ("B", "company")
    assert (decision.builder_end, decision.owner_end) == (date(2025, 1, 10), date(2026, 12, 1))
    assert "第三十三条" not in decision.reason


def test_no_extension_when_builders_warranty_over_before_delivery() -> None:
    decision = decide(C.DECORATION, date(2024, 1, 2), date(2020, 1, 1), date(2024, 1, 1), RULES)
    assert (decision.warranty_class, decision.payer, decision.owner_end) == ("B", "owner", None)
    assert "no statutory owner's warranty" in decision.reason


def test_extension_on_the_builders_last_day_delivery() -> None:
    # Delivered on the builder's last day: the builder's warranty still runs (that day) → owner at least that.
    decision = decide(C.PLUMBING, date(2025, 6, 30), date(2023, 6, 30), date(2025, 6, 30), RULES)
    assert decision.owner_end == date(2025, 6, 30)


# ---------------------------------------------------------------- overrides


def test_longer_project_override_accepted() -> None:
    rules = WarrantyRules(
        project=Overrides(builder={C.DECORATION: Period.years(3)}, owner={C.DECORATION: Period.years(4)})
    )
    decision = decide(C.DECORATION, date(2026, 6, 30), COMPLETION, DELIVERY, rules)
    assert (decision.warranty_class, decision.builder_end) == ("A", date(2026, 6, 30))
    assert "3 years by project contract" in decision.reason
    later = decide(C.DECORATION, date(2027, 9, 1), COMPLETION, DELIVERY, rules)
    assert (later.warranty_class, later.payer, later.owner_end) == ("B", "company", date(2027, 9, 1))


def test_shorter_override_ignored_minimum_applies() -> None:
    rules = WarrantyRules(
        project=Overrides(builder={C.ROOF_WATERPROOFING: Period.years(3)}, owner={C.BLOCKED_PIPES: Period.months(1)})
    )
    roof = decide(C.ROOF_WATERPROOFING, date(2028, 6, 30), COMPLETION, DELIVERY, rules)
    assert (roof.warranty_class, roof.builder_end) == ("A", date(2028, 6, 30))
    assert "shorter than the statutory minimum and is ignored" in roof.reason
    pipes = decide(C.BLOCKED_PIPES, date(2024, 3, 31), date(2010, 1, 1), date(2024, 1, 31), rules)
    assert (pipes.payer, pipes.owner_end) == ("company", date(2024, 3, 31))
    assert "ignored" in pipes.reason


def test_override_in_other_units_compared_by_end_date() -> None:
    # 1 year of heating cover vs. 2 heating periods: from summer 2024 → 2025-07-01 < 2026-03-15, ignored;
    # 3 heating periods for the builder from 2024-07-01 → 2027-03-15, accepted.
    short = WarrantyRules(project=Overrides(builder={C.HEATING_COOLING: Period.years(1)}))
    assert decide(C.HEATING_COOLING, date(2026, 3, 1), date(2024, 7, 1), None, short).builder_end == date(2026, 3, 15)
    long = WarrantyRules(project=Overrides(builder={C.HEATING_COOLING: Period.seasons(3)}))
    assert decide(C.HEATING_COOLING, date(2026, 3, 1), date(2024, 7, 1), None, long).builder_end == date(2027, 3, 15)
    # An owner's override where the statute sets none is always taken.
    electrical = WarrantyRules(project=Overrides(owner={C.ELECTRICAL: Period.months(3)}))
    decision = decide(C.ELECTRICAL, date(2030, 1, 1), date(2010, 1, 1), date(2029, 12, 1), electrical)
    assert (decision.payer, decision.owner_end) == ("company", date(2030, 3, 1))


def test_building_override_beats_project_override() -> None:
    rules = WarrantyRules(
        project=Overrides(builder={C.PLUMBING: Period.years(3)}),
        building=Overrides(builder={C.PLUMBING: Period.years(4)}),
    )
    decision = decide(C.PLUMBING, date(2027, 6, 30), COMPLETION, None, rules)
    assert (decision.warranty_class, decision.builder_end) == ("A", date(2027, 6, 30))
    assert "by building contract" in decision.reason
    # The building's contract replaces the project's even when shorter; the statutory floor still holds.
    shorter = WarrantyRules(
        project=Overrides(builder={C.PLUMBING: Period.years(4)}),
        building=Overrides(builder={C.PLUMBING: Period.years(3)}),
    )
    assert decide(C.PLUMBING, date(2026, 1, 1), COMPLETION, None, shorter).builder_end == date(2026, 6, 30)
    below = WarrantyRules(
        project=Overrides(builder={C.PLUMBING: Period.years(4)}),
        building=Overrides(builder={C.PLUMBING: Period.years(1)}),
    )
    assert decide(C.PLUMBING, date(2026, 1, 1), COMPLETION, None, below).builder_end == date(2025, 6, 30)


def test_malformed_periods_rejected() -> None:
    with pytest.raises(ValueError):
        Period.years(0)
    with pytest.raises(ValueError):
        Period("design_life", 2)
    with pytest.raises(ValueError):
        Season("heating", 2, 30, 3, 15)
    with pytest.raises(ValueError):
        WarrantyRules(design_life_years=0)


# ---------------------------------------------------------------- A / B boundaries and missing dates


def test_a_then_b_company_then_b_owner() -> None:
    # Doors: builder 2 years from 2023-06-30 → 2025-06-30; delivered 2025-01-15, owner 1 year → 2026-01-15.
    completion, delivery = date(2023, 6, 30), date(2025, 1, 15)
    cases = [
        (date(2025, 6, 30), "A", "builder"),
        (date(2025, 7, 1), "B", "company"),
        (date(2026, 1, 15), "B", "company"),
        (date(2026, 1, 16), "B", "owner"),
    ]
    for reported, warranty_class, payer in cases:
        decision = decide(C.DOORS_WINDOWS, reported, completion, delivery, RULES)
        assert (decision.warranty_class, decision.payer) == (warranty_class, payer), reported
        assert (decision.builder_end, decision.owner_end) == (date(2025, 6, 30), date(2026, 1, 15))


def test_reason_reads_like_the_example() -> None:
    decision = decide(C.ROOF_WATERPROOFING, date(2025, 1, 10), date(2023, 6, 30), DELIVERY, RULES)
    assert decision.reason.startswith(
        "roof_waterproofing (屋面防水); completion accepted 2023-06-30, builder's warranty 5 years (to 2028-06-30)"
    )
    assert decision.reason.endswith("reported 2025-01-10 → A")


def test_missing_completion_never_a() -> None:
    decision = decide(C.FOUNDATION_STRUCTURE, date(2024, 1, 1), None, date(2023, 9, 1), RULES)
    assert (decision.warranty_class, decision.payer) == ("B", "company")
    assert decision.builder_end is None
    assert decision.owner_end == date(2073, 9, 1)
    assert "no builder's warranty can be established" in decision.reason
    # No completion, no extension: decoration's owner's warranty has nothing to run on.
    deco = decide(C.DECORATION, date(2024, 1, 1), None, date(2023, 9, 1), RULES)
    assert (deco.payer, deco.owner_end) == ("owner", None)


def test_missing_delivery_owner_warranty_not_started() -> None:
    decision = decide(C.LAMPS_SWITCHES, date(2026, 1, 1), COMPLETION, None, RULES)
    assert (decision.warranty_class, decision.payer, decision.owner_end) == ("B", "company", None)
    assert "owner's warranty treated as not started" in decision.reason
    both_missing = decide(C.LAMPS_SWITCHES, date(2026, 1, 1), None, None, RULES)
    assert (both_missing.warranty_class, both_missing.payer) == ("B", "company")
    assert "no completion acceptance date" in both_missing.reason
    assert "no delivery date" in both_missing.reason


def test_reported_before_delivery_is_the_companys() -> None:
    decision = decide(C.LAMPS_SWITCHES, date(2026, 1, 1), COMPLETION, date(2026, 2, 1), RULES)
    assert (decision.warranty_class, decision.payer) == ("B", "company")
    assert "reported before delivery" in decision.reason


def test_reported_before_completion_is_the_builders() -> None:
    decision = decide(C.DECORATION, date(2023, 6, 1), COMPLETION, None, RULES)
    assert (decision.warranty_class, decision.payer) == ("A", "builder")


@given(
    st.sampled_from(list(Component)),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    st.integers(min_value=0, max_value=2000),
    st.integers(min_value=0, max_value=8000),
)
def test_decision_properties(component: Component, completion: date, delay: int, after: int) -> None:
    delivery = completion + timedelta(days=delay)
    reported = delivery + timedelta(days=after)
    decision = decide(component, reported, completion, delivery, RULES)
    assert decision.builder_end is not None
    assert decision.builder_end > completion
    # A exactly while within the builder's warranty.
    assert (decision.warranty_class == "A") == (reported <= decision.builder_end)
    # 第三十三条: the owner's warranty never ends before a builder's warranty still running at delivery.
    if decision.builder_end >= delivery:
        assert decision.owner_end is not None
        assert decision.owner_end >= decision.builder_end
    # B: company while the owner's warranty runs, owner after.
    if decision.warranty_class == "B":
        covered = decision.owner_end is not None and reported <= decision.owner_end
        assert decision.payer == ("company" if covered else "owner")
    else:
        assert decision.payer == "builder"
