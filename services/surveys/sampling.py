"""The stratified, seeded sample of a campaign (DOMAIN 3.3): pure, so the same households and the
same seed always give the same sample.

A household is a unit; it is asked through one of its owners (``asked_owner``), and an owner\nasked for several units is one household. Strata are project
× owner stage. The sample size is ``share`` of the households, rounded half up; each stratum gets
its proportional quota with largest-remainder rounding, so the quotas add up to exactly that size
and each is within one household of proportional. A mid-year sample first takes ``complainers`` per
cent of it (rounded up, so "at least") from the households whose owners complained most in the
period — most complaints first, ties in the seed's order — and stratifies the rest over the
households left.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from services.surveys.vocabulary import Stage, stage_on


@dataclass(frozen=True)
class Household:
    unit_id: int
    owner_id: int  # the owner who is asked (``asked_owner``)
    project_id: int | None
    stage: Stage
    complaints: int = 0  # complaints its owners filed in the period (the most of any of them)

    @property
    def stratum(self) -> str:
        return stratum_of(self.project_id, self.stage)


@dataclass(frozen=True)
class Drawn:
    household: Household
    from_complainers: bool


@dataclass(frozen=True)
class OwnerOfUnit:
    """One row of owner_units with what choosing and staging need."""

    unit_id: int
    owner_id: int
    project_id: int | None
    bound: bool  # the owner has a chat with the bot
    move_in_date: date | None


def stratum_of(project_id: int | None, stage: Stage | str) -> str:
    return f"{project_id if project_id is not None else '-'}/{stage}"


def asked_owner(owners: Iterable[OwnerOfUnit]) -> OwnerOfUnit:
    """The bound owner first (lowest id among the bound), else the lowest id."""
    return min(owners, key=lambda o: (not o.bound, o.owner_id))


def households(rows: Iterable[OwnerOfUnit], day: date, complaints: dict[int, int] | None = None) -> list[Household]:
    """One household per unit, sorted by unit id. Its stage is the stage of its earliest move-in
    (a household has moved in once any of its owners has). An owner asked for several units is one
    household — nobody gets the same questionnaire twice in a campaign —, counted by the lowest of
    those units."""
    complaints = complaints or {}
    by_unit: dict[int, list[OwnerOfUnit]] = defaultdict(list)
    for row in rows:
        by_unit[row.unit_id].append(row)
    result = []
    asked: set[int] = set()
    for unit_id in sorted(by_unit):
        owners = by_unit[unit_id]
        owner_id = asked_owner(owners).owner_id
        if owner_id in asked:
            continue
        asked.add(owner_id)
        moved = [o.move_in_date for o in owners if o.move_in_date is not None]
        result.append(Household(
            unit_id, owner_id, owners[0].project_id, stage_on(min(moved) if moved else None, day),
            max(complaints.get(o.owner_id, 0) for o in owners),
        ))
    return result


def sample_size(population: int, percent: int) -> int:
    """``percent`` of ``population`` rounded half up (50 % of 5 households is 3)."""
    return (population * percent * 2 + 100) // 200


def complainer_quota(size: int, percent: int) -> int:
    """At least ``percent`` of the sample: rounded up."""
    return -(-size * percent // 100)


def allocate(counts: dict[str, int], size: int, rng: random.Random) -> dict[str, int]:
    """Largest-remainder allocation of ``size`` over strata proportional to ``counts`` (ties of
    the remainders in the seed's order); the quotas add up to ``size``, none exceeds its stratum."""
    total = sum(counts.values())
    if total == 0 or size <= 0:
        return dict.fromkeys(counts, 0)
    keys = sorted(counts)
    quotas = {key: counts[key] * size // total for key in keys}
    remainders = {key: counts[key] * size % total for key in keys}
    tiebreak = {key: rng.random() for key in keys}
    left = size - sum(quotas.values())
    for key in sorted(keys, key=lambda k: (-remainders[k], tiebreak[k]))[:left]:
        quotas[key] += 1
    return quotas


def draw(population: Sequence[Household], percent: int, seed: int, *, complainer_percent: int = 0) -> list[Drawn]:
    """The sample: ``percent`` of ``population``, ``complainer_percent`` of it from the top
    complainers (as many as there are households with a complaint, if fewer), the rest stratified.
    Sorted by unit id; no household twice."""
    rng = random.Random(seed)
    ordered = sorted({h.unit_id: h for h in population}.values(), key=lambda h: h.unit_id)
    size = min(sample_size(len(ordered), percent), len(ordered))
    complained = [h for h in ordered if h.complaints > 0]
    ranks = {h.unit_id: rng.random() for h in complained}
    complained.sort(key=lambda h: (-h.complaints, ranks[h.unit_id]))
    top = complained[:min(complainer_quota(size, complainer_percent), len(complained))] if complainer_percent else []
    taken = {h.unit_id for h in top}
    rest = [h for h in ordered if h.unit_id not in taken]
    by_stratum: dict[str, list[Household]] = defaultdict(list)
    for household in rest:
        by_stratum[household.stratum].append(household)
    quotas = allocate({key: len(members) for key, members in by_stratum.items()}, size - len(top), rng)
    drawn = [Drawn(h, True) for h in top]
    for key in sorted(by_stratum):
        drawn.extend(Drawn(h, False) for h in rng.sample(by_stratum[key], quotas[key]))
    return sorted(drawn, key=lambda d: d.household.unit_id)
