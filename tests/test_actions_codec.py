"""The one codec for callback data: typed actions, Telegram's 64 bytes, forged data refused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialogs.actions import (
    MAX_BYTES,
    Action,
    CallbackDataTooLong,
    DialogPress,
    LanguagePress,
    MenuPress,
    OwnerCasePress,
    ReplyPress,
    StaffCasePress,
    decode,
    encode,
    register,
)


@pytest.mark.parametrize("action, wire", [
    (DialogPress(3, "c:plumbing"), "d1:3:c:plumbing"),
    (MenuPress("repair"), "m1:repair"),
    (LanguagePress("zh_Hant_HK"), "l1:zh_Hant_HK"),
    (StaffCasePress(12, "acc"), "t1:12:acc"),
    (OwnerCasePress(7, "ok31"), "o1:7:ok31"),
    (ReplyPress(5), "c1:5"),
])
def test_the_wire_form_is_the_one_buttons_always_had(action: Action, wire: str) -> None:
    assert encode(action) == wire
    assert decode(wire) == action


@pytest.mark.parametrize("data", [
    None, "", "zz:1", "t1", "t1:12", "t1:x:acc", "t1:-1:acc", "t1:012:acc", "t1:１２:acc",
    "t1:12:a c", "t1:12:", "c1:5:6", "m1:", "d1:3", "t1:12:受理", "m1:" + "x" * 62,
    "t1:" + "9" * 10 + ":acc",  # beyond a 32-bit key: never reaches the database
])
def test_forged_or_malformed_data_decodes_to_nothing(data: str | None) -> None:
    assert decode(data) is None


def test_more_than_64_bytes_is_refused_both_ways() -> None:
    with pytest.raises(CallbackDataTooLong):
        encode(DialogPress(1, "c:" + "x" * 58))  # 63 characters of code: 68 bytes in all
    data = "d1:1:c:" + "x" * (MAX_BYTES - 6)
    assert len(data.encode()) == MAX_BYTES + 1 and decode(data) is None


def test_values_that_cannot_travel_are_a_programming_error() -> None:
    with pytest.raises(ValueError):
        encode(StaffCasePress(-1, "acc"))
    with pytest.raises(ValueError):
        encode(StaffCasePress(10**9, "acc"))
    with pytest.raises(ValueError):
        encode(MenuPress("受理"))
    with pytest.raises(ValueError):
        encode(MenuPress(""))


def test_a_tag_belongs_to_one_action() -> None:
    @dataclass(frozen=True)
    class Impostor(Action):
        tag: ClassVar[str] = "t1"
        ticket: int

    with pytest.raises(ValueError, match="taken"):
        register(Impostor)

    @dataclass(frozen=True)
    class Floaty(Action):
        tag: ClassVar[str] = "zf"
        amount: float

    with pytest.raises(TypeError):
        register(Floaty)


CODES = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:.<>+-", min_size=1,
                max_size=40)


@given(st.integers(min_value=0, max_value=10**9 - 1), CODES)
def test_every_encodable_action_round_trips(ticket: int, code: str) -> None:
    for action in (StaffCasePress(ticket, code), OwnerCasePress(ticket, code), DialogPress(ticket, code)):
        try:
            data = encode(action)
        except CallbackDataTooLong:
            continue
        assert len(data.encode()) <= MAX_BYTES
        assert decode(data) == action


@given(st.text(max_size=80))
def test_decoding_never_raises(data: str) -> None:
    decode(data)
