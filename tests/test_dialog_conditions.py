"""Conditions as data (``dialogs.engine.conditions``): what holds, the JSON form, and the built-in dialogs' uses."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogs.complaint import COMPLAINT
from dialogs.engine import (
    All,
    AnswerAbove,
    AnswerIn,
    AnswerIs,
    AnyOf,
    Condition,
    HasContext,
    Not,
    TextStep,
    condition_from_json,
    condition_to_json,
)
from dialogs.engine.conditions import MAX_DEPTH, answer_keys
from dialogs.inquiry import INQUIRY
from dialogs.repair import REPAIR, SURVEY
from dialogs.text import Msg

TODAY = date(2026, 11, 23)

# ---------------------------------------------------------------- holds


@pytest.mark.parametrize(
    ("context", "holds"),
    [({"units": [["1", "1-101"]]}, True), ({"units": []}, False), ({}, False), ({"units": None}, False),
     ({"known": True}, False)],
)
def test_has_context_is_a_truthy_context_value(context: dict[str, Any], holds: bool) -> None:
    assert HasContext("units").holds({}, context) is holds


@pytest.mark.parametrize(
    ("answer", "holds"),
    [
        ("500", False), ("500.00", False), ("500.01", True), ("1200", True), (501, True), ("0", False),
        (None, False),  # skipped
        ("", False),
        ("a lot", False),  # not a number: never above
        ("NaN", False), ("Infinity", False), (True, False), (["600"], False),
    ],
)
def test_answer_above_reads_the_answer_as_a_decimal(answer: Any, holds: bool) -> None:
    assert AnswerAbove("estimate", "500").holds({"estimate": answer}, {}) is holds


def test_a_missing_answer_counts_as_zero() -> None:
    assert AnswerAbove("estimate", "-1").holds({}, {}) is True
    assert AnswerAbove("estimate", "0").holds({}, {}) is False
    assert AnswerAbove("estimate", "0").holds({"other": "9"}, {}) is False


@pytest.mark.parametrize(
    ("answer", "holds"),
    [("repair", True), ("Repair", False), ("praise", False), (None, False),
     (["praise", "repair"], True), (["praise"], False), ([], False)],
)
def test_answer_is_a_code_or_contains_it(answer: Any, holds: bool) -> None:
    assert AnswerIs("category", "repair").holds({"category": answer}, {}) is holds


def test_answer_is_compares_numbers_as_numbers() -> None:
    assert AnswerIs("rating", 1).holds({"rating": 1}, {})
    assert not AnswerIs("rating", 1).holds({"rating": "1"}, {})
    assert not AnswerIs("rating", 1).holds({"rating": True}, {})  # True == 1 in Python, not here


@pytest.mark.parametrize(
    ("answer", "holds"),
    [(1, True), (2, True), (3, False), (None, False), ([3, 2], True), ([4, 5], False)],
)
def test_answer_in(answer: Any, holds: bool) -> None:
    assert AnswerIn("rating", (1, 2)).holds({"rating": answer}, {}) is holds


def test_not_all_and_any() -> None:
    known, repair = HasContext("known"), AnswerIs("category", "repair")
    answers, context = {"category": "repair"}, {"known": False}
    assert Not(known).holds(answers, context)
    assert not Not(repair).holds(answers, context)
    assert All((Not(known), repair)).holds(answers, context)
    assert not All((known, repair)).holds(answers, context)
    assert AnyOf((known, repair)).holds(answers, context)
    assert not AnyOf((known, Not(repair))).holds(answers, context)
    assert All(()).holds({}, {})
    assert not AnyOf(()).holds({}, {})


def test_lists_become_tuples_so_conditions_compare_and_hash() -> None:
    built = AnswerIn("k", ["a", "b"])  # type: ignore[arg-type]
    assert built == AnswerIn("k", ("a", "b"))
    assert hash(built) == hash(AnswerIn("k", ("a", "b")))
    assert All([HasContext("x")]) == All((HasContext("x"),))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "make",
    [
        lambda: HasContext(""),
        lambda: AnswerAbove("estimate", "five hundred"),
        lambda: AnswerAbove("estimate", "NaN"),
        lambda: AnswerIs("k", None),  # type: ignore[arg-type]
        lambda: AnswerIs("k", True),
        lambda: AnswerIn("k", ()),
        lambda: AnswerIn("k", ("a", 1.5)),  # type: ignore[arg-type]
        lambda: AnswerIn("k", "ab"),  # type: ignore[arg-type]
    ],
)
def test_invalid_conditions_are_refused(make: Any) -> None:
    with pytest.raises(ValueError):
        make()


def test_a_callable_is_not_a_condition() -> None:
    with pytest.raises(TypeError):
        Not(lambda answers, context: True)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="`when` is a condition"):
        TextStep(key="name", prompt=Msg("Name?"), when=lambda answers, context: True)  # type: ignore[arg-type]


def test_answer_keys_are_the_answers_a_condition_reads() -> None:
    cond = All((HasContext("known"), Not(AnswerIs("a", "x")), AnyOf((AnswerAbove("b", "1"), AnswerIn("c", ("y",))))))
    assert answer_keys(cond) == {"a", "b", "c"}
    assert answer_keys(HasContext("known")) == frozenset()


# ---------------------------------------------------------------- JSON form

EXAMPLES: list[tuple[Condition, dict[str, Any]]] = [
    (HasContext("units"), {"kind": "has_context", "key": "units"}),
    (AnswerAbove("estimate", "500"), {"kind": "answer_above", "key": "estimate", "value": "500"}),
    (AnswerIs("rating", 1), {"kind": "answer_is", "key": "rating", "value": 1}),
    (AnswerIn("kind", ("praise", "other")), {"kind": "answer_in", "key": "kind", "values": ["praise", "other"]}),
    (Not(HasContext("known")), {"kind": "not", "cond": {"kind": "has_context", "key": "known"}}),
    (All((HasContext("a"), AnswerIs("b", "c"))),
     {"kind": "all", "conds": [{"kind": "has_context", "key": "a"}, {"kind": "answer_is", "key": "b", "value": "c"}]}),
    (AnyOf(()), {"kind": "any", "conds": []}),
]


@pytest.mark.parametrize(("cond", "data"), EXAMPLES)
def test_the_json_form(cond: Condition, data: dict[str, Any]) -> None:
    assert condition_to_json(cond) == data
    assert condition_from_json(data) == cond
    assert condition_from_json(json.loads(json.dumps(condition_to_json(cond)))) == cond


keys = st.sampled_from(["units", "known", "estimate", "category", "rating"])
answers_compared = st.one_of(st.text(min_size=0, max_size=8), st.integers(-10, 10))
leaves = st.one_of(
    st.builds(HasContext, keys),
    st.builds(AnswerAbove, keys, st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str)),
    st.builds(AnswerIs, keys, answers_compared),
    st.builds(AnswerIn, keys, st.lists(answers_compared, min_size=1, max_size=3).map(tuple)),
)
conditions: st.SearchStrategy[Condition] = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(Not, inner),
        st.builds(All, st.lists(inner, max_size=3).map(tuple)),
        st.builds(AnyOf, st.lists(inner, max_size=3).map(tuple)),
    ),
    max_leaves=10,
)
values = st.one_of(st.none(), st.text(max_size=5), st.integers(-1000, 1000), st.booleans(),
                   st.lists(st.text(max_size=3), max_size=3))


@settings(max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(conditions, st.dictionaries(keys, values), st.dictionaries(keys, values))
def test_every_condition_round_trips_and_holds_the_same(
    cond: Condition, answers: dict[str, Any], context: dict[str, Any]
) -> None:
    restored = condition_from_json(json.loads(json.dumps(condition_to_json(cond))))
    assert restored == cond
    assert restored.holds(answers, context) == cond.holds(answers, context)
    assert isinstance(cond.holds(answers, context), bool)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"kind": "answer_below", "key": "estimate", "value": "1"}, "unknown condition kind 'answer_below'"),
        ({"kind": "HAS_CONTEXT", "key": "units"}, "unknown condition kind"),
        ({"key": "units"}, "unknown condition kind None"),
        ({"kind": ["not"], "cond": {}}, "unknown condition kind"),
        ({"kind": "not", "cond": {"kind": "lambda"}}, "unknown condition kind 'lambda'"),
        ({"kind": "all", "conds": [{"kind": "has_context", "key": "a"}, {"kind": "python", "code": "1"}]},
         "unknown condition kind 'python'"),
    ],
)
def test_unknown_kinds_are_refused(data: Any, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        condition_from_json(data)


@pytest.mark.parametrize(
    "data",
    [
        None, "has_context", ["has_context", "units"], 1,
        {"kind": "has_context"},
        {"kind": "has_context", "key": "units", "extra": 1},
        {"kind": "has_context", "key": 7},
        {"kind": "answer_above", "key": "estimate", "value": "lots"},
        {"kind": "answer_above", "key": "estimate", "value": True},
        {"kind": "answer_above", "key": "estimate", "value": 1.5},
        {"kind": "answer_is", "key": "rating", "value": None},
        {"kind": "answer_is", "key": "rating", "value": [1]},
        {"kind": "answer_in", "key": "rating", "values": 1},
        {"kind": "answer_in", "key": "rating", "values": []},
        {"kind": "answer_in", "key": "rating", "values": "12"},
        {"kind": "not", "cond": None},
        {"kind": "all", "conds": {"kind": "has_context", "key": "a"}},
        {"kind": "any", "conds": "none"},
    ],
)
def test_malformed_conditions_are_refused(data: Any) -> None:
    with pytest.raises(ValueError):
        condition_from_json(data)


def test_nesting_is_limited() -> None:
    data: dict[str, Any] = {"kind": "has_context", "key": "a"}
    for _ in range(MAX_DEPTH):
        data = {"kind": "not", "cond": data}
    assert isinstance(condition_from_json(data), Not)
    with pytest.raises(ValueError, match="nested"):
        condition_from_json({"kind": "not", "cond": data})


def test_an_integer_threshold_is_read_as_its_decimal_string() -> None:
    assert condition_from_json({"kind": "answer_above", "key": "estimate", "value": 500}) == AnswerAbove("estimate", "500")


# ---------------------------------------------------------------- the built-in dialogs


def test_the_builder_joins_the_survey_above_500_yuan() -> None:
    step = SURVEY.step("builder_representative")
    assert step.when is not None
    assert condition_to_json(step.when) == {"kind": "answer_above", "key": "estimate", "value": "500"}
    for estimate, joins in (("0.00", False), ("500.00", False), ("500.01", True), ("12000.00", True), (None, False)):
        assert step.when.holds({"estimate": estimate}, {}) is joins


@pytest.mark.parametrize("dialog", [COMPLAINT, REPAIR])
def test_the_unit_is_asked_only_with_units_in_the_context(dialog: Any) -> None:
    step = dialog.step("unit")
    assert step.when == HasContext("units")
    assert step.when.holds({}, {"units": [["7", "1-101"]]})
    assert not step.when.holds({}, {"units": []})


def test_an_inquiry_asks_name_and_phone_of_unknown_people_only() -> None:
    for key in ("name", "phone"):
        step = INQUIRY.step(key)
        assert step.when == Not(HasContext("known"))
        assert step.when.holds({}, {"known": False})
        assert step.when.holds({}, {})
        assert not step.when.holds({}, {"known": True})


def test_every_condition_of_the_built_in_dialogs_has_a_json_form() -> None:
    from dialogs.source import BUILT_IN

    found = 0
    for dialog in BUILT_IN:
        for step in dialog.steps:
            if step.when is not None:
                found += 1
                assert condition_from_json(json.loads(json.dumps(condition_to_json(step.when)))) == step.when
    assert found >= 5
