"""The campaign sample's properties (DOMAIN 3.3), for any households, shares and seeds: its size is
exactly the share rounded half up, each project × stage stratum within one household of its
proportional share, at least the complainer share from the top complainers when there are enough,
the same seed the same sample, another seed (usually) another, no household twice."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from services.surveys.sampling import Household, OwnerOfUnit, asked_owner, draw, households
from services.surveys.vocabulary import Stage

STAGES = list(Stage)


@st.composite
def populations(draw_: st.DrawFn, min_size: int = 0) -> list[Household]:
    size = draw_(st.integers(min_size, 120))
    unit_ids = draw_(st.lists(st.integers(1, 10_000), min_size=size, max_size=size, unique=True))
    return [
        Household(unit, unit + 50_000, draw_(st.sampled_from([1, 2, 3])), draw_(st.sampled_from(STAGES)),
                  draw_(st.integers(0, 3)))
        for unit in unit_ids
    ]


seeds = st.integers(0, 2**63 - 1)
percents = st.integers(1, 100)


def half_up(n: int, percent: int) -> int:
    return math.floor(n * percent / 100 + 0.5)


@settings(max_examples=150, deadline=None)
@given(populations(), percents, seeds)
def test_the_size_is_exactly_the_share_and_strata_are_proportional(
    population: list[Household], percent: int, seed: int,
) -> None:
    sample = draw(population, percent, seed)
    assert len(sample) == half_up(len(population), percent)
    assert len({d.household.unit_id for d in sample}) == len(sample)  # no household twice
    sizes = Counter(h.stratum for h in population)
    drawn = Counter(d.household.stratum for d in sample)
    for stratum, count in sizes.items():
        proportional = count * len(sample) / len(population)
        assert abs(drawn[stratum] - proportional) < 1


@settings(max_examples=150, deadline=None)
@given(populations(min_size=1), st.integers(1, 100), st.integers(0, 50), seeds)
def test_the_top_complainers_make_at_least_their_share(
    population: list[Household], percent: int, complainers: int, seed: int,
) -> None:
    sample = draw(population, percent, seed, complainer_percent=complainers)
    assert len(sample) == half_up(len(population), percent)
    assert len({d.household.unit_id for d in sample}) == len(sample)
    complained = [h for h in population if h.complaints > 0]
    chosen = [d.household for d in sample if d.from_complainers]
    assert all(h.complaints > 0 for h in chosen)
    if len(complained) * 100 >= complainers * len(sample):  # enough complainers exist
        assert len(chosen) * 100 >= complainers * len(sample)
    if chosen:  # the most complaints first: nobody left out complained more than someone chosen
        taken = {h.unit_id for h in chosen}
        assert max((h.complaints for h in complained if h.unit_id not in taken), default=0) <= min(
            h.complaints for h in chosen)


@settings(max_examples=80, deadline=None)
@given(populations(), percents, st.integers(0, 40), seeds)
def test_the_same_seed_draws_the_same_sample_whatever_the_input_order(
    population: list[Household], percent: int, complainers: int, seed: int,
) -> None:
    first = draw(population, percent, seed, complainer_percent=complainers)
    again = draw(list(reversed(population)), percent, seed, complainer_percent=complainers)
    assert first == again


def test_another_seed_usually_draws_another_sample() -> None:
    population = [Household(unit, unit, 1 + unit % 2, STAGES[unit % 4]) for unit in range(1, 201)]
    samples = {tuple(d.household.unit_id for d in draw(population, 50, seed)) for seed in range(20)}
    assert len(samples) == 20


def test_a_household_is_asked_through_its_bound_owner_else_the_lowest_id() -> None:
    rows = [OwnerOfUnit(5, 9, 1, False, None), OwnerOfUnit(5, 7, 1, False, date(2025, 1, 1)),
            OwnerOfUnit(6, 3, 1, False, None), OwnerOfUnit(6, 8, 1, True, None)]
    assert asked_owner(rows[:2]).owner_id == 7 and asked_owner(rows[2:]).owner_id == 8
    found = households(rows, date(2026, 6, 1), {9: 4})
    assert [(h.unit_id, h.owner_id, h.stage, h.complaints) for h in found] == [
        (5, 7, Stage.STABLE, 4), (6, 8, Stage.PROSPECTIVE, 0)]


def test_an_owner_of_several_units_is_one_household_asked_once() -> None:
    rows = [OwnerOfUnit(11, 4, 1, True, None), OwnerOfUnit(12, 4, 1, True, date(2020, 1, 1)),
            OwnerOfUnit(13, 5, 1, True, None)]
    found = households(rows, date(2026, 6, 1))
    assert [(h.unit_id, h.owner_id) for h in found] == [(11, 4), (13, 5)]
    assert len({d.household.owner_id for d in draw(found, 100, seed=1)}) == 2
