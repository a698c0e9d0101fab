"""Whether a step applies, as data: conditions that code, a JSON file or a database row can hold.

A condition looks at the answers given so far and at the context the dialog was started with.
Each kind is a small frozen dataclass with ``holds(answers, context)``. ``condition_to_json`` and
``condition_from_json`` give the JSON form, e.g. ``{"kind": "has_context", "key": "units"}`` or
``{"kind": "not", "cond": {"kind": "answer_in", "key": "kind", "values": ["praise"]}}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeAlias

Answer: TypeAlias = str | int
"""A value an answer is compared with: a choice's code, a rating, a typed text."""

MAX_DEPTH = 16  # nesting of not/all/any in a condition read from JSON


@dataclass(frozen=True)
class HasContext:
    """The context holds a truthy value under ``key`` (the owner's units, a known person…)."""

    key: str

    def __post_init__(self) -> None:
        _check_key(self.key)

    def holds(self, answers: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
        return bool(context.get(self.key))


@dataclass(frozen=True)
class AnswerAbove:
    """The answer to ``key``, read as a decimal, is greater than ``value`` (a decimal string).

    A missing or skipped answer counts as 0; an answer that is not a number is never above.
    """

    key: str
    value: str

    def __post_init__(self) -> None:
        _check_key(self.key)
        if _decimal(self.value) is None:
            raise ValueError(f"answer_above: {self.value!r} is not a decimal number")

    def holds(self, answers: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
        answer = answers.get(self.key)
        amount = _decimal(answer or 0)
        threshold = _decimal(self.value)
        return amount is not None and threshold is not None and amount > threshold


@dataclass(frozen=True)
class AnswerIs:
    """The answer to ``key`` is ``value``; a multiple choice (a list of codes) is when it contains it."""

    key: str
    value: Answer

    def __post_init__(self) -> None:
        _check_key(self.key)
        _check_answer(self.value)

    def holds(self, answers: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
        return _matches(answers.get(self.key), (self.value,))


@dataclass(frozen=True)
class AnswerIn:
    """The answer to ``key`` is one of ``values``; a multiple choice is when it contains one of them."""

    key: str
    values: tuple[Answer, ...]

    def __post_init__(self) -> None:
        _check_key(self.key)
        values = _as_tuple(self.values)
        if not values:
            raise ValueError("answer_in: no values")
        for value in values:
            _check_answer(value)
        object.__setattr__(self, "values", values)

    def holds(self, answers: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
        return _matches(answers.get(self.key), self.values)


@dataclass(frozen=True)
class DaysAfter:
    """The date answered to ``key`` (ISO) is more than ``days`` days after the ISO date in the
    context under ``since`` (e.g. the day the dialog began): a question offered only for a far
    enough date. A missing or malformed date never holds."""

    key: str
    since: str
    days: int

    def __post_init__(self) -> None:
        _check_key(self.key)
        _check_key(self.since)
        if isinstance(self.days, bool) or not isinstance(self.days, int):
            raise ValueError(f"days_after: days is an integer, not {self.days!r}")

    def holds(self, answers: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
        try:
            later, since = date.fromisoformat(str(answers.get(self.key))), date.fromisoformat(str(context.get(self.since)))
        except ValueError:
            return False
        return (later - since).days > self.days


@dataclass(frozen=True)
class Not:
    cond: Condition

    def __post_init__(self) -> None:
        _check_condition(self.cond)

    def holds(self, answers: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
        return not self.cond.holds(answers, context)


@dataclass(frozen=True)
class All:
    """Every condition holds (so ``All(())`` always does)."""

    conds: tuple[Condition, ...]

    def __post_init__(self) -> None:
        conds = _as_tuple(self.conds)
        for cond in conds:
            _check_condition(cond)
        object.__setattr__(self, "conds", conds)

    def holds(self, answers: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
        return all(cond.holds(answers, context) for cond in self.conds)


@dataclass(frozen=True)
class AnyOf:
    """At least one condition holds (so ``AnyOf(())`` never does)."""

    conds: tuple[Condition, ...]

    def __post_init__(self) -> None:
        conds = _as_tuple(self.conds)
        for cond in conds:
            _check_condition(cond)
        object.__setattr__(self, "conds", conds)

    def holds(self, answers: Mapping[str, Any], context: Mapping[str, Any]) -> bool:
        return any(cond.holds(answers, context) for cond in self.conds)


Condition: TypeAlias = HasContext | AnswerAbove | AnswerIs | AnswerIn | DaysAfter | Not | All | AnyOf
CONDITION_TYPES: tuple[type, ...] = (HasContext, AnswerAbove, AnswerIs, AnswerIn, DaysAfter, Not, All, AnyOf)


def answer_keys(cond: Condition) -> frozenset[str]:
    """The answers a condition reads (not the context keys)."""
    if isinstance(cond, AnswerAbove | AnswerIs | AnswerIn | DaysAfter):
        return frozenset({cond.key})
    if isinstance(cond, Not):
        return answer_keys(cond.cond)
    if isinstance(cond, All | AnyOf):
        return frozenset().union(*(answer_keys(c) for c in cond.conds))
    return frozenset()


# ---------------------------------------------------------------- JSON form


def condition_to_json(cond: Condition) -> dict[str, Any]:
    """A JSON object that ``condition_from_json`` turns back into an equal condition."""
    if isinstance(cond, HasContext):
        return {"kind": "has_context", "key": cond.key}
    if isinstance(cond, AnswerAbove):
        return {"kind": "answer_above", "key": cond.key, "value": cond.value}
    if isinstance(cond, AnswerIs):
        return {"kind": "answer_is", "key": cond.key, "value": cond.value}
    if isinstance(cond, AnswerIn):
        return {"kind": "answer_in", "key": cond.key, "values": list(cond.values)}
    if isinstance(cond, DaysAfter):
        return {"kind": "days_after", "key": cond.key, "since": cond.since, "days": cond.days}
    if isinstance(cond, Not):
        return {"kind": "not", "cond": condition_to_json(cond.cond)}
    if isinstance(cond, All):
        return {"kind": "all", "conds": [condition_to_json(c) for c in cond.conds]}
    return {"kind": "any", "conds": [condition_to_json(c) for c in cond.conds]}


_FIELDS: dict[str, frozenset[str]] = {
    "has_context": frozenset({"key"}),
    "answer_above": frozenset({"key", "value"}),
    "answer_is": frozenset({"key", "value"}),
    "answer_in": frozenset({"key", "values"}),
    "days_after": frozenset({"key", "since", "days"}),
    "not": frozenset({"cond"}),
    "all": frozenset({"conds"}),
    "any": frozenset({"conds"}),
}


def condition_from_json(data: Any) -> Condition:
    """The condition of a JSON object; anything malformed or of an unknown kind raises ValueError."""
    return _from_json(data, 0)


def _from_json(data: Any, depth: int) -> Condition:
    if depth > MAX_DEPTH:
        raise ValueError(f"a condition is nested more than {MAX_DEPTH} deep")
    if not isinstance(data, Mapping):
        raise ValueError(f"a condition is a JSON object, not {data!r}")
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in _FIELDS:
        raise ValueError(f"unknown condition kind {kind!r}")
    expected = _FIELDS[kind]
    given = set(data) - {"kind"}
    if given - expected:
        raise ValueError(f"{kind}: unknown field {sorted(given - expected)[0]!r}")
    if expected - given:
        raise ValueError(f"{kind}: missing field {sorted(expected - given)[0]!r}")
    if kind == "has_context":
        return HasContext(data["key"])
    if kind == "answer_above":
        value = data["value"]
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise ValueError(f"answer_above: the value is a decimal string, not {value!r}")
        return AnswerAbove(data["key"], str(value))
    if kind == "answer_is":
        return AnswerIs(data["key"], data["value"])
    if kind == "answer_in":
        values = data["values"]
        if not isinstance(values, list | tuple):
            raise ValueError(f"answer_in: values is a list, not {values!r}")
        return AnswerIn(data["key"], tuple(values))
    if kind == "days_after":
        return DaysAfter(data["key"], data["since"], data["days"])
    if kind == "not":
        return Not(_from_json(data["cond"], depth + 1))
    conds = data["conds"]
    if not isinstance(conds, list | tuple):
        raise ValueError(f"{kind}: conds is a list, not {conds!r}")
    parts = tuple(_from_json(c, depth + 1) for c in conds)
    return All(parts) if kind == "all" else AnyOf(parts)


# ---------------------------------------------------------------- helpers


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _matches(answer: object, values: tuple[Answer, ...]) -> bool:
    if isinstance(answer, list | tuple):
        return any(_matches(item, values) for item in answer)
    # True == 1 in Python; here a yes/no answer never matches a number.
    return any(answer == value and isinstance(answer, bool) == isinstance(value, bool) for value in values)


def _check_key(key: object) -> None:
    if not isinstance(key, str) or not key:
        raise ValueError(f"a condition's key is a non-empty string, not {key!r}")


def _check_answer(value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"a condition compares with a string or an integer, not {value!r}")


def _check_condition(cond: object) -> None:
    if not isinstance(cond, CONDITION_TYPES):
        raise TypeError(f"not a condition: {cond!r}")


def _as_tuple(items: object) -> tuple[Any, ...]:
    if not isinstance(items, tuple | list):
        raise ValueError(f"expected a list, not {items!r}")
    return tuple(items)
